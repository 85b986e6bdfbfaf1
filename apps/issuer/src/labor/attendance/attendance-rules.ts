import { AppError, ErrorCode } from '@citycred/errors';
import { GENESIS_HASH, WORKPLACE_NONCE_MAX_AGE_SECONDS, type AttendanceEvent, type WorkplaceQrPayload } from '@citycred/labor';

/**
 * The rules an attendance event must meet before the employer's service countersigns it (docs/labor.md,
 * "Attendance"), as pure functions of the contract's head, the event, the workplace QR and the server's clock. The
 * store applies them under the head's lock; the service checks signatures and the QR's issuer around them.
 */

/** Seconds of clock difference allowed between the workplace tablet, the phone and the server. */
export const ATTENDANCE_SKEW_SECONDS = 5;
/** How far an event's `at` may be from the server's clock when it is posted (a wallet on a slow network). */
export const EVENT_TIME_WINDOW_SECONDS = 60;
/** How long one workplace QR (one nonce) is shown: a new one every 30 seconds. */
export const WORKPLACE_QR_SECONDS = WORKPLACE_NONCE_MAX_AGE_SECONDS;

/** A contract's attendance head as the service answers it: the last event's seq (−1 before the first) and hash. */
export interface AttendanceHead {
  readonly seq: number;
  readonly hash: string;
}

/** The head's state the rules need: the head, whether the worker is checked in, and the last event's time. */
export interface HeadState {
  readonly head: AttendanceHead;
  /** The last check-in or -out's kind, or null before the first. */
  readonly lastPunch: 'check-in' | 'check-out' | null;
  /** The last event's `at`, or null before the first. */
  readonly lastAt: string | null;
}

/** The head of a contract with no events. */
export const EMPTY_HEAD: AttendanceHead = Object.freeze({ seq: -1, hash: GENESIS_HASH });

const UTC_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

/** Milliseconds of an ISO 8601 UTC instant (`…Z`), or undefined. */
export function utcInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !UTC_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The start (unix seconds) of the 30-second window an instant falls in: the `iat` of the QR shown then. */
export function workplaceWindowStart(now: Date): number {
  return Math.floor(now.getTime() / 1000 / WORKPLACE_QR_SECONDS) * WORKPLACE_QR_SECONDS;
}

/**
 * Whether a workplace QR may still be used now: issued at most 30 seconds (plus {@link ATTENDANCE_SKEW_SECONDS}) ago
 * and not in the future beyond the skew.
 * @throws AppError `labor.qr-expired`
 */
export function requireFreshQr(qr: Pick<WorkplaceQrPayload, 'iat'>, now: Date): void {
  const age = now.getTime() / 1000 - qr.iat;
  if (age > WORKPLACE_QR_SECONDS + ATTENDANCE_SKEW_SECONDS || age < -ATTENDANCE_SKEW_SECONDS) {
    throw new AppError(ErrorCode.LaborQrExpired, `The workplace QR was issued ${Math.round(age)} s ago; a check-in or -out needs one at most ${WORKPLACE_QR_SECONDS} s old. Scan the QR shown now.`);
  }
}

/**
 * Checks an event against the contract's head and the server's clock: it follows the head (seq and prevHash, else
 * 409 `labor.attendance-stale` with the head), its time is near now and not before the last event's, and check-ins
 * and check-outs alternate; a check-in or -out names the scanned QR's nonce and issue time and was made while it was
 * fresh. The event's shape (contract, `v`, kind, members) is checked before, by {@link requireEventShape}.
 * @param qr - the verified workplace QR of a check-in or -out (undefined for a correction)
 * @throws AppError `labor.attendance-stale`, `labor.event-time`, `labor.attendance-order`, `labor.qr-invalid`,
 *   `labor.qr-expired`
 */
