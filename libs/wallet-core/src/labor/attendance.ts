import { attendanceEventHash, attendanceShifts, checkAttendanceChain, GENESIS_HASH, monthlyPayEstimate, readWorkplaceQr, verifyDetached, type AttendanceChainCheck, type AttendanceEvent, type SignedAttendanceEvent, type WorkplaceQrPayload } from '@citycred/labor';
import { publicJwkOfDid, type PublicJwk } from '@citycred/formats';
import { z } from 'zod';
import type { HolderKey } from '../holder-key.js';
import { isRecord, type WalletTransport } from '../oid4vci/http.js';
import { contractSubUrl, pendingCorrectionSchema, signDetachedHash, type PendingCorrection } from './contract.js';
import { LaborWalletError, LaborWalletErrorCode } from './errors.js';
import { laborErrorOf, laborRequest } from './http.js';
import { signedAttendanceEventSchema, type LaborContractRecord } from './record.js';

/** A workplace QR as the wallet reads it: the JWS (sent to the service, which checks the employer's signature) and its payload. */
export interface WorkplaceQr {
  readonly jws: string;
  readonly payload: WorkplaceQrPayload;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Whether a scanned text looks like a workplace QR (the wallet's `#attend?qr=` link or a compact JWS), so the scanner
 * can send it to attendance instead of receiving. Says nothing of its validity.
 */
export function looksLikeWorkplaceQr(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.includes('#attend?') || COMPACT_JWS.test(trimmed);
}

/**
 * Reads a workplace QR: the wallet's `#attend?qr=<jws>` link (or its fragment) or the JWS itself, its shape checked
 * with `readWorkplaceQr` of `@citycred/labor` (`citycred-workplace+jwt`, `{iss, workplace, nonce, iat, exp}`). Its
 * signature, freshness and nonce are the employer service's checks (the key is the employer's did:ethr on the city
 * chain, which the phone cannot read).
 * @throws LaborWalletError `labor.qr-malformed`
 */
export function parseWorkplaceQr(text: string): WorkplaceQr {
  const trimmed = text.trim();
  const at = trimmed.indexOf('#attend?');
  const jws = at === -1 ? trimmed : (new URLSearchParams(trimmed.slice(at + '#attend?'.length)).get('qr') ?? '').trim();
  const reading = readWorkplaceQr(jws);
  if (!reading.ok) throw new LaborWalletError(LaborWalletErrorCode.QrMalformed, `not a workplace QR: ${reading.reason}`);
  return { jws, payload: reading.payload };
}

/** The contracts a workplace QR may record attendance for: active ones whose employer signed the QR (`iss`). */
export function contractsForQr(records: readonly LaborContractRecord[], qr: WorkplaceQr): LaborContractRecord[] {
  return records.filter((record) => record.state === 'active' && record.employer.did === qr.payload.iss);
}

const attendanceAnswerSchema = z.object({ events: z.array(signedAttendanceEventSchema), pendingCorrections: z.array(pendingCorrectionSchema).default([]) }).passthrough();

/** The service's side of a contract's attendance. */
export interface ServiceAttendance {
  readonly events: readonly SignedAttendanceEvent[];
  readonly pendingCorrections: readonly PendingCorrection[];
}

/**
 * Reads the contract's attendance at the service (`GET …/attendance?t=`).
 * @throws LaborWalletError `labor.review-invalid`, the service's refusals, `labor.network`
 */
export async function fetchAttendance(record: LaborContractRecord, transport: WalletTransport): Promise<ServiceAttendance> {
  const answer = await laborRequest(transport, contractSubUrl(record.reviewUrl, 'attendance'));
  if (answer.status !== 200) throw laborErrorOf(answer, 'reading the attendance');
  const parsed = attendanceAnswerSchema.safeParse(answer.json);
  if (!parsed.success) throw new LaborWalletError(LaborWalletErrorCode.ReviewInvalid, 'the attendance answer has an unexpected shape', { cause: parsed.error });
  return { events: parsed.data.events as SignedAttendanceEvent[], pendingCorrections: parsed.data.pendingCorrections };
}

/**
 * Merges the service's events into the worker's own copies: the service's chain must continue the wallet's (the
 * same events, by hash, in the same places); then the longer one is kept. Events the service lost stay in the wallet.
 * @throws LaborWalletError `labor.attendance-diverged` when an event at the same place differs (the wallet's copies are kept)
 */
export function mergeAttendance(mine: readonly SignedAttendanceEvent[], theirs: readonly SignedAttendanceEvent[]): SignedAttendanceEvent[] {
  const shared = Math.min(mine.length, theirs.length);
  for (let i = 0; i < shared; i += 1) {
    if (attendanceEventHash(mine[i]!.event) !== attendanceEventHash(theirs[i]!.event)) {
      throw new LaborWalletError(LaborWalletErrorCode.AttendanceDiverged, `the service's event ${i} differs from the wallet's copy`);
    }
  }
  return theirs.length > mine.length ? [...mine, ...theirs.slice(mine.length)] : [...mine];
}

/**
 * Brings the worker's copies up to date from the service (a check-in made on another device of the worker's, or
 * events the wallet missed when an answer was lost).
 * @returns the record with the merged events, and the corrections the employer proposed
 */
export async function syncAttendance(record: LaborContractRecord, transport: WalletTransport): Promise<{ record: LaborContractRecord; pendingCorrections: readonly PendingCorrection[] }> {
  const service = await fetchAttendance(record, transport);
  const events = mergeAttendance(record.events as SignedAttendanceEvent[], service.events);
  return { record: { ...record, events: events as LaborContractRecord['events'], checkedAt: transport.clock.now().toISOString() }, pendingCorrections: service.pendingCorrections };
}

/** The contract id attendance events name: the chain's own (its first event's), else the contract's lineage id (the document's `contractId`, which every version of it shares). */
function chainContractId(record: LaborContractRecord): string {
  return record.events[0]?.event.contractId ?? record.contractId;
}

/** Whether the worker is checked in now by the chain: its last check-in or -out is a check-in. */
export function isCheckedIn(events: readonly SignedAttendanceEvent[]): boolean {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const kind = events[i]!.event.kind;
    if (kind === 'check-in') return true;
    if (kind === 'check-out') return false;
  }
  return false;
}

/** The next event after the wallet's copies: check-in when the last was a check-out (or none), else check-out. */
export function nextAttendanceEvent(record: LaborContractRecord, qr: WorkplaceQr, now: Date): AttendanceEvent {
  const events = record.events as SignedAttendanceEvent[];
  const last = events.at(-1);
  return {
    v: 1,
    contractId: chainContractId(record),
    seq: events.length,
    kind: isCheckedIn(events) ? 'check-out' : 'check-in',
    at: now.toISOString(),
    workplaceNonce: { nonce: qr.payload.nonce, issuedAt: new Date(qr.payload.iat * 1000).toISOString() },
    prevHash: last ? attendanceEventHash(last.event) : GENESIS_HASH,
  };
}

/** The correction event of a proposed correction, after the wallet's copies. */
export function correctionEvent(record: LaborContractRecord, correction: PendingCorrection, now: Date): AttendanceEvent {
  const events = record.events as SignedAttendanceEvent[];
  const last = events.at(-1);
  return {
    v: 1,
    contractId: chainContractId(record),
    seq: events.length,
    kind: 'correction',
    at: now.toISOString(),
    corrects: { eventHash: correction.eventHash, at: correction.at, reason: correction.reason },
    prevHash: last ? attendanceEventHash(last.event) : GENESIS_HASH,
  };
}

async function postEvent(record: LaborContractRecord, event: AttendanceEvent, holder: HolderKey, qr: WorkplaceQr | undefined, transport: WalletTransport): Promise<SignedAttendanceEvent> {
  const hash = attendanceEventHash(event);
  const workerSignature = await signDetachedHash(hash, holder.signer);
  const answer = await laborRequest(transport, contractSubUrl(record.reviewUrl, 'attendance'), { method: 'POST', body: JSON.stringify({ event, workerSignature, ...(qr ? { qr: qr.jws } : {}) }) });
  if (answer.status !== 200 && answer.status !== 201) throw laborErrorOf(answer, 'recording attendance');
  const signed = signedAttendanceEventSchema.safeParse(isRecord(answer.json) ? answer.json['signed'] : undefined);
  if (!signed.success || attendanceEventHash(signed.data.event as AttendanceEvent) !== hash || signed.data.workerSignature !== workerSignature) {
    throw new LaborWalletError(LaborWalletErrorCode.CosignatureMissing, 'the service did not return the co-signed event the wallet sent');
  }
  return signed.data as SignedAttendanceEvent;
}

/**
 * Sends an event built from the wallet's chain and keeps the co-signed copy: the chain is read again from the service
 * first, and once more when the service says it moved on (`labor.attendance-stale`: the event is rebuilt and signed
 * again, one retry).
 */
async function sendWithRetry(
  record: LaborContractRecord,
  build: (current: LaborContractRecord) => AttendanceEvent,
  holder: HolderKey,
  qr: WorkplaceQr | undefined,
  transport: WalletTransport,
): Promise<{ record: LaborContractRecord; signed: SignedAttendanceEvent }> {
  let current = (await syncAttendance(record, transport)).record;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const signed = await postEvent(current, build(current), holder, qr, transport);
      return { record: { ...current, events: [...current.events, signed] as LaborContractRecord['events'], checkedAt: transport.clock.now().toISOString() }, signed };
    } catch (error) {
      if (attempt > 0 || !(error instanceof LaborWalletError) || error.code !== LaborWalletErrorCode.AttendanceStale) throw error;
      current = (await syncAttendance(current, transport)).record;
    }
  }
}

