export { loadVerifierConfig, verifierEnv } from './config.js';
export type { VerifierConfig } from './config.js';
export { startVerifier } from './server.js';
export type { VerifierServer } from './server.js';
export { CredentialVerifier } from './verification/credential-verifier.js';
export type { AppliedPolicy, Check, CheckId, CheckStatus, VerificationPolicy, VerificationResult } from './verification/result.js';
export { CITY_DELEGATES_POLICY, CITY_POLICY, CITY_STRICT_POLICY, VERIFICATION_POLICIES } from './verification/verification-policy.js';
export { bundleAge, verifierJwkOf, verifyBundle, verifyOffline, OFFLINE_BUNDLE_TYP, REFUSAL_TEXT } from './scan/offline/index.js';
export type { BundleCheck, OfflineBundlePayload, OfflineVerdict, SeenNonces } from './scan/offline/index.js';
