export { startWallet } from './server.js';