/**
 * Checks in or out with a scanned workplace QR: the next event after the wallet's copies (refreshed from the service
 * first), signed with the holder key, sent with the QR, and the co-signed event kept.
 * @returns the record to save, with the co-signed event appended
 * @throws LaborWalletError the service's refusals (`labor.qr-expired`, `labor.nonce-reused`, `labor.qr-invalid`,
 *   `labor.attendance-order`, `labor.event-time`, `labor.contract-state`…), `labor.attendance-diverged`, `labor.network`
 */
export async function recordAttendance(record: LaborContractRecord, qr: WorkplaceQr, holder: HolderKey, transport: WalletTransport): Promise<{ record: LaborContractRecord; signed: SignedAttendanceEvent }> {
  return sendWithRetry(record, (current) => nextAttendanceEvent(current, qr, transport.clock.now()), holder, qr, transport);
}

/**
 * Signs a correction the employer proposed (a new event naming the corrected one, the time it should have had and
 * why) and keeps the co-signed copy.
 */
export async function signCorrection(record: LaborContractRecord, correction: PendingCorrection, holder: HolderKey, transport: WalletTransport): Promise<{ record: LaborContractRecord; signed: SignedAttendanceEvent }> {
  return sendWithRetry(record, (current) => correctionEvent(current, correction, transport.clock.now()), holder, undefined, transport);
}

