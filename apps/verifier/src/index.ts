export { loadVerifierConfig, verifierEnv } from './config.js';
export type { VerifierConfig } from './config.js';
export { startVerifier } from './server.js';
export type { VerifierServer } from './server.js';
export { CredentialVerifier } from './verification/credential-verifier.js';
export type { Check, CheckId, CheckStatus, VerificationResult } from './verification/result.js';
