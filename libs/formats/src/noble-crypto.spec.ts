import { testJwsSigner } from '@citycred/testing';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { encodeBase64url, utf8Bytes } from './base64url.js';
import { ethereumAddress, nobleSignatureCrypto, recoverSecp256k1Addresses } from './noble-crypto.js';

const K1 = '33'.repeat(32);
const input = utf8Bytes('eyJhbGciOiJFUzI1NksifQ.eyJhIjoxfQ');
const k1Signature = testJwsSigner('ES256K', K1, 'k').sign(input);
const k1Public = secp256k1.getPublicKey(Buffer.from(K1, 'hex'), true);

describe('nobleSignatureCrypto', () => {
  it('derives the same Ethereum address as ethers', () => {
    expect(ethereumAddress(k1Public)).toBe(new Wallet(`0x${K1}`).address.toLowerCase());
  });

  it('verifies ES256K against a public key, an address and a CAIP-10 account id, and nothing else', () => {
    const address = ethereumAddress(k1Public);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'secp256k1', publicKey: k1Public }, input, k1Signature)).toBe(true);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'ethereum-address', address: address.toUpperCase().replace('0X', '0x') }, input, k1Signature)).toBe(true);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'ethereum-address', address: `eip155:1337:${address}` }, input, k1Signature)).toBe(true);
    expect(recoverSecp256k1Addresses(sha256(input), k1Signature)).toContain(address);
    const other = ethereumAddress(secp256k1.getPublicKey(Buffer.from('44'.repeat(32), 'hex'), true));
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'ethereum-address', address: other }, input, k1Signature)).toBe(false);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'ethereum-address', address: 'not an address' }, input, k1Signature)).toBe(false);
    expect(nobleSignatureCrypto.verify('ES256', { kind: 'secp256k1', publicKey: k1Public }, input, k1Signature)).toBe(false);
  });

  it('accepts the high-S twin of a signature, as did-jwt does', () => {
    const low = secp256k1.Signature.fromCompact(k1Signature);
    const high = new secp256k1.Signature(low.r, secp256k1.CURVE.n - low.s).toCompactRawBytes();
    expect(high).not.toEqual(k1Signature);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'secp256k1', publicKey: k1Public }, input, high)).toBe(true);
  });

  it('verifies ES256 against a P-256 JWK and EdDSA against an Ed25519 JWK', () => {
    const p256Private = p256.utils.randomPrivateKey();
    const point = p256.getPublicKey(p256Private, false);
    const p256Jwk = { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33)) };
    const es256 = testJwsSigner('ES256', Buffer.from(p256Private).toString('hex'), 'k').sign(input);
    expect(nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: p256Jwk }, input, es256)).toBe(true);
    expect(nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: { ...p256Jwk, crv: 'secp256k1' } }, input, es256)).toBe(false);

    const edPrivate = ed25519.utils.randomPrivateKey();
    const edJwk = { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(ed25519.getPublicKey(edPrivate)) };
    expect(nobleSignatureCrypto.verify('EdDSA', { kind: 'jwk', jwk: edJwk }, input, ed25519.sign(input, edPrivate))).toBe(true);
    expect(nobleSignatureCrypto.verify('EdDSA', { kind: 'jwk', jwk: edJwk }, utf8Bytes('other'), ed25519.sign(input, edPrivate))).toBe(false);
  });

  it('returns false, never throws, for a key that is not a curve point', () => {
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'secp256k1', publicKey: new Uint8Array(33) }, input, k1Signature)).toBe(false);
    expect(nobleSignatureCrypto.verify('ES256K', { kind: 'jwk', jwk: { kty: 'EC', crv: 'secp256k1', x: 'A=', y: 'B' } }, input, k1Signature)).toBe(false);
  });
});
