import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from './canonical-json.js';

/** The `prevHash` of a contract's first event. */
export const GENESIS_HASH = `0x${'0'.repeat(64)}`;
/** How old a workplace QR's nonce may be when it is scanned (PRODUCT.md §7.2: it rotates every 30 seconds). */
export const WORKPLACE_NONCE_MAX_AGE_SECONDS = 30;

/** What an attendance event records. */
export type AttendanceKind = 'check-in' | 'check-out' | 'correction';

/**
 * One attendance event of a labour contract (PRODUCT.md: `AttendanceRecord`, not a VC but a co-signed event): the
 * worker's wallet signs it, the employer's service countersigns it, and each names the hash of the one before, so a
 * contract's events form a chain neither side can edit alone. A correction is a new event naming the event it
 * corrects and the time it should have had; the corrected event stays.
 */
export interface AttendanceEvent {
  readonly v: 1;
  /** The labour contract the event belongs to. */
  readonly contractId: string;
  /** 0 for the contract's first event, then one more each time. */
  readonly seq: number;
  readonly kind: AttendanceKind;
  /** When it happened: ISO 8601 in UTC (`…Z`). For a correction, when the correction was made. */
  readonly at: string;
  /** For a check-in or -out: the nonce of the workplace QR that was scanned, and when the workplace issued it. */
  readonly workplaceNonce?: { readonly nonce: string; readonly issuedAt: string };
  /** For a correction: the corrected event's hash, the time it should have had, and why. */
  readonly corrects?: { readonly eventHash: string; readonly at: string; readonly reason: string };
  /** The previous event's hash, or {@link GENESIS_HASH}. */
  readonly prevHash: string;
}

/** An event with both parties' signatures over its hash (compact JWS). */
export interface SignedAttendanceEvent {
  readonly event: AttendanceEvent;
  readonly workerSignature: string;
  readonly employerSignature: string;
}

/** SHA-256 of the event's canonical JSON (RFC 8785), `0x` and 64 lower-case hex digits. */
export function attendanceEventHash(event: AttendanceEvent): string {
  return `0x${bytesToHex(sha256(utf8ToBytes(canonicalJson(event))))}`;
}

/** Checks of a chain, by id (docs/labor.md). */
export type AttendanceCheckId =
  | 'attendance.contract'
  | 'attendance.sequence'
  | 'attendance.link'
  | 'attendance.time'
  | 'attendance.order'
  | 'attendance.nonce-fresh'
  | 'attendance.nonce-unique'
  | 'attendance.pairing'
  | 'attendance.correction'
  | 'attendance.signatures';

/** One check's outcome; a failed one names the first event (by `seq`) it failed on and why. */
export interface AttendanceCheck {
  readonly id: AttendanceCheckId;
  readonly passed: boolean;
  readonly seq?: number;
  readonly reason?: string;
}

/** Verifies both signatures of an event against its hash; supplied by the caller (the keys live elsewhere). */
export type AttendanceSignatureCheck = (signed: SignedAttendanceEvent, eventHash: string) => boolean | Promise<boolean>;

/** A chain's verdict: every check, whether all passed, and the hash of its last event (its head). */
export interface AttendanceChainCheck {
  readonly valid: boolean;
  readonly checks: readonly AttendanceCheck[];
  readonly head: string;
}

const UTC_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