/** Verifies an ES256 detached JWS over `hash` with a P-256 public JWK (WebCrypto). Never throws. */
export async function verifyDetachedEs256(jws: string, hash: string, jwk: PublicJwk): Promise<boolean> {
  const check = await verifyDetached(jws, hash, async ({ header, signingInput, signature }) => {
    if (header.alg !== 'ES256') return false;
    const key = await globalThis.crypto.subtle.importKey('jwk', { kty: jwk.kty, ...(jwk.crv ? { crv: jwk.crv } : {}), ...(jwk.x ? { x: jwk.x } : {}), ...(jwk.y ? { y: jwk.y } : {}) }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    return globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(signature), new Uint8Array(signingInput));
  });
  return check.valid;
}

/** The worker's key the contract was signed with (its `did:jwk`), else this wallet's. */
function workerJwkOf(record: LaborContractRecord, holder: HolderKey | undefined): PublicJwk | undefined {
  try {
    return publicJwkOfDid(record.workerSignature.signer);
  } catch {
    return holder?.jwk;
  }
}

/**
 * Checks the worker's own copies (`checkAttendanceChain` of `@citycred/labor`): the links, sequence, times, nonces,
 * pairing and corrections, and that each event carries the worker's signature by the key that signed the contract
 * (this wallet's, or the wallet's a backup came from) and an employer signature in the detached-JWS form. The
 * employer's signatures themselves are checked against its did:ethr key by {@link checkEmployerSignatures}.
 */
