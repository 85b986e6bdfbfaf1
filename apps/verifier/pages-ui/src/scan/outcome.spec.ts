import { describe, expect, it } from 'vitest';
import { outcomeOf, outcomeOfVerdict, shortHash, workRecordsOf } from './outcome.js';

const passed = { id: 'age-over-19', result: 'passed', reason: { ko: '만 19세 이상입니다.', en: 'The holder is 19 or older.' }, evidenceHash: '0x01' };
const failed = { id: 'age-over-19', result: 'failed', reason: { ko: '만 19세 미만입니다.', en: 'The holder is under 19.' }, evidenceHash: '0x01' };
const status = (state: string, result?: unknown) => ({ id: 'x', state, policy: { id: 'age-over-19', version: '1' }, expiresAt: '2026-01-01T00:00:00Z', result });
const decided = (satisfied: boolean, criteria: unknown[]) => ({ policy: { id: 'age-over-19', version: '1' }, satisfied, criteria });

describe('the employer scanner outcome of a presentation request state (docs/oid4vp.md)', () => {
  it('is not final while pending, and green only for a fulfilled, verified, satisfied request', () => {
    expect(outcomeOf(status('pending'))).toEqual({ final: false });
    expect(outcomeOf(status('fulfilled', { verified: true, decision: decided(true, [passed]), errors: [], presentations: [] }))).toEqual({
      final: true,
      verified: true,
      criteria: [{ passed: true, reason: passed.reason }],
    });
    // Whatever a state claims, a result that does not say verified and satisfied is red.
    expect(outcomeOf(status('fulfilled', { verified: false, decision: decided(true, [passed]) }))).toMatchObject({ verified: false, reason: 'not-verified' });
    expect(outcomeOf(status('fulfilled', { verified: true }))).toMatchObject({ verified: false, reason: 'not-verified' });
  });

  it('lets an unsatisfied decision speak through its failed criteria', () => {
    expect(outcomeOf(status('failed', { verified: false, decision: decided(false, [failed]), errors: ['policy age-over-19 not satisfied'] }))).toEqual({
      final: true,
      verified: false,
      criteria: [{ passed: false, reason: failed.reason }],
    });
  });

  it('gives a plain reason when there is no decision to show', () => {
    expect(outcomeOf(status('expired'))).toEqual({ final: true, verified: false, criteria: [], reason: 'expired' });
    expect(outcomeOf(status('failed', { verified: false, walletError: { error: 'access_denied' } }))).toMatchObject({ reason: 'declined' });
    expect(outcomeOf(status('failed', { verified: false, walletError: { error: 'server_error' } }))).toMatchObject({ reason: 'wallet-error' });
    expect(outcomeOf(status('failed', { verified: false, errors: ['signature'] }))).toMatchObject({ criteria: [], reason: 'not-verified' });
    expect(outcomeOf(null)).toMatchObject({ final: true, verified: false, reason: 'not-verified' });
  });

  it('drops criteria without a reason in both languages', () => {
    const odd = [{ result: 'failed', reason: { ko: '이유' } }, { result: 'failed', reason: '<b>x</b>' }, failed];
    expect(outcomeOf(status('failed', { verified: false, decision: decided(false, odd) }))).toMatchObject({ criteria: [{ passed: false, reason: failed.reason }] });
  });
});

describe('the employer scanner outcome of a presentation read from the worker’s QR code (POST /scan/presentations)', () => {
  const binding = (status: string) => ({ id: 'holder-binding', status, detail: '' });

  it('is green only for a verified answer with a satisfied decision', () => {
    expect(outcomeOfVerdict({ verified: true, checks: [binding('passed')], decision: decided(true, [passed]), errors: [] })).toEqual({
      final: true,
      verified: true,
      criteria: [{ passed: true, reason: passed.reason }],
    });
    expect(outcomeOfVerdict({ verified: true, checks: [binding('passed')] })).toMatchObject({ verified: false, reason: 'not-verified' });
  });

  it('lets an unsatisfied decision speak through its failed criteria', () => {
    expect(outcomeOfVerdict({ verified: false, checks: [binding('passed')], decision: decided(false, [failed]) })).toEqual({
      final: true,
      verified: false,
      criteria: [{ passed: false, reason: failed.reason }],
    });
  });

  it('says the QR code was refused when the holder binding failed (used before, too old, for another verifier)', () => {
    expect(outcomeOfVerdict({ verified: false, checks: [{ id: 'format', status: 'passed' }, binding('failed')], errors: ['replay'] })).toEqual({
      final: true,
      verified: false,
      criteria: [],
      reason: 'refused',
    });
  });

  it('gives the plain not-verified reason for anything else', () => {
    expect(outcomeOfVerdict({ verified: false, checks: [binding('passed')], credentials: [{ verified: false }] })).toMatchObject({ reason: 'not-verified' });
    expect(outcomeOfVerdict(null)).toMatchObject({ final: true, verified: false, reason: 'not-verified' });
  });
});

describe('the work experiences work-history shows (`shown`)', () => {
  const root = `0x${'ab'.repeat(32)}`;
  const cafe = {
    type: 'WorkExperience',
    issuer: 'did:ethr:0x2222222222222222222222222222222222222222',
    claims: { employer: { name: '한강카페' }, role: '바리스타', period: { start: '2026-01-01', end: '2026-03-31' }, totalHours: 123.5, attendanceRoot: root },
  };
  const shownRecord = { employer: '한강카페', role: '바리스타', period: { start: '2026-01-01', end: '2026-03-31' }, totalHours: 123.5, attendanceRoot: root };

  it('lists each one beside a decision, green or red, from a request’s state and from a scan', () => {
    expect(outcomeOf(status('fulfilled', { verified: true, decision: decided(true, [passed]), shown: [cafe] }))).toEqual({
      final: true,
      verified: true,
      criteria: [{ passed: true, reason: passed.reason }],
      work: [shownRecord],
    });
    expect(outcomeOfVerdict({ verified: false, checks: [], decision: decided(false, [failed]), shown: [cafe, cafe] })).toMatchObject({ verified: false, work: [shownRecord, shownRecord] });
  });

  it('shows nothing without a decision (a presentation that did not verify), nor for a policy that shows nothing', () => {
    expect(outcomeOf(status('failed', { verified: false, shown: [cafe] }))).not.toHaveProperty('work');
    expect(outcomeOfVerdict({ verified: true, decision: decided(true, [passed]) })).not.toHaveProperty('work');
    expect(outcomeOfVerdict({ verified: true, decision: decided(true, [passed]), shown: [] })).not.toHaveProperty('work');
  });

  it('keeps each member only in its expected form, and ignores other types', () => {
    expect(
      workRecordsOf([
        { type: 'WorkExperience', issuer: 'x', claims: { employer: '한강카페', role: 7, period: { start: '2026-01-01' }, totalHours: '40', attendanceRoot: null } },
        { type: 'SeoulCitizenCard', issuer: 'x', claims: { name: '홍길동' } },
        { type: 'WorkExperience' },
        'text',
      ]),
    ).toEqual([{}]);
    expect(workRecordsOf('not a list')).toEqual([]);
  });

  it('shortens a hash to compare by eye, and leaves anything else as it is', () => {
    expect(shortHash(root)).toBe('0xabababab…abab');
    expect(shortHash(`0x${'0123456789abcdef'.repeat(4)}`)).toBe('0x01234567…cdef');
    expect(shortHash('not a hash')).toBe('not a hash');
  });
});
