import { FixedClock } from '@citycred/config';
import { envelopeVcJwt, signCompactJws } from '@citycred/formats';
import { Secp256k1Signer } from '@citycred/did';
import { getBytes, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { walletKey } from '../support/wallet.js';

/*
 * An agency verifies, over HTTP, credentials in each format the issuer issues — good, tampered, revoked, suspended,
 * expired and from an unaccredited issuer — and gets the verdict and the reason for each; credentials from issuers
 * outside the city registry verify under the `open` policy only.
 */

const V1 = 'https://www.w3.org/2018/credentials/v1';
const V2 = 'https://www.w3.org/ns/credentials/v2';
const CITYCRED = 'https://contexts.citycred.seoul.go.kr/v1';
const MAX_CACHE_S = 5;

type Answer = { status: number; type: string; body: any };
const statusOf = (res: Answer, id: string): string | undefined => res.body?.checks?.find((c: { id: string }) => c.id === id)?.status;
const detailOf = (res: Answer, id: string): string => res.body?.checks?.find((c: { id: string }) => c.id === id)?.detail ?? '';

/** Replaces one character in the middle of the JWS signature of `compact` (the issuer-signed part of an SD-JWT). */
function tamperSignature(compact: string): string {
  const [jwt, ...rest] = compact.split('~');
  const at = jwt!.lastIndexOf('.') + 10;
  const changed = `${jwt!.slice(0, at)}${jwt![at] === 'A' ? 'B' : 'A'}${jwt!.slice(at + 1)}`;
  return [changed, ...rest].join('~');
}

describe('verifying every format over HTTP (POST /credentials/verify)', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  let city: { did: string; apiKey: string };

  beforeAll(async () => {
    p = await startTestPlatform('verify_formats', { clock, verifierEnv: { STATUS_LIST_MAX_CACHE_SECONDS: String(MAX_CACHE_S) } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    city = p.tenants.get('seoul-citizen')!;
  });
  afterAll(async () => p?.stop());

  const verify = (vc: unknown, options?: Record<string, unknown>) => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: vc, ...(options ? { options } : {}) });
  const nowIso = () => `${clock.now().toISOString().slice(0, 19)}Z`;
  const holder = () => walletKey().jwk;

  /** Issues a SeoulCitizenCard in `format` through the VC-API; returns what a client would hand the verifier. */
  async function issueIn(format: 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt'): Promise<{ vc: any; encoded: string; id: string }> {
    const body =
      format === 'vc+jwt'
        ? { credential: { '@context': [V2, CITYCRED], type: ['VerifiableCredential', 'SeoulCitizenCard'], issuer: city.did, validFrom: nowIso(), credentialSubject: citizenCardSubject } }
        : issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, format === 'dc+sd-jwt' ? { options: { format, holderJwk: holder() } } : {});
    const res = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${city.apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const vc = res.body.verifiableCredential;
    if (format === 'jwt_vc') return { vc, encoded: vc.proof.jwt, id: vc.id };
    const encoded = String(vc.id).slice(String(vc.id).indexOf(',') + 1);
    const claims = JSON.parse(Buffer.from(encoded.split('~')[0]!.split('.')[1]!, 'base64url').toString());
    return { vc, encoded, id: claims.jti ?? claims.id };
  }

  const setStatus = (format: string, credentialId: string, statusPurpose: 'revocation' | 'suspension', status: boolean) => {
    const type = format === 'dc+sd-jwt' ? 'TokenStatusList' : 'BitstringStatusListEntry';
    return postJson(`${p.issuer.url}/credentials/status`, { credentialId, credentialStatus: { type, statusPurpose }, status }, { authorization: `Bearer ${city.apiKey}` });
  };

  describe.each(['jwt_vc', 'vc+jwt', 'dc+sd-jwt'] as const)('%s', (format) => {
    it('verifies a good credential, as issued and as its compact encoding; fails it once tampered', async () => {
      const { vc, encoded } = await issueIn(format);
      for (const input of [vc, encoded]) {
        const pending = await verify(input);
        expect(pending.status, JSON.stringify(pending.body)).toBe(200);
        expect(pending.body.verified).toBe(true);
        expect(statusOf(pending, 'anchor')).toBe('pending');
        expect(statusOf(pending, 'status')).toBe('passed');
        expect(statusOf(pending, 'schema')).toBe('passed');
        expect(detailOf(pending, 'format')).toContain(format === 'jwt_vc' ? 'JWT VC' : format === 'vc+jwt' ? 'vc+jwt' : 'SD-JWT VC');
      }
      expect((await p.worker.runOnce()).anchored).toBeGreaterThan(0);
      const anchored = await verify(encoded);
      expect(anchored.body.verified).toBe(true);
      expect(statusOf(anchored, 'anchor')).toBe('passed');
      expect(detailOf(anchored, 'signature')).toMatch(/keys as of block \d+/);

      const tampered = await verify(tamperSignature(encoded));
      expect(tampered.status).toBe(400);
      expect(tampered.body.verified).toBe(false);
      expect(statusOf(tampered, 'signature')).toBe('failed');
    });

    it('fails a suspended credential, passes it once reinstated, and fails it for good once revoked', async () => {
      const { encoded, id } = await issueIn(format);
      expect((await verify(encoded)).body.verified).toBe(true);
      expect((await setStatus(format, id, 'suspension', true)).status).toBe(200);
      clock.advance((MAX_CACHE_S + 1) * 1000);
      const suspended = await verify(encoded);
      expect([suspended.status, statusOf(suspended, 'status')]).toEqual([400, 'failed']);
      expect(detailOf(suspended, 'status')).toMatch(/^suspended/);
      expect((await setStatus(format, id, 'suspension', false)).status).toBe(200);
      clock.advance((MAX_CACHE_S + 1) * 1000);
      expect(statusOf(await verify(encoded), 'status')).toBe('passed');
      expect((await setStatus(format, id, 'revocation', true)).status).toBe(200);
      clock.advance((MAX_CACHE_S + 1) * 1000);
      const revoked = await verify(encoded);
      expect([revoked.status, statusOf(revoked, 'status')]).toEqual([400, 'failed']);
      expect(detailOf(revoked, 'status')).toMatch(/^revoked/);
    });
  });

  it('fails a vc+jwt signed by a did:ethr the city never accredited: its signature holds, accreditation and anchor fail', async () => {
    const stranger = Wallet.createRandom();
    // The city network's name, as the issuer's own DIDs carry it.
    const did = `${city.did.slice(0, city.did.lastIndexOf(':'))}:${stranger.address}`;
    const signer = new Secp256k1Signer({ privateKey: getBytes(stranger.privateKey), kid: `${did}#controller` });
    const credential = { '@context': [V2, CITYCRED], type: ['VerifiableCredential', 'SeoulCitizenCard'], issuer: did, validFrom: nowIso(), credentialSubject: citizenCardSubject };
    const jwt = await signCompactJws({ alg: 'ES256K', typ: 'vc+jwt', cty: 'vc', kid: signer.kid }, { ...credential, iat: Math.floor(clock.now().getTime() / 1000) }, signer);
    const res = await verify(envelopeVcJwt(jwt));
    expect(res.status).toBe(400);
    expect(statusOf(res, 'signature')).toBe('passed');
    expect(statusOf(res, 'issuer-accreditation')).toBe('failed');
    expect(statusOf(res, 'anchor')).toBe('failed');
  });

  it('fails an expired credential on validity, whatever else holds', async () => {
    const validUntil = new Date(clock.now().getTime() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const body = { credential: { '@context': [V2, CITYCRED], type: ['VerifiableCredential', 'SeoulCitizenCard'], issuer: city.did, validFrom: nowIso(), validUntil, credentialSubject: citizenCardSubject } };
    const res = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${city.apiKey}` });
    expect(res.status).toBe(201);
    clock.advance(10 * 60_000);
    const expired = await verify(res.body.verifiableCredential);
    expect(expired.status).toBe(400);
    expect(statusOf(expired, 'validity')).toBe('failed');
    expect(detailOf(expired, 'validity')).toContain(`expired at ${validUntil.replace('Z', '.000Z')}`);
  });

  it('refuses a JSON form that leaves out a member the JWT signs', async () => {
    const { vc } = await issueIn('jwt_vc');
    const { credentialSubject: _left, ...rest } = vc;
    const res = await verify(rest);
    expect(res.status).toBe(400);
    expect(statusOf(res, 'format')).toBe('failed');
    expect(detailOf(res, 'format')).toContain('"credentialSubject" is signed but left out');
  });

  it("verifies an app operator's own types (open-issuer) under the city policy: accredited on chain, no schema known", async () => {
    const open = p.tenants.get('open-issuer')!;
    const bodies = [
      { credential: { '@context': [V1], type: ['VerifiableCredential'], issuer: open.did, credentialSubject: { id: 'did:example:holder', note: 'hello' } } },
      { credential: { '@context': [V2], type: ['VerifiableCredential', 'ExampleMembershipCredential'], issuer: open.did, credentialSubject: { level: 'gold' } } },
    ];
    for (const body of bodies) {
      const issued = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${open.apiKey}` });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      const res = await verify(issued.body.verifiableCredential);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(statusOf(res, 'issuer-accreditation')).toBe('passed');
      expect(statusOf(res, 'schema')).toBe('skipped');
    }
  });

  describe('issuers outside the city registry (the open policy)', () => {
    async function foreignCredential(): Promise<{ did: string; jwt: string }> {
      // A did:jwk issuer outside the city registry: a wallet-style P-256 key signs.
      const { did, signer } = walletKey();
      const credential = { '@context': [V2], type: ['VerifiableCredential', 'LibraryCard'], issuer: did, validFrom: nowIso(), credentialSubject: { member: true } };
      return { did, jwt: await signCompactJws({ alg: 'ES256', typ: 'vc+jwt', cty: 'vc', kid: signer.kid }, { ...credential, iat: Math.floor(clock.now().getTime() / 1000) }, signer) };
    }

    it('verifies a did:jwk issuer’s ES256 vc+jwt under open: proof, validity and status; accreditation and anchor skipped', async () => {
      const { jwt } = await foreignCredential();
      const res = await verify(jwt, { policy: 'open' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.policy).toMatchObject({ id: 'open', requireCityIssuer: false });
      expect(statusOf(res, 'signature')).toBe('passed');
      expect(statusOf(res, 'schema')).toBe('skipped');
      expect(statusOf(res, 'issuer-accreditation')).toBe('skipped');
      expect(statusOf(res, 'anchor')).toBe('skipped');
    });

    it('refuses the same credential under the city policy, and a tampered one under open', async () => {
      const { jwt } = await foreignCredential();
      const city = await verify(jwt);
      expect(city.status).toBe(400);
      expect(detailOf(city, 'format')).toContain('"iss" is not a did:ethr');
      const tampered = await verify(tamperSignature(jwt), { policy: 'open' });
      expect([tampered.status, statusOf(tampered, 'signature')]).toEqual([400, 'failed']);
    });
  });

  it('refuses an option it does not know, naming it, rather than ignoring it', async () => {
    const { encoded } = await issueIn('jwt_vc');
    const res = await verify(encoded, { challenge: 'abc', policy: 'city' });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.code).toBe('verification.unknown-option');
    expect(res.body.detail).toContain('options.challenge');
  });
});
