/**
 * ethers error codes that mean the JSON-RPC endpoint could not be reached or did not answer in time — or answered
 * `0x` where our deployed contracts should be (`BAD_DATA`: the chain was reset or the deployment record is stale),
 * which no request can cause because every argument is validated before a chain call.
 */
const ETHERS_TRANSPORT_CODES = new Set(['NETWORK_ERROR', 'SERVER_ERROR', 'TIMEOUT', 'BAD_DATA']);

/** Node and undici socket error codes (ethers passes them through when the connection itself fails). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * Whether `error`, thrown by a chain read, is a transport failure — the chain did not answer — as opposed to a fault
 * of the call itself. Only a transport failure may be reported as our outage (503): an ethers argument error
 * (`INVALID_ARGUMENT`, `NUMERIC_FAULT`, …) or a revert says nothing about the chain being down,
 * and answering 503 for it would let a crafted request make the verifier claim an outage.
 * @param error - what the ledger or resolver threw
 */
export function isChainOutage(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && (ETHERS_TRANSPORT_CODES.has(code) || SOCKET_CODES.has(code) || code.startsWith('UND_ERR_'))) return true;
  return name === 'AbortError' || name === 'TimeoutError';
}
