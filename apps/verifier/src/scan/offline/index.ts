/**
 * The employer scanner's offline verifier (docs/presentations.md, "Offline scanning"): checks the signed offline
 * bundle of `GET /scan/offline-bundle` and verifies a worker's presentation QR code with it, without network. Runs in
 * the browser: `npm run build` bundles this entry with Vite into one ES module, served at `/scan/offline.js`. Nothing
 * under it may import a Node built-in or server code (offline.browser-safety.spec.ts).
 */
export { bundleAge, BUNDLE_OLD_AFTER_SECONDS, verifierJwkOf, verifyBundle, type BundleAge, type BundleCheck, type VerifiedBundle } from './bundle.js';
export type { BundleAnchoring, BundleAnchors, BundleIssuer, BundleIssuerName, BundleKey, BundleMissingList, BundleRoot, BundleStatusList, BundleType, OfflineBundlePayload } from './bundle-format.js';
export { OFFLINE_BUNDLE_TYP } from './bundle-format.js';
export { BUNDLE_TEXT, REFUSAL_TEXT, type LocalisedText } from './texts.js';
export { verifyOffline, type OfflineCredentialResult, type OfflineIssuer, type OfflineVerdict, type SeenNonces } from './verify-offline.js';
