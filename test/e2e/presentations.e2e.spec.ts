import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { presentSdJwt, signCompactJws, type JwsSigner } from '@citycred/formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';

/*
 * A holder presents credentials to the verifier (W3C VC-API POST /presentations/verify): an SD-JWT VC with a
 * key-binding JWT, disclosing only what was asked, and a JWT VP signed by the holder's did:jwk. The challenge comes
 * from POST /challenges and binds one presentation only.
 */

type Answer = { status: number; type: string; body: any };
const check = (res: Answer, id: string) => res.body?.checks?.find((c: { id: string }) => c.id === id) ?? {};
const DOMAIN = 'https://youth.seoul.example';

describe('presentations (POST /presentations/verify, POST /challenges)', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  let city: { did: string; apiKey: string };

  beforeAll(async () => {
    p = await startTestPlatform('presentations', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    city = p.tenants.get('seoul-citizen')!;
  });
  afterAll(async () => p?.stop());

  const present = (verifiablePresentation: unknown, options?: Record<string, unknown>) =>
    postJson(`${p.verifier.url}/presentations/verify`, { verifiablePresentation, ...(options ? { options } : {}) });
  const challenge = async (): Promise<string> => {
    const res = await postJson(`${p.verifier.url}/challenges`, {});
    expect(res.status).toBe(200);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(clock.now().getTime());
    return res.body.challenge;
  };
  async function issue(body: unknown): Promise<any> {
    const res = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${city.apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.verifiableCredential;
  }

  describe('SD-JWT VC with key binding', () => {
    const holder = walletKey();
    let issued: string;
    beforeAll(async () => {
      issued = await issueSdJwtCitizenCard(p, holder.jwk);
    });
    const presentation = (nonce: string, extra: { aud?: string; disclose?: string[]; signer?: JwsSigner; iat?: Date } = {}) =>
      presentSdJwt(issued, { disclose: extra.disclose ?? ['ageOver19'], kb: { signer: extra.signer ?? holder.signer, nonce, aud: extra.aud ?? DOMAIN, iat: extra.iat ?? clock.now() } });

    it('verifies a presentation disclosing only ageOver19, and answers with the disclosed claims only', async () => {
      const nonce = await challenge();
      const res = await present(await presentation(nonce), { challenge: nonce, domain: DOMAIN });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.verified).toBe(true);
      expect(check(res, 'holder-binding')).toMatchObject({ status: 'passed' });
      expect(check(res, 'holder-binding').detail).toContain('a challenge this verifier handed out');
      expect(res.body.holder).toBe(holder.did);
      const [credential] = res.body.credentials;
      expect(credential.verified).toBe(true);
      expect(credential.credential.claims).toEqual({ ageOver19: true });
      expect(credential.credential.type).toBe('SeoulCitizenCard');
      expect(JSON.stringify(res.body)).not.toContain(citizenCardSubject.name);
    });

    it('refuses the same presentation a second time: the challenge is used', async () => {
      const nonce = await challenge();
      const vp = await presentation(nonce);
      expect((await present(vp, { challenge: nonce, domain: DOMAIN })).status).toBe(200);
      const replay = await present(vp, { challenge: nonce, domain: DOMAIN });
      expect(replay.status).toBe(400);
      expect(replay.type).toContain('application/problem+json');
      expect(check(replay, 'holder-binding')).toMatchObject({ status: 'failed' });
      expect(check(replay, 'holder-binding').detail).toContain('replay');
    });

    it('refuses a key binding for another challenge, another audience, by another key, stale, or missing', async () => {
      const nonce = await challenge();
      const cases: Array<[string, Promise<string>, RegExp]> = [
        ['another nonce', presentation('not-the-challenge'), /another challenge/],
        ['another audience', presentation(nonce, { aud: 'https://elsewhere.example' }), /another audience/],
        ['another key', presentation(nonce, { signer: walletKey().signer }), /not signed by the key/],
        ['stale', presentation(nonce, { iat: new Date(clock.now().getTime() - 3_600_000) }), /too old/],
        ['no key binding', presentSdJwt(issued, { disclose: ['ageOver19'] }), /no key-binding JWT/],
      ];
      for (const [label, vp, reason] of cases) {
        const res = await present(await vp, { challenge: nonce, domain: DOMAIN });
        expect(res.status, label).toBe(400);
        expect(check(res, 'holder-binding').status, label).toBe('failed');
        expect(check(res, 'holder-binding').detail, label).toMatch(reason);
      }
      // None of them used the challenge: the genuine presentation still goes through.
      expect((await present(await presentation(nonce), { challenge: nonce, domain: DOMAIN })).status).toBe(200);
    });

    it('refuses a presentation without a challenge, and one whose challenge expired', async () => {
      const noChallenge = await present(await presentation('anything'), { domain: DOMAIN });
      expect(check(noChallenge, 'holder-binding').detail).toContain('no challenge was given');
      const nonce = await challenge();
      const vp = await presentation(nonce);
      clock.advance(301_000);
      const expired = await present(await presentation(nonce), { challenge: nonce, domain: DOMAIN });
      expect(check(expired, 'holder-binding').detail).toContain('expired');
      expect(vp).toContain('~');
    });

    it('decides by a credential policy named in options.policy, citing the credential it relied on', async () => {
      const nonce = await challenge();
      const res = await present(await presentation(nonce), { challenge: nonce, domain: DOMAIN, policy: 'age-over-19' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.decision).toMatchObject({ policy: { id: 'age-over-19', version: '1' }, satisfied: true });
      expect(res.body.decision.criteria).toEqual([
        expect.objectContaining({ id: 'age-over-19', result: 'passed', evidenceHash: res.body.credentials[0].credential.hash }),
      ]);
      expect(res.body.decision.criteria[0].reason.ko).toMatch(/[가-힣]/);

      // Residence was not disclosed: the presentation holds, the policy is not satisfied, and says why.
      const again = await challenge();
      const unsatisfied = await present(await presentation(again), { challenge: again, domain: DOMAIN, policy: 'seoul-resident@1' });
      expect(unsatisfied.status).toBe(400);
      expect(check(unsatisfied, 'holder-binding').status).toBe('passed');
      expect(unsatisfied.body.decision.satisfied).toBe(false);
      expect(unsatisfied.body.errors.join(' ')).toContain('policy seoul-resident');

      const disclosed = await challenge();
      const resident = await present(await presentation(disclosed, { disclose: ['residence'] }), { challenge: disclosed, domain: DOMAIN, policy: 'seoul-resident' });
      expect(resident.status, JSON.stringify(resident.body)).toBe(200);
      expect(resident.body.decision.satisfied).toBe(true);

      const unknown = await present(await presentation(await challenge()), { challenge: 'x', policy: 'age-over-99' });
      expect([unknown.status, unknown.body.code]).toEqual([400, 'verification.unknown-policy']);
      expect(unknown.body.detail).toContain('age-over-19');
    });

    it('fails a presentation with a disclosure the issuer did not sign', async () => {
      const nonce = await challenge();
      const forged = Buffer.from(JSON.stringify(['c2FsdA', 'ageOver19', true])).toString('base64url');
      const [jwt, ...rest] = (await presentation(nonce)).split('~');
      const res = await present([jwt, forged, ...rest.slice(1)].join('~'), { challenge: nonce, domain: DOMAIN });
      expect(res.status).toBe(400);
      expect(res.body.credentials[0].checks.find((c: { id: string }) => c.id === 'format').status).toBe('failed');
      expect(res.body.credentials[0]).not.toHaveProperty('credential');
    });
  });

  describe('JWT VP signed by a did:jwk holder', () => {
    const holder = walletKey();
    let jwt: string;
    beforeAll(async () => {
      const vc = await issue(issueBody(city.did, 'SeoulCitizenCard', { id: holder.did, ...citizenCardSubject }));
      jwt = vc.proof.jwt;
    });
    const vpJwt = (credentials: unknown[], claims: Record<string, unknown>, signer = holder.signer, iss = holder.did) =>
      signCompactJws(
        { alg: 'ES256', typ: 'JWT', kid: signer.kid },
        { iss, aud: DOMAIN, iat: Math.floor(clock.now().getTime() / 1000), vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials }, ...claims },
        signer,
      );

    it("verifies the holder's presentation of their own credential, in compact and enveloped form", async () => {
      for (const wrap of [(vp: string) => vp, (vp: string) => ({ '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiablePresentation', id: `data:application/vp+jwt,${vp}` })]) {
        const nonce = await challenge();
        const res = await present(wrap(await vpJwt([jwt], { nonce })), { challenge: nonce, domain: DOMAIN });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.holder).toBe(holder.did);
        expect(res.body.credentials[0].credential.holder.id).toBe(holder.did);
      }
    });

    it("gives an anchored credential's anchoring block in its anchor check, as POST /credentials/verify does", async () => {
      const own = (await issue(issueBody(city.did, 'SeoulCitizenCard', { id: holder.did, ...citizenCardSubject }))).proof.jwt as string;
      // The shared clock may be ahead of the chain (a test before moved it): the anchoring block comes after the issuance.
      const latest = Number((await p.provider.getBlock('latest'))!.timestamp);
      await p.provider.send('evm_setNextBlockTimestamp', [Math.max(latest + 1, Math.ceil(clock.now().getTime() / 1000) + 1)]);
      expect((await p.worker.runOnce()).anchored).toBeGreaterThan(0);
      const proof = (await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(own)}`)).body;
      const nonce = await challenge();
      const res = await present(await vpJwt([own], { nonce }), { challenge: nonce, domain: DOMAIN });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const anchor = res.body.credentials[0].checks.find((c: { id: string }) => c.id === 'anchor');
      expect(anchor.status).toBe('passed');
      expect(anchor.anchor).toMatchObject({ root: proof.root, blockNumber: proof.blockNumber, chainId: proof.chainId, contract: proof.contract });
      expect(new Date(anchor.anchor.anchoredAt).toISOString()).toBe(anchor.anchor.anchoredAt);
      // The presentation's own checks have no anchor.
      expect(res.body.checks.some((c: { anchor?: unknown }) => c.anchor !== undefined)).toBe(false);
    });

    it("fails when the credential is someone else's, when another key signed, and for another challenge", async () => {
      const stranger = walletKey();
      const nonce = await challenge();
      const other = await present(await vpJwt([jwt], { nonce }, stranger.signer, stranger.did), { challenge: nonce, domain: DOMAIN });
      expect(check(other, 'holder-binding').detail).toContain('is not the holder');
      const forged = await present(await vpJwt([jwt], { nonce }, stranger.signer), { challenge: nonce, domain: DOMAIN });
      expect(check(forged, 'holder-binding').detail).toContain("signature does not verify");
      const wrongNonce = await present(await vpJwt([jwt], { nonce: 'other' }), { challenge: nonce, domain: DOMAIN });
      expect(check(wrongNonce, 'holder-binding').detail).toContain('another challenge');
      for (const res of [other, forged, wrongNonce]) expect([res.status, res.body.verified]).toEqual([400, false]);
    });

    it('refuses unreadable presentations and unknown options as problems, never a 500', async () => {
      const unreadable = await present({ type: 'VerifiablePresentation' }, { challenge: 'x' });
      expect([unreadable.status, check(unreadable, 'format').status]).toEqual([400, 'failed']);
      const unknownOption = await present('a.b.c', { challenge: 'x', proofPurpose: 'authentication' });
      expect([unknownOption.status, unknownOption.body.code]).toEqual([400, 'verification.unknown-option']);
      const tooLong = await present('a.b.c', { challenge: 'x'.repeat(129) });
      expect([tooLong.status, tooLong.body.code]).toEqual([400, 'request.invalid']);
    });
  });
});