export async function checkWalletChain(record: LaborContractRecord, holder: HolderKey | undefined): Promise<AttendanceChainCheck> {
  const events = record.events as SignedAttendanceEvent[];
  const worker = workerJwkOf(record, holder);
  return checkAttendanceChain(events, {
    contractId: chainContractId(record),
    ...(worker
      ? {
          signatures: async (signed: SignedAttendanceEvent, hash: string) =>
            /^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/.test(signed.employerSignature) && (await verifyDetachedEs256(signed.workerSignature, hash, worker)),
        }
      : {}),
  });
}

/** A day of the timesheet: its shifts and minutes. */
export interface TimesheetDay {
  readonly day: string;
  readonly shifts: readonly { readonly start: string; readonly end: string; readonly minutes: number }[];
  readonly minutes: number;
}

/** The worker's timesheet from the wallet's own copies: days, months and totals, pay estimated with the contract's wage. */
export interface Timesheet {
  readonly days: readonly TimesheetDay[];
  readonly months: readonly { readonly month: string; readonly minutes: number; readonly holidayHours: number; readonly payEstimateKrw: number }[];
  readonly totalMinutes: number;
  /** Whether the worker is checked in now (an open shift, not counted yet). */
  readonly checkedIn: boolean;
  readonly hourlyWageKrw: number;
}

/**
 * The timesheet of the wallet's copies: shifts (check-in to check-out, corrected times) per KST day, minutes per month
 * and each month's pay estimate as the employer's console computes it (`monthlyPayEstimate` of `@citycred/labor`:
 * worked hours × the contract's hourly wage, plus the weekly holiday allowance the weeks earn when the contract grants
 * it; no premiums or deductions).
 */
export function timesheetOf(record: LaborContractRecord): Timesheet {
  const events = (record.events as SignedAttendanceEvent[]).map((signed) => signed.event);
  const wage = typeof record.document['hourlyWageKrw'] === 'number' ? record.document['hourlyWageKrw'] : 0;
  const days = new Map<string, { day: string; shifts: { start: string; end: string; minutes: number }[]; minutes: number }>();
  let totalMinutes = 0;
  const shifts = attendanceShifts(events);
  for (const shift of shifts) {
    const day = days.get(shift.day) ?? { day: shift.day, shifts: [], minutes: 0 };
    day.shifts.push({ start: shift.start, end: shift.end, minutes: shift.minutes });
    day.minutes += shift.minutes;
    days.set(shift.day, day);
    totalMinutes += shift.minutes;
  }
  return {
    days: [...days.values()],
    months: monthlyPayEstimate(shifts, { hourlyWageKrw: wage, weeklyHolidayAllowance: record.document['weeklyHolidayAllowance'] === true }),
    totalMinutes,
    checkedIn: isCheckedIn(record.events as SignedAttendanceEvent[]),
    hourlyWageKrw: wage,
  };
}

/** The worker's proof as a file: the contract, its hash and both signatures' holder, and every co-signed event. */
export function attendanceExport(record: LaborContractRecord, now: Date): string {
  return JSON.stringify(
    {
      format: 'citycred-attendance-export',
      version: 1,
      exportedAt: now.toISOString(),
      contract: { id: record.id, contractId: record.contractId, version: record.version, hash: record.hash, document: record.document, workerSignature: record.workerSignature, employer: record.employer },
      events: record.events,
      head: record.events.length ? attendanceEventHash(record.events.at(-1)!.event as AttendanceEvent) : GENESIS_HASH,
    },
    null,
    2,
  );
}
