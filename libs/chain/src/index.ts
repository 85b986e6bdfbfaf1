export { CityAnchorWriter } from './anchor-writer.js';
export type { IssuerSignerSource } from './anchor-writer.js';
export { CityChain, isChainUnavailable } from './city-chain.js';
export type { AccreditationChange, AccreditationWindow, AnchorerRegistration, AnchorerWithdrawal, AnchorSubmission, ChainBlock, DelegationChange, IssuerChange, RootAnchoredEvent, TypeAccreditation } from './city-chain.js';
export { loadDeployment } from './deployment.js';
