import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createHeaderAndPayload, StatusList } from '@sd-jwt/jwt-status-list';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { loadFixture } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, decodeBase64urlText, encodeBase64url, utf8Bytes } from '../base64url.js';
import { signCompactJws } from '../jws.js';
import { nobleSignatureCrypto } from '../noble-crypto.js';
import type { JwsSigner, PublicJwk } from '../types.js';
import { presentSdJwt, verifyKeyBinding } from './presentation.js';
import { sdJwtVcFormat } from './sd-jwt-vc-format.js';
import { es256kTestSigner, es256TestSigner, hexBytes, p256PublicJwk } from './test-signers.js';

// Interoperability with the OpenWallet Foundation's @sd-jwt/sd-jwt-vc 0.19.0, in both directions.

interface Vectors {
  issuer: { privateKeyHex: string; publicKeyHex: string; kid: string };
  holder: { privateKeyHex: string; publicJwk: PublicJwk };
  encoded: string;
  presentation: { nonce: string; aud: string; iat: string; encoded: string };
}

const vectors = loadFixture<Vectors>('formats/sd-jwt-vc/vectors.json');
const issuerSecp256k1Key = hexBytes(vectors.issuer.privateKeyHex);
const holderKey = hexBytes(vectors.holder.privateKeyHex);
const holderSigner = es256TestSigner(holderKey, 'holder');
// A P-256 issuer for the library's side: it signs ES256 only through our callback, like any JOSE issuer would.
const libraryIssuerKey = hexBytes('5d'.repeat(32));
const libraryIssuerJwk = p256PublicJwk(libraryIssuerKey);
const presentedAt = new Date(vectors.presentation.iat);
const { nonce, aud } = vectors.presentation;

const hasher = (data: string | ArrayBuffer, alg: string): Uint8Array => {
  if (alg !== 'sha-256') throw new Error(`unexpected hash ${alg}`);
  return sha256(typeof data === 'string' ? utf8Bytes(data) : new Uint8Array(data));
};
const libraryCallbackSigner = (signer: JwsSigner) => async (data: string) => encodeBase64url(await signer.sign(utf8Bytes(data)));
const verifyP256 = (jwk: PublicJwk) => (data: string, signature: string) =>
  p256.verify(decodeBase64url(signature), sha256(utf8Bytes(data)), new Uint8Array([4, ...decodeBase64url(jwk.x!), ...decodeBase64url(jwk.y!)]));
const verifySecp256k1 = (data: string, signature: string) =>
  secp256k1.verify(decodeBase64url(signature), sha256(utf8Bytes(data)), hexBytes(vectors.issuer.publicKeyHex));

function libraryInstance(options: { statusListToken?: string } = {}): SDJwtVcInstance {
  let salt = 0;
  return new SDJwtVcInstance({
    hasher,
    hashAlg: 'sha-256',
    saltGenerator: () => encodeBase64url(sha256(utf8Bytes(`library salt ${salt++}`)).subarray(0, 16)),
    signer: libraryCallbackSigner(es256TestSigner(libraryIssuerKey, 'library-issuer')),
    signAlg: 'ES256',
    // The library checks both issuers' JWTs through this one callback: ours are ES256K, its own ES256.
    verifier: (data, signature) => {
      const { alg } = JSON.parse(decodeBase64urlText(data.split('.')[0]!)) as { alg: string };
      return alg === 'ES256K' ? verifySecp256k1(data, signature) : verifyP256(libraryIssuerJwk)(data, signature);
    },
    kbSigner: libraryCallbackSigner(holderSigner),
    kbSignAlg: 'ES256',
    kbVerifier: verifyP256(vectors.holder.publicJwk),
    statusListFetcher: async () => {
      if (!options.statusListToken) throw new Error('no status list in this test');
      return options.statusListToken;
    },
  });
}

async function statusListToken(revokedIndex?: number): Promise<string> {
  const statuses = new Array<number>(128).fill(0);
  if (revokedIndex !== undefined) statuses[revokedIndex] = 1;
  const { header, payload } = createHeaderAndPayload(
    new StatusList(statuses, 1),
    { iss: 'ignored', sub: 'https://citycred.example/status/token/1', iat: 1772442000 },
    { alg: 'ES256K', typ: 'statuslist+jwt' },
  );
  return signCompactJws(header as { alg: 'ES256K' }, payload as Record<string, unknown>, es256kTestSigner(issuerSecp256k1Key, vectors.issuer.kid));
}

