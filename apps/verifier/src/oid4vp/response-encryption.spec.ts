import { CompactEncrypt, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { decryptResponse, newResponseEncryptionKey, publicResponseJwkOf } from './response-encryption.js';

const encoder = new TextEncoder();

/** Encrypts `payload` as a wallet does (OpenID4VP 1.0 §8.3): ECDH-ES to the request's public JWK, its kid in the header. */
async function encrypt(payload: string, jwk: JWK, header: { alg?: string; enc?: string; kid?: string | null } = {}): Promise<string> {
  const alg = header.alg ?? 'ECDH-ES';
  const key = await importJWK({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! }, alg);
  const kid = header.kid === null ? {} : { kid: header.kid ?? jwk.kid! };
  return new CompactEncrypt(encoder.encode(payload)).setProtectedHeader({ alg, enc: header.enc ?? 'A128GCM', ...kid }).encrypt(key);
}

describe('direct_post.jwt response encryption', () => {
  it('makes a fresh P-256 key per request, published with kid, use enc and alg ECDH-ES, never its private part', async () => {
    const stored = await newResponseEncryptionKey();
    const other = await newResponseEncryptionKey();
    const jwk = publicResponseJwkOf(stored);
    expect(jwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), use: 'enc', alg: 'ECDH-ES' });
    expect(jwk).not.toHaveProperty('d');
    expect(publicResponseJwkOf(other).kid).not.toBe(jwk.kid);
    expect(publicResponseJwkOf(other).x).not.toBe(jwk.x);
  });

  it.each(['A128GCM', 'A256GCM'])('decrypts a response encrypted with %s, with or without the kid', async (enc) => {
    const stored = await newResponseEncryptionKey();
    const jwk = publicResponseJwkOf(stored);
    const payload = { vp_token: { SeoulCitizenCard: ['a~b~c'] }, state: 's' };
    expect(await decryptResponse(await encrypt(JSON.stringify(payload), jwk, { enc }), stored)).toEqual({ ok: true, parameters: payload });
    expect(await decryptResponse(await encrypt(JSON.stringify(payload), jwk, { enc, kid: null }), stored)).toEqual({ ok: true, parameters: payload });
  });

  it('refuses what is not a response encrypted to this request, with a reason and without throwing', async () => {
    const stored = await newResponseEncryptionKey();
    const jwk = publicResponseJwkOf(stored);
    const otherJwk = publicResponseJwkOf(await newResponseEncryptionKey());
    const good = JSON.stringify({ state: 's' });
    const rsa = await generateKeyPair('RSA-OAEP-256');
    const cases: Array<[string, unknown, RegExp]> = [
      ['sent twice', ['a', 'b'], /once/],
      ['not a JWE', 'not-a-jwe', /not a compact JWE/],
      ['a JWS', 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln', /not a compact JWE/],
      ['five parts of garbage', 'a.b.c.d.e', /header cannot be read/],
      ['another key (its kid)', await encrypt(good, otherJwk), /another key/],
      ['another key (no kid)', await encrypt(good, otherJwk, { kid: null }), /could not be decrypted/],
      ['another key claiming this kid', await encrypt(good, { ...otherJwk, kid: jwk.kid }), /could not be decrypted/],
      ['ECDH-ES+A128KW', await encrypt(good, jwk, { alg: 'ECDH-ES+A128KW' }), /alg ECDH-ES/],
      ['A128CBC-HS256', await encrypt(good, jwk, { enc: 'A128CBC-HS256' }), /enc A128GCM or A256GCM/],
      ['RSA-OAEP-256', await new CompactEncrypt(encoder.encode(good)).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A128GCM' }).encrypt(rsa.publicKey), /alg ECDH-ES/],
      ['a JSON array', await encrypt('[1]', jwk), /JSON object/],
      ['not JSON', await encrypt('vp_token=x', jwk), /not UTF-8 JSON/],
    ];
    for (const [label, response, reason] of cases) {
      const result = await decryptResponse(response, stored);
      expect(result.ok, label).toBe(false);
      expect(result.ok ? '' : result.description, label).toMatch(reason);
    }
    // A tampered ciphertext fails its tag.
    const [h, k, iv, c, t] = (await encrypt(good, jwk)).split('.');
    const flipped = `${h}.${k}.${iv}.${c!.startsWith('A') ? 'B' : 'A'}${c!.slice(1)}.${t}`;
    expect(await decryptResponse(flipped, stored)).toMatchObject({ ok: false, description: expect.stringMatching(/could not be decrypted/) });
  });
});
