import { credentialTypeHash, freePort, issuerRegistryAt } from '@citycred/anchors';
import { credentialHash, rootFromProof } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import { startVerifier } from '@citycred/verifier';
import { createJWT } from 'did-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * Anchoring fails closed (issue 13, item 2): `pending` counts only on the issuer's own answer that the credential
 * is queued, within a short grace, while the issuer is accredited now; a presented root the chain does not know
 * proves nothing; "could not find out" is a 503 when the verdict depends on it, never a pass (a credential that fails
 * anyway is answered 400); no input makes the verifier claim an outage.
 * Each case issues or signs its own credentials; revocations use tenants no other case uses.
 */

type Result = { status: number; type: string; body: any };

const statusOf = (res: Result, id: string): string | undefined => res.body?.checks?.find((c: { id: string }) => c.id === id)?.status;
const detailOf = (res: Result, id: string): string => res.body?.checks?.find((c: { id: string }) => c.id === id)?.detail ?? '';

const { id: _holder, ...enrollment } = exampleSubject('EnrollmentStatus');
const { id: _holder2, ...income } = exampleSubject('IncomeBracket');

describe('anchoring fails closed', () => {
  let p: TestPlatform;
  // Issuer and verifier share one clock, moved past the chain's block time after a revocation.
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    p = await startTestPlatform('anchor_fail_closed', { clock });
    // The tenants' accreditations start at the chain's time when they were provisioned (never backdated): the
    // shared clock moves there.
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  const verify = (body: unknown, verifierUrl = p.verifier.url) => postJson(`${verifierUrl}/credentials/verify`, body);

  async function issue(slug: string, type: string, credentialSubject: unknown): Promise<any> {
    const { apiKey, did } = p.tenants.get(slug)!;
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, credentialSubject), { authorization: `Bearer ${apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.verifiableCredential;
  }

  /**
   * Signs a SeoulCitizenCard JWT VC with the seoul-citizen tenant's own key (inside its key manager), as whoever
   * leaked that key could: a valid signature by an accredited issuer, for a credential the issuer service never
   * issued (nothing is stored), with whatever `nbf`/`exp` the signer likes (default: now, no expiry).
   */
  async function signWithLeakedKey(claims: { nbf?: number; exp?: number } = {}): Promise<string> {
    const { agent } = p.issuer.runtime;
    const did = p.tenants.get('seoul-citizen')!.did;
    const key = (await agent.didManagerGet({ did })).keys[0]!;
    const vc = {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://contexts.citycred.seoul.go.kr/v1'],
      type: ['VerifiableCredential', 'SeoulCitizenCard'],
      credentialSubject: citizenCardSubject,
    };
    const signer = async (data: string | Uint8Array) => agent.keyManagerSign({ keyRef: key.kid, data: data as string, algorithm: 'ES256K' });
    return createJWT({ vc, nbf: Math.floor(clock.now().getTime() / 1000), ...claims }, { issuer: did, signer }, { alg: 'ES256K' });
  }

  /** The city root revokes the tenant's accreditation for `type` (after the clock's second); the shared clock then stands 5 s after it. */
  async function revoke(slug: string, type: string): Promise<void> {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    // The revocation lands strictly after every credential issued so far (their nbf is the shared clock's second),
    // so what was issued before it stays attributable — a revocation in the very same second would not be.
    const latest = Number((await p.provider.getBlock('latest'))!.timestamp);
    await p.provider.send('evm_setNextBlockTimestamp', [Math.max(latest, Math.floor(clock.now().getTime() / 1000)) + 1]);
    const receipt = await (await registry.revokeAccreditation(p.tenants.get(slug)!.address, credentialTypeHash(type), 0)).wait();
    const block = await p.provider.getBlock(receipt!.blockNumber);
    clock.set(new Date((Number(block!.timestamp) + 5) * 1000));
  }

  function expectUnavailable(res: Result): void {
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 503, code: 'service.unavailable' });
    expect(res.body.verified).toBeUndefined();
  }

  it('refuses a credential signed with a leaked tenant key, presented with a proof whose root is on no chain', async () => {
    const forged = await signWithLeakedKey();
    const hash = credentialHash(forged);
    const fakeProof = { root: rootFromProof(hash, []), proof: [], leafIndex: 0 };
    const res = await verify({ verifiableCredential: forged, options: { anchorProof: fakeProof } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ verified: false, code: 'verification.failed' });
    expect(statusOf(res, 'signature')).toBe('passed');
    expect(statusOf(res, 'issuer-accreditation')).toBe('passed');
    expect(statusOf(res, 'anchor')).toBe('failed');
    expect(detailOf(res, 'anchor')).toContain('is not on chain');
    const bare = await verify({ verifiableCredential: forged });
    expect(bare.status).toBe(400);
    expect(statusOf(bare, 'anchor')).toBe('failed');
  });

  it("refuses a queued credential once the city revoked its issuer's accreditation", async () => {
    const vc = await issue('education-office', 'EnrollmentStatus', enrollment);
    const queued = await verify({ verifiableCredential: vc });
    expect(queued.status).toBe(200);
    expect(statusOf(queued, 'anchor')).toBe('pending');
    await revoke('education-office', 'EnrollmentStatus');
    const res = await verify({ verifiableCredential: vc });
    expect(res.status).toBe(400);
    expect(res.body.verified).toBe(false);
    expect(statusOf(res, 'issuer-accreditation')).toBe('passed');
    expect(statusOf(res, 'anchor')).toBe('failed');
    expect(detailOf(res, 'anchor')).toMatch(/no longer accredited for EnrollmentStatus/);
  });

  it("answers 503 when the issuer's proof service cannot be reached — never verified with the anchor pending", async () => {
    const closed = await freePort();
    const blind = await startVerifier({ ...p.verifier.runtime.config, ANCHOR_PROOF_URL: `http://127.0.0.1:${closed}` }, clock, 0);
    try {
      const fresh = await issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject);
      expectUnavailable(await verify({ verifiableCredential: fresh }, blind.url));
      const anchored = await issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject);
      await p.worker.runOnce();
      const proof = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(anchored.proof.jwt)}`);
      expect(proof.status).toBe(200);
      expectUnavailable(await verify({ verifiableCredential: anchored }, blind.url));
      // A holder who presents the proof needs no issuer: the chain alone decides.
      const presented = await verify({ verifiableCredential: anchored, options: { anchorProof: proof.body } }, blind.url);
      expect(presented.status).toBe(200);
      expect(statusOf(presented, 'anchor')).toBe('passed');
    } finally {
      await blind.close();
    }
  });

  it("answers an expired credential 400 verified:false while the issuer's proof service cannot be reached: a bad credential is a result, not an outage", async () => {
    const closed = await freePort();
    const blind = await startVerifier({ ...p.verifier.runtime.config, ANCHOR_PROOF_URL: `http://127.0.0.1:${closed}` }, clock, 0);
    try {
      const now = Math.floor(clock.now().getTime() / 1000);
      const expired = await signWithLeakedKey({ nbf: now - 7_200, exp: now - 3_600 });
      const res = await verify({ verifiableCredential: expired }, blind.url);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body).toMatchObject({ verified: false, code: 'verification.failed' });
      expect(statusOf(res, 'validity')).toBe('failed');
      expect(statusOf(res, 'anchor')).toBe('failed');
      expect(detailOf(res, 'anchor')).toMatch(/^could not be checked: the issuer's anchor proofs cannot be fetched .*\(the credential fails anyway\)$/);
    } finally {
      await blind.close();
    }
  });

  it('accepts a genuinely queued credential within the grace period under the city policy and says so; city-strict does not', async () => {
    const vc = await issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject);
    const res = await verify({ verifiableCredential: vc });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
    expect(statusOf(res, 'anchor')).toBe('pending');
    expect(res.body.policy.id).toBe('city');
    expect(res.body.policy.accepted.anchor).toEqual(['passed', 'pending']);
    const strict = await verify({ verifiableCredential: vc, options: { policy: 'city-strict' } });
    expect(strict.status).toBe(400);
    expect(strict.body).toMatchObject({ verified: false, code: 'verification.failed' });
    expect(statusOf(strict, 'anchor')).toBe('pending');
    expect(strict.body.policy).toMatchObject({ id: 'city-strict', accepted: { anchor: ['passed'] } });
    expect(strict.body.errors).toEqual([expect.stringMatching(/^anchor: pending is not accepted by policy city-strict/)]);
    await p.worker.runOnce();
    const anchored = await verify({ verifiableCredential: vc, options: { policy: 'city-strict' } });
    expect(anchored.status).toBe(200);
    expect(statusOf(anchored, 'anchor')).toBe('passed');
  });

  it('refuses a policy name it does not know with a problem that does not echo it', async () => {
    const vc = await issue('seoul-citizen', 'SeoulCitizenCard', citizenCardSubject);
    const res = await verify({ verifiableCredential: vc, options: { policy: 'anything-goes' } });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'verification.unknown-policy' });
    expect(JSON.stringify(res.body)).not.toContain('anything-goes');
  });

  const NOW_S = () => Math.floor(clock.now().getTime() / 1000);
  it.each([
    ['nbf -1', () => ({ nbf: -1 }), /"nbf"/],
    ['an nbf before 2000', () => ({ nbf: Date.UTC(1999, 11, 31) / 1000 }), /"nbf"/],
    ['an exp in the year 10000', () => ({ exp: Date.UTC(10_000, 0, 1) / 1000 }), /"exp"/],
    ['an exp before nbf', () => ({ exp: NOW_S() - 1 }), /"exp"/],
  ])('answers a validly signed credential with %s as a format failure (400), never as an outage (503)', async (_label, claims, detail) => {
    const jwt = await signWithLeakedKey(claims());
    const res = await verify({ verifiableCredential: jwt });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ verified: false, code: 'verification.failed' });
    expect(statusOf(res, 'format')).toBe('failed');
    expect(detailOf(res, 'format')).toMatch(detail);
  });

  it("fails the anchor of a credential whose batch the chain refused, on the issuer's 409 anchor.refused", async () => {
    const vc = await issue('health-insurance', 'IncomeBracket', income);
    await revoke('health-insurance', 'IncomeBracket');
    await p.worker.runOnce();
    const answer = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(vc.proof.jwt)}`);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('anchor.refused');
    const res = await verify({ verifiableCredential: vc });
    expect(res.status).toBe(400);
    expect(res.body.verified).toBe(false);
    expect(statusOf(res, 'anchor')).toBe('failed');
    expect(detailOf(res, 'anchor')).toMatch(/refused to anchor/);
  });
});
