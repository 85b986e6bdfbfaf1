import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { presentSdJwt, signCompactJws } from '@citycred/formats';
import { generateHolderKeyPair, holderKeyOf, Oid4vciClient, Oid4vpClient, publicJwkOf, type WalletTransport } from '@citycred/wallet-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDecisionReceipt } from '../../apps/verifier/src/programs/decision-receipts.js';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { walletKey, type WalletKey } from '../support/wallet.js';

/*
 * Youth Allowance without paper (issue 18, server side): four departments issue to one holder key — the citizen
 * card, income bracket and employment insurance status as SD-JWT VCs, the enrolment status as a JWT VC (the catalogue
 * offers no SD-JWT for it) — the holder presents them in one JWT VP disclosing only what the policy asks for, and
 * POST /presentations/verify with options.policy youth-allowance-2026 answers the decision and its signed receipt.
 */

const DOMAIN = 'https://youth.seoul.example';
type Issued = { sdJwt?: string; jwt?: string };

describe('youth-allowance-2026 over POST /presentations/verify', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    p = await startTestPlatform('youth_allowance', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  async function issue(tenant: string, type: string, subject: Record<string, unknown>, holder: WalletKey, sdJwt: boolean): Promise<Issued> {
    const { did, apiKey } = p.tenants.get(tenant)!;
    const body = sdJwt ? issueBody(did, type, subject, { options: { format: 'dc+sd-jwt', holderJwk: holder.jwk } }) : issueBody(did, type, { id: holder.did, ...subject });
    const res = await postJson(`${p.issuer.url}/credentials/issue`, body, { authorization: `Bearer ${apiKey}` });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const vc = res.body.verifiableCredential;
    return sdJwt ? { sdJwt: String(vc.id).slice('data:application/dc+sd-jwt,'.length) } : { jwt: vc.proof.jwt };
  }

  /** The four credentials of one applicant, bound to one wallet key. */
  async function applicant(options: { personId?: string; incomePercent?: number } = {}) {
    const holder = walletKey();
    const card = await issue('seoul-citizen', 'SeoulCitizenCard', { ...citizenCardSubject, personId: options.personId ?? randomUUID() }, holder, true);
    const enrollment = await issue('education-office', 'EnrollmentStatus', { status: 'graduated', institution: { name: '서울시립대학교', kind: 'university' }, since: '2025-02-21' }, holder, false);
    const income = await issue('health-insurance', 'IncomeBracket', { householdIncomePercentOfMedian: options.incomePercent ?? 87, basisMonth: '2026-01', basicLivelihoodRecipient: false }, holder, true);
    const employment = await issue('employment-insurance', 'EmploymentInsuranceStatus', { insured: false, since: '2025-09-01' }, holder, true);
    return { holder, card, enrollment, income, employment };
  }

  /** A JWT VP by the holder over a fresh challenge, carrying exactly the claims the policy's DCQL query names. */
  async function apply(person: Awaited<ReturnType<typeof applicant>>, policy = 'youth-allowance-2026') {
    const programs = (await getJson(`${p.verifier.url}/programs`)).body.programs as Array<{ id: string; dcqlQuery: { credentials: Array<{ id: string; claims: Array<{ path: string[] }> }> } }>;
    const query = programs.find((program) => program.id === policy)!.dcqlQuery;
    const disclose = (id: string) => query.credentials.find((c) => c.id === id)!.claims.map((c) => c.path[0]!);
    const credentials = [
      await presentSdJwt(person.card.sdJwt!, { disclose: disclose('SeoulCitizenCard') }),
      person.enrollment.jwt!,
      await presentSdJwt(person.income.sdJwt!, { disclose: disclose('IncomeBracket') }),
      // An uninsured holder's credential holds `insured` only: the query's last claim set.
      await presentSdJwt(person.employment.sdJwt!, { disclose: ['insured'] }),
    ];
    const nonce = (await postJson(`${p.verifier.url}/challenges`, {})).body.challenge as string;
    const vp = await signCompactJws(
      { alg: 'ES256', typ: 'JWT', kid: person.holder.signer.kid },
      { iss: person.holder.did, aud: DOMAIN, nonce, iat: Math.floor(clock.now().getTime() / 1000), vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: credentials } },
      person.holder.signer,
    );
    return postJson(`${p.verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: nonce, domain: DOMAIN, policy } });
  }

  const criterion = (res: { body: any }, id: string) => res.body.decision.criteria.find((c: { id: string }) => c.id === id);

  it('asks for four credentials in one query, without name, district or age flags', async () => {
    const res = await getJson(`${p.verifier.url}/programs`);
    expect(res.status).toBe(200);
    const youth = res.body.programs.find((program: { id: string }) => program.id === 'youth-allowance-2026');
    expect(youth).toMatchObject({ policy: { id: 'youth-allowance-2026', version: '1' }, configVersion: '2026.1', programYear: 2026, benefit: { monthlyAmountKrw: 500000, months: 6 } });
    expect(youth.dcqlQuery.credentials.map((c: { id: string }) => c.id)).toEqual(['SeoulCitizenCard', 'EnrollmentStatus', 'IncomeBracket', 'EmploymentInsuranceStatus']);
    expect(JSON.stringify(youth.dcqlQuery)).not.toMatch(/"name"|"district"|ageOver/);
    expect(youth).toMatchObject({ page: 'youth-allowance', pagePath: '/apply/youth-allowance', eligibility: { tenant: 'youth-policy', credentialType: 'YouthAllowanceEligibility' } });
    const rent = res.body.programs.find((program: { id: string }) => program.id === 'youth-rent-support-2026');
    expect(rent).toMatchObject({ page: 'youth-rent-support', pagePath: '/apply/youth-rent-support' });
    expect(rent).not.toHaveProperty('eligibility');
  });

  it('grants an eligible applicant, with every criterion’s reason, and a receipt that verifies with the verifier’s key', async () => {
    const person = await applicant();
    const res = await apply(person);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.verified).toBe(true);
    expect(res.body.decision).toMatchObject({ policy: { id: 'youth-allowance-2026', version: '1' }, program: { configVersion: '2026.1', monthlyAmountKrw: 500000, months: 6 }, satisfied: true });
    expect(res.body.decision.criteria).toHaveLength(8);
    const hashes = res.body.credentials.map((c: { credential: { hash: string } }) => c.credential.hash);
    for (const c of res.body.decision.criteria) {
      expect(c.result, c.id).toBe('passed');
      expect(c.reason.ko).toMatch(/[가-힣]/);
      expect(hashes).toContain(c.evidenceHash);
    }
    // Only what the policy asked for was disclosed.
    expect(Object.keys(res.body.credentials[0].credential.claims).sort()).toEqual(['birthDate', 'personId', 'residence']);
    expect(JSON.stringify(res.body)).not.toContain(citizenCardSubject.name);

    const key = (await getJson(`${p.verifier.url}/programs/receipt-key`)).body;
    expect(key.jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', kid: key.kid, alg: 'ES256' });
    const receipt = await verifyDecisionReceipt(res.body.receipt, key.did);
    expect(receipt.valid).toBe(true);
    if (!receipt.valid) return;
    expect(receipt.payload).toMatchObject({ policy: { id: 'youth-allowance-2026', version: '1' }, program: { configVersion: '2026.1' }, satisfied: true });
    expect(receipt.payload.criteria.map((c) => [c.id, c.result, c.evidenceHash])).toEqual(res.body.decision.criteria.map((c: any) => [c.id, c.result, c.evidenceHash]));
    expect(receipt.payload.presentationHash).toMatch(/^0x[0-9a-f]{64}$/);
    const payload = Buffer.from(res.body.receipt.split('.')[1], 'base64url').toString();
    expect(payload).not.toMatch(/birthDate|personId|마포구|2001-04-12/);
  });

  it('refuses an applicant whose household income is above 150 % of the median, saying which criterion failed and why', async () => {
    const res = await apply(await applicant({ incomePercent: 151 }));
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.decision.satisfied).toBe(false);
    expect(res.body.decision.criteria.filter((c: { result: string }) => c.result === 'failed').map((c: { id: string }) => c.id)).toEqual(['income.household-median']);
    expect(criterion(res, 'income.household-median').reason).toEqual({ ko: '가구 소득이 기준 중위소득의 150%를 넘습니다.', en: 'The household income is above 150 % of the median.' });
    const key = (await getJson(`${p.verifier.url}/programs/receipt-key`)).body;
    const receipt = await verifyDecisionReceipt(res.body.receipt, key.did);
    expect(receipt.valid && receipt.payload.satisfied).toBe(false);
    expect(receipt.valid && receipt.payload.criteria.find((c) => c.id === 'income.household-median')?.result).toBe('failed');
  });

  it('refuses a second eligible application by the same person, even from another wallet, without saying more', async () => {
    const personId = randomUUID();
    expect((await apply(await applicant({ personId }))).status).toBe(200);
    const again = await apply(await applicant({ personId }));
    expect(again.status).toBe(400);
    expect(again.body.decision.criteria.filter((c: { result: string }) => c.result === 'failed').map((c: { id: string }) => c.id)).toEqual(['participation.first-time']);
    expect(criterion(again, 'participation.first-time').reason.en).toBe('The holder has already taken part in this program and cannot apply again.');
    // The verifier keeps keyed pseudonyms only.
    const rows = (await p.verifier.runtime.dataSource.query('SELECT "program", "pseudonym" FROM "program_participations"')) as Array<{ program: string; pseudonym: string }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(personId);
  });

  it('decides youth-rent-support-2026 from the same criteria and a RentalStatus the housing tenant issued', async () => {
    const person = await applicant();
    const rental = await issue('housing', 'RentalStatus', { tenure: 'renting', depositKrw: 10_000_000, monthlyRentKrw: 550_000, address: { city: '서울특별시', district: '마포구' }, since: '2025-03-01' }, person.holder, true);
    const programs = (await getJson(`${p.verifier.url}/programs`)).body.programs;
    const query = programs.find((program: { id: string }) => program.id === 'youth-rent-support-2026').dcqlQuery;
    expect(query.credentials.map((c: { id: string }) => c.id)).toEqual(['SeoulCitizenCard', 'IncomeBracket', 'RentalStatus']);
    const disclose = (id: string) => query.credentials.find((c: { id: string }) => c.id === id).claims.map((c: { path: string[] }) => c.path[0]);
    const nonce = (await postJson(`${p.verifier.url}/challenges`, {})).body.challenge as string;
    const vp = await signCompactJws(
      { alg: 'ES256', typ: 'JWT', kid: person.holder.signer.kid },
      {
        iss: person.holder.did, aud: DOMAIN, nonce, iat: Math.floor(clock.now().getTime() / 1000),
        vp: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiablePresentation'],
          verifiableCredential: [
            await presentSdJwt(person.card.sdJwt!, { disclose: disclose('SeoulCitizenCard') }),
            await presentSdJwt(person.income.sdJwt!, { disclose: disclose('IncomeBracket') }),
            await presentSdJwt(rental.sdJwt!, { disclose: disclose('RentalStatus') }),
          ],
        },
      },
      person.holder.signer,
    );
    const res = await postJson(`${p.verifier.url}/presentations/verify`, { verifiablePresentation: vp, options: { challenge: nonce, domain: DOMAIN, policy: 'youth-rent-support-2026' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.decision).toMatchObject({ policy: { id: 'youth-rent-support-2026', version: '1' }, program: { monthlyAmountKrw: 200000, months: 12 }, satisfied: true });
    expect(criterion(res, 'rental.within-caps').result).toBe('passed');
    // The rental's address was not asked for, so not disclosed.
    expect(res.body.credentials[2].credential.claims).toEqual({ tenure: 'renting', depositKrw: 10_000_000, monthlyRentKrw: 550_000 });
  });

  it('answers an OpenID4VP request for the policy with four credentials the wallet received by offers, in one response', async () => {
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const transport: WalletTransport = { fetch: (input, init) => fetch(input, init), clock };
    const issuing = new Oid4vciClient(transport);
    const receive = async (tenant: string, configuration: string, claims: Record<string, unknown>) => {
      const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims }, { authorization: `Bearer ${p.tenants.get(tenant)!.apiKey}` });
      expect(offer.status, JSON.stringify(offer.body)).toBe(201);
      const [received] = await issuing.receive(await issuing.prepare(offer.body.credential_offer_link), { holder, txCode: offer.body.tx_code });
      return received!.record;
    };
    const held = [
      await receive('seoul-citizen', 'SeoulCitizenCard_dc_sd_jwt', { ...citizenCardSubject, personId: randomUUID() }),
      await receive('education-office', 'EnrollmentStatus_jwt_vc_json', { status: 'withdrawn', institution: { name: '서울시립대학교', kind: 'university' }, since: '2025-02-21' }),
      await receive('health-insurance', 'IncomeBracket_dc_sd_jwt', { householdIncomePercentOfMedian: 150, basisMonth: '2026-01', basicLivelihoodRecipient: false }),
      await receive('employment-insurance', 'EmploymentInsuranceStatus_dc_sd_jwt', { insured: true, weeklyHours: 40, contractMonths: 2, since: '2026-05-01' }),
    ];
    const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'youth-allowance-2026' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const presenting = new Oid4vpClient(transport);
    const request = await presenting.open(created.body.deepLink);
    const match = presenting.match(request, held);
    expect(match.satisfiable).toBe(true);
    const choice = Object.fromEntries(match.queries.map((query) => [query.query.id, [query.candidates[0]!.credential.id]]));
    await presenting.present(request, match, choice, holder);

    const state = (await getJson(`${p.verifier.url}/presentation-requests/${created.body.id}`)).body;
    expect(state.state, JSON.stringify(state.result?.errors)).toBe('fulfilled');
    expect(state.result.decision).toMatchObject({ policy: { id: 'youth-allowance-2026', version: '1' }, satisfied: true });
    expect(state.result.presentations.map((presentation: { credentialQueryId: string }) => presentation.credentialQueryId)).toEqual(['SeoulCitizenCard', 'EnrollmentStatus', 'IncomeBracket', 'EmploymentInsuranceStatus']);
    const { did } = (await getJson(`${p.verifier.url}/programs/receipt-key`)).body;
    expect(await verifyDecisionReceipt(state.result.receipt, did)).toMatchObject({ valid: true, payload: { satisfied: true } });
  });
});
