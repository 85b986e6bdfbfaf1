import { credentialFormat, didJwkOf, encodeBase64url, ethereumAddress, signCompactJws, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { createTokenStatusList, STATUS_LIST_JWT_TYP, statusListTokenPayload, TokenStatus } from '@citycred/status-list';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { CITIZEN_CARD_VCT, testHolderKey } from '../oid4vp/test-credentials.js';
import { Oid4vciErrorCode } from './errors.js';
import type { WalletTransport } from './http.js';
import { checkIssuerSignature, resolvingIssuerKeys } from './issuer-keys.js';
import { checkReceivedCredential } from './received.js';
import { readCredentialStatus } from './status.js';

const RESOLVER = 'https://verifier.example';
const LIST_URI = 'https://city.example/status-lists/token-1';
const NOW = new Date('2026-11-30T09:00:00Z');
const holder = testHolderKey(4);

/** A city issuer as the chain knows it: a did:ethr named by the address of its secp256k1 key, signing ES256K. */
function ethrIssuer(seed: number): { did: string; address: string; signer: JwsSigner; privateKey: Uint8Array } {
  const privateKey = new Uint8Array(32).fill(seed);
  const address = ethereumAddress(secp256k1.getPublicKey(privateKey, true));
  const did = `did:ethr:citycred:${address}`;
  return { did, address, privateKey, signer: { alg: 'ES256K', kid: `${did}#controller`, sign: (input) => secp256k1.sign(sha256(input), privateKey, { lowS: true }).toCompactRawBytes() } };
}

/** The same issuer DID, signed by another key (a forger who knows the DID, not the key). */
function forgerOf(did: string): JwsSigner {
  const privateKey = new Uint8Array(32).fill(99);
  return { alg: 'ES256K', kid: `${did}#controller`, sign: (input) => secp256k1.sign(sha256(input), privateKey, { lowS: true }).toCompactRawBytes() };
}

/** The document ethr-did-resolver makes of an address DID: the owner's address as `#controller`. */
function ethrDocument(did: string, owner: string, extra: object[] = []) {
  const controller = { id: `${did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: did, blockchainAccountId: `eip155:31337:${owner}` };
  return { '@context': ['https://www.w3.org/ns/did/v1'], id: did, verificationMethod: [controller, ...extra], authentication: [controller.id], assertionMethod: [controller.id] };
}

const city = ethrIssuer(7);

/** A verifier's DID resolution endpoint as a script: `answers` by DID; it records what it was asked. */
function resolver(answers: Record<string, { status: number; body: unknown } | 'no-answer'>): { transport: WalletTransport; asked: string[] } {
  const asked: string[] = [];
  const transport: WalletTransport = {
    clock: { now: () => NOW },
    fetch: async (url) => {
      asked.push(url);
      if (url === LIST_URI) return statusListAnswer();
      const did = decodeURIComponent(url.slice(`${RESOLVER}/check/dids/`.length));
      const answer = answers[did] ?? { status: 500, body: {} };
      if (answer === 'no-answer') throw new TypeError('fetch failed');
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': answer.status === 200 ? 'application/did-resolution' : 'application/problem+json' } });
    },
  };
  return { transport, asked };
}

let listSigner: JwsSigner = city.signer;
async function statusListAnswer(): Promise<Response> {
  const list = createTokenStatusList(2, 16);
  list.set(2, TokenStatus.Invalid);
  const token = await signCompactJws({ alg: listSigner.alg, typ: STATUS_LIST_JWT_TYP, kid: listSigner.kid }, { ...statusListTokenPayload({ uri: LIST_URI, issuedAt: NOW, list }) }, listSigner);
  return new Response(token, { status: 200, headers: { 'content-type': 'application/statuslist+jwt' } });
}

const resolved = (did: string, owner: string, extra: object[] = []) => ({ status: 200, body: { didDocument: ethrDocument(did, owner, extra), didDocumentMetadata: {}, didResolutionMetadata: { contentType: 'application/did+ld+json' } } });

async function citizenCard(signer: JwsSigner, issuer: string, status?: { uri: string; index: number }): Promise<string> {
  const signed = await credentialFormat('dc+sd-jwt').sign(
    {
      credential: { issuer, validFrom: '2026-01-01T00:00:00Z', credentialSubject: { name: '김서연', ageOver18: true } },
      issuedAt: new Date('2026-01-01T00:00:00Z'),
      vct: CITIZEN_CARD_VCT,
      disclosable: ['name', 'ageOver18'],
      holderJwk: holder.jwk,
      ...(status ? { tokenStatus: status } : {}),
    },
    signer,
  );
  return signed.encoded;
}

async function jwtVc(signer: JwsSigner, issuer: string): Promise<string> {
  const signed = await credentialFormat('jwt_vc').sign(
    {
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: 'urn:uuid:6a1f0c1e-0000-4000-8000-000000000001',
        type: ['VerifiableCredential', 'SeoulCitizenCard'],
        issuer,
        issuanceDate: '2026-01-01T00:00:00Z',
        credentialSubject: { id: holder.did, ageOver18: true },
      },
    },
    signer,
  );
  return signed.encoded;
}

/** One byte of the issuer-signed JWT's payload changed, its signature left as it was. */
function tampered(encoded: string): string {
  const [jwt, ...rest] = encoded.split('~');
  const [header, payload, signature] = jwt!.split('.') as [string, string, string];
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  claims['iat'] = typeof claims['iat'] === 'number' ? claims['iat'] + 1 : claims['iat'];
  claims['nbf'] = typeof claims['nbf'] === 'number' ? claims['nbf'] + 1 : claims['nbf'];
  return [[header, encodeBase64url(JSON.stringify(claims)), signature].join('.'), ...rest].join('~');
}

const decode = (encoded: string) => credentialFormat(encoded.includes('~') ? 'dc+sd-jwt' : 'jwt_vc').decode(encoded);

describe("checking an issuer's signature through the verifier's DID resolution", () => {
  it('verifies an SD-JWT VC and a JWT VC signed by the did:ethr owner’s key (ES256K, recovered against #controller)', async () => {
    const { transport, asked } = resolver({ [city.did]: resolved(city.did, city.address) });
    const check = resolvingIssuerKeys(RESOLVER, transport);
    expect(await checkIssuerSignature(decode(await citizenCard(city.signer, city.did)), check)).toEqual({ state: 'verified', keyId: `${city.did}#controller` });
    expect(await checkIssuerSignature(decode(await jwtVc(city.signer, city.did)), check)).toEqual({ state: 'verified', keyId: `${city.did}#controller` });
    // The request names the issuer's DID only; the second credential of the same issuer asked nothing more.
    expect(asked).toEqual([`${RESOLVER}/check/dids/${encodeURIComponent(city.did)}`]);
  });

  it('finds a credential changed on its way, and one a forger signed with another key for the same DID', async () => {
    const check = resolvingIssuerKeys(RESOLVER, resolver({ [city.did]: resolved(city.did, city.address) }).transport);
    expect(await checkIssuerSignature(decode(tampered(await citizenCard(city.signer, city.did))), check)).toEqual({ state: 'invalid', reason: 'signature.invalid' });
    expect(await checkIssuerSignature(decode(tampered(await jwtVc(city.signer, city.did))), check)).toEqual({ state: 'invalid', reason: 'signature.invalid' });
    expect(await checkIssuerSignature(decode(await citizenCard(forgerOf(city.did), city.did)), check)).toEqual({ state: 'invalid', reason: 'signature.invalid' });
  });

  it("accepts a delegate the document lists, never a method of another DID's", async () => {
    const delegate = ethrIssuer(8);
    const stranger = ethrIssuer(9);
    const extra = [
      { id: `${city.did}#delegate-1`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: city.did, blockchainAccountId: `eip155:31337:${delegate.address}` },
      { id: `${stranger.did}#controller`, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: stranger.did, blockchainAccountId: `eip155:31337:${stranger.address}` },
    ];
    const check = resolvingIssuerKeys(RESOLVER, resolver({ [city.did]: resolved(city.did, city.address, extra) }).transport);
    expect(await checkIssuerSignature(decode(await citizenCard({ ...delegate.signer, kid: `${city.did}#delegate-1` }, city.did)), check)).toMatchObject({ state: 'verified', keyId: `${city.did}#delegate-1` });
    expect(await checkIssuerSignature(decode(await citizenCard(stranger.signer, city.did)), check)).toMatchObject({ state: 'invalid' });
  });

  it('checks a did:jwk issuer from the DID itself, without asking anyone', async () => {
    const privateKey = new Uint8Array(32).fill(5);
    const point = p256.getPublicKey(privateKey, false);
    const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33, 65)) };
    const did = didJwkOf(jwk);
    const signer: JwsSigner = { alg: 'ES256', kid: `${did}#0`, sign: (input) => p256.sign(sha256(input), privateKey).toCompactRawBytes() };
    const { transport, asked } = resolver({});
    const check = resolvingIssuerKeys(RESOLVER, transport);
    expect(await checkIssuerSignature(decode(await citizenCard(signer, did)), check)).toEqual({ state: 'verified', keyId: `${did}#0` });
    expect(await checkIssuerSignature(decode(tampered(await citizenCard(signer, did))), check)).toEqual({ state: 'invalid', reason: 'signature.invalid' });
    expect(await checkIssuerSignature(decode(await citizenCard(signer, testHolderKey(6).did)), check)).toEqual({ state: 'invalid', reason: 'signature.invalid' });
    expect(asked).toEqual([]);
  });

  it.each<[string, { status: number; body: unknown } | 'no-answer', string]>([
    ['no answer (offline)', 'no-answer', 'unavailable'],
    ['the chain down (503)', { status: 503, body: { code: 'did.resolution-unavailable' } }, 'unavailable'],
    ['rate limited (429)', { status: 429, body: { code: 'request.rate-limited' } }, 'unavailable'],
    ['an older verifier without the endpoint (404)', { status: 404, body: { code: 'request.not-found' } }, 'unavailable'],
    ['the document of another DID', resolved(ethrIssuer(9).did, ethrIssuer(9).address), 'unavailable'],
    ['another network', { status: 404, body: { code: 'did.foreign-network' } }, 'unsupported'],
  ])('reports the signature unchecked, not invalid, for %s', async (_label, answer, reason) => {
    const check = resolvingIssuerKeys(RESOLVER, resolver({ [city.did]: answer }).transport);
    expect(await checkIssuerSignature(decode(await citizenCard(city.signer, city.did)), check)).toEqual({ state: 'unchecked', reason });
  });

  it('reports an issuer of another method unsupported without a request, and one with no resolver configured unavailable', async () => {
    const { transport, asked } = resolver({});
    expect(await checkIssuerSignature(decode(await citizenCard(city.signer, 'did:web:issuer.example')), resolvingIssuerKeys(RESOLVER, transport))).toEqual({ state: 'unchecked', reason: 'unsupported' });
    expect(await checkIssuerSignature(decode(await citizenCard(city.signer, city.did)), resolvingIssuerKeys(undefined, transport))).toEqual({ state: 'unchecked', reason: 'unavailable' });
    expect(asked).toEqual([]);
  });

  it('asks again after an answer it could not use, and reuses a good one for a minute only', async () => {
    let now = NOW;
    let answer: { status: number; body: unknown } = { status: 503, body: {} };
    const asked: string[] = [];
    const transport: WalletTransport = {
      clock: { now: () => now },
      fetch: async (url) => {
        asked.push(url);
        return new Response(JSON.stringify(answer.body), { status: answer.status });
      },
    };
    const check = resolvingIssuerKeys(RESOLVER, transport);
    expect((await check.keysOf(city.did)).kind).toBe('unavailable');
    answer = resolved(city.did, city.address);
    expect((await check.keysOf(city.did)).kind).toBe('keys');
    await check.keysOf(city.did);
    expect(asked).toHaveLength(2);
    now = new Date(NOW.getTime() + 61_000);
    await check.keysOf(city.did);
    expect(asked).toHaveLength(3);
  });
});

