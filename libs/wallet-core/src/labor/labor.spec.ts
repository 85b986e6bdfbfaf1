import { attendanceEventHash, contractHash, GENESIS_HASH, verifyDetached, type AttendanceEvent, type ContractDocument, type SignedAttendanceEvent } from '@citycred/labor';
import { decodeBase64urlText, nobleSignatureCrypto, publicJwkOfDid, signCompactJws, type JwsSigner } from '@citycred/formats';
import { partTimeSchedule } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { generateHolderKeyPair, holderKeyOf, publicJwkOf, type HolderKey } from '../holder-key.js';
import { MemoryStore } from '../storage.js';
import { Vault } from '../vault.js';
import {
  attendanceExport,
  checkContractReview,
  checkWalletChain,
  contractsForQr,
  fetchContractReview,
  LaborWalletError,
  LaborWalletErrorCode,
  looksLikeWorkplaceQr,
  mergeAttendance,
  parseContractLink,
  parseWorkplaceQr,
  recordAttendance,
  signContract,
  signCorrection,
  syncAttendance,
  timesheetOf,
  waitingOffers,
  type ContractReview,
  type LaborContractRecord,
} from './index.js';

const MINIMUM_WAGE = { 2025: 10030, 2026: 10320 };
const ISSUER = 'http://127.0.0.1:3001';
const EMPLOYER_DID = 'did:ethr:citycred:0x5b9c1a7e2f4d8c3b6a0e9f1d2c4b7a8e3f6d1c09';

const document: ContractDocument = {
  v: 1,
  contractId: '7b6f3c1e-0d9a-4c55-9f3e-2a1b4c5d6e7f',
  version: 1,
  employer: { id: EMPLOYER_DID, name: '한강카페', businessRegistrationNumber: '123-45-67891' },
  worker: { name: '김서연' },
  workplace: { name: '한강카페 망원점', address: '서울특별시 마포구 포은로 12' },
  duties: '음료 제조',
  period: { start: '2026-03-02', end: '2026-08-31' },
  ...partTimeSchedule(),
};

async function newHolder(): Promise<HolderKey> {
  const pair = await generateHolderKeyPair();
  return holderKeyOf(pair.privateKey, await publicJwkOf(pair.publicKey));
}

/** A stand-in employer key for workplace QRs and countersignatures (P-256 here: the wallet never verifies them). */
async function employerSigner(): Promise<JwsSigner> {
  return (await newHolder()).signer;
}

/** A workplace QR issued at `iat` (unix s), as the tablet shows it. */
async function workplaceQr(signer: JwsSigner, iat: number, nonce: string, iss = EMPLOYER_DID): Promise<string> {
  return signCompactJws({ alg: signer.alg, typ: 'citycred-workplace+jwt', kid: signer.kid }, { iss, workplace: 'hangang-cafe', nonce, iat, exp: iat + 30 }, signer);
}

interface Call {
  readonly method: string;
  readonly url: string;
  readonly body?: unknown;
}

/**
 * A scripted employer service with the worker API of docs/labor.md: the review, the worker's signature (checked by its
 * did:jwk), and an attendance chain that refuses stale events and reused nonces. What the wallet calls is recorded.
 */
class EmployerService {
  readonly calls: Call[] = [];
  state = 'awaiting-worker';
  hash = contractHash(document);
  doc: Record<string, unknown> = { ...document };
  findings: unknown[] = [];
  offers: { type: string; link: string; state?: string }[] = [];
  employerSignature: { signer: string; signedAt: string; jws: string } | undefined;
  events: SignedAttendanceEvent[] = [];
  nonces = new Set<string>();
  pendingCorrections: { id: string; eventHash: string; at: string; reason: string; proposedBy: string; proposedAt: string }[] = [];
  /** Refusals to answer next, by path suffix. */
  refuse: { status: number; code: string; head?: unknown } | undefined;
  constructor(private readonly employer: JwsSigner) {}

