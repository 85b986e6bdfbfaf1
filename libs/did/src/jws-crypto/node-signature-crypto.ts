import { createPublicKey, ECDH, hash, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { JwsAlgorithm, PublicJwk, SignatureCrypto, VerificationKey } from '@citycred/formats';
import { secp256k1 as nobleSecp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { nativeSecp256k1, normaliseLowS, pickBackend, SECP256K1_N, type Secp256k1Backend } from './secp256k1-native.js';

/** Options of {@link NodeSignatureCrypto}. */
export interface NodeSignatureCryptoOptions {
  /** Force the ES256K backend. Default: libsecp256k1 when its native binding loads, node:crypto otherwise. */
  readonly backend?: Secp256k1Backend;
  /** How many parsed public keys to keep (least recently used dropped first). Default 512. */
  readonly keyCacheSize?: number;
}

/** A parsed public key: the uncompressed point for libsecp256k1, or a node:crypto key object. */
type ParsedKey = Uint8Array | KeyObject;

/**
 * {@link SignatureCrypto} for Node: ES256K through libsecp256k1 (node:crypto when the binding cannot load), ES256
 * and EdDSA through node:crypto. Never throws: a malformed key or signature, or an algorithm the key does not fit,
 * is `false`.
 *
 * High-S ES256K signatures are accepted, as did-jwt 8 (Veramo's verifier) accepts them: it normalises S before
 * verifying and tries both recovery ids against an address. A credential that one verifier accepts, the other
 * accepts too.
 *
 * Parsed public keys (a compressed point decompressed, a JWK imported) are kept in a small LRU map, since a verifier
 * sees the same few issuer keys again and again and decompression is a square root per verification otherwise.
 */
export class NodeSignatureCrypto implements SignatureCrypto {
  /** The implementation that checks ES256K. */
  readonly backend: Secp256k1Backend;
  private readonly keys = new Map<string, ParsedKey | null>();
  /**
   * Parsed keys by the very array their bytes came in. Arrays are only read here; one written to after it was seen
   * would keep its old answer, so callers must not reuse a key's array for another key (none does).
   */
  private readonly byArray = new WeakMap<Uint8Array, ParsedKey | null>();
  private readonly keyCacheSize: number;

  /** @throws Error when `backend: 'libsecp256k1'` is asked and the native binding does not load */
  constructor(options: NodeSignatureCryptoOptions = {}) {
    this.backend = pickBackend(options.backend);
    this.keyCacheSize = Math.max(1, options.keyCacheSize ?? 512);
  }

  /**
   * Checks a raw JWS signature (`r ‖ s` for ECDSA) over the signing input.
   * @returns whether the signature was made by the key; `false` for anything malformed or mismatched
   */
  verify(alg: JwsAlgorithm, key: VerificationKey, signingInput: Uint8Array, signature: Uint8Array): boolean {
    if (signature.length !== 64) return false;
    try {
      switch (alg) {
        case 'ES256K':
          return this.verifyEs256k(key, signingInput, signature);
        case 'ES256':
          return this.verifyWithKeyObject(key, 'P-256', signingInput, signature);
        case 'EdDSA':
          return this.verifyWithKeyObject(key, 'Ed25519', signingInput, signature);
        default:
          return false;
      }
    } catch {
      // Inputs that the libraries refuse to parse (r or s not below n, a point off the curve) are bad signatures.
      return false;
    }
  }

  private verifyEs256k(key: VerificationKey, signingInput: Uint8Array, signature: Uint8Array): boolean {
    const lowS = normaliseLowS(Uint8Array.from(signature), SECP256K1_N);
    if (key.kind === 'ethereum-address') return this.recoversAddress(key.address, signingInput, lowS);
    const parsed = this.secp256k1Key(key);
    if (!parsed) return false;
    if (parsed instanceof Uint8Array) return nativeSecp256k1()!.ecdsaVerify(lowS, sha256(signingInput), parsed);
    return nodeVerify('sha256', signingInput, { key: parsed, dsaEncoding: 'ieee-p1363' }, lowS);
  }

  /** Whether the key recovered from the signature (either recovery id) has the address. */
  private recoversAddress(address: string, signingInput: Uint8Array, lowS: Uint8Array): boolean {
    const wanted = /0x([0-9a-fA-F]{40})(?![0-9a-fA-F])/.exec(address)?.[1]?.toLowerCase();
    if (!wanted) return false;
    const digest = sha256(signingInput);
    const native = this.backend === 'libsecp256k1' ? nativeSecp256k1() : null;
    for (const recovery of [0, 1]) {
      let uncompressed: Uint8Array;
      try {
        uncompressed = native
          ? native.ecdsaRecover(lowS, recovery, digest, false)
          : nobleSecp256k1.Signature.fromCompact(lowS).addRecoveryBit(recovery).recoverPublicKey(digest).toRawBytes(false);
      } catch {
        continue;
      }
      if (Buffer.from(keccak_256(uncompressed.subarray(1))).subarray(12).toString('hex') === wanted) return true;
    }
    return false;
  }

  /** The secp256k1 key, parsed for the backend, or null when it is not one. */
  private secp256k1Key(key: Exclude<VerificationKey, { kind: 'ethereum-address' }>): ParsedKey | null {
    if (key.kind === 'jwk') {
      const { kty, crv, x, y } = key.jwk;
      if (kty !== 'EC' || crv !== 'secp256k1' || typeof x !== 'string' || typeof y !== 'string') return null;
      return this.cached(`k1:jwk:${x}.${y}`, () => this.parseSecp256k1(Buffer.concat([Buffer.of(4), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')])));
    }
    const bytes = key.publicKey;
    if (bytes.length !== 33 && bytes.length !== 65) return null;
    // The same key's bytes come back as the same array (from a cached DID document): found without writing out its hex.
    const known = this.byArray.get(bytes);
    if (known !== undefined) return known;
    const parsed = this.cached(`k1:raw:${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`, () => this.parseSecp256k1(bytes));
    this.byArray.set(bytes, parsed);
    return parsed;
  }

  private parseSecp256k1(point: Uint8Array): ParsedKey {
    const native = this.backend === 'libsecp256k1' ? nativeSecp256k1() : null;
    if (native) return native.publicKeyConvert(point, false);
    const uncompressed = ECDH.convertKey(point, 'secp256k1', undefined, undefined, 'uncompressed') as Buffer;
    return createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'secp256k1', x: uncompressed.subarray(1, 33).toString('base64url'), y: uncompressed.subarray(33, 65).toString('base64url') } });
  }

  /** ES256 (P-256) and EdDSA (Ed25519): JWKs only, through node:crypto. */
  private verifyWithKeyObject(key: VerificationKey, crv: 'P-256' | 'Ed25519', signingInput: Uint8Array, signature: Uint8Array): boolean {
    if (key.kind !== 'jwk' || key.jwk.crv !== crv) return false;
    const jwk = key.jwk;
    const parsed = this.cached(`${crv}:${jwk.x}.${jwk.y ?? ''}`, () => publicKeyObject(jwk));
    if (!parsed || parsed instanceof Uint8Array) return false;
    if (crv === 'Ed25519') return nodeVerify(null, signingInput, parsed, signature);
    // OpenSSL accepts high-S P-256 signatures, as @noble/curves' p256 (did-jwt's ES256) does by default.
    return nodeVerify('sha256', signingInput, { key: parsed, dsaEncoding: 'ieee-p1363' }, signature);
  }

  /** The parsed key under `id`, parsing it on a miss; a key that does not parse is remembered as null. */
  private cached(id: string, parse: () => ParsedKey): ParsedKey | null {
    let parsed = this.keys.get(id);
    if (parsed === undefined) {
      try {
        parsed = parse();
      } catch {
        parsed = null;
      }
      if (this.keys.size >= this.keyCacheSize) this.keys.delete(this.keys.keys().next().value!);
    } else {
      this.keys.delete(id);
    }
    this.keys.set(id, parsed);
    return parsed;
  }
}

function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

function publicKeyObject(jwk: PublicJwk): KeyObject {
  const { kty, crv, x, y } = jwk;
  return createPublicKey({ format: 'jwk', key: y === undefined ? { kty, crv, x } : { kty, crv, x, y } } as Parameters<typeof createPublicKey>[0]);
}
