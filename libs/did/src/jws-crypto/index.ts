export { NodeSignatureCrypto } from './node-signature-crypto.js';
export type { NodeSignatureCryptoOptions } from './node-signature-crypto.js';
export { nativeSecp256k1 } from './secp256k1-native.js';
export type { Secp256k1Backend } from './secp256k1-native.js';
export { P256Signer, Secp256k1Signer } from './signers.js';
export type { EcdsaSignerOptions, Secp256k1SignerOptions } from './signers.js';
export { storedSigningKeyId, TenantSignerCache } from './tenant-signer-cache.js';
export type { TenantSignerCacheOptions } from './tenant-signer-cache.js';