  readonly fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined;
    this.calls.push({ method, url: input, ...(body ? { body } : {}) });
    if (url.searchParams.get('t') !== 'secret-token') return problem(404, 'labor.contract-not-found');
    const path = url.pathname;
    if (method === 'GET' && path === '/labor/contracts/c-1') {
      return json(200, { id: 'c-1', version: 1, state: this.state, document: this.doc, hash: this.hash, assessment: { findings: this.findings }, employer: { name: '한강카페', did: EMPLOYER_DID }, ...(this.employerSignature ? { employerSignature: this.employerSignature } : {}), offers: this.offers, pendingCorrections: this.pendingCorrections });
    }
    if (method === 'POST' && path === '/labor/contracts/c-1/worker-signature') {
      if (this.state !== 'awaiting-worker') return problem(409, 'labor.contract-state');
      const jws = String(body!['jws']);
      const kid = JSON.parse(decodeBase64urlText(jws.split('.')[0]!)).kid as string;
      const check = await verifyDetached(jws, this.hash, ({ signingInput, signature }) => nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: publicJwkOfDid(kid.split('#')[0]!) }, signingInput, signature) as boolean);
      if (!check.valid) return problem(400, 'labor.signature-invalid');
      this.state = 'awaiting-employer';
      return json(200, { id: 'c-1', state: this.state, workerSignature: { signer: kid.split('#')[0], signedAt: '2026-03-02T00:00:01.000Z', jws } });
    }
    if (method === 'GET' && path === '/labor/contracts/c-1/attendance') return json(200, { events: this.events, pendingCorrections: this.pendingCorrections, head: {} });
    if (method === 'POST' && path === '/labor/contracts/c-1/attendance') {
      if (this.refuse) {
        const refusal = this.refuse;
        this.refuse = undefined;
        return problem(refusal.status, refusal.code, refusal.head ? { head: refusal.head } : {});
      }
      const event = body!['event'] as AttendanceEvent;
      const last = this.events.at(-1);
      if (event.seq !== this.events.length || event.prevHash !== (last ? attendanceEventHash(last.event) : GENESIS_HASH)) return problem(409, 'labor.attendance-stale', { head: { seq: this.events.length - 1, hash: last ? attendanceEventHash(last.event) : GENESIS_HASH } });
      if (event.workplaceNonce) {
        if (this.nonces.has(event.workplaceNonce.nonce)) return problem(409, 'labor.nonce-reused');
        this.nonces.add(event.workplaceNonce.nonce);
      }
      const { signDetached } = await import('@citycred/labor');
      const employerSignature = await signDetached({ alg: this.employer.alg, kid: this.employer.kid }, attendanceEventHash(event), (i) => this.employer.sign(i));
      const signed = { event, workerSignature: String(body!['workerSignature']), employerSignature };
      this.events.push(signed);
      return json(201, { signed, head: { seq: event.seq, hash: attendanceEventHash(event) } });
    }
    return problem(404, 'not-found');
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}
function problem(status: number, code: string, extensions: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', status, title: code, code, detail: code, ...extensions }), { status, headers: { 'content-type': 'application/problem+json' } });
}

const REVIEW_URL = `${ISSUER}/labor/contracts/c-1?t=secret-token`;

async function setUp(at = '2026-03-02T00:00:00.000Z') {
  const employer = await employerSigner();
  const service = new EmployerService(employer);
  let now = new Date(at);
  const transport = { fetch: service.fetch, clock: { now: () => now } };
  const holder = await newHolder();
  return { employer, service, transport, holder, setNow: (iso: string) => (now = new Date(iso)) };
}

async function signedRecord() {
  const world = await setUp();
  const link = parseContractLink(`http://127.0.0.1:3003/#contract?url=${encodeURIComponent(REVIEW_URL)}`);
  const review = await fetchContractReview(link.reviewUrl, world.transport);
  const record = await signContract(review, link, world.holder, MINIMUM_WAGE, world.transport);
  world.service.state = 'active';
  return { ...world, record: { ...record, state: 'active' } as LaborContractRecord };
}

