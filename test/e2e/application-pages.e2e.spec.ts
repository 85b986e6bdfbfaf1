import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { FixedClock } from '@citycred/config';
import { decodeJwt } from 'jose';
import { generateHolderKeyPair, holderKeyOf, Oid4vciClient, Oid4vpClient, publicJwkOf, type HolderKey, type WalletCredential, type WalletTransport } from '@citycred/wallet-core';
import { startVerifier, type VerifierServer } from '@citycred/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyDecisionReceipt } from '../../apps/verifier/src/programs/decision-receipts.js';
import { citizenCardSubject, getJson, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * The programs' application pages over HTTP (issue 18, items 4 and 6): the page API makes an application (an
 * OpenID4VP request for the program's policy), the wallet core answers it with credentials four agencies offered, the
 * page polls the decision, and an eligible applicant receives YouthAllowanceEligibility from youth-policy through the
 * offer the page shows, which the verifier then verifies. A refused applicant gets the receipt and no offer; an issuer
 * that is down at offer time leaves the decision standing and answers a retryable problem.
 */

describe('application pages /apply/{page} and their API', () => {
  let p: TestPlatform;
  const clock = new FixedClock(new Date());
  const transport: WalletTransport = { fetch: (input, init) => fetch(input, init), clock };
  const api = (verifier: { url: string } = p.verifier) => `${verifier.url}/apply/api`;

  beforeAll(async () => {
    p = await startTestPlatform('application_pages', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  /** A wallet holding what four agencies (and housing, when asked) offered one citizen, received by OpenID4VCI. */
  async function wallet(options: { incomePercent?: number; rental?: boolean } = {}): Promise<{ holder: HolderKey; held: WalletCredential[] }> {
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const issuing = new Oid4vciClient(transport);
    const receive = async (tenant: string, configuration: string, claims: Record<string, unknown>) => {
      const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims }, { authorization: `Bearer ${p.tenants.get(tenant)!.apiKey}` });
      expect(offer.status, JSON.stringify(offer.body)).toBe(201);
      const [received] = await issuing.receive(await issuing.prepare(offer.body.credential_offer_link), { holder, txCode: offer.body.tx_code });
      return received!.record;
    };
    const held = [
      await receive('seoul-citizen', 'SeoulCitizenCard_dc_sd_jwt', { ...citizenCardSubject, personId: randomUUID() }),
      await receive('education-office', 'EnrollmentStatus_jwt_vc_json', { status: 'graduated', institution: { name: '서울시립대학교', kind: 'university' }, since: '2025-02-21' }),
      await receive('health-insurance', 'IncomeBracket_dc_sd_jwt', { householdIncomePercentOfMedian: options.incomePercent ?? 87, basisMonth: '2026-01', basicLivelihoodRecipient: false }),
      await receive('employment-insurance', 'EmploymentInsuranceStatus_dc_sd_jwt', { insured: false, since: '2025-09-01' }),
    ];
    if (options.rental) {
      held.push(await receive('housing', 'RentalStatus_dc_sd_jwt', { tenure: 'renting', depositKrw: 10_000_000, monthlyRentKrw: 550_000, address: { city: '서울특별시', district: '마포구' }, since: '2025-03-01' }));
    }
    return { holder, held };
  }

  /** Makes an application on the page API and has the wallet core answer it with what the wallet holds. */
  async function apply(page: string, applicant: { holder: HolderKey; held: WalletCredential[] }, verifier: { url: string } = p.verifier): Promise<string> {
    const created = await postJson(`${api(verifier)}/${page}/applications`, {});
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.deepLink).toMatch(/^openid4vp:\/\//);
    expect(created.body.qrSvg).toMatch(/^<svg/);
    const presenting = new Oid4vpClient(transport);
    const request = await presenting.open(created.body.deepLink);
    const match = presenting.match(request, applicant.held);
    expect(match.satisfiable).toBe(true);
    const choice = Object.fromEntries(match.queries.map((query) => [query.query.id, [query.candidates[0]!.credential.id]]));
    await presenting.present(request, match, choice, applicant.holder);
    return created.body.id as string;
  }

  /** Polls the application as the page does, until it is no longer pending. */
  async function decided(page: string, id: string): Promise<any> {
    for (let i = 0; i < 20; i += 1) {
      const res = await getJson(`${api()}/${page}/applications/${id}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      if (res.body.state !== 'pending') return res.body;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the application stayed pending');
  }

  const receiptKey = async () => (await getJson(`${p.verifier.url}/programs/receipt-key`)).body.did as string;
  const personal = [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district, 'graduated', 'householdIncome', 'personId', 'birthDate'];

  it('derives each program’s page from its configuration, and knows no other page', async () => {
    const youth = await getJson(`${api()}/youth-allowance`);
    expect(youth.status).toBe(200);
    expect(youth.body).toMatchObject({ page: 'youth-allowance', program: 'youth-allowance-2026', benefit: { monthlyAmountKrw: 500000, months: 6 }, eligibility: { credentialType: 'YouthAllowanceEligibility' } });
    expect(youth.body.criteria.map((c: { id: string }) => c.id)).toEqual(['holder.same', 'age-range', 'seoul-resident', 'enrollment.not-enrolled', 'income.household-median', 'income.not-basic-livelihood', 'employment.limited', 'participation.first-time']);
    const rent = await getJson(`${api()}/youth-rent-support`);
    expect(rent.body.program).toBe('youth-rent-support-2026');
    expect(rent.body).not.toHaveProperty('eligibility');

    for (const path of [`${p.verifier.url}/apply/youth-allowance-2026`, `${api()}/nothing-here`, `${api()}/nothing-here/applications/${randomUUID()}`]) {
      const res = await send(path);
      expect([res.status, res.type, res.body?.code], path).toEqual([404, 'application/problem+json; charset=utf-8', 'program.page-not-found']);
    }
    const unknown = await send(`${api()}/nothing-here/applications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([unknown.status, unknown.body?.code]).toEqual([404, 'program.page-not-found']);
  });

  it('an eligible applicant: decision with every reason, the eligibility credential through the offer, verified by the verifier', async () => {
    const applicant = await wallet();
    const id = await apply('youth-allowance', applicant);
    const state = await decided('youth-allowance', id);
    expect(state).toMatchObject({ id, state: 'decided', eligible: true, receipt: true, offer: true });
    expect(state.criteria).toHaveLength(8);
    for (const c of state.criteria) {
      expect(c.result, c.id).toBe('passed');
      expect(c.reason.ko).toMatch(/[가-힣]/);
      expect(Object.keys(c).sort()).toEqual(['id', 'reason', 'result']);
    }
    const shown = JSON.stringify(state);
    for (const value of personal) expect(shown).not.toContain(value);

    const offered = await postJson(`${api()}/youth-allowance/applications/${id}/eligibility-offer`, {});
    expect(offered.status, JSON.stringify(offered.body)).toBe(200);
    expect(offered.body).toMatchObject({ offerLink: expect.stringMatching(/^openid-credential-offer:\/\//), txCode: expect.stringMatching(/^\d{6}$/), qrSvg: expect.stringMatching(/^<svg/), credential: { ko: '청년수당 수급 자격' } });
    // Asked again (a retry, a second tab), the page gets the same offer, not a second credential.
    expect((await postJson(`${api()}/youth-allowance/applications/${id}/eligibility-offer`, {})).body.offerLink).toBe(offered.body.offerLink);

    const issuing = new Oid4vciClient(transport);
    // The offer is bound to the wallet that presented: another wallet with the link and the code gets its proof
    // refused, and that spends nothing of the applicant's offer.
    const otherKeys = await generateHolderKeyPair();
    const other = holderKeyOf(otherKeys.privateKey, await publicJwkOf(otherKeys.publicKey));
    await expect(issuing.receive(await issuing.prepare(offered.body.offerLink), { holder: other, txCode: offered.body.txCode })).rejects.toMatchObject({
      code: 'oid4vci.proof-refused',
      oauthError: 'invalid_proof',
      description: expect.stringMatching(/bound to another holder/),
    });
    const [received] = await issuing.receive(await issuing.prepare(offered.body.offerLink), { holder: applicant.holder, txCode: offered.body.txCode });
    expect(received!.record.type).toBe('YouthAllowanceEligibility');
    expect(received!.record.issuer).toBe(p.tenants.get('youth-policy')!.did);
    const subject = (decodeJwt(received!.record.encoded) as { vc: { credentialSubject: Record<string, any> } }).vc.credentialSubject;
    expect(decodeJwt(received!.record.encoded).sub, 'the eligibility credential names the wallet that presented as its subject').toBe(applicant.holder.did);
    expect(subject).toMatchObject({ eligible: true, programYear: 2026, monthlyAmountKrw: 500000, months: 6, ruleVersion: 'youth-allowance-2026@1+2026.1' });
    expect(subject.criteria.map((c: { id: string; result: string }) => [c.id, c.result])).toEqual(state.criteria.map((c: { id: string }) => [c.id, 'passed']));
    const receipt = await send(`${api()}/youth-allowance/applications/${id}/receipt`);
    const signed = await verifyDecisionReceipt(receipt.text, await receiptKey());
    expect(signed.valid && signed.payload.criteria.map((c) => c.evidenceHash)).toEqual(subject.criteria.map((c: { evidenceHash: string }) => c.evidenceHash));

    await p.worker.runOnce();
    const verified = await postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential: received!.record.encoded });
    expect(verified.body, JSON.stringify(verified.body)).toMatchObject({ verified: true });
    expect(verified.body.checks.find((c: { id: string }) => c.id === 'anchor')).toMatchObject({ status: 'passed' });
  });

  it('a refused applicant: the failed criterion and why, a signed receipt to download, and no offer', async () => {
    const id = await apply('youth-allowance', await wallet({ incomePercent: 151 }));
    const state = await decided('youth-allowance', id);
    expect(state).toMatchObject({ state: 'decided', eligible: false, receipt: true, offer: false });
    expect(state.criteria.filter((c: { result: string }) => c.result === 'failed')).toEqual([
      { id: 'income.household-median', result: 'failed', reason: { ko: '가구 소득이 기준 중위소득의 150%를 넘습니다.', en: 'The household income is above 150 % of the median.' } },
    ]);
    expect(JSON.stringify(state.criteria)).not.toContain('151');

    const receipt = await send(`${api()}/youth-allowance/applications/${id}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.type).toBe('application/jwt');
    expect(receipt.headers.get('content-disposition')).toBe(`attachment; filename="youth-allowance-2026-decision-${id.slice(0, 8)}.jwt"`);
    const signed = await verifyDecisionReceipt(receipt.text, await receiptKey());
    expect(signed.valid && signed.payload.satisfied).toBe(false);
    expect(signed.valid && signed.payload.criteria.find((c) => c.id === 'income.household-median')?.result).toBe('failed');

    const offer = await postJson(`${api()}/youth-allowance/applications/${id}/eligibility-offer`, {});
    expect([offer.status, offer.type, offer.body.code]).toEqual([409, 'application/problem+json; charset=utf-8', 'program.not-eligible']);
  });

  it('a program without an eligibility credential: the approval with its receipt, and a clear refusal to offer', async () => {
    const id = await apply('youth-rent-support', await wallet({ rental: true }));
    expect(await decided('youth-rent-support', id)).toMatchObject({ state: 'decided', eligible: true, receipt: true, offer: false });
    const offer = await postJson(`${api()}/youth-rent-support/applications/${id}/eligibility-offer`, {});
    expect([offer.status, offer.body.code]).toEqual([409, 'program.no-eligibility-credential']);
    // The application is this program's: another program's page does not know it.
    expect((await getJson(`${api()}/youth-allowance/applications/${id}`)).body.code).toBe('program.application-not-found');
  });

  it('keeps the decision when the issuer is down at offer time, and offers on retry', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    let cut: VerifierServer | undefined;
    try {
      cut = await startVerifier({ ...p.verifier.runtime.config, PROGRAM_ISSUER_URL: `http://127.0.0.1:${closedPort}` }, clock, 0);
      const id = await apply('youth-allowance', await wallet(), cut);
      const down = await postJson(`${api(cut)}/youth-allowance/applications/${id}/eligibility-offer`, {});
      expect([down.status, down.type, down.body.code], JSON.stringify(down.body)).toEqual([503, 'application/problem+json; charset=utf-8', 'program.issuer-unavailable']);
      expect(down.body.detail).toContain('The decision stands');
      expect((await decided('youth-allowance', id)).eligible).toBe(true);
      // The next try (here through the verifier process that reaches the issuer) makes the offer.
      const retried = await postJson(`${api()}/youth-allowance/applications/${id}/eligibility-offer`, {});
      expect(retried.status, JSON.stringify(retried.body)).toBe(200);
      expect(retried.body.txCode).toMatch(/^\d{6}$/);
    } finally {
      await cut?.close();
    }
  });

  it('refuses an offer or a receipt before the wallet answered, and an id made for another policy', async () => {
    const created = await postJson(`${api()}/youth-allowance/applications`, {});
    expect((await getJson(`${api()}/youth-allowance/applications/${created.body.id}`)).body).toMatchObject({ state: 'pending' });
    expect((await postJson(`${api()}/youth-allowance/applications/${created.body.id}/eligibility-offer`, {})).body.code).toBe('program.application-not-decided');
    expect((await getJson(`${api()}/youth-allowance/applications/${created.body.id}/receipt`)).body.code).toBe('program.application-not-decided');
    const other = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-19' });
    for (const id of [other.body.id, randomUUID(), 'not-an-id']) {
      const res = await getJson(`${api()}/youth-allowance/applications/${id}`);
      expect([res.status, res.body.code], id).toEqual([404, 'program.application-not-found']);
    }
    expect((await postJson(`${api()}/youth-allowance/applications`, { policy: 'age-over-19' })).body.code).toBe('request.invalid');
  });
  // Last: it moves the shared clock forward past three offers' expiry.
  it('makes a new offer once the first expired or was cancelled unredeemed, one at a time, and none once one was received', async () => {
    const applicant = await wallet();
    const id = await apply('youth-allowance', applicant);
    expect((await decided('youth-allowance', id)).eligible).toBe(true);
    const url = `${api()}/youth-allowance/applications/${id}/eligibility-offer`;
    const issuing = new Oid4vciClient(transport);
    const offerIdOf = (link: string) => /\/oid4vci\/offers\/([0-9a-f-]{36})$/.exec(new URL(link).searchParams.get('credential_offer_uri')!)![1]!;
    const issuerState = async (link: string) =>
      (await send(`${p.issuer.url}/oid4vci/offers/${offerIdOf(link)}/status`, { headers: { authorization: `Bearer ${p.tenants.get('youth-policy')!.apiKey}` } })).body.state as string;

    // The first offer expires unredeemed: asked after its expiry, the verifier learns so from the issuer and offers anew.
    const first = await postJson(url, {});
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    clock.advance(new Date(first.body.expiresAt).getTime() - clock.now().getTime() + 1_000);
    expect(await issuerState(first.body.offerLink)).toBe('expired');
    const renewals = await Promise.all([postJson(url, {}), postJson(url, {})]);
    // Two requests at once: one makes the new offer; the other is told it is being made, or shown that same one.
    const made = renewals.find((r) => r.status === 200)!;
    expect(new Set(renewals.filter((r) => r.status === 200).map((r) => r.body.offerLink)).size).toBe(1);
    for (const r of renewals) if (r.status !== 200) expect(r.body.code).toBe('program.offer-in-progress');
    expect(made.body.offerLink).not.toBe(first.body.offerLink);
    expect(made.body.txCode).toMatch(/^\d{6}$/);
    expect(new Date(made.body.expiresAt).getTime()).toBeGreaterThan(clock.now().getTime());
    const second = await postJson(url, {});
    expect(second.body.offerLink).toBe(made.body.offerLink);
    await expect(issuing.prepare(first.body.offerLink)).rejects.toThrow();

    // The second is cancelled by five wrong codes (burnt): once its time has passed, a third is made.
    const wrong = second.body.txCode === '000000' ? '000001' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await expect(issuing.receive(await issuing.prepare(second.body.offerLink), { holder: applicant.holder, txCode: wrong })).rejects.toThrow();
    }
    expect(await issuerState(second.body.offerLink)).toBe('burnt');
    clock.advance(new Date(second.body.expiresAt).getTime() - clock.now().getTime() + 1_000);
    const third = await postJson(url, {});
    expect(third.status, JSON.stringify(third.body)).toBe(200);
    expect([first.body.offerLink, second.body.offerLink]).not.toContain(third.body.offerLink);

    // The third is received: after its expiry the verifier learns it was redeemed and never offers again.
    const [received] = await issuing.receive(await issuing.prepare(third.body.offerLink), { holder: applicant.holder, txCode: third.body.txCode });
    expect(received!.record.type).toBe('YouthAllowanceEligibility');
    clock.advance(new Date(third.body.expiresAt).getTime() - clock.now().getTime() + 1_000);
    for (let ask = 0; ask < 2; ask += 1) {
      const refused = await postJson(url, {});
      expect([refused.status, refused.type, refused.body.code]).toEqual([409, 'application/problem+json; charset=utf-8', 'program.offer-received']);
      expect(refused.body.detail).toMatch(/already received/);
    }
    expect(await issuerState(third.body.offerLink)).toBe('issued');
  });
});
