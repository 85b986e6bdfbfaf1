export { createChainProvider, ethrNetwork } from './network.js';
export type { EthrNetwork } from './network.js';
export { createDidResolver, ttlDidCache } from './resolver.js';
export type { DidResolverOptions } from './resolver.js';
export { createIssuerAgent, ethrProviderName, LOCAL_KMS } from './issuer-agent.js';
export type { IssuerAgent } from './issuer-agent.js';
export { AgentTransactionSigner } from './agent-signer.js';
