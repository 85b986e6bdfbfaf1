import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FixedClock } from '@citycred/config';
import { decodeCompactJws, didEthrAddress, didJwkOf, nobleSignatureCrypto, publicJwkOfDid, type PublicJwk } from '@citycred/formats';
import { AttendanceAnchoring } from '@citycred/issuer';
import { attendanceEventHash, checkAttendanceChain, GENESIS_HASH, signDetached, verifyDetached, type AttendanceEvent, type SignedAttendanceEvent } from '@citycred/labor';
import { OperatorStore } from '@citycred/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'attendance e2e password';
const EMPLOYER = 'hangang-cafe';

/** A café part-timer: Monday to Friday 09:00–13:30 with a 30-minute break, 20 hours a week, 10,320 KRW an hour. */
const TERMS = {
  worker: { name: '이도윤' },
  workplace: { name: '한강카페 여의도점', address: '서울특별시 영등포구 여의동로 330' },
  duties: '음료 제조 및 매장 관리',
  role: '바리스타',
  period: { start: '2026-11-02', end: '2026-12-31' },
  hourlyWageKrw: 10_320,
  weeklyHours: 20,
  workDays: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, startTime: '09:00', endTime: '13:30' })),
  breaks: [{ startTime: '11:00', endTime: '11:30' }],
  weeklyHolidayAllowance: true,
  weeklyHoliday: 'sun',
  annualLeave: 'statutory',
  wagePayment: { payDay: 10, method: 'bank-transfer' },
  socialInsurance: { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true },
};

/** The worker's wallet key (P-256) and did:jwk; signs hashes as detached ES256 JWS with `kid` `<did>#0`. */
function workerWallet() {
  const privateKey = p256.utils.randomPrivateKey();
  const point = p256.getPublicKey(privateKey, false);
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: b64(point.slice(1, 33)), y: b64(point.slice(33)) };
  const did = didJwkOf(jwk);
  return {
    did,
    sign: (hash: string) => signDetached({ alg: 'ES256', kid: `${did}#0` }, hash, (input) => p256.sign(sha256(input), privateKey).toCompactRawBytes()),
  };
}

/**
 * Attendance that cannot be forged, over HTTP through the real issuer on anvil (docs/labor.md, "Attendance"): an
 * active contract of the demo employer, check-in and check-out with the rotating workplace QR, every tampering
 * attempt refused with its code, the worker's own copies verifying alone, corrections, the timesheet and pay
 * estimate in both views, and the day's chain head anchored with a proof. The issuer's clock is a FixedClock the test
 * moves, so "a QR older than 30 s" is a QR shown 40 s before the check-in, not a test that waits.
 */