export function requireAppendable(state: HeadState, event: AttendanceEvent, now: Date, qr?: Pick<WorkplaceQrPayload, 'nonce' | 'iat'>): void {
  if (event.seq !== state.head.seq + 1 || event.prevHash !== state.head.hash) {
    throw new AppError(ErrorCode.LaborAttendanceStale, `The event must have seq ${state.head.seq + 1} and name the head ${state.head.hash}: another event was recorded first. Build it again on this head.`, {
      extensions: { head: state.head },
    });
  }
  const at = utcInstant(event.at)!;
  if (Math.abs(at - now.getTime()) > EVENT_TIME_WINDOW_SECONDS * 1000) {
    throw new AppError(ErrorCode.LaborEventTime, `The event's time ${event.at} is more than ${EVENT_TIME_WINDOW_SECONDS} s from the server's clock (${now.toISOString()}).`);
  }
  const lastAt = utcInstant(state.lastAt ?? undefined);
  if (lastAt !== undefined && at < lastAt) throw new AppError(ErrorCode.LaborEventTime, `The event's time ${event.at} is before the previous event's (${state.lastAt}).`);
  if (event.kind === 'correction') return;
  if (event.kind === 'check-in' && state.lastPunch === 'check-in') throw new AppError(ErrorCode.LaborAttendanceOrder, 'The worker is already checked in: check out first.');
  if (event.kind === 'check-out' && state.lastPunch !== 'check-in') throw new AppError(ErrorCode.LaborAttendanceOrder, 'The worker is not checked in: check in first.');
  if (!qr) throw new AppError(ErrorCode.LaborQrInvalid, 'A check-in or -out needs the workplace QR that was scanned (`qr`).');
  if (event.workplaceNonce?.nonce !== qr.nonce || utcInstant(event.workplaceNonce.issuedAt) !== qr.iat * 1000) {
    throw new AppError(ErrorCode.LaborQrInvalid, "The event's workplaceNonce must be the scanned QR's nonce and issue time (iat).");
  }
  const age = (at - qr.iat * 1000) / 1000;
  if (age > WORKPLACE_QR_SECONDS + ATTENDANCE_SKEW_SECONDS || age < -ATTENDANCE_SKEW_SECONDS) {
    throw new AppError(ErrorCode.LaborQrExpired, `The workplace QR was ${Math.round(age)} s old at the event's time; it may be at most ${WORKPLACE_QR_SECONDS} s old.`);
  }
}

/**
 * Checks an event's shape: `v: 1`, this contract, a known kind, an ISO 8601 UTC `at`, a `workplaceNonce` on a
 * check-in or -out and none on a correction, a complete `corrects` on a correction and none otherwise, and no other
 * members (the event is hashed as given: an unknown member would be signed by both without meaning anything).
 * @throws AppError `request.invalid`
 */
export function requireEventShape(event: unknown, contractId: string): asserts event is AttendanceEvent {
  const invalid = (detail: string) => new AppError(ErrorCode.RequestInvalid, `The attendance event is not valid: ${detail}.`);
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw invalid('it must be an object');
  const e = event as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !['v', 'contractId', 'seq', 'kind', 'at', 'workplaceNonce', 'corrects', 'prevHash'].includes(k));
  if (extra.length > 0) throw invalid(`unexpected members ${extra.join(', ')}`);
  if (e['v'] !== 1) throw invalid('v must be 1');
  if (e['contractId'] !== contractId) throw invalid('contractId must be this contract');
  if (typeof e['seq'] !== 'number' || !Number.isSafeInteger(e['seq']) || e['seq'] < 0) throw invalid('seq must be a whole number from 0');
  if (typeof e['prevHash'] !== 'string' || !/^0x[0-9a-f]{64}$/.test(e['prevHash'])) throw invalid('prevHash must be 0x and 64 lower-case hex digits');
  if (utcInstant(e['at']) === undefined) throw invalid('at must be an ISO 8601 UTC instant (…Z)');
  const kind = e['kind'];
  if (kind === 'check-in' || kind === 'check-out') {
    const nonce = e['workplaceNonce'] as Record<string, unknown> | undefined;
    if (!nonce || typeof nonce !== 'object' || Object.keys(nonce).sort().join() !== 'issuedAt,nonce' || typeof nonce['nonce'] !== 'string' || utcInstant(nonce['issuedAt']) === undefined) {
      throw invalid('a check-in or -out carries workplaceNonce {nonce, issuedAt}');
    }
    if (e['corrects'] !== undefined) throw invalid('only a correction carries corrects');
  } else if (kind === 'correction') {
    const corrects = e['corrects'] as Record<string, unknown> | undefined;
    if (!corrects || typeof corrects !== 'object' || Object.keys(corrects).sort().join() !== 'at,eventHash,reason' || typeof corrects['eventHash'] !== 'string' || typeof corrects['reason'] !== 'string' || utcInstant(corrects['at']) === undefined) {
      throw invalid('a correction carries corrects {eventHash, at, reason}');
    }
    if (e['workplaceNonce'] !== undefined) throw invalid('a correction carries no workplaceNonce');
  } else {
    throw invalid("kind must be 'check-in', 'check-out' or 'correction'");
  }
}
