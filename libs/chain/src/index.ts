export { AnchorRejectedError, CityChain } from './city-chain.js';
export type { AccreditationChange, AccreditationWindow, ChainBlock } from './city-chain.js';
export { loadDeployment } from './deployment.js';
