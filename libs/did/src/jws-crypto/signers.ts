import { createECDH, createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import type { JwsSigner } from '@citycred/formats';
import { nativeSecp256k1, normaliseLowS, P256_N, pickBackend, SECP256K1_N, type Secp256k1Backend } from './secp256k1-native.js';

/** How a signer is built. */
export interface EcdsaSignerOptions {
  /** The verification method the JWS header names, e.g. `did:ethr:…#controller`. */
  readonly kid: string;
  /**
   * The 32-byte private scalar. The signer keeps its own copy: the caller should zero its buffer once the signer
   * is built.
   */
  readonly privateKey: Uint8Array;
}

/** Options of {@link Secp256k1Signer}. */
export interface Secp256k1SignerOptions extends EcdsaSignerOptions {
  /**
   * Force a backend. Default: libsecp256k1 when its native binding loads, node:crypto otherwise.
   * @throws (from the constructor) when `'libsecp256k1'` is asked and the binding does not load
   */
  readonly backend?: Secp256k1Backend;
}

/**
 * ES256K (ECDSA on secp256k1 over SHA-256 of the JWS signing input) held in memory, for issuing many credentials
 * with one tenant key.
 *
 * With libsecp256k1 the signature is deterministic (RFC 6979) and low-S, so for the same key and signing input it
 * is byte for byte what did-jwt's `ES256KSigner` (Veramo's local KMS) produces. With the node:crypto fallback the
 * nonce is random (OpenSSL does not do RFC 6979): each signature differs, and differs from Veramo's, but it is
 * normalised to low-S and verifies exactly as well everywhere.
 *
 * The private key is kept in a private field, never enumerated, serialised or printed; {@link destroy} zeroes
 * the copy this signer holds (the node:crypto backend also holds a `KeyObject` inside OpenSSL, which cannot be
 * zeroed from JavaScript and is freed when collected).
 */
export class Secp256k1Signer implements JwsSigner {
  /** Always `ES256K`. */
  readonly alg = 'ES256K' as const;
  /** The verification method the JWS header names. */
  readonly kid: string;
  /** The implementation that signs. */
  readonly backend: Secp256k1Backend;
  /** The public key, compressed (33 bytes). */
  readonly publicKey: Uint8Array;
  #privateKey: Buffer;
  #keyObject: KeyObject | undefined;
  #destroyed = false;

  /**
   * @throws RangeError when the private key is not a valid secp256k1 scalar (32 bytes, 0 < d < n)
   * @throws Error when `backend: 'libsecp256k1'` is asked and the native binding does not load
   */
  constructor(options: Secp256k1SignerOptions) {
    this.kid = options.kid;
    this.backend = pickBackend(options.backend);
    this.#privateKey = scalarBytes(options.privateKey);
    if (!isValidScalar(this.#privateKey, SECP256K1_N)) {
      this.#privateKey.fill(0);
      throw new RangeError('an ES256K private key is 32 bytes, a scalar between 1 and n - 1');
    }
    const ecdh = createECDH('secp256k1');
    ecdh.setPrivateKey(this.#privateKey);
    const uncompressed = ecdh.getPublicKey();
    this.publicKey = new Uint8Array(ecdh.getPublicKey(null, 'compressed'));
    if (this.backend === 'node:crypto') this.#keyObject = ecPrivateKeyObject('secp256k1', this.#privateKey, uncompressed);
  }

  /**
   * Signs a JWS signing input.
   * @returns `r ‖ s`, 64 bytes, low-S
   * @throws Error after {@link destroy}
   */
  sign(signingInput: Uint8Array): Uint8Array {
    if (this.#destroyed) throw new Error(`the signer of ${this.kid} was destroyed (its key was evicted)`);
    if (this.#keyObject) {
      return normaliseLowS(new Uint8Array(nodeSign('sha256', signingInput, { key: this.#keyObject, dsaEncoding: 'ieee-p1363' })), SECP256K1_N);
    }
    const digest = createHash('sha256').update(signingInput).digest();
    // The binding cannot be missing here: the backend was chosen because it loaded.
    return nativeSecp256k1()!.ecdsaSign(digest, this.#privateKey).signature;
  }

  /** Zeroes the private key this signer holds; signing afterwards throws. Idempotent. */
  destroy(): void {
    this.#privateKey.fill(0);
    this.#keyObject = undefined;
    this.#destroyed = true;
  }

  /** Whether {@link destroy} was called. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** What JSON.stringify shows: never the key. */
  toJSON(): { alg: 'ES256K'; kid: string; backend: Secp256k1Backend } {
    return { alg: this.alg, kid: this.kid, backend: this.backend };
  }

  /** What console.log and util.inspect show: never the key. */
  [inspect.custom](): string {
    return `Secp256k1Signer { kid: ${this.kid}, backend: ${this.backend}${this.#destroyed ? ', destroyed' : ''} }`;
  }
}

/**
 * ES256 (ECDSA on P-256 over SHA-256) through node:crypto, raw `r ‖ s` normalised to low-S. The nonce is random
 * (OpenSSL), as with did-jwt's ES256 the verifier does not care. Holds its key as {@link Secp256k1Signer} does.
 */
export class P256Signer implements JwsSigner {
  /** Always `ES256`. */
  readonly alg = 'ES256' as const;
  /** The verification method the JWS header names. */
  readonly kid: string;
  /** The public key, compressed (33 bytes). */
  readonly publicKey: Uint8Array;
  #keyObject: KeyObject | undefined;

  /** @throws RangeError when the private key is not a valid P-256 scalar */
  constructor(options: EcdsaSignerOptions) {
    this.kid = options.kid;
    const d = scalarBytes(options.privateKey);
    try {
      if (!isValidScalar(d, P256_N)) throw new RangeError('an ES256 private key is 32 bytes, a scalar between 1 and n - 1');
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(d);
      this.publicKey = new Uint8Array(ecdh.getPublicKey(null, 'compressed'));
      this.#keyObject = ecPrivateKeyObject('P-256', d, ecdh.getPublicKey());
    } finally {
      d.fill(0);
    }
  }

  /** Signs a JWS signing input. @returns `r ‖ s`, 64 bytes, low-S. @throws Error after {@link destroy} */
  sign(signingInput: Uint8Array): Uint8Array {
    if (!this.#keyObject) throw new Error(`the signer of ${this.kid} was destroyed`);
    return normaliseLowS(new Uint8Array(nodeSign('sha256', signingInput, { key: this.#keyObject, dsaEncoding: 'ieee-p1363' })), P256_N);
  }

  /** Drops the key (held inside OpenSSL, freed when collected); signing afterwards throws. */
  destroy(): void {
    this.#keyObject = undefined;
  }

  /** What JSON.stringify shows: never the key. */
  toJSON(): { alg: 'ES256'; kid: string } {
    return { alg: this.alg, kid: this.kid };
  }

  /** What console.log and util.inspect show: never the key. */
  [inspect.custom](): string {
    return `P256Signer { kid: ${this.kid} }`;
  }
}

/**
 * The private scalar as exactly 32 bytes, in a copy of its own. A scalar whose top bytes are zero is often handed over
 * shorter (node:crypto's `getPrivateKey()` strips them, about once in 256 keys): it is padded back, not refused.
 */
function scalarBytes(key: Uint8Array): Buffer {
  if (key.length >= 32) return Buffer.from(key);
  const padded = Buffer.alloc(32);
  padded.set(key, 32 - key.length);
  return padded;
}

function isValidScalar(d: Uint8Array, n: bigint): boolean {
  if (d.length !== 32) return false;
  const value = BigInt(`0x${Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('hex')}`);
  return value > 0n && value < n;
}

/** A node:crypto private key from the raw scalar and the uncompressed public point (JWK import needs both). */
function ecPrivateKeyObject(crv: 'secp256k1' | 'P-256', d: Buffer, uncompressed: Buffer): KeyObject {
  return createPrivateKey({
    format: 'jwk',
    key: { kty: 'EC', crv, d: d.toString('base64url'), x: uncompressed.subarray(1, 33).toString('base64url'), y: uncompressed.subarray(33, 65).toString('base64url') },
  });
}
