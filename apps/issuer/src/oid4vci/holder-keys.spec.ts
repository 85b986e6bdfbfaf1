import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { didJwkOf, holderKeyOf, HolderKeyError, holderKeyThumbprint, offerHolderOf, verifyHolderProofJwt } from './holder-keys.js';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)]! + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

function ecKey(namedCurve: 'P-256' | 'secp256k1') {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
  const compressed = Buffer.concat([Buffer.from([Buffer.from(y!, 'base64url')[31]! & 1 ? 3 : 2]), Buffer.from(x!, 'base64url')]);
  return { privateKey, jwk: { kty: kty!, crv: crv!, x: x!, y: y! }, compressed };
}

describe('holder keys of wallet proofs', () => {
  it('reads a did:key of a P-256 and of a secp256k1 key as the same JWK', () => {
    for (const [curve, prefix, alg] of [['P-256', [0x80, 0x24], 'ES256'], ['secp256k1', [0xe7, 0x01], 'ES256K']] as const) {
      const key = ecKey(curve);
      const did = `did:key:z${base58(Buffer.concat([Buffer.from(prefix), key.compressed]))}`;
      expect(holderKeyOf({ method: 'did', alg, didUrl: `${did}#${did.slice(8)}` })).toEqual({ jwk: key.jwk, did });
    }
  });

  it('reads a did:jwk back to its key, and names a bare JWK by its did:jwk', () => {
    const key = ecKey('P-256');
    const fromJwk = holderKeyOf({ method: 'jwk', alg: 'ES256', publicJwk: key.jwk });
    expect(fromJwk.did).toBe(didJwkOf(key.jwk));
    expect(holderKeyOf({ method: 'did', alg: 'ES256', didUrl: `${fromJwk.did}#0` }).jwk).toEqual(key.jwk);
  });

  it('refuses private key material, a curve that is not the alg’s, other DID methods and points off the curve', () => {
    const key = ecKey('P-256');
    const withPrivate = { ...key.jwk, d: 'AAAA' };
    expect(() => holderKeyOf({ method: 'jwk', alg: 'ES256', publicJwk: withPrivate })).toThrow(HolderKeyError);
    expect(() => holderKeyOf({ method: 'jwk', alg: 'ES256K', publicJwk: key.jwk })).toThrow(/secp256k1/);
    expect(() => holderKeyOf({ method: 'did', alg: 'ES256', didUrl: 'did:ethr:0x1234#controller' })).toThrow(HolderKeyError);
    expect(() => holderKeyOf({ method: 'jwk', alg: 'ES256', publicJwk: { ...key.jwk, y: key.jwk.x } })).toThrow(/not a valid public key/);
  });

  it('verifies a proof only against the key its header names', async () => {
    const holder = ecKey('P-256');
    const other = ecKey('P-256');
    const input = `${Buffer.from('{"alg":"ES256"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}`;
    const jwt = `${input}.${sign('sha256', Buffer.from(input), { key: holder.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const check = (publicJwk: typeof holder.jwk) => verifyHolderProofJwt({ method: 'jwk', alg: 'ES256', publicJwk }, { header: { alg: 'ES256' }, payload: {}, compact: jwt });
    expect(await check(holder.jwk)).toEqual({ verified: true, signerJwk: holder.jwk });
    expect(await check(other.jwk)).toEqual({ verified: false });
  });

  it('reads an offer holder (did:jwk / did:key of a P-256 or secp256k1 key) and compares keys by thumbprint, not by string', () => {
    const key = ecKey('secp256k1');
    const didKey = `did:key:z${base58(Buffer.concat([Buffer.from([0xe7, 0x01]), key.compressed]))}`;
    const reordered = `did:jwk:${Buffer.from(JSON.stringify({ y: key.jwk.y, x: key.jwk.x, kty: 'EC', crv: 'secp256k1' })).toString('base64url')}`;
    const thumbprints = [didJwkOf(key.jwk), didKey, reordered].map((did) => holderKeyThumbprint(offerHolderOf(did)));
    expect(new Set(thumbprints).size).toBe(1);
    expect(thumbprints[0]).toBe(holderKeyThumbprint(holderKeyOf({ method: 'jwk', alg: 'ES256K', publicJwk: key.jwk })));
    expect(offerHolderOf(reordered).did, 'the DID as given').toBe(reordered);
    expect(holderKeyThumbprint(offerHolderOf(didJwkOf(ecKey('secp256k1').jwk)))).not.toBe(thumbprints[0]);

    const ed25519 = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    for (const bad of ['did:ethr:0x1234', `${didJwkOf(key.jwk)}#0`, 'did:jwk:e30', `did:jwk:${Buffer.from(JSON.stringify(ed25519)).toString('base64url')}`, 'not a did']) {
      expect(() => offerHolderOf(bad), bad).toThrow(HolderKeyError);
    }
  });
});