describe('contract links', () => {
  it('reads the wallet link, its fragment and the review URL itself', () => {
    const expected = { reviewUrl: REVIEW_URL, id: 'c-1', token: 'secret-token' };
    expect(parseContractLink(`http://127.0.0.1:3003/#contract?url=${encodeURIComponent(REVIEW_URL)}`)).toEqual(expected);
    expect(parseContractLink(`#contract?url=${encodeURIComponent(REVIEW_URL)}`)).toEqual(expected);
    expect(parseContractLink(` ${REVIEW_URL} `)).toEqual(expected);
  });

  it.each([
    ['garbage', 'hello'],
    ['no token', `${ISSUER}/labor/contracts/c-1`],
    ['another path', `${ISSUER}/oid4vci/offers/1?t=x`],
    ['plain http off loopback', 'http://issuer.example/labor/contracts/c-1?t=x'],
    ['an empty url', '#contract?url='],
    ['an offer link', 'openid-credential-offer://?credential_offer_uri=x'],
  ])('refuses %s', (_name, text) => {
    expect(() => parseContractLink(text)).toThrowError(expect.objectContaining({ code: LaborWalletErrorCode.LinkInvalid }));
  });
});

describe('reviewing and signing a contract', () => {
  it('recomputes the hash, assesses the terms itself and signs the hash with the holder key (detached JWS)', async () => {
    const { service, transport, holder } = await setUp();
    const link = parseContractLink(REVIEW_URL);
    const review = await fetchContractReview(link.reviewUrl, transport);
    const check = checkContractReview(review, MINIMUM_WAGE);
    expect(check).toMatchObject({ hashMatches: true, canSign: true, unreported: [], businessNumberValid: true, recomputedHash: contractHash(document) });
    expect(check.assessment?.weeklyHolidayPayKrw).toBe(30960);
    const record = await signContract(review, link, holder, MINIMUM_WAGE, transport);
    expect(record).toMatchObject({ id: 'c-1', contractId: document.contractId, version: 1, state: 'awaiting-employer', hash: contractHash(document), reviewUrl: REVIEW_URL, employer: { did: EMPLOYER_DID }, events: [], receivedOffers: [] });
    expect(record.workerSignature.signer).toBe(holder.did);
    expect(record.workerSignature.jws).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const post = service.calls.find((call) => call.method === 'POST')!;
    expect(post.url).toBe(`${ISSUER}/labor/contracts/c-1/worker-signature?t=secret-token`);
    expect(post.body).toEqual({ jws: record.workerSignature.jws });
    expect(JSON.parse(decodeBase64urlText(record.workerSignature.jws.split('.')[0]!))).toEqual({ alg: 'ES256', kid: `${holder.did}#0` });
  });

  it('refuses to sign a document that does not hash to the hash asked for (a contract altered after the review)', async () => {
    const { service, transport, holder } = await setUp();
    service.doc = { ...document, hourlyWageKrw: 10500 };
    const review = await fetchContractReview(REVIEW_URL, transport);
    expect(checkContractReview(review, MINIMUM_WAGE)).toMatchObject({ hashMatches: false, canSign: false });
    await expect(signContract(review, parseContractLink(REVIEW_URL), holder, MINIMUM_WAGE, transport)).rejects.toMatchObject({ code: LaborWalletErrorCode.HashMismatch });
    expect(service.calls.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('refuses a wage below the minimum that the service said nothing of, with its own table', async () => {
    const { service, transport, holder } = await setUp();
    service.doc = { ...document, hourlyWageKrw: 9000 };
    service.hash = contractHash(service.doc as unknown as ContractDocument);
    const review = await fetchContractReview(REVIEW_URL, transport);
    const check = checkContractReview(review, MINIMUM_WAGE);
    expect(check).toMatchObject({ hashMatches: true, canSign: false, unreported: ['labor.wage-below-minimum'] });
    await expect(signContract(review, parseContractLink(REVIEW_URL), holder, MINIMUM_WAGE, transport)).rejects.toMatchObject({ code: LaborWalletErrorCode.TermsRefusedLocally, findings: ['labor.wage-below-minimum'] });
    expect(service.calls.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('tells a wrong token, a contract already signed and an unreadable answer by their codes', async () => {
    const { service, transport, holder } = await setUp();
    await expect(fetchContractReview(`${ISSUER}/labor/contracts/c-1?t=wrong`, transport)).rejects.toMatchObject({ code: LaborWalletErrorCode.ContractNotFound });
    const review = await fetchContractReview(REVIEW_URL, transport);
    service.state = 'awaiting-employer';
    await expect(signContract(review, parseContractLink(REVIEW_URL), holder, MINIMUM_WAGE, transport)).rejects.toMatchObject({ code: LaborWalletErrorCode.ContractState });
    const broken = { fetch: async () => json(200, { id: 'c-1' }), clock: transport.clock };
    await expect(fetchContractReview(REVIEW_URL, broken)).rejects.toMatchObject({ code: LaborWalletErrorCode.ReviewInvalid });
    const offline = { fetch: async () => Promise.reject(new TypeError('fetch failed')), clock: transport.clock };
    await expect(fetchContractReview(REVIEW_URL, offline)).rejects.toMatchObject({ code: LaborWalletErrorCode.Network });
  });

  it('lists the offers not received yet', async () => {
    const { record, service, transport } = await signedRecord();
    service.offers = [{ type: 'LaborContract', link: 'openid-credential-offer://?credential_offer_uri=a', state: 'offered' }];
    const review: ContractReview = await fetchContractReview(REVIEW_URL, transport);
    expect(waitingOffers(record, review).map((offer) => offer.type)).toEqual(['LaborContract']);
    expect(waitingOffers({ ...record, receivedOffers: ['openid-credential-offer://?credential_offer_uri=a'] }, review)).toEqual([]);
    service.offers.push({ type: 'WorkExperience', link: 'openid-credential-offer://?credential_offer_uri=b', state: 'redeemed' });
    expect(waitingOffers(record, await fetchContractReview(REVIEW_URL, transport))).toHaveLength(1);
  });
});

describe('workplace QRs', () => {
  it('reads the wallet link and the raw JWS, and refuses anything else', async () => {
    const signer = await employerSigner();
    const jws = await workplaceQr(signer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA');
    const link = `http://127.0.0.1:3003/#attend?qr=${encodeURIComponent(jws)}`;
    expect(parseWorkplaceQr(link)).toEqual({ jws, payload: { iss: EMPLOYER_DID, workplace: 'hangang-cafe', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', iat: 1772409600, exp: 1772409630 } });
    expect(parseWorkplaceQr(jws).jws).toBe(jws);
    expect(looksLikeWorkplaceQr(link) && looksLikeWorkplaceQr(jws)).toBe(true);
    expect(looksLikeWorkplaceQr('openid-credential-offer://?x')).toBe(false);
    const other = await signCompactJws({ alg: signer.alg, typ: 'JWT', kid: signer.kid }, { iss: EMPLOYER_DID, workplace: 'hangang-cafe', nonce: 'AAAAAAAAAAAAAAAAAAAAAA', iat: 1, exp: 31 }, signer);
    for (const text of [other, 'garbage', `#attend?qr=`, 'a.b.c']) expect(() => parseWorkplaceQr(text)).toThrowError(expect.objectContaining({ code: LaborWalletErrorCode.QrMalformed }));
  });

  it('finds the active contracts of the QR’s employer only', async () => {
    const { record, employer } = await signedRecord();
    const qr = parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA'));
    expect(contractsForQr([record, { ...record, id: 'c-2', state: 'ended' }, { ...record, id: 'c-3', employer: { name: 'x', did: 'did:ethr:other' } }], qr).map((r) => r.id)).toEqual(['c-1']);
  });
});

describe('attendance', () => {
  it('checks in, then out, keeping the co-signed copies; the chain checks and the timesheet counts the hours', async () => {
    const { record, employer, transport, holder, setNow, service } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const first = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    expect(first.signed.event).toMatchObject({ contractId: document.contractId, seq: 0, kind: 'check-in', prevHash: GENESIS_HASH, workplaceNonce: { nonce: 'AAAAAAAAAAAAAAAAAAAAAA', issuedAt: '2026-03-02T00:00:00.000Z' } });
    const post = service.calls.filter((call) => call.method === 'POST').at(-1)!;
    expect(post.body).toMatchObject({ qr: expect.stringMatching(/\./), workerSignature: first.signed.workerSignature });
    setNow('2026-03-02T05:30:10.000Z');
    const second = await recordAttendance(first.record, parseWorkplaceQr(await workplaceQr(employer, 1772429400, 'BBBBBBBBBBBBBBBBBBBBBB')), holder, transport);
    expect(second.signed.event).toMatchObject({ seq: 1, kind: 'check-out', prevHash: attendanceEventHash(first.signed.event) });
    expect(second.record.events).toHaveLength(2);
    const chain = await checkWalletChain(second.record, holder);
    expect(chain.valid).toBe(true);
    expect(chain.checks.find((c) => c.id === 'attendance.signatures')?.passed).toBe(true);
    const sheet = timesheetOf(second.record);
    expect(sheet).toMatchObject({ totalMinutes: 330, checkedIn: false, hourlyWageKrw: 10320, days: [{ day: '2026-03-02', minutes: 330 }], months: [{ month: '2026-03', minutes: 330, holidayHours: 0, payEstimateKrw: 56760 }] });
    const exported = JSON.parse(attendanceExport(second.record, new Date('2026-03-03T00:00:00Z')));
    expect(exported).toMatchObject({ format: 'citycred-attendance-export', contract: { hash: contractHash(document) }, head: attendanceEventHash(second.signed.event) });
    expect(exported.events).toHaveLength(2);
  });

  it('detects a co-signed copy edited afterwards (another time) and a signature of another key', async () => {
    const { record, employer, transport, holder, setNow } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const { record: checkedIn } = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    const edited = { ...checkedIn, events: [{ ...checkedIn.events[0]!, event: { ...checkedIn.events[0]!.event, at: '2026-03-01T23:00:00.000Z' } }] };
    const chain = await checkWalletChain(edited, holder);
    expect(chain.valid).toBe(false);
    expect(chain.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(expect.arrayContaining(['attendance.nonce-fresh', 'attendance.signatures']));
    // Checked against the key that signed the contract, not whichever wallet holds the copies (one restored from a backup).
    expect((await checkWalletChain(checkedIn, await newHolder())).valid).toBe(true);
    const otherSigner = { ...checkedIn, workerSignature: { ...checkedIn.workerSignature, signer: (await newHolder()).did } };
    expect((await checkWalletChain(otherSigner, holder)).checks.find((c) => c.id === 'attendance.signatures')?.passed).toBe(false);
  });

  it('builds again on the service’s head after an event recorded elsewhere, and retries a stale event once', async () => {
    const { record, employer, transport, holder, setNow, service } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const other = await newHolder();
    // The worker checked in from another phone of theirs: the wallet learns it when it syncs first.
    const fromElsewhere = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), other, transport);
    expect(fromElsewhere.signed.event.seq).toBe(0);
    setNow('2026-03-02T01:00:05.000Z');
    service.refuse = { status: 409, code: 'labor.attendance-stale', head: { seq: 0, hash: 'x' } };
    const out = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772413200, 'BBBBBBBBBBBBBBBBBBBBBB')), holder, transport);
    expect(out.signed.event).toMatchObject({ seq: 1, kind: 'check-out' });
    expect(out.record.events.map((e) => e.event.seq)).toEqual([0, 1]);
  });

  it('tells each refusal of the service by its code, stale twice included', async () => {
    const { record, employer, transport, holder, setNow, service } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const qr = parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA'));
    for (const code of ['labor.qr-expired', 'labor.qr-invalid', 'labor.nonce-reused', 'labor.attendance-order', 'labor.event-time', 'labor.contract-state', 'labor.signature-invalid']) {
      service.refuse = { status: 409, code };
      await expect(recordAttendance(record, qr, holder, transport)).rejects.toMatchObject({ code });
    }
    let stale = 0;
    const alwaysStale = { ...transport, fetch: async (input: string, init?: RequestInit) => (init?.method === 'POST' ? (stale++, problem(409, 'labor.attendance-stale')) : service.fetch(input, init)) };
    await expect(recordAttendance(record, qr, holder, alwaysStale)).rejects.toMatchObject({ code: LaborWalletErrorCode.AttendanceStale });
    expect(stale).toBe(2);
    const a = await recordAttendance(record, qr, holder, transport);
    await expect(recordAttendance(a.record, qr, holder, transport)).rejects.toMatchObject({ code: 'labor.nonce-reused' });
  });

  it('keeps its own copies when the service’s records differ (an edited or lost history)', async () => {
    const { record, employer, transport, holder, setNow, service } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const { record: mine } = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    service.events = [];
    expect((await syncAttendance(mine, transport)).record.events).toHaveLength(1);
    service.events = [{ ...mine.events[0]!, event: { ...mine.events[0]!.event, at: '2026-03-02T00:00:20.000Z' } } as SignedAttendanceEvent];
    await expect(syncAttendance(mine, transport)).rejects.toMatchObject({ code: LaborWalletErrorCode.AttendanceDiverged });
    expect(() => mergeAttendance(mine.events as SignedAttendanceEvent[], service.events)).toThrow(LaborWalletError);
  });

  it('signs a correction the employer proposed as a new event; the timesheet uses the corrected time', async () => {
    const { record, employer, transport, holder, setNow, service } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const a = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    setNow('2026-03-02T04:00:10.000Z');
    const b = await recordAttendance(a.record, parseWorkplaceQr(await workplaceQr(employer, 1772424000, 'BBBBBBBBBBBBBBBBBBBBBB')), holder, transport);
    const correction = { id: 'k-1', eventHash: attendanceEventHash(b.signed.event), at: '2026-03-02T05:00:10.000Z', reason: '마감 정리로 퇴근 QR을 늦게 찍음', proposedBy: 'admin', proposedAt: '2026-03-02T06:00:00.000Z' };
    service.pendingCorrections = [correction];
    expect((await syncAttendance(b.record, transport)).pendingCorrections).toEqual([{ id: 'k-1', eventHash: correction.eventHash, at: correction.at, reason: correction.reason, proposedAt: correction.proposedAt }]);
    setNow('2026-03-02T06:00:10.000Z');
    const c = await signCorrection(b.record, correction, holder, transport);
    expect(c.signed.event).toMatchObject({ seq: 2, kind: 'correction', corrects: { eventHash: correction.eventHash, at: correction.at, reason: correction.reason } });
    expect(service.calls.at(-1)!.body).not.toHaveProperty('qr');
    expect(timesheetOf(c.record).totalMinutes).toBe(300);
    expect((await checkWalletChain(c.record, holder)).valid).toBe(true);
  });
});

describe('the vault keeps labour contracts', () => {
  it('sealed, one record each, read back and replaced', async () => {
    const { record } = await signedRecord();
    const store = new MemoryStore();
    const vault = new Vault(store, { now: () => new Date('2026-03-02T00:00:00Z') });
    await vault.setUp('482913');
    await vault.saveLaborContract(record);
    expect(await vault.laborContract('c-1')).toEqual(record);
    expect(await vault.laborContract('nope')).toBeUndefined();
    expect(JSON.stringify(await store.get('labor/c-1'))).not.toContain('한강카페');
    await vault.saveLaborContract({ ...record, state: 'ended' });
    expect((await vault.laborContracts()).map((r) => r.state)).toEqual(['ended']);
    vault.lock();
    await expect(vault.laborContracts()).rejects.toMatchObject({ code: 'wallet.locked' });
  });
});

describe('backups carry the labour contracts and the worker’s co-signed copies', () => {
  const PASSPHRASE = 'correct horse battery';

  async function walletWith(...records: LaborContractRecord[]): Promise<Vault> {
    const vault = new Vault(new MemoryStore(), { now: () => new Date('2026-03-03T00:00:00Z') });
    await vault.setUp('482913');
    for (const record of records) await vault.saveLaborContract(record);
    return vault;
  }

  it('restores them on another phone, where the chain still checks (signed by the contract’s key, not the new wallet’s)', async () => {
    const { record, employer, transport, holder, setNow } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const a = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    setNow('2026-03-02T05:30:10.000Z');
    const b = await recordAttendance(a.record, parseWorkplaceQr(await workplaceQr(employer, 1772429400, 'BBBBBBBBBBBBBBBBBBBBBB')), holder, transport);
    const withSignature = { ...b.record, employerSignature: { signer: EMPLOYER_DID, signedAt: '2026-03-02T01:00:00.000Z', jws: 'eyJhbGciOiJFUzI1NksifQ..c2ln' } };
    const file = await (await walletWith(withSignature)).exportBackup(PASSPHRASE);
    expect(file).not.toContain('한강카페');

    const restored = await walletWith();
    expect(await restored.importBackup(file, PASSPHRASE, 'merge')).toEqual({ imported: 0, skipped: 0, removed: 0, laborContracts: 1 });
    const back = (await restored.laborContract('c-1'))!;
    expect(back).toEqual(withSignature);
    expect(timesheetOf(back).totalMinutes).toBe(330);
    expect((await checkWalletChain(back, await restored.holderKey())).valid).toBe(true);
    // Imported again: nothing new.
    expect((await restored.importBackup(file, PASSPHRASE, 'merge')).laborContracts).toBe(0);
  });

  it('merges: adds the events a held copy lacks, keeps the wallet’s own when they differ, and replace leaves exactly the backup’s', async () => {
    const { record, employer, transport, holder, setNow } = await signedRecord();
    setNow('2026-03-02T00:00:10.000Z');
    const a = await recordAttendance(record, parseWorkplaceQr(await workplaceQr(employer, 1772409600, 'AAAAAAAAAAAAAAAAAAAAAA')), holder, transport);
    setNow('2026-03-02T05:30:10.000Z');
    const b = await recordAttendance(a.record, parseWorkplaceQr(await workplaceQr(employer, 1772429400, 'BBBBBBBBBBBBBBBBBBBBBB')), holder, transport);
    const longer = await (await walletWith(b.record)).exportBackup(PASSPHRASE);

    // A wallet holding only the check-in gets the check-out.
    const behind = await walletWith(a.record);
    expect((await behind.importBackup(longer, PASSPHRASE, 'merge')).laborContracts).toBe(1);
    expect((await behind.laborContract('c-1'))!.events).toHaveLength(2);

    // A wallet whose copy differs at the same place keeps its own.
    const edited = { ...b.record, events: [{ ...b.record.events[0]!, event: { ...b.record.events[0]!.event, at: '2026-03-02T00:00:20.000Z' } }] };
    const diverged = await walletWith(edited);
    expect((await diverged.importBackup(longer, PASSPHRASE, 'merge')).laborContracts).toBe(0);
    expect(await diverged.laborContract('c-1')).toEqual(edited);

    // Replace: the backup's contracts only.
    const other = await walletWith({ ...a.record, id: 'c-2' }, edited);
    expect((await other.importBackup(longer, PASSPHRASE, 'replace')).laborContracts).toBe(1);
    expect(await other.laborContracts()).toEqual([b.record]);
  });

  it('reads a backup of a wallet from before labour contracts (none in it)', async () => {
    const { writeBackup } = await import('../backup.js');
    const file = await writeBackup({ exportedAt: '2026-01-01T00:00:00Z', credentials: [] }, PASSPHRASE);
    const { record } = await signedRecord();
    const vault = await walletWith(record);
    expect(await vault.importBackup(file, PASSPHRASE, 'merge')).toEqual({ imported: 0, skipped: 0, removed: 0, laborContracts: 0 });
    expect(await vault.laborContracts()).toEqual([record]);
  });
});

describe('a remembered contract read again', () => {
  it('takes the review’s state and lists its waiting offers', async () => {
    const { record, service, transport } = await signedRecord();
    service.state = 'ended';
    service.offers = [{ type: 'WorkExperience', link: 'openid-credential-offer://?credential_offer_uri=w', state: 'offered' }];
    const { record: updated, offers } = await (await import('./index.js')).refreshContract({ ...record, state: 'active' }, transport);
    expect(updated.state).toBe('ended');
    expect(offers.map((o) => o.type)).toEqual(['WorkExperience']);
    expect(updated.employerSignature).toBeUndefined();
  });

  it('keeps the employer’s countersignature once the review shows it (checked later against its key)', async () => {
    const { record, service, transport } = await signedRecord();
    service.employerSignature = { signer: EMPLOYER_DID, signedAt: '2026-03-02T01:00:00.000Z', jws: 'eyJhbGciOiJFUzI1NksifQ..c2ln' };
    const { record: updated } = await (await import('./index.js')).refreshContract(record, transport);
    expect(updated.employerSignature).toEqual(service.employerSignature);
  });
});
