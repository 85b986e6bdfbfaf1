import { testJwsSigner } from '@citycred/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.js';
import { decodeCompactJws, encodeJwsSection, parseJwsHeader, signCompactJws, verifyJwsSignature } from './jws.js';
import { nobleSignatureCrypto } from './noble-crypto.js';
import { FormatErrorCode, type SignatureCrypto, type VerificationKey } from './types.js';

const PRIVATE_KEY = '11'.repeat(32);
const signer = testJwsSigner('ES256K', PRIVATE_KEY, 'did:example:issuer#key-1');
const publicKey = secp256k1.getPublicKey(Buffer.from(PRIVATE_KEY, 'hex'), true);

describe('compact JWS', () => {
  it('signs and takes apart a JWS, keeping the exact signing input', async () => {
    const compact = await signCompactJws({ alg: 'ES256K', typ: 'JWT' }, { a: 1, b: '서울' }, signer);
    const decoded = decodeCompactJws(compact);
    expect(decoded.header).toEqual({ alg: 'ES256K', typ: 'JWT' });
    expect(decoded.payload).toEqual({ a: 1, b: '서울' });
    expect(decoded.signingInput).toBe(compact.split('.').slice(0, 2).join('.'));
    expect(decoded.signature).toHaveLength(64);
  });

  it('refuses a header alg that is not the signer\'s', async () => {
    await expect(signCompactJws({ alg: 'ES256' }, {}, signer)).rejects.toMatchObject({ code: FormatErrorCode.UnsupportedAlgorithm });
  });

  it.each([
    ['two sections', 'eyJhbGciOiJFUzI1NksifQ.e30', FormatErrorCode.Malformed],
    ['whitespace around it', ` ${encodeJwsSection({ alg: 'ES256K' })}.e30.${encodeBase64url(new Uint8Array(64))}`, FormatErrorCode.Malformed],
    ['a payload that is an array', `${encodeJwsSection({ alg: 'ES256K' })}.${encodeBase64url('[]')}.${encodeBase64url(new Uint8Array(64))}`, FormatErrorCode.Malformed],
    ['a short signature', `${encodeJwsSection({ alg: 'ES256K' })}.e30.${encodeBase64url(new Uint8Array(63))}`, FormatErrorCode.Malformed],
    ['alg HS256', `${encodeJwsSection({ alg: 'HS256' })}.e30.${encodeBase64url(new Uint8Array(32))}`, FormatErrorCode.UnsupportedAlgorithm],
  ])('refuses %s', (_name, compact, code) => {
    expect(() => decodeCompactJws(compact)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses critical header extensions and non-string typ', () => {
    expect(() => parseJwsHeader(encodeJwsSection({ alg: 'ES256K', crit: ['b64'], b64: false }))).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
    expect(() => parseJwsHeader(encodeJwsSection({ alg: 'ES256K', typ: 1 }))).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
  });

  it('tries the key the kid names first and reports which key verified', async () => {
    const compact = await signCompactJws({ alg: 'ES256K', kid: 'did:example:issuer#key-1' }, { a: 1 }, signer);
    const other = secp256k1.getPublicKey(Buffer.from('22'.repeat(32), 'hex'), true);
    const seen: string[] = [];
    const recording: SignatureCrypto = {
      verify: (alg, key, input, signature) => {
        seen.push(key.id ?? '');
        return nobleSignatureCrypto.verify(alg, key, input, signature);
      },
    };
    const keys: VerificationKey[] = [
      { kind: 'secp256k1', id: 'did:example:issuer#key-0', publicKey: other },
      { kind: 'secp256k1', id: 'did:example:issuer#key-1', publicKey },
    ];
    expect(await verifyJwsSignature(decodeCompactJws(compact), keys, recording)).toEqual({ valid: true, keyId: 'did:example:issuer#key-1' });
    expect(seen).toEqual(['did:example:issuer#key-1']);
  });

  it('reports a crypto port that throws as a key that does not verify, never as an exception', async () => {
    const compact = await signCompactJws({ alg: 'ES256K' }, { a: 1 }, signer);
    const throwing: SignatureCrypto = { verify: () => { throw new Error('bad key'); } };
    expect(await verifyJwsSignature(decodeCompactJws(compact), [{ kind: 'secp256k1', publicKey }], throwing)).toEqual({ valid: false, reason: 'signature.invalid' });
  });
});
