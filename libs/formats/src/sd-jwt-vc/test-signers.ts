import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBase64url } from '../base64url.js';
import type { JwsSigner, PublicJwk } from '../types.js';

// Signers for the specs of this folder (the product signs through its key manager, not with raw keys).
// Both are deterministic (RFC 6979), so the frozen vectors can be reproduced byte for byte.

/** An ES256K signer: low-S `r ‖ s` over SHA-256 of the signing input, as did-jwt signs. */
export function es256kTestSigner(privateKey: Uint8Array, kid: string): JwsSigner {
  return { alg: 'ES256K', kid, sign: (input) => secp256k1.sign(sha256(input), privateKey, { lowS: true }).toCompactRawBytes() };
}

/** An ES256 signer (P-256), for holder keys and the interop issuer. */
export function es256TestSigner(privateKey: Uint8Array, kid: string): JwsSigner {
  return { alg: 'ES256', kid, sign: (input) => p256.sign(sha256(input), privateKey).toCompactRawBytes() };
}

/** The public JWK of a P-256 private key. */
export function p256PublicJwk(privateKey: Uint8Array): PublicJwk {
  const point = p256.getPublicKey(privateKey, false);
  return { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33, 65)) };
}

/** Hex to bytes (fixture keys are stored as hex). */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
}