describe('a credential received', () => {
  const expected = { holder, configurationFormat: 'dc+sd-jwt', vct: CITIZEN_CARD_VCT };

  it('is refused when its issuer signature does not verify, and kept unchecked when the keys cannot be had now', async () => {
    const good = resolvingIssuerKeys(RESOLVER, resolver({ [city.did]: resolved(city.did, city.address) }).transport);
    await expect(checkReceivedCredential(tampered(await citizenCard(city.signer, city.did)), expected, good)).rejects.toMatchObject({ code: Oid4vciErrorCode.IssuerSignatureInvalid });
    await expect(checkReceivedCredential(await citizenCard(forgerOf(city.did), city.did), expected, good)).rejects.toMatchObject({ code: Oid4vciErrorCode.IssuerSignatureInvalid });
    expect((await checkReceivedCredential(await citizenCard(city.signer, city.did), expected, good)).issuerSignature).toEqual({ state: 'verified', keyId: `${city.did}#controller` });
    const offline = resolvingIssuerKeys(RESOLVER, resolver({ [city.did]: 'no-answer' }).transport);
    expect((await checkReceivedCredential(await citizenCard(city.signer, city.did), expected, offline)).issuerSignature).toEqual({ state: 'unchecked', reason: 'unavailable' });
  });
});

describe('status lists read with the issuer signature check', () => {
  it('reads a list its issuer signed, and does not believe one another key signed', async () => {
    const card = { encoded: await citizenCard(city.signer, city.did, { uri: LIST_URI, index: 2 }) };
    const { transport } = resolver({ [city.did]: resolved(city.did, city.address) });
    listSigner = city.signer;
    expect(await readCredentialStatus(card, transport, resolvingIssuerKeys(RESOLVER, transport))).toMatchObject([{ status: 'revoked', signature: 'verified' }]);
    listSigner = forgerOf(city.did);
    expect(await readCredentialStatus(card, transport, resolvingIssuerKeys(RESOLVER, transport))).toMatchObject([{ status: 'unknown', reason: 'signature-invalid', signature: 'invalid' }]);
    listSigner = city.signer;
    const offline = resolver({ [city.did]: 'no-answer' }).transport;
    expect(await readCredentialStatus(card, offline, resolvingIssuerKeys(RESOLVER, offline))).toMatchObject([{ status: 'revoked', signature: 'unchecked' }]);
  });
});