describe('labour attendance', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let cookie = '';
  let otherCookie = '';
  let contractId = '';
  let chainId = '';
  let token = '';
  let employerDid = '';
  const worker = workerWallet();
  /** The worker's own copies of the co-signed events, as the wallet keeps them. */
  const copies: SignedAttendanceEvent[] = [];
  /** The QR the worker checked in with. */
  let checkInQr = { jws: '', issuedAt: '' };

  const signIn = async (tenant: string, username: string) => {
    const answer = await send(`${p.issuer.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
      body: JSON.stringify({ tenant, username, password: PASSWORD }),
    });
    expect(answer.status, answer.text).toBe(200);
    return answer.headers.get('set-cookie')!.split(';')[0]!;
  };
  /** A console call as the café's admin (or the office's): signed in again when the clock moved past the session. */
  const consoleCall = async (method: string, path: string, body?: unknown, as: 'cafe' | 'office' = 'cafe'): Promise<Answer> => {
    const call = () =>
      send(`${p.issuer.url}/console/api${path}`, {
        method,
        headers: { cookie: as === 'cafe' ? cookie : otherCookie, ...(method === 'GET' ? {} : { 'x-citycred-console': '1' }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const answer = await call();
    if (answer.status !== 401) return answer;
    if (as === 'cafe') cookie = await signIn(EMPLOYER, 'cafe-admin');
    else otherCookie = await signIn('seoul-citizen', 'office-admin');
    return call();
  };
  const attendanceUrl = (t = token, id = contractId) => `${p.issuer.url}/labor/contracts/${id}/attendance?t=${encodeURIComponent(t)}`;
  const post = (body: unknown, t = token) => send(attendanceUrl(t), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const workplaceQr = async () => {
    const answer = await consoleCall('GET', '/labor/workplace-qr');
    expect(answer.status, answer.text).toBe(200);
    return answer.body as { jws: string; link: string; issuedAt: string; expiresAt: string; refreshInSeconds: number };
  };
  const head = () => {
    const last = copies[copies.length - 1];
    return last ? { seq: last.event.seq, hash: attendanceEventHash(last.event) } : { seq: -1, hash: GENESIS_HASH };
  };
  const punch = (kind: 'check-in' | 'check-out', qr: { jws: string; issuedAt: string }, at = clock.now().toISOString()): AttendanceEvent => {
    const nonce = decodeCompactJws(qr.jws).payload['nonce'] as string;
    return { v: 1, contractId: chainId, seq: head().seq + 1, kind, at, workplaceNonce: { nonce, issuedAt: qr.issuedAt }, prevHash: head().hash };
  };
  const signed = async (event: AttendanceEvent) => ({ event, workerSignature: await worker.sign(attendanceEventHash(event)) });
  const accept = async (body: { event: AttendanceEvent; workerSignature: string; qr?: string }) => {
    const answer = await post(body);
    expect(answer.status, answer.text).toBe(201);
    copies.push(answer.body.signed);
    return answer;
  };
  const refusal = (answer: { status: number; type: string; body: any }) => ({ status: answer.status, code: answer.body?.code, problem: answer.type.includes('application/problem+json') });
  /** Checks copies with only public keys: the worker's did:jwk and the employer's did:ethr (its address). */
  const verifyCopies = (events: readonly SignedAttendanceEvent[]) =>
    checkAttendanceChain(events, {
      contractId: chainId,
      signatures: async (s, hash) =>
        (await verifyDetached(s.workerSignature, hash, (jws) => nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: publicJwkOfDid(worker.did) }, jws.signingInput, jws.signature))).valid &&
        (await verifyDetached(s.employerSignature, hash, (jws) =>
          nobleSignatureCrypto.verify('ES256K', { kind: 'ethereum-address', address: didEthrAddress(employerDid, 'citycred')! }, jws.signingInput, jws.signature),
        )).valid,
    });

  beforeAll(async () => {
    p = await startTestPlatform('labor_attendance_e2e', { clock });
    // A Monday morning, 09:00 KST, after the chain's latest block.
    const chainNow = Number((await p.provider.getBlock('latest'))!.timestamp) * 1000;
    const monday = new Date(chainNow + 7 * 86_400_000);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    monday.setUTCHours(0, 0, 5, 0);
    clock.set(monday);
    const store = new OperatorStore(p.issuer.runtime.dataSource, clock);
    const cafe = (await p.issuer.runtime.tenants.findBySlug(EMPLOYER))!;
    employerDid = cafe.did;
    await store.create(cafe.id, { username: 'cafe-admin', displayName: 'Cafe admin', role: 'admin', password: PASSWORD });
    const office = (await p.issuer.runtime.tenants.findBySlug('seoul-citizen'))!;
    await store.create(office.id, { username: 'office-admin', displayName: 'Office admin', role: 'admin', password: PASSWORD });
    cookie = await signIn(EMPLOYER, 'cafe-admin');
    otherCookie = await signIn('seoul-citizen', 'office-admin');

    // The contract through the contracts API: drafted, signed by the worker's wallet, countersigned: active.
    const drafted = await consoleCall('POST', '/labor/contracts', TERMS);
    expect(drafted.status, drafted.text).toBe(201);
    contractId = drafted.body.id;
    chainId = drafted.body.document.contractId;
    const review = new URL(drafted.body.reviewLink.includes('#contract?url=') ? decodeURIComponent(drafted.body.reviewLink.split('#contract?url=')[1]) : drafted.body.reviewLink);
    token = review.searchParams.get('t')!;
    const workerSigned = await send(`${p.issuer.url}/labor/contracts/${contractId}/worker-signature?t=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jws: await worker.sign(drafted.body.hash) }),
    });
    expect(workerSigned.status, workerSigned.text).toBe(200);
    const countersigned = await consoleCall('POST', `/labor/contracts/${contractId}/countersign`);
    expect(countersigned.status, countersigned.text).toBe(200);
    expect(countersigned.body.state).toBe('active');
  });
  afterAll(async () => p?.stop());

  it('shows the workplace a QR signed by the employer that changes every 30 seconds', async () => {
    const first = await workplaceQr();
    const again = await workplaceQr();
    expect(again.jws).toBe(first.jws);
    const jws = decodeCompactJws(first.jws);
    expect(jws.header).toMatchObject({ alg: 'ES256K', typ: 'citycred-workplace+jwt' });
    const iat = Date.parse(first.issuedAt) / 1000;
    expect(jws.payload).toEqual({ iss: employerDid, workplace: EMPLOYER, nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), iat, exp: iat + 30 });
    expect(first.expiresAt).toBe(new Date((iat + 30) * 1000).toISOString());
    expect(first.link).toBe(first.jws); // no WALLET_URL on this issuer: the JWS itself
    expect(first.refreshInSeconds).toBe(25); // 5 s into the window
    clock.advance(30_000);
    const next = await workplaceQr();
    expect(decodeCompactJws(next.jws).payload['nonce']).not.toBe(jws.payload['nonce']);
    expect(Date.parse(next.issuedAt)).toBe(Date.parse(first.issuedAt) + 30_000);
    // Only employers have workplaces.
    expect(refusal(await consoleCall('GET', '/labor/workplace-qr', undefined, 'office'))).toEqual({ status: 403, code: 'labor.employer-only', problem: true });
  });

  it('checks the worker in with a fresh QR: the employer countersigns and the head moves', async () => {
    const qr = await workplaceQr();
    checkInQr = qr;
    const answer = await accept({ ...(await signed(punch('check-in', qr))), qr: qr.jws });
    const event = answer.body.signed.event as AttendanceEvent;
    expect(answer.body.head).toEqual({ seq: 0, hash: attendanceEventHash(event) });
    expect(event).toMatchObject({ seq: 0, kind: 'check-in', prevHash: GENESIS_HASH, contractId: chainId });
    expect(answer.body.signed.employerSignature).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
  });

  it('refuses an edited attendance time: the worker signed another hash', async () => {
    clock.advance(4 * 3600_000);
    const qr = await workplaceQr();
    const body = await signed(punch('check-out', qr));
    const edited = { ...body, event: { ...body.event, at: new Date(Date.parse(body.event.at) + 3600_000).toISOString() }, qr: qr.jws };
    expect(refusal(await post(edited))).toEqual({ status: 400, code: 'labor.signature-invalid', problem: true });
    // Signed by another key than the contract's worker: refused alike.
    const stranger = workerWallet();
    const foreign = { event: body.event, workerSignature: await stranger.sign(attendanceEventHash(body.event)), qr: qr.jws };
    expect(refusal(await post(foreign))).toEqual({ status: 400, code: 'labor.signature-invalid', problem: true });
  });

  it('refuses a QR nonce the contract already used, and a check-in while checked in', async () => {
    // The check-in's QR scanned again while it is still fresh (within its 30 seconds): its nonce was used.
    clock.set(new Date(Date.parse(checkInQr.issuedAt) + 20_000));
    const reused = await signed(punch('check-out', checkInQr));
    expect(refusal(await post({ ...reused, qr: checkInQr.jws }))).toEqual({ status: 409, code: 'labor.nonce-reused', problem: true });
    clock.advance(4 * 3600_000);
    const qr = await workplaceQr();
    const twice = await signed(punch('check-in', qr));
    expect(refusal(await post({ ...twice, qr: qr.jws }))).toEqual({ status: 409, code: 'labor.attendance-order', problem: true });
  });

  it('refuses a check-out from a QR shown more than 30 seconds before', async () => {
    const qr = await workplaceQr();
    clock.advance(40_000);
    const late = await signed(punch('check-out', qr));
    expect(refusal(await post({ ...late, qr: qr.jws }))).toEqual({ status: 400, code: 'labor.qr-expired', problem: true });
  });

  it("refuses another employer's QR, a forged one, one the employer never issued, and none at all", async () => {
    const qr = await workplaceQr();
    const body = await signed(punch('check-out', qr));
    const [h, payload, s] = qr.jws.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeCompactJws(qr.jws).payload, workplace: 'mangwon-bakery' })).toString('base64url');
    expect(refusal(await post({ ...body, qr: `${h}.${forgedPayload}.${s}` }))).toEqual({ status: 400, code: 'labor.qr-invalid', problem: true });
    const otherSignature = Buffer.from(new Uint8Array(64).fill(7)).toString('base64url');
    expect(refusal(await post({ ...body, qr: `${h}.${payload}.${otherSignature}` }))).toEqual({ status: 400, code: 'labor.qr-invalid', problem: true });
    expect(refusal(await post(body))).toEqual({ status: 400, code: 'labor.qr-invalid', problem: true });
    expect(refusal(await post({ ...body, qr: 'not a jws' }))).toEqual({ status: 400, code: 'labor.qr-invalid', problem: true });
  });

  it('refuses an event built on a stale head with 409 and the current head', async () => {
    const qr = await workplaceQr();
    const stale = { ...punch('check-out', qr), seq: 0, prevHash: GENESIS_HASH };
    const answer = await post({ ...(await signed(stale)), qr: qr.jws });
    expect(refusal(answer)).toEqual({ status: 409, code: 'labor.attendance-stale', problem: true });
    expect(answer.body.head).toEqual(head());
  });

  it('refuses an event time far from the server clock and a wrong token', async () => {
    const qr = await workplaceQr();
    const early = await signed(punch('check-out', qr, new Date(clock.now().getTime() - 10 * 60_000).toISOString()));
    expect(refusal(await post({ ...early, qr: qr.jws }))).toEqual({ status: 400, code: 'labor.event-time', problem: true });
    const body = await signed(punch('check-out', qr));
    expect(refusal(await post({ ...body, qr: qr.jws }, `${token}x`))).toEqual({ status: 404, code: 'labor.contract-not-found', problem: true });
  });

  it('checks the worker out with a fresh QR; the worker copies alone verify, and a tampered copy does not', async () => {
    const qr = await workplaceQr();
    // As a wallet posts it when the camera read the wallet link the QR encodes (with WALLET_URL set).
    await accept({ ...(await signed(punch('check-out', qr))), qr: `http://127.0.0.1:1/#attend?qr=${encodeURIComponent(qr.jws)}` });
    const verdict = await verifyCopies(copies);
    expect(verdict.valid, JSON.stringify(verdict.checks)).toBe(true);
    expect(verdict.head).toBe(head().hash);
    const tampered = structuredClone(copies);
    (tampered[1]!.event as { at: string }).at = new Date(Date.parse(tampered[1]!.event.at) + 3600_000).toISOString();
    expect((await verifyCopies(tampered)).checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(expect.arrayContaining(['attendance.signatures']));
  });

  it('corrects a check-in with a new co-signed event the employer proposed and the worker signed', async () => {
    const target = copies[0]!;
    const correctedAt = new Date(Date.parse(target.event.at) - 10 * 60_000).toISOString();
    const proposal = { eventHash: attendanceEventHash(target.event), at: correctedAt, reason: '태블릿 오류로 늦게 찍힘 / the tablet was down' };
    const proposed = await consoleCall('POST', `/labor/contracts/${contractId}/corrections`, proposal);
    expect(proposed.status, proposed.text).toBe(201);
    expect(proposed.body).toMatchObject({ ...proposal, proposedBy: 'cafe-admin' });
    expect(refusal(await consoleCall('POST', `/labor/contracts/${contractId}/corrections`, { ...proposal, eventHash: `0x${'1'.repeat(64)}` }))).toEqual({ status: 400, code: 'request.invalid', problem: true });
    const pending = await send(attendanceUrl());
    expect(pending.body.pendingCorrections).toEqual([proposed.body]);
    // The worker's contract view lists it too (the wallet signs it from there).
    expect((await send(`${p.issuer.url}/labor/contracts/${contractId}?t=${encodeURIComponent(token)}`)).body.pendingCorrections).toEqual([proposed.body]);
    const correction = (reason: string): AttendanceEvent => ({ v: 1, contractId: chainId, seq: head().seq + 1, kind: 'correction', at: clock.now().toISOString(), corrects: { eventHash: proposal.eventHash, at: correctedAt, reason }, prevHash: head().hash });
    expect(refusal(await post(await signed(correction('my own reason'))))).toEqual({ status: 404, code: 'labor.correction-not-found', problem: true });
    await accept(await signed(correction(proposal.reason)));
    expect((await send(attendanceUrl())).body.pendingCorrections).toEqual([]);
  });

  it("answers the same timesheet and pay estimate to the worker and the employer, with both signatures checked", async () => {
    const workerView = await send(attendanceUrl());
    const employerView = await consoleCall('GET', `/labor/contracts/${contractId}/attendance`);
    expect(workerView.status, workerView.text).toBe(200);
    expect(employerView.body).toEqual(workerView.body);
    const view = workerView.body;
    expect(view.events).toEqual(copies);
    expect(view.check.valid, JSON.stringify(view.check.checks)).toBe(true);
    expect(view.check.checks.map((c: { id: string }) => c.id)).toContain('attendance.signatures');
    expect(view.head).toEqual(head());
    // Checked in at 09:00:05 KST (corrected to 08:50:05), out at 13:00:05 + 30 s + the clock steps: one shift.
    const shift = view.shifts[0];
    expect(view.shifts).toHaveLength(1);
    expect(shift.start).toBe(new Date(Date.parse(copies[0]!.event.at) - 10 * 60_000).toISOString());
    const minutes = Math.floor((Date.parse(shift.end) - Date.parse(shift.start)) / 60_000);
    expect(view.totalMinutes).toBe(minutes);
    // Under 15 hours in the week: no weekly holiday allowance yet, only the hours.
    expect(view.monthly).toEqual([{ month: shift.day.slice(0, 7), minutes, payEstimateKrw: Math.round((minutes / 60) * 10_320) }]);
    expect(view.pendingCorrections).toEqual([]);
    // Another tenant's console does not see the contract.
    expect(refusal(await consoleCall('GET', `/labor/contracts/${contractId}/attendance`, undefined, 'office'))).toEqual({ status: 403, code: 'labor.employer-only', problem: true });
  });

  it("anchors the day's chain head; its proof is at /anchors/proofs", async () => {
    // The issuer's clock runs days ahead of the chain here: read the accreditations again at this time.
    await p.accreditations.refresh();
    const queued = await p.issuer.app.get(AttendanceAnchoring).anchorNewHeads();
    expect(queued).toEqual([{ contractId: chainId, day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), seq: head().seq, hash: head().hash }]);
    expect(await p.issuer.app.get(AttendanceAnchoring).anchorNewHeads()).toEqual([]);
    const pending = await send(`${p.issuer.url}/anchors/proofs/${head().hash}`);
    expect(pending.status, pending.text).toBe(202);
    const run = await p.worker.runOnce();
    expect(run.anchored, JSON.stringify(run)).toBeGreaterThanOrEqual(1);
    const proof = await send(`${p.issuer.url}/anchors/proofs/${head().hash}`);
    expect(proof.status, proof.text).toBe(200);
    expect(proof.body).toMatchObject({ credentialHash: head().hash, status: 'anchored' });
  });

  it('refuses attendance once the contract has ended', async () => {
    const ended = await consoleCall('POST', `/labor/contracts/${contractId}/end`, { endDate: clock.now().toISOString().slice(0, 10) });
    expect(ended.status, ended.text).toBe(200);
    const qr = await workplaceQr();
    expect(refusal(await post({ ...(await signed(punch('check-in', qr))), qr: qr.jws }))).toEqual({ status: 409, code: 'labor.contract-state', problem: true });
  });
});
