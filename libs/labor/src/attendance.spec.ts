import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { attendanceEventHash, attendanceShifts, checkAttendanceChain, dailyHeads, GENESIS_HASH, totalWorkedMinutes, type AttendanceEvent, type SignedAttendanceEvent } from './attendance.js';

const CONTRACT = 'urn:uuid:3c0d7c36-1f7a-4f4e-9b8e-5b1d2f0c9a11';
// Real keys and real signatures (P-256, as the wallet's holder key): the checker is given a verifier over them.
const worker = p256.utils.randomPrivateKey();
const employer = p256.utils.randomPrivateKey();
const sign = (key: Uint8Array, hash: string): string => Buffer.from(p256.sign(sha256(hexToBytes(hash.slice(2))), key).toCompactRawBytes()).toString('base64url');
const verifies = (signature: string, hash: string, key: Uint8Array): boolean => p256.verify(Buffer.from(signature, 'base64url'), sha256(hexToBytes(hash.slice(2))), p256.getPublicKey(key));
const signatures = (s: SignedAttendanceEvent, hash: string): boolean => verifies(s.workerSignature, hash, worker) && verifies(s.employerSignature, hash, employer);

type Draft = Omit<AttendanceEvent, 'v' | 'contractId' | 'seq' | 'prevHash'>;
const punch = (kind: 'check-in' | 'check-out', at: string, nonce = `n-${at}`, ageSeconds = 10): Draft => ({
  kind,
  at,
  workplaceNonce: { nonce, issuedAt: new Date(Date.parse(at) - ageSeconds * 1000).toISOString().replace('.000Z', 'Z') },
});

/** Builds a signed chain from drafts, each linked to the one before. */
function chain(drafts: readonly Draft[]): SignedAttendanceEvent[] {
  const out: SignedAttendanceEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (const [seq, draft] of drafts.entries()) {
    const event: AttendanceEvent = { v: 1, contractId: CONTRACT, seq, prevHash, ...draft };
    const hash = attendanceEventHash(event);
    out.push({ event, workerSignature: sign(worker, hash), employerSignature: sign(employer, hash) });
    prevHash = hash;
  }
  return out;
}

/** Two shifts on two days: 09:00–13:30 KST on 2 March and 09:05–13:00 KST on 3 March 2026. */
const week = chain([punch('check-in', '2026-03-02T00:00:00Z'), punch('check-out', '2026-03-02T04:30:00Z'), punch('check-in', '2026-03-03T00:05:00Z'), punch('check-out', '2026-03-03T04:00:00Z')]);
const failed = async (events: readonly SignedAttendanceEvent[]) =>
  (await checkAttendanceChain(events, { contractId: CONTRACT, signatures })).checks.filter((c) => !c.passed).map((c) => `${c.id}@${c.seq}`);

