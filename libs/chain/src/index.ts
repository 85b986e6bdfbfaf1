export { AnchorRejectedError, CityChain } from './city-chain.js';
export { loadDeployment } from './deployment.js';
