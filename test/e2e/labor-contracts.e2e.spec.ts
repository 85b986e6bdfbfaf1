import { createHash, randomBytes } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { credentialFormat, didJwkOf, encodeBase64url, nobleSignatureCrypto, publicJwkOfDid, type PublicJwk } from '@citycred/formats';
import { canonicalJson, contractFromCredentialSubject, contractHash, signDetached, verifyDetached, type DetachedJwsVerifier } from '@citycred/labor';
import { LaborAttendanceEventEntity, TenantEntity } from '@citycred/persistence';
import { OperatorStore } from '@citycred/tenancy';
import { cafeContractTerms } from '@citycred/testing';
import { clientAuthenticationAnonymous, HashAlgorithm, type CallbackContext, type Jwk } from '@openid4vc/oauth2';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'labor e2e password';
const EMPLOYER = 'hangang-cafe';

/** A worker's wallet key: P-256 made with the platform's WebCrypto (as the wallet makes it), and its did:jwk. */
interface WorkerKey {
  readonly did: string;
  readonly jwk: PublicJwk & Jwk;
  sign(input: Uint8Array): Promise<Uint8Array>;
}

async function workerKey(): Promise<WorkerKey> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const jwk = { kty: kty!, crv: crv!, x: x!, y: y! };
  return {
    did: didJwkOf(jwk),
    jwk,
    // WebCrypto's ECDSA signature is r ‖ s (IEEE P1363), as JWS wants it.
    sign: async (input) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, new Uint8Array(input))),
  };
}

/** The worker signs the contract hash: a detached JWS, ES256, kid `<did:jwk>#0`. */
const workerSigns = (key: WorkerKey, hash: string, kid = `${key.did}#0`) => signDetached({ alg: 'ES256', kid }, hash, key.sign);

/** Contract terms of 15 hours a week (three days of 09:00–14:30 less a 30-minute break), at the 2026 minimum wage. */
const terms = cafeContractTerms;

/**
 * The labour contract lifecycle over HTTP on the real issuer (docs/labor.md): the demo employer drafts in the console
 * API (the law checked: minimum wage, weekly holiday allowance, breaks), the worker signs the hash with a fresh wallet
 * key, the employer countersigns and the worker's wallet redeems the LaborContract credential over OpenID4VCI; a
 * revision is a new version both sign again; tampering and wrong tokens are refused. SQLite, or PostgreSQL with
 * DATABASE_URL.
 */
