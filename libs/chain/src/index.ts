export { AnchorRejectedError, CityChain } from './city-chain.js';
export type { AccreditationChange, AccreditationWindow, AnchorSubmission, ChainBlock, DelegationChange, IssuerChange, TypeAccreditation } from './city-chain.js';
export { loadDeployment } from './deployment.js';