describe('an SD-JWT VC issued by @sd-jwt/sd-jwt-vc', () => {
  const issue = () =>
    libraryInstance().issue(
      {
        iss: 'https://issuer.example',
        iat: 1772442000,
        vct: 'https://citycred.example/credentials/Test',
        cnf: { jwk: vectors.holder.publicJwk },
        name: '김서연',
        birthDate: '2001-04-17',
        residence: { city: '서울특별시', district: '마포구' },
        languages: ['ko', 'en'],
      },
      { _sd: ['name', 'birthDate', 'residence'], _sd_decoy: 2, residence: { _sd: ['city'] }, languages: { _sd: [1] } },
    );

  it('is decoded, verified and its claims rebuilt by ours, nested and array disclosures included', async () => {
    const encoded = await issue();
    const decoded = sdJwtVcFormat.decode(encoded);
    expect(decoded.header).toMatchObject({ alg: 'ES256', typ: 'dc+sd-jwt' });
    expect(decoded.claims).toEqual({ name: '김서연', birthDate: '2001-04-17', residence: { city: '서울특별시', district: '마포구' }, languages: ['ko', 'en'] });
    expect(decoded.holder.jwk).toEqual(vectors.holder.publicJwk);
    expect(await sdJwtVcFormat.verifyProof(decoded, [{ kind: 'jwk', id: 'library-issuer', jwk: libraryIssuerJwk }], nobleSignatureCrypto)).toEqual({
      valid: true,
      keyId: 'library-issuer',
    });
  });

  it('presented by the library with a KB-JWT, passes our key-binding check and shows only what was presented', async () => {
    const presented = await libraryInstance().present(
      await issue(),
      { name: true, residence: { city: true } },
      { kb: { payload: { iat: presentedAt.getTime() / 1000, aud, nonce } } },
    );
    const check = await verifyKeyBinding(presented, { nonce, aud, now: presentedAt, maxAgeSeconds: 60 }, nobleSignatureCrypto);
    expect(check.valid).toBe(true);
    expect(check.valid && check.credential.claims).toEqual({ name: '김서연', residence: { city: '서울특별시', district: '마포구' }, languages: ['ko'] });
  });
});

describe('our SD-JWT VC read by @sd-jwt/sd-jwt-vc', () => {
  const currentDate = presentedAt.getTime() / 1000 + 10;

  it('verifies the frozen vector, reading our token status entry from its status list', async () => {
    const result = await libraryInstance({ statusListToken: await statusListToken() }).verify(vectors.encoded, { currentDate });
    expect(result.payload).toMatchObject({ vct: 'https://citycred.example/credentials/SeoulCitizenCard', name: '김서연', ageOver19: true, residentSince: '2019-03-02' });
    const revoked = libraryInstance({ statusListToken: await statusListToken(42) }).verify(vectors.encoded, { currentDate });
    await expect(revoked).rejects.toThrow();
  });

  it('checks our presentation and its KB-JWT, and refuses it for another nonce', async () => {
    const library = libraryInstance({ statusListToken: await statusListToken() });
    const result = await library.verify(vectors.presentation.encoded, { currentDate, keyBindingNonce: nonce });
    expect(result.kb?.payload).toMatchObject({ nonce, aud });
    expect(result.payload).toMatchObject({ ageOver19: true });
    expect(result.payload).not.toHaveProperty('name');
    await expect(library.verify(vectors.presentation.encoded, { currentDate, keyBindingNonce: 'another-nonce' })).rejects.toThrow();
  });

  it('accepts a presentation our wallet helper builds for any subset of disclosures', async () => {
    const presented = await presentSdJwt(vectors.encoded, { disclose: ['birthDate', 'residence'], kb: { signer: holderSigner, nonce, aud, iat: presentedAt } });
    const result = await libraryInstance({ statusListToken: await statusListToken() }).verify(presented, { currentDate, keyBindingNonce: nonce });
    expect(result.payload).toMatchObject({ birthDate: '2001-04-17', residence: { city: '서울특별시', district: '마포구' } });
    expect(result.payload).not.toHaveProperty('ageOver19');
  });
});
