export { issuerEnv, loadIssuerConfig } from './config.js';
export type { IssuerConfig } from './config.js';
export { startIssuer } from './server.js';
export type { IssuerServer } from './server.js';
export type { IssuerRuntime } from './runtime.js';
export { AnchoringWorker } from './anchoring/anchoring.worker.js';
export type { AnchoringRun } from './anchoring/anchoring.worker.js';
