import { FixedClock, systemClock } from '@citycred/config';
import { credentialFormat, didJwkOf } from '@citycred/formats';
import { startVerifier } from '@citycred/verifier';
import { checkIssuerSignature, resolvingIssuerKeys, type WalletTransport } from '@citycred/wallet-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * The verifier's public DID resolution (`GET /check/dids/{did}`, docs/http-api.md) against a real local chain: the
 * documents of the city's did:ethr issuers from the ERC-1056 registry, did:jwk and did:key from the DID, each refusal
 * as problem+json with its stable code, the wallet's cross-origin read, the rate limit, and 503 once the chain stops
 * (last: nothing runs against the platform afterwards). The wallet core's `resolvingIssuerKeys` checks real issued
 * credentials with it, as the wallet does.
 */
describe('public DID resolution for wallets (GET /check/dids/{did})', () => {
  let p: TestPlatform;
  let city: { did: string; address: string; apiKey: string };
  const transport: WalletTransport = { fetch: (input, init) => globalThis.fetch(input, init), clock: systemClock };
  const resolve = (did: string, init?: RequestInit) => send(`${p.verifier.url}/check/dids/${encodeURIComponent(did)}`, init);

  beforeAll(async () => {
    p = await startTestPlatform('did_resolution');
    city = p.tenants.get('seoul-citizen')!;
  });
  afterAll(async () => p?.stop());

  it("answers a city issuer's did:ethr document from the chain: a DID resolution result, cacheable, readable from any origin", async () => {
    const res = await resolve(city.did, { headers: { origin: 'http://127.0.0.1:3003' } });
    expect(res.status, res.text).toBe(200);
    expect(res.type).toBe('application/did-resolution; charset=utf-8');
    expect(res.cacheControl).toBe('public, max-age=60');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(Object.keys(res.body).sort()).toEqual(['@context', 'didDocument', 'didDocumentMetadata', 'didResolutionMetadata']);
    expect(res.body.didResolutionMetadata).toEqual({ contentType: 'application/did+ld+json' });
    expect(res.body.didDocument.id).toBe(city.did);
    const controller = res.body.didDocument.verificationMethod.find((method: { id: string }) => method.id === `${city.did}#controller`);
    expect(controller.blockchainAccountId.toLowerCase()).toBe(`eip155:${p.deployment.chainId}:${city.address.toLowerCase()}`);
    expect(res.body.didDocument.assertionMethod).toContain(`${city.did}#controller`);
    // Its colons percent-encoded or not, the same DID.
    const plain = await send(`${p.verifier.url}/check/dids/${city.did}`);
    expect(plain.body.didDocument).toEqual(res.body.didDocument);
    // The wallet's preflight is answered too.
    const preflight = await send(`${p.verifier.url}/check/dids/${encodeURIComponent(city.did)}`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:3003', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it("gives the wallet the keys that check what the city issuer signed (JWT VC, SD-JWT VC), and a changed byte fails", async () => {
    const check = resolvingIssuerKeys(p.verifier.url, transport);
    const jwt = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${city.apiKey}` });
    expect(jwt.status, JSON.stringify(jwt.body)).toBe(201);
    const encodedJwt: string = jwt.body.verifiableCredential.proof.jwt;
    const holderJwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    const sd = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'dc+sd-jwt', holderJwk } }), { authorization: `Bearer ${city.apiKey}` });
    expect(sd.status, JSON.stringify(sd.body)).toBe(201);
    const encodedSd = String(sd.body.verifiableCredential.id).slice(String(sd.body.verifiableCredential.id).indexOf(',') + 1);

    for (const [format, encoded] of [['jwt_vc', encodedJwt], ['dc+sd-jwt', encodedSd]] as const) {
      expect(await checkIssuerSignature(credentialFormat(format).decode(encoded), check), format).toMatchObject({ state: 'verified', keyId: expect.stringMatching(/^did:ethr:citycred:0x[0-9a-fA-F]+#controller(Key)?$/) });
      const [header, payload, signature] = encoded.split('~')[0]!.split('.') as [string, string, string];
      const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
      const changed = [[header, payload, flipped].join('.'), ...encoded.split('~').slice(1)].join('~');
      expect(await checkIssuerSignature(credentialFormat(format).decode(changed), check), format).toEqual({ state: 'invalid', reason: 'signature.invalid' });
    }
  });

  it('answers a did:jwk and a did:key from the DID itself', async () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
    const jwkDid = didJwkOf(jwk);
    const byJwk = await resolve(jwkDid);
    expect(byJwk.status, byJwk.text).toBe(200);
    expect(byJwk.body.didDocument).toMatchObject({ id: jwkDid, verificationMethod: [{ id: `${jwkDid}#0`, publicKeyJwk: jwk }], assertionMethod: [`${jwkDid}#0`] });
    const keyDid = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    const byKey = await resolve(keyDid);
    expect(byKey.status, byKey.text).toBe(200);
    expect(byKey.body.didDocument.verificationMethod[0].publicKeyJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
  });

  it.each([
    ['not a DID', 'not-a-did', 400, 'did.malformed', 'invalidDid'],
    ['a DID with an empty method-specific id', 'did:ethr:', 400, 'did.malformed', 'invalidDid'],
    ['a did:ethr of the city network naming no address', 'did:ethr:citycred:0x1234', 400, 'did.malformed', 'invalidDid'],
    ['a did:jwk holding no key', 'did:jwk:bm90LWEta2V5', 400, 'did.malformed', 'invalidDid'],
    ['another method', 'did:web:issuer.example', 501, 'did.method-not-supported', 'methodNotSupported'],
    ['a did:ethr of another network', 'did:ethr:mainnet:0x0000000000000000000000000000000000000001', 404, 'did.foreign-network', 'notFound'],
    ['a did:ethr without a network (mainnet)', 'did:ethr:0x0000000000000000000000000000000000000001', 404, 'did.foreign-network', 'notFound'],
  ])('refuses %s with problem+json %s', async (_label, did, status, code, resolutionError) => {
    const res = await resolve(did);
    expect(res.status, res.text).toBe(status);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: `https://citycred.seoul.go.kr/problems/${code}`, didResolutionMetadata: { error: resolutionError } });
  });

  it('takes no query parameter: the keys as of now only', async () => {
    const res = await send(`${p.verifier.url}/check/dids/${encodeURIComponent(city.did)}?versionId=1`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'request.invalid' });
  });

  it('is rate limited per client like the other public reads', async () => {
    const clock = new FixedClock(new Date());
    const limited = await startVerifier({ ...p.verifier.runtime.config, RATE_LIMIT_PER_MINUTE: 6, RATE_LIMIT_BURST: 2 }, clock, 0);
    try {
      const ask = () => send(`${limited.url}/check/dids/${encodeURIComponent(city.did)}`);
      expect((await ask()).status).toBe(200);
      expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'request.rate-limited' });
      expect(refused.headers.get('retry-after')).toBe('10');
    } finally {
      await limited.close();
    }
  });

  it('answers 503 did.resolution-unavailable with Retry-After once the chain stops, and the wallet reads that as "not checked now"', async () => {
    await p.chain.stop();
    const res = await resolve(city.did);
    expect(res.status, res.text).toBe(503);
    expect(res.body).toMatchObject({ code: 'did.resolution-unavailable', didResolutionMetadata: { error: 'internalError' } });
    expect(res.body.detail).toMatch(/chain is not answering/);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await resolvingIssuerKeys(p.verifier.url, transport).keysOf(city.did)).toMatchObject({ kind: 'unavailable' });
    // did:jwk needs no chain.
    expect((await resolve(didJwkOf({ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }))).status).toBe(200);
  });
});
