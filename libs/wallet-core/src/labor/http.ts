import { contactableUrl, errorOfAnswer, isRecord, sendRequest, type ReadAnswer, type WalletTransport } from '../oid4vci/http.js';
import { LaborWalletError, LaborWalletErrorCode, serviceErrorCode } from './errors.js';

/** Sends a request to the employer service and reads the whole answer; no answer is `labor.network`. */
export async function laborRequest(transport: WalletTransport, url: string, init: RequestInit = {}): Promise<ReadAnswer> {
  if (!contactableUrl(url, transport.allowInsecureHttp)) throw new LaborWalletError(LaborWalletErrorCode.LinkInvalid, `the wallet may not contact ${url}`);
  return sendRequest(transport.fetch, url, { ...init, headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers as Record<string, string> | undefined) } }, (cause) => new LaborWalletError(LaborWalletErrorCode.Network, `no answer from ${url}`, { cause }));
}

/** The error of a refused answer: the service's own code when the wallet knows it, else by status. */
export function laborErrorOf(answer: ReadAnswer, what: string): LaborWalletError {
  const { error, description } = errorOfAnswer(answer);
  const known = serviceErrorCode(error);
  const body = isRecord(answer.json) ? answer.json : {};
  const head = isRecord(body['head']) && typeof body['head']['seq'] === 'number' && typeof body['head']['hash'] === 'string' ? { seq: body['head']['seq'], hash: body['head']['hash'] } : undefined;
  const details = { status: answer.status, ...(description !== undefined ? { detail: description } : {}), ...(head ? { head } : {}) };
  if (known) return new LaborWalletError(known, `${what}: ${error}`, details);
  if (answer.status === 429 || answer.status >= 500) return new LaborWalletError(LaborWalletErrorCode.Unavailable, `${what}: HTTP ${answer.status}`, details);
  if (answer.status === 404) return new LaborWalletError(LaborWalletErrorCode.ContractNotFound, `${what}: HTTP 404`, details);
  return new LaborWalletError(LaborWalletErrorCode.ServiceError, `${what}: HTTP ${answer.status}${error ? ` ${error}` : ''}`, details);
}