describe('labour contracts', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let cookie = '';
  let departmentCookie = '';
  let employerDid = '';

  const call = (method: string, path: string, body?: unknown, who = cookie): Promise<Answer> =>
    send(`${p.issuer.url}/console/api${path}`, {
      method,
      headers: { cookie: who, ...(method === 'GET' ? {} : { 'x-citycred-console': '1' }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const worker = (url: string, body?: unknown): Promise<Answer> =>
    send(url, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const signatureUrl = (reviewUrl: string) => reviewUrl.replace('?t=', '/worker-signature?t=');
  const draft = async (over: Record<string, unknown> = {}) => {
    const answer = await call('POST', '/labor/contracts', terms(over));
    expect(answer.status, answer.text).toBe(201);
    return answer.body;
  };
  /** The employer's key: the compressed secp256k1 key its did:ethr names. */
  const byEmployer: DetachedJwsVerifier = ({ signingInput, signature }) =>
    nobleSignatureCrypto.verify('ES256K', { kind: 'secp256k1', publicKey: Buffer.from(employerDid.split(':0x')[1]!, 'hex') }, signingInput, signature) as boolean;
  const byWorkerDid: DetachedJwsVerifier = ({ header, signingInput, signature }) =>
    nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: publicJwkOfDid(header.kid!) }, signingInput, signature) as boolean;

  /** The worker's wallet redeems a holder-bound offer with its key through the OpenWallet Foundation's client. */
  const redeem = async (key: WorkerKey, link: string): Promise<string> => {
    const callbacks: Omit<CallbackContext, 'encryptJwe' | 'decryptJwe'> = {
      fetch: (input, init) => fetch(input, init),
      hash: (data, algorithm) => createHash(algorithm === HashAlgorithm.Sha256 ? 'sha256' : 'sha512').update(data).digest(),
      generateRandom: (length) => randomBytes(length),
      clientAuthentication: clientAuthenticationAnonymous(),
      signJwt: async (_signer, { header, payload }) => {
        const input = `${encodeBase64url(JSON.stringify(header))}.${encodeBase64url(JSON.stringify(payload))}`;
        return { jwt: `${input}.${encodeBase64url(await key.sign(new TextEncoder().encode(input)))}`, signerJwk: key.jwk };
      },
      verifyJwt: () => ({ verified: false }),
    };
    const client = new Openid4vciClient({ callbacks: callbacks as CallbackContext });
    const credentialOffer = await client.resolveCredentialOffer(link);
    const issuerMetadata = await client.resolveIssuerMetadata(credentialOffer.credential_issuer);
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer, issuerMetadata });
    const { c_nonce } = await client.requestNonce({ issuerMetadata });
    const credentialConfigurationId = credentialOffer.credential_configuration_ids[0]!;
    const { jwt } = await client.createCredentialRequestJwtProof({ issuerMetadata, credentialConfigurationId, nonce: c_nonce, issuedAt: clock.now(), signer: { method: 'jwk', alg: 'ES256', publicJwk: key.jwk } });
    const { credentialResponse } = await client.retrieveCredentials({ issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId, proofs: { jwt: [jwt] } });
    return (credentialResponse.credentials![0] as { credential: string }).credential;
  };

  beforeAll(async () => {
    p = await startTestPlatform('labor_contracts', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const tenants = p.issuer.runtime.dataSource.getRepository(TenantEntity);
    const employer = (await tenants.findOneBy({ slug: EMPLOYER }))!;
    employerDid = employer.did;
    // The demo employer's number as the labour department recorded it (provisioning sets it once H3's seed has it).
    if (!employer.businessNumber) await tenants.update({ id: employer.id }, { businessNumber: '123-45-67891' });
    const department = (await tenants.findOneBy({ slug: 'seoul-citizen' }))!;
    const operators = new OperatorStore(p.issuer.runtime.dataSource, clock);
    await operators.create(employer.id, { username: 'owner', displayName: '사장님', role: 'issuer', password: PASSWORD });
    await operators.create(department.id, { username: 'clerk', displayName: 'Clerk', role: 'admin', password: PASSWORD });
    const signIn = async (tenant: string, username: string) => {
      const answer = await send(`${p.issuer.url}/console/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
        body: JSON.stringify({ tenant, username, password: PASSWORD }),
      });
      expect(answer.status, answer.text).toBe(200);
      return answer.headers.get('set-cookie')!.split(';')[0]!;
    };
    cookie = await signIn(EMPLOYER, 'owner');
    departmentCookie = await signIn('seoul-citizen', 'clerk');
  });
  afterAll(async () => p?.stop());

  it('answers the employer its settings, and refuses a tenant that is not an employer', async () => {
    const settings = await call('GET', '/labor/settings');
    expect(settings.status, settings.text).toBe(200);
    expect(settings.body).toEqual({
      employer: { slug: EMPLOYER, name: expect.any(String), did: employerDid, businessNumber: expect.stringMatching(/^[0-9]{3}-[0-9]{2}-[0-9]{5}$/) },
      minimumWageKrw: { '2025': 10030, '2026': 10320 },
      workplaceQrSeconds: 30,
    });
    for (const answer of [await call('GET', '/labor/contracts', undefined, departmentCookie), await call('POST', '/labor/contracts', terms(), departmentCookie)]) {
      expect([answer.status, answer.body.code]).toEqual([403, 'labor.employer-only']);
    }
    expect((await call('GET', '/labor/contracts', undefined, '')).body.code).toBe('console.signed-out');
  });

  it('refuses a wage below the 2026 minimum (10,319 KRW) with the findings, and accepts 10,320 with the weekly holiday allowance at 15 hours', async () => {
    const refused = await call('POST', '/labor/contracts', terms({ hourlyWageKrw: 10319 }));
    expect(refused.status).toBe(422);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.code).toBe('labor.terms-refused');
    expect(refused.body.findings).toEqual([expect.objectContaining({ code: 'labor.wage-below-minimum', severity: 'error', path: '/hourlyWageKrw' })]);

    const accepted = await draft();
    expect(accepted).toMatchObject({ version: 1, previousVersion: null, state: 'awaiting-worker', hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), credentialOffers: [] });
    expect(accepted.document).toMatchObject({ v: 1, contractId: accepted.id, version: 1, employer: { id: employerDid }, hourlyWageKrw: 10320 });
    expect(contractHash(accepted.document)).toBe(accepted.hash);
    expect(accepted.assessment).toMatchObject({ weeklyWorkMinutes: 900, weeklyHolidayHours: 3, weeklyHolidayPayKrw: 30960, findings: [] });
    expect(accepted.reviewUrl).toMatch(new RegExp(`^${p.issuer.url.replace(/[.]/g, '\\.')}/labor/contracts/${accepted.id}\\?t=[A-Za-z0-9_-]{43}$`));
    // No WALLET_URL on this issuer: the link is the review URL itself.
    expect(accepted.reviewLink).toBe(accepted.reviewUrl);

    const missingHoliday = await call('POST', '/labor/contracts', terms({ weeklyHolidayAllowance: false }));
    expect(missingHoliday.body.findings.map((f: { code: string }) => f.code)).toEqual(['labor.weekly-holiday-allowance-required']);
    const badShape = await call('POST', '/labor/contracts', { ...terms(), employer: { name: 'x' } });
    expect([badShape.status, badShape.body.code]).toEqual([400, 'request.invalid']);
  });

  it('warns of a short break without refusing the draft', async () => {
    const saturday = { day: 'sat', startTime: '14:00', endTime: '18:30' };
    const contract = await draft({ workDays: [...terms().workDays, saturday], weeklyHours: 19.5 });
    expect(contract.assessment.findings).toEqual([expect.objectContaining({ code: 'labor.break-short', severity: 'warning', path: '/workDays/3' })]);
  });

  it('signs, countersigns and issues the LaborContract credential carrying both signatures, whose hash recomputes from its subject', async () => {
    const contract = await draft();
    const key = await workerKey();

    // The worker's review page: the token is the bearer; a wrong one or another id is the same 404.
    const review = await worker(contract.reviewUrl);
    expect(review.status, review.text).toBe(200);
    expect(review.cacheControl).toBe('no-store');
    expect(review.body).toMatchObject({ id: contract.id, contractId: contract.id, version: 1, state: 'awaiting-worker', hash: contract.hash, employer: { did: employerDid }, offers: [], pendingCorrections: [] });
    const wrongToken = await worker(contract.reviewUrl.replace(/t=.*$/, `t=${encodeBase64url(randomBytes(32))}`));
    const otherId = await worker(contract.reviewUrl.replace(contract.id, '00000000-0000-4000-8000-000000000000'));
    const noToken = await worker(contract.reviewUrl.replace(/\?t=.*$/, ''));
    for (const answer of [wrongToken, otherId, noToken]) expect([answer.status, answer.body.code]).toEqual([404, 'labor.contract-not-found']);
    const wrongSigner = await worker(signatureUrl(contract.reviewUrl.replace(/t=.*$/, `t=${'A'.repeat(43)}`)), { jws: await workerSigns(key, contract.hash) });
    expect([wrongSigner.status, wrongSigner.body.code]).toEqual([404, 'labor.contract-not-found']);

    // Refused: a signature by another key naming the worker's DID, over a changed contract, or not detached.
    const forged = await workerSigns({ ...key, sign: (await workerKey()).sign }, contract.hash);
    const altered = await workerSigns(key, contractHash({ ...contract.document, hourlyWageKrw: 20000 }));
    const [h, , s] = (await workerSigns(key, contract.hash)).split('.');
    const attached = `${h}.${encodeBase64url(contract.hash)}.${s}`;
    for (const jws of [forged, altered, attached]) {
      const answer = await worker(signatureUrl(contract.reviewUrl), { jws });
      expect([answer.status, answer.body.code]).toEqual([400, 'labor.signature-invalid']);
    }
    const notDidJwk = await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash, 'did:web:example.com#0') });
    expect(notDidJwk.body.code).toBe('labor.signature-invalid');

    // The employer cannot countersign before the worker signed.
    expect((await call('POST', `/labor/contracts/${contract.id}/countersign`)).body.code).toBe('labor.contract-state');

    const signed = await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash) });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.body).toMatchObject({ state: 'awaiting-employer', workerSignature: { signer: key.did } });
    const again = await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash) });
    expect([again.status, again.body.code]).toEqual([409, 'labor.contract-state']);

    const countersigned = await call('POST', `/labor/contracts/${contract.id}/countersign`);
    expect(countersigned.status, countersigned.text).toBe(200);
    expect(countersigned.body).toMatchObject({ state: 'active', workerDid: key.did, employerSignature: { signer: employerDid }, credentialOffers: [{ type: 'LaborContract', state: 'offered' }] });
    expect(await verifyDetached(countersigned.body.employerSignature.jws, contract.hash, byEmployer)).toMatchObject({ valid: true });
    const twice = await call('POST', `/labor/contracts/${contract.id}/countersign`);
    expect([twice.status, twice.body.code]).toEqual([409, 'labor.contract-state']);

    // The worker's page now lists the holder-bound offer; the wallet redeems it with the key that signed.
    const offered = await worker(contract.reviewUrl);
    expect(offered.body.offers).toEqual([{ type: 'LaborContract', link: expect.stringMatching(/^openid-credential-offer:\/\//), state: 'offered' }]);
    const encoded = await redeem(key, offered.body.offers[0].link);
    const credential = credentialFormat('jwt_vc').decode(encoded);
    expect(credential).toMatchObject({ issuer: employerDid, primaryType: 'LaborContract' });
    const subject = credential.claims as Record<string, any>;
    expect(credential.holder.id).toBe(key.did);
    expect(subject).toMatchObject({ contractId: contract.id, version: 1, role: '바리스타', workerSignature: { signer: key.did }, employerSignature: { signer: employerDid } });
    const recomputed = contractHash(contractFromCredentialSubject(subject));
    expect(recomputed).toBe(contract.hash);
    expect(await verifyDetached(subject.workerSignature.jws, recomputed, byWorkerDid)).toMatchObject({ valid: true });
    expect(await verifyDetached(subject.employerSignature.jws, recomputed, byEmployer)).toMatchObject({ valid: true });
    expect((await call('GET', `/labor/contracts/${contract.id}`)).body.credentialOffers).toEqual([expect.objectContaining({ type: 'LaborContract', state: 'issued' })]);

    // Tampering: a contract altered after signing gives another hash, and neither signature verifies over it.
    const tampered = contractHash(contractFromCredentialSubject({ ...subject, hourlyWageKrw: 9000 }));
    expect(tampered).not.toBe(contract.hash);
    expect(await verifyDetached(subject.workerSignature.jws, tampered, byWorkerDid)).toMatchObject({ valid: false, problem: 'signature' });
    expect(await verifyDetached(subject.employerSignature.jws, tampered, byEmployer)).toMatchObject({ valid: false, problem: 'signature' });
  });

  it('revises an active contract as a new version both sign again; the old one is superseded once it is active', async () => {
    const key = await workerKey();
    const v1 = await draft();
    await worker(signatureUrl(v1.reviewUrl), { jws: await workerSigns(key, v1.hash) });
    expect((await call('POST', `/labor/contracts/${v1.id}/countersign`)).body.state).toBe('active');

    const revised = await call('POST', `/labor/contracts/${v1.id}/revise`, terms({ hourlyWageKrw: 11000 }));
    expect(revised.status, revised.text).toBe(201);
    const v2 = revised.body;
    expect(v2).toMatchObject({ version: 2, previousVersion: v1.id, state: 'awaiting-worker', document: { contractId: v1.id, version: 2, previousVersion: v1.id, hourlyWageKrw: 11000 } });
    expect(v2.id).not.toBe(v1.id);
    expect(v2.reviewUrl).not.toBe(v1.reviewUrl);
    expect((await call('GET', '/audit')).body.items[0]).toMatchObject({ action: 'labor.contract-revised', target: v2.id, actor: { kind: 'operator', id: 'owner' } });
    expect((await call('GET', `/labor/contracts/${v1.id}`)).body.state).toBe('active');
    // Only the latest version is revised or signed.
    expect((await call('POST', `/labor/contracts/${v1.id}/revise`, terms())).body.code).toBe('labor.contract-state');

    await worker(signatureUrl(v2.reviewUrl), { jws: await workerSigns(key, v2.hash) });
    const active = await call('POST', `/labor/contracts/${v2.id}/countersign`);
    expect(active.body).toMatchObject({ state: 'active', version: 2 });
    expect((await call('GET', `/labor/contracts/${v1.id}`)).body.state).toBe('superseded');
    const list = await call('GET', '/labor/contracts');
    expect(list.body.items.filter((item: { document: { contractId: string } }) => item.document.contractId === v1.id).map((item: { version: number; state: string }) => [item.version, item.state])).toEqual([
      [2, 'active'],
      [1, 'superseded'],
    ]);
  });

  it('offers social insurance from the employment-insurance tenant, ends the contract and offers work history', async () => {
    const key = await workerKey();
    const contract = await draft();
    expect((await call('POST', `/labor/contracts/${contract.id}/social-insurance`, { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true, since: '2026-03-02' })).body.code).toBe('labor.contract-state');
    await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash) });
    await call('POST', `/labor/contracts/${contract.id}/countersign`);

    const insured = await call('POST', `/labor/contracts/${contract.id}/social-insurance`, { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true, since: '2026-03-02' });
    expect(insured.status, insured.text).toBe(200);
    expect(insured.body.credentialOffers.map((o: { type: string }) => o.type)).toEqual(['LaborContract', 'SocialInsuranceEnrollment']);
    const links = (await worker(contract.reviewUrl)).body.offers as Array<{ type: string; link: string }>;
    const enrolment = credentialFormat('jwt_vc').decode(await redeem(key, links.find((o) => o.type === 'SocialInsuranceEnrollment')!.link));
    expect(enrolment).toMatchObject({ primaryType: 'SocialInsuranceEnrollment', issuer: p.tenants.get('employment-insurance')!.did, claims: { employer: { id: employerDid }, since: '2026-03-02' } });

    const early = await call('POST', `/labor/contracts/${contract.id}/end`, { endDate: '2026-01-01' });
    expect([early.status, early.body.code]).toEqual([400, 'request.invalid']);
    const ended = await call('POST', `/labor/contracts/${contract.id}/end`, { endDate: '2026-06-30' });
    expect(ended.body).toMatchObject({ state: 'ended', endDate: '2026-06-30', endedAt: expect.any(String) });
    expect((await call('POST', `/labor/contracts/${contract.id}/end`, { endDate: '2026-06-30' })).body.code).toBe('labor.contract-state');

    const history = await call('POST', `/labor/contracts/${contract.id}/work-experience`, {});
    expect(history.status, history.text).toBe(200);
    const link = ((await worker(contract.reviewUrl)).body.offers as Array<{ type: string; link: string }>).find((o) => o.type === 'WorkExperience')!.link;
    const experience = credentialFormat('jwt_vc').decode(await redeem(key, link));
    expect(experience.claims).toMatchObject({ role: '바리스타', period: { start: '2026-03-02', end: '2026-06-30' }, totalHours: 0, attendanceRoot: `0x${'0'.repeat(64)}` });

    // Each step entered the employer's audit log (the worker's signature by the wallet, the rest by the operator).
    const audit = (await call('GET', '/audit')).body.items as Array<{ action: string; target: string | null; actor: { kind: string; id: string } }>;
    expect(audit.filter((entry) => entry.target === contract.id).map((entry) => [entry.action, `${entry.actor.kind}:${entry.actor.id}`]).reverse()).toEqual([
      ['labor.contract-drafted', 'operator:owner'],
      ['labor.contract-worker-signed', 'system:labor-worker'],
      ['labor.contract-countersigned', 'operator:owner'],
      ['labor.social-insurance-declared', 'operator:owner'],
      ['labor.contract-ended', 'operator:owner'],
      ['labor.work-experience-issued', 'operator:owner'],
    ]);
  });

  it('offers again, as the worker opens the contract, a credential whose offer expired unredeemed', async () => {
    const key = await workerKey();
    const contract = await draft();
    await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash) });
    const first = (await call('POST', `/labor/contracts/${contract.id}/countersign`)).body.credentialOffers[0];
    clock.advance(601_000);
    expect((await call('GET', `/labor/contracts/${contract.id}`)).body.credentialOffers).toEqual([{ type: 'LaborContract', offerId: first.offerId, state: 'expired' }]);
    const reopened = await worker(contract.reviewUrl);
    expect(reopened.body.offers).toEqual([{ type: 'LaborContract', link: expect.any(String), state: 'offered' }]);
    const renewed = (await call('GET', `/labor/contracts/${contract.id}`)).body.credentialOffers;
    expect(renewed).toEqual([{ type: 'LaborContract', offerId: expect.not.stringMatching(first.offerId), state: 'offered' }]);
    const credential = credentialFormat('jwt_vc').decode(await redeem(key, reopened.body.offers[0].link));
    expect(contractHash(contractFromCredentialSubject(credential.claims as Record<string, unknown>))).toBe(contract.hash);
  });

  it('refuses markup in the terms, an auditor\'s changes, and an employer without a business number on record', async () => {
    const markup = await call('POST', '/labor/contracts', terms({ duties: '<b>음료</b> 제조' }));
    expect([markup.status, markup.body.code]).toEqual([422, 'credential.schema-invalid']);
    expect(markup.body.errors.map((e: { path: string }) => e.path)).toContain('/duties');

    const tenants = p.issuer.runtime.dataSource.getRepository(TenantEntity);
    const employer = (await tenants.findOneBy({ slug: EMPLOYER }))!;
    await new OperatorStore(p.issuer.runtime.dataSource, clock).create(employer.id, { username: 'auditor', displayName: 'Auditor', role: 'auditor', password: PASSWORD });
    const auditor = (
      await send(`${p.issuer.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-citycred-console': '1' }, body: JSON.stringify({ tenant: EMPLOYER, username: 'auditor', password: PASSWORD }) })
    ).headers.get('set-cookie')!.split(';')[0]!;
    expect((await call('GET', '/labor/contracts', undefined, auditor)).status).toBe(200);
    const refused = await call('POST', '/labor/contracts', terms(), auditor);
    expect([refused.status, refused.body.code]).toEqual([403, 'console.forbidden']);

    await tenants.update({ id: employer.id }, { businessNumber: null });
    try {
      const missing = await call('POST', '/labor/contracts', terms());
      expect([missing.status, missing.body.code]).toEqual([409, 'labor.business-number-missing']);
    } finally {
      await tenants.update({ id: employer.id }, { businessNumber: employer.businessNumber });
    }
  });

  it('refuses social insurance where no tenant issues it, and work history from an attendance chain that fails its checks', async () => {
    const key = await workerKey();
    const contract = await draft();
    await worker(signatureUrl(contract.reviewUrl), { jws: await workerSigns(key, contract.hash) });
    await call('POST', `/labor/contracts/${contract.id}/countersign`);

    const tenants = p.issuer.runtime.dataSource.getRepository(TenantEntity);
    const insurer = (await tenants.findOneBy({ slug: 'employment-insurance' }))!;
    await tenants.update({ id: insurer.id }, { credentialTypesJson: JSON.stringify(['EmploymentInsuranceStatus']) });
    try {
      const refused = await call('POST', `/labor/contracts/${contract.id}/social-insurance`, { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true, since: '2026-03-02' });
      expect([refused.status, refused.body.code]).toEqual([409, 'labor.insurance-issuer-missing']);
    } finally {
      await tenants.update({ id: insurer.id }, { credentialTypesJson: insurer.credentialTypesJson });
    }

    // An attendance event written into the database with signatures that are not the parties': the chain check fails.
    const event = { v: 1, contractId: contract.id, seq: 0, kind: 'check-in', at: '2026-03-02T00:00:00Z', workplaceNonce: { nonce: 'n'.repeat(22), issuedAt: '2026-03-02T00:00:00Z' }, prevHash: `0x${'0'.repeat(64)}` };
    const eventJson = canonicalJson(event);
    const forged = await workerSigns(await workerKey(), `0x${createHash('sha256').update(eventJson).digest('hex')}`);
    await p.issuer.runtime.dataSource.getRepository(LaborAttendanceEventEntity).insert({
      contractId: contract.id, seq: 0, kind: 'check-in', at: event.at, nonce: event.workplaceNonce.nonce, eventJson, hash: `0x${createHash('sha256').update(eventJson).digest('hex')}`,
      workerSignature: forged, employerSignature: forged, recordedAt: event.at,
    });
    const history = await call('POST', `/labor/contracts/${contract.id}/work-experience`, {});
    expect([history.status, history.body.code]).toEqual([409, 'labor.attendance-invalid']);
    expect(history.body.checks).toEqual([expect.objectContaining({ id: 'attendance.signatures', passed: false, seq: 0 })]);
  });

  it('answers an unknown contract 404 and a malformed id 400', async () => {
    expect((await call('GET', '/labor/contracts/00000000-0000-4000-8000-000000000000')).body.code).toBe('labor.contract-not-found');
    expect((await call('GET', '/labor/contracts/nope')).body.code).toBe('request.invalid');
  });
});