function instant(value: string | undefined): number | undefined {
  if (value === undefined || !UTC_INSTANT.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks a contract's attendance chain as the worker's own copies or the employer's records hold it: every event
 * names the contract, sequence numbers run 0, 1, 2…, each names the previous event's hash, times are valid and never
 * go back, each check-in and -out was made within {@link WORKPLACE_NONCE_MAX_AGE_SECONDS} (plus `skewSeconds`) of
 * its workplace nonce being issued and no nonce is used twice, check-ins and check-outs alternate, a correction
 * names an earlier check-in or -out, and (with `signatures`) both parties signed each event. Never throws for bad
 * events: each problem is a failed check.
 */
export async function checkAttendanceChain(
  events: readonly SignedAttendanceEvent[],
  options: { readonly contractId: string; readonly signatures?: AttendanceSignatureCheck; readonly skewSeconds?: number },
): Promise<AttendanceChainCheck> {
  const failures = new Map<AttendanceCheckId, AttendanceCheck>();
  const fail = (id: AttendanceCheckId, seq: number, reason: string): void => {
    if (!failures.has(id)) failures.set(id, { id, passed: false, seq, reason });
  };
  const skewMs = (options.skewSeconds ?? 5) * 1000;
  const hashes = new Map<string, AttendanceEvent>();
  const nonces = new Set<string>();
  let prevHash = GENESIS_HASH;
  let prevAt = -Infinity;
  let open = false;

  for (const [index, signed] of events.entries()) {
    const event = signed.event;
    let hash: string;
    try {
      hash = attendanceEventHash(event);
    } catch {
      fail('attendance.link', index, 'the event cannot be hashed (a value JSON cannot carry)');
      prevHash = '';
      continue;
    }
    if (event.contractId !== options.contractId) fail('attendance.contract', index, 'the event names another contract');
    if (event.seq !== index) fail('attendance.sequence', index, `sequence number ${String(event.seq)} where ${index} was expected (an event is missing, repeated or reordered)`);
    if (event.prevHash !== prevHash) fail('attendance.link', index, 'the event does not name the previous event\'s hash (an earlier event was changed, removed or inserted)');
    const at = instant(event.at);
    if (at === undefined) fail('attendance.time', index, 'the time is not an ISO 8601 UTC instant');
    else if (at < prevAt) fail('attendance.order', index, 'the time is earlier than the previous event\'s');
    if (event.kind === 'check-in' || event.kind === 'check-out') {
      const issued = instant(event.workplaceNonce?.issuedAt);
      if (!event.workplaceNonce || issued === undefined || at === undefined) {
        fail('attendance.nonce-fresh', index, 'a check-in or -out without a workplace nonce and its time');
      } else {
        if (at < issued - skewMs || at > issued + WORKPLACE_NONCE_MAX_AGE_SECONDS * 1000 + skewMs) {
          fail('attendance.nonce-fresh', index, `the workplace QR was ${Math.round((at - issued) / 1000)} s old when scanned (at most ${WORKPLACE_NONCE_MAX_AGE_SECONDS} s)`);
        }
        if (nonces.has(event.workplaceNonce.nonce)) fail('attendance.nonce-unique', index, 'the workplace QR\'s nonce was used before');
        nonces.add(event.workplaceNonce.nonce);
      }
      if ((event.kind === 'check-in') === open) fail('attendance.pairing', index, event.kind === 'check-in' ? 'a check-in while already checked in' : 'a check-out without a check-in');
      open = event.kind === 'check-in';
    } else if (event.kind === 'correction') {
      const target = event.corrects ? hashes.get(event.corrects.eventHash) : undefined;
      if (!target || target.kind === 'correction' || instant(event.corrects?.at) === undefined || !event.corrects?.reason.trim()) {
        fail('attendance.correction', index, 'a correction must name an earlier check-in or -out, the time it should have had, and why');
      }
    } else {
      fail('attendance.pairing', index, `unknown event kind ${JSON.stringify((event as { kind: unknown }).kind)}`);
    }
    if (options.signatures) {
      let signedOk = false;
      try {
        signedOk = await options.signatures(signed, hash);
      } catch {
        signedOk = false;
      }
      if (!signedOk) fail('attendance.signatures', index, 'the worker\'s or the employer\'s signature does not verify');
    }
    hashes.set(hash, event);
    prevHash = hash;
    if (at !== undefined) prevAt = Math.max(prevAt, at);
  }

  const ids: AttendanceCheckId[] = ['attendance.contract', 'attendance.sequence', 'attendance.link', 'attendance.time', 'attendance.order', 'attendance.nonce-fresh', 'attendance.nonce-unique', 'attendance.pairing', 'attendance.correction'];
  if (options.signatures) ids.push('attendance.signatures');
  const checks = ids.map((id) => failures.get(id) ?? { id, passed: true });
  return { valid: checks.every((c) => c.passed), checks, head: events.length ? prevHash : GENESIS_HASH };
}

/** A worked shift: from a check-in to the next check-out, with corrections applied. */
export interface Shift {
  readonly start: string;
  readonly end: string;
  readonly minutes: number;
  /** The Korean calendar day (KST) the shift began on, `YYYY-MM-DD`. */
  readonly day: string;
}

/** The time a check-in or -out counts with: its own, or the latest correction's. */
function correctedTimes(events: readonly AttendanceEvent[]): Map<AttendanceEvent, string> {
  const byHash = new Map(events.map((e) => [attendanceEventHash(e), e] as const));
  const times = new Map<AttendanceEvent, string>();
  for (const e of events) {
    if (e.kind !== 'correction') times.set(e, e.at);
    else if (e.corrects) {
      const target = byHash.get(e.corrects.eventHash);
      if (target && target.kind !== 'correction') times.set(target, e.corrects.at);
    }
  }
  return times;
}

const KST_OFFSET_MS = 9 * 3600 * 1000;
/** The KST calendar day of an instant, `YYYY-MM-DD`. */
export function kstDay(iso: string): string {
  return new Date(Date.parse(iso) + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The shifts a chain records (check that it is valid first): each check-in paired with the next check-out, times as
 * corrected; a check-in still open at the end is not a shift. Minutes are whole (rounded down).
 */
export function attendanceShifts(events: readonly AttendanceEvent[]): Shift[] {
  const times = correctedTimes(events);
  const shifts: Shift[] = [];
  let start: string | undefined;
  for (const e of events) {
    if (e.kind === 'check-in') start = times.get(e);
    else if (e.kind === 'check-out' && start !== undefined) {
      const end = times.get(e)!;
      const minutes = Math.max(0, Math.floor((Date.parse(end) - Date.parse(start)) / 60_000));
      shifts.push({ start, end, minutes, day: kstDay(start) });
      start = undefined;
    }
  }
  return shifts;
}

/** Total worked minutes of a chain's shifts. */
export function totalWorkedMinutes(events: readonly AttendanceEvent[]): number {
  return attendanceShifts(events).reduce((sum, s) => sum + s.minutes, 0);
}

/**
 * The chain head at the end of each KST day that has events: the hash of the day's last event, which the employer's
 * service anchors (a day's head commits to every event before it).
 */
export function dailyHeads(events: readonly AttendanceEvent[]): { day: string; head: string; seq: number }[] {
  const heads = new Map<string, { day: string; head: string; seq: number }>();
  for (const e of events) {
    if (instant(e.at) === undefined) continue;
    const day = kstDay(e.at);
    heads.set(day, { day, head: attendanceEventHash(e), seq: e.seq });
  }
  return [...heads.values()];
}
