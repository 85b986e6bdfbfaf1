import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { readFileSync } from 'node:fs';

/**
 * The frozen credential-format vectors in `libs/testing/fixtures/formats/` (one file per format) and the test
 * signers that reproduce them. The keys in those files are throwaway TEST keys: they sign nothing outside tests.
 */

/** A test key of a vector file. */
export interface FormatVectorKey {
  readonly note: string;
  readonly alg: 'ES256K' | 'ES256';
  readonly privateKeyHex: string;
  /** secp256k1: compressed public key, hex. */
  readonly publicKeyHex?: string;
  /** secp256k1: the key's Ethereum address (lower case). */
  readonly address?: string;
  /** P-256: the public JWK. */
  readonly publicJwk?: Readonly<Record<string, string>>;
  readonly did: string;
  readonly kid: string;
}

/** A tampered encoding and how it must be refused: by decoding (a FormatError code) or by the proof check (a reason). */
export interface TamperedVector {
  readonly name: string;
  /** The tampered compact form, or … */
  readonly encoded?: string;
  /** … the tampered JSON form. */
  readonly json?: Readonly<Record<string, unknown>>;
  readonly decodeError?: string;
  readonly proofReason?: string;
  /** When set, the proof is checked against this secp256k1 public key (compressed, hex) instead of the vector's. */
  readonly publicKeyHex?: string;
}

/** One format's frozen vector. */
export interface FormatVector {
  readonly description: string;
  readonly format: 'jwt_vc' | 'vc+jwt';
  readonly key: FormatVectorKey;
  /** The unsigned credential handed to `sign`. */
  readonly credential: Readonly<Record<string, unknown>>;
  /** The exact signed bytes. */
  readonly encoded: string;
  readonly anchoredPart: string;
  /** SHA-256 hex of the anchored part (`credentialHash` of @citycred/anchoring). */
  readonly credentialHash: string;
  /** What `toJson` answers. */
  readonly json: unknown;
  /** The normalised fields `decode` reads (dates as ISO strings). */
  readonly decoded: Readonly<Record<string, unknown>>;
  readonly tampered: readonly TamperedVector[];
}

/**
 * Loads a format's frozen vector.
 * @param format - `jwt_vc` or `vc+jwt`
 * @returns the parsed vector file (`formats/jwt-vc.json` or `formats/vc-jwt.json`)
 */
export function loadFormatVector(format: 'jwt_vc' | 'vc+jwt'): FormatVector {
  const file = new URL(`../fixtures/formats/${format === 'jwt_vc' ? 'jwt-vc' : 'vc-jwt'}.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')) as FormatVector;
}

/** A JWS signer over a raw private key, the shape of `JwsSigner` in @citycred/formats (this util lib imports none of ours). */
export interface TestJwsSigner {
  readonly alg: 'ES256K' | 'ES256';
  readonly kid: string;
  sign(signingInput: Uint8Array): Uint8Array;
}

/**
 * A deterministic (RFC 6979) ES256K or ES256 signer for tests: SHA-256 of the signing input, low-S `r ‖ s` —
 * what did-jwt's `ES256KSigner` (and so Veramo's local KMS) produces for the same key.
 * @param alg - the algorithm
 * @param privateKeyHex - 32 bytes of hex
 * @param kid - the verification method the signer names
 */
export function testJwsSigner(alg: 'ES256K' | 'ES256', privateKeyHex: string, kid: string): TestJwsSigner {
  const curve = alg === 'ES256K' ? secp256k1 : p256;
  const privateKey = hexBytes(privateKeyHex);
  return { alg, kid, sign: (signingInput) => curve.sign(sha256(signingInput), privateKey, { lowS: true }).toCompactRawBytes() };
}

function hexBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) throw new TypeError('expected hex bytes');
  return Uint8Array.from(hex.match(/../g)!, (byte) => parseInt(byte, 16));
}
