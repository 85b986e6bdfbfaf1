import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { decodeBase64url } from './base64url.js';
import type { JwsAlgorithm, PublicJwk, SignatureCrypto, VerificationKey } from './types.js';

/**
 * A {@link SignatureCrypto} in pure JavaScript (@noble/curves), for the browser (the wallet) and as the reference the
 * Node adapters are compared with. About 25× slower than libsecp256k1 for ES256K: servers use the Node adapters.
 *
 * - ES256K: against a `secp256k1` key, a `jwk` with `crv: secp256k1`, or an `ethereum-address` (the public key is
 *   recovered from the signature, see {@link recoverSecp256k1Addresses}). A high-S signature is accepted after
 *   normalisation, as did-jwt (our reference verifier until now) accepts it; our signers only produce low-S.
 * - ES256: against a `jwk` with `crv: P-256`.
 * - EdDSA: against a `jwk` with `kty: OKP, crv: Ed25519`.
 *
 * Any other pairing of algorithm and key verifies nothing (returns false); it never throws for a bad signature.
 */
export const nobleSignatureCrypto: SignatureCrypto = {
  verify(alg: JwsAlgorithm, key: VerificationKey, signingInput: Uint8Array, signature: Uint8Array): boolean {
    try {
      switch (alg) {
        case 'ES256K':
          return verifyEs256k(key, signingInput, signature);
        case 'ES256': {
          const publicKey = key.kind === 'jwk' ? ecPublicKeyFromJwk(key.jwk, 'P-256') : undefined;
          return publicKey !== undefined && signature.length === 64 && p256.verify(signature, sha256(signingInput), publicKey, { lowS: false });
        }
        case 'EdDSA': {
          const publicKey = key.kind === 'jwk' ? ed25519PublicKeyFromJwk(key.jwk) : undefined;
          return publicKey !== undefined && ed25519.verify(signature, signingInput, publicKey);
        }
        default:
          return false;
      }
    } catch {
      // A malformed point or signature is a signature that does not verify, not a fault.
      return false;
    }
  },
};

function verifyEs256k(key: VerificationKey, signingInput: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const digest = sha256(signingInput);
  if (key.kind === 'ethereum-address') {
    const wanted = normaliseAddress(key.address);
    return wanted !== undefined && recoverSecp256k1Addresses(digest, signature).includes(wanted);
  }
  const publicKey = key.kind === 'secp256k1' ? key.publicKey : ecPublicKeyFromJwk(key.jwk, 'secp256k1');
  if (publicKey === undefined) return false;
  const normalised = secp256k1.Signature.fromCompact(signature).normalizeS().toCompactRawBytes();
  return secp256k1.verify(normalised, digest, publicKey);
}

/**
 * The Ethereum addresses whose keys could have made an ES256K signature (recovery ids 0 and 1), lower-case `0x…`.
 * Exported so the Node adapters can check `ethereum-address` keys the same way (or use libsecp256k1's own recovery).
 * @param digest - SHA-256 of the JWS signing input (32 bytes)
 * @param signature - `r ‖ s`, 64 bytes (high-S normalised first)
 * @returns zero, one or two addresses
 */
export function recoverSecp256k1Addresses(digest: Uint8Array, signature: Uint8Array): string[] {
  const addresses: string[] = [];
  const compact = secp256k1.Signature.fromCompact(signature).normalizeS();
  for (const recovery of [0, 1]) {
    try {
      addresses.push(ethereumAddress(compact.addRecoveryBit(recovery).recoverPublicKey(digest).toRawBytes(false)));
    } catch {
      // No curve point for this recovery id: that id did not make the signature.
    }
  }
  return addresses;
}

/**
 * The Ethereum address of a secp256k1 public key: the last 20 bytes of keccak-256 of the uncompressed point.
 * @param publicKey - compressed (33 bytes) or uncompressed (65 bytes)
 * @returns lower-case `0x` + 40 hex digits
 * @throws Error when the bytes are not a point on secp256k1
 */
export function ethereumAddress(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey).toRawBytes(false);
  return `0x${toHex(keccak_256(uncompressed.subarray(1)).subarray(12))}`;
}

/** `0x…` in any letter case, or CAIP-10 `eip155:<chain>:0x…` (a did:ethr `blockchainAccountId`), lower-cased. */
function normaliseAddress(address: string): string | undefined {
  const match = /^(?:eip155:[0-9]+:)?(0x[0-9a-fA-F]{40})$/.exec(address);
  return match ? match[1]!.toLowerCase() : undefined;
}

function ecPublicKeyFromJwk(jwk: PublicJwk, crv: 'P-256' | 'secp256k1'): Uint8Array | undefined {
  if (jwk.kty !== 'EC' || jwk.crv !== crv || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') return undefined;
  const x = decodeBase64url(jwk.x);
  const y = decodeBase64url(jwk.y);
  if (x.length !== 32 || y.length !== 32) return undefined;
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(x, 1);
  point.set(y, 33);
  return point;
}

function ed25519PublicKeyFromJwk(jwk: PublicJwk): Uint8Array | undefined {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') return undefined;
  const x = decodeBase64url(jwk.x);
  return x.length === 32 ? x : undefined;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
