export { AnchorRejectedError, CityChain } from './city-chain.js';