describe('attendance chain', () => {
  it('accepts an intact chain and computes shifts, total hours and the daily heads to anchor', async () => {
    const verdict = await checkAttendanceChain(week, { contractId: CONTRACT, signatures });
    expect(verdict.valid).toBe(true);
    expect(verdict.head).toBe(attendanceEventHash(week[3]!.event));
    const events = week.map((s) => s.event);
    expect(attendanceShifts(events)).toEqual([
      { start: '2026-03-02T00:00:00Z', end: '2026-03-02T04:30:00Z', minutes: 270, day: '2026-03-02' },
      { start: '2026-03-03T00:05:00Z', end: '2026-03-03T04:00:00Z', minutes: 235, day: '2026-03-03' },
    ]);
    expect(totalWorkedMinutes(events)).toBe(505);
    expect(dailyHeads(events)).toEqual([
      { day: '2026-03-02', head: attendanceEventHash(events[1]!), seq: 1 },
      { day: '2026-03-03', head: attendanceEventHash(events[3]!), seq: 3 },
    ]);
  });

  it('detects an edited time, even re-signed by one side: the next event no longer links to it', async () => {
    const edited = structuredClone(week);
    (edited[1]!.event as { at: string }).at = '2026-03-02T06:30:00Z';
    expect(await failed(edited)).toEqual(['attendance.link@2', 'attendance.nonce-fresh@1', 'attendance.signatures@1']);
    // the employer re-signs the edited event alone: the worker's signature still fails, and the link still breaks
    edited[1] = { ...edited[1]!, employerSignature: sign(employer, attendanceEventHash(edited[1]!.event)) };
    expect(await failed(edited)).toEqual(['attendance.link@2', 'attendance.nonce-fresh@1', 'attendance.signatures@1']);
  });

  it('detects a removed, a repeated and a reordered event', async () => {
    expect(await failed([week[0]!, week[2]!, week[3]!])).toEqual(['attendance.sequence@1', 'attendance.link@1', 'attendance.pairing@1']);
    expect(await failed([...week, week[3]!])).toEqual(['attendance.sequence@4', 'attendance.link@4', 'attendance.nonce-unique@4', 'attendance.pairing@4']);
    expect(await failed([week[1]!, week[0]!, week[2]!, week[3]!])).toEqual(['attendance.sequence@0', 'attendance.link@0', 'attendance.order@1', 'attendance.pairing@0']);
  });

  it('refuses a reused workplace nonce and a QR older than 30 seconds when scanned (exactly 30 passes with no skew)', async () => {
    expect(await failed(chain([punch('check-in', '2026-03-02T00:00:00Z', 'same'), punch('check-out', '2026-03-02T04:00:00Z', 'same')]))).toEqual(['attendance.nonce-unique@1']);
    const stale = chain([punch('check-in', '2026-03-02T00:00:00Z', 'a', 31), punch('check-out', '2026-03-02T04:00:00Z', 'b', 30)]);
    expect((await checkAttendanceChain(stale, { contractId: CONTRACT, skewSeconds: 0 })).checks.filter((c) => !c.passed)).toEqual([
      { id: 'attendance.nonce-fresh', passed: false, seq: 0, reason: 'the workplace QR was 31 s old when scanned (at most 30 s)' },
    ]);
    expect(await failed(chain([{ kind: 'check-in', at: '2026-03-02T00:00:00Z' }]))).toEqual(['attendance.nonce-fresh@0']);
  });

  it('refuses events of another contract, a bad time, unpaired punches and forged signatures', async () => {
    const other = chain([punch('check-in', '2026-03-02T00:00:00Z')]).map((s) => ({ ...s, event: { ...s.event, contractId: 'urn:uuid:other' } }));
    expect(await failed(other)).toEqual(['attendance.contract@0', 'attendance.signatures@0']);
    expect(await failed(chain([{ ...punch('check-in', '2026-03-02T00:00:00Z'), at: '2026-03-02 09:00' }]))).toEqual(['attendance.time@0', 'attendance.nonce-fresh@0']);
    expect(await failed(chain([punch('check-out', '2026-03-02T00:00:00Z')]))).toEqual(['attendance.pairing@0']);
    expect(await failed(chain([punch('check-in', '2026-03-02T00:00:00Z'), punch('check-in', '2026-03-02T01:00:00Z')]))).toEqual(['attendance.pairing@1']);
    const forged = chain([punch('check-in', '2026-03-02T00:00:00Z')]);
    forged[0] = { ...forged[0]!, workerSignature: sign(employer, attendanceEventHash(forged[0]!.event)) };
    expect(await failed(forged)).toEqual(['attendance.signatures@0']);
  });

  it('applies a co-signed correction without editing the corrected event', async () => {
    const events = week.map((s) => s.event);
    const corrected = chain([
      ...events.map(({ kind, at, workplaceNonce }) => ({ kind, at, workplaceNonce })),
      { kind: 'correction', at: '2026-03-03T05:00:00Z', corrects: { eventHash: attendanceEventHash(events[1]!), at: '2026-03-02T05:00:00Z', reason: '마감 정리로 30분 연장 근무' } },
    ]);
    expect((await checkAttendanceChain(corrected, { contractId: CONTRACT, signatures })).valid).toBe(true);
    expect(totalWorkedMinutes(corrected.map((s) => s.event))).toBe(505 + 30);
    expect(corrected[1]!.event.at).toBe('2026-03-02T04:30:00Z');

    const dangling = chain([punch('check-in', '2026-03-02T00:00:00Z'), { kind: 'correction', at: '2026-03-02T01:00:00Z', corrects: { eventHash: `0x${'ab'.repeat(32)}`, at: '2026-03-02T00:10:00Z', reason: 'x' } }]);
    expect(await failed(dangling)).toEqual(['attendance.correction@1']);
  });

  it('never throws for a value JSON cannot carry', async () => {
    const bad = chain([punch('check-in', '2026-03-02T00:00:00Z')]);
    (bad[0]!.event as unknown as { seq: number }).seq = Number.NaN;
    const verdict = await checkAttendanceChain(bad, { contractId: CONTRACT });
    expect(verdict.valid).toBe(false);
  });
});
