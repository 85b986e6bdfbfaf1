import { JsonRpcProvider } from 'ethers';

/** The city chain as seen by DID tooling: where the ERC-1056 registry lives. */
export interface EthrNetwork {
  /** Network name used in DIDs: `did:ethr:<name>:0x…`. */
  name: string;
  chainId: number;
  rpcUrl: string;
  /** Address of the ERC-1056 (EthereumDIDRegistry) contract. */
  registry: string;
  provider: JsonRpcProvider;
}

/**
 * A JSON-RPC provider for the city chain. `staticNetwork` skips ethers' chain-id probe before every call,
 * and no batching delay is added, which matters for verification throughput.
 */
export function createChainProvider(rpcUrl: string, chainId: number): JsonRpcProvider {
  return new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, batchMaxCount: 1, polling: false, cacheTimeout: -1 });
}

/**
 * Describes the city chain for did:ethr.
 * @param options - network name, chain id, RPC URL and registry address (from the deployment record)
 */
export function ethrNetwork(options: { name: string; chainId: number; rpcUrl: string; registry: string; provider?: JsonRpcProvider }): EthrNetwork {
  return { ...options, provider: options.provider ?? createChainProvider(options.rpcUrl, options.chainId) };
}
