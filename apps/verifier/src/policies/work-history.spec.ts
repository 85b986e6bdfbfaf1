import { describe, expect, it } from 'vitest';
import type { PresentedCredential } from './model.js';
import { shownCredentials } from './shown.js';
import { compareVersions } from './version.js';
import { DEFAULT_WORK_HISTORY, workHistoryCriterion, workHistoryPolicy, workHistoryVersion, workHoursCriterion } from './work-history.js';

const AT = new Date('2026-06-01T12:00:00+09:00');
const hash = (digit: string): string => `0x${digit.repeat(64)}`;

function work(start: unknown, end: unknown, digit = 'a'): PresentedCredential {
  return {
    hash: hash(digit),
    type: 'WorkExperience',
    issuer: 'did:ethr:0x2222222222222222222222222222222222222222',
    claims: { period: { start, end }, role: '바리스타', totalHours: 400 },
    issuedAt: new Date('2026-04-01T00:00:00+09:00'),
    validUntil: null,
  };
}

describe('work-history.minimum-duration (default 90 days)', () => {
  it.each([
    // [case, credentials, at, expected, total days, evidence]
    ['one period of exactly 90 days (January to March 2026)', [work('2026-01-01', '2026-03-31')], AT, 'passed', 90, 'a'],
    ['one period a day short', [work('2026-01-01', '2026-03-30')], AT, 'failed', 89, 'a'],
    ['two periods adding up to 90 days', [work('2025-01-01', '2025-01-31', 'a'), work('2025-03-01', '2025-04-28', 'b')], AT, 'passed', 90, 'b'],
    ['two periods adding up to 89 days', [work('2025-01-01', '2025-01-31', 'a'), work('2025-03-01', '2025-04-27', 'b')], AT, 'failed', 89, 'b'],
    ['two back-to-back periods', [work('2025-01-01', '2025-02-14', 'a'), work('2025-02-15', '2025-03-31', 'b')], AT, 'passed', 90, 'a'],
    ['overlapping periods count each day once', [work('2025-01-01', '2025-02-14', 'a'), work('2025-01-15', '2025-02-28', 'b')], AT, 'failed', 59, 'a'],
    ['a period inside another', [work('2025-02-01', '2025-02-10', 'a'), work('2025-01-01', '2025-03-31', 'b')], AT, 'passed', 90, 'b'],
    ['a one-day period', [work('2025-01-01', '2025-01-01')], AT, 'failed', 1, 'a'],
    ['a period ending after the reference day counts up to it', [work('2026-01-01', '2026-12-31')], new Date('2026-03-30T15:00:00Z'), 'passed', 90, 'a'],
    ['the same, a second earlier: still 30 March in Seoul', [work('2026-01-01', '2026-12-31')], new Date('2026-03-30T14:59:59Z'), 'failed', 89, 'a'],
    ['a period starting after the reference day', [work('2026-07-01', '2026-12-31')], AT, 'failed', 0, 'a'],
    ['an end before the start counts nothing', [work('2025-12-31', '2025-01-01')], AT, 'failed', 0, 'a'],
    ['an impossible date counts nothing', [work('2025-02-30', '2025-06-30')], AT, 'failed', 0, 'a'],
    ['an unreadable period beside a good one', [work('2025-01-01', 'soon', 'a'), work('2025-01-01', '2025-03-31', 'b')], AT, 'passed', 90, 'b'],
  ] as const)('%s', (_, credentials, at, expected, total, evidence) => {
    const decision = workHistoryPolicy().evaluate(credentials, at);
    expect(decision.policy).toEqual({ id: 'work-history', version: '1' });
    expect(decision.satisfied).toBe(expected === 'passed');
    const [result] = decision.criteria;
    expect(result).toMatchObject({ id: 'work-history.minimum-duration', result: expected, evidenceHash: hash(evidence) });
    const dayWord = total === 1 ? 'day' : 'days';
    expect(result?.reason).toEqual(
      expected === 'passed'
        ? { ko: `근무 기간이 모두 ${total}일로, 기준인 90일 이상입니다.`, en: `The work periods cover ${total} ${dayWord}, at least the 90 days required.` }
        : { ko: `근무 기간이 모두 ${total}일로, 기준인 90일에 못 미칩니다.`, en: `The work periods cover ${total} ${dayWord}, fewer than the 90 days required.` },
    );
  });

  it('fails with no evidence when no work experience is presented', () => {
    const card: PresentedCredential = { ...work('2025-01-01', '2025-12-31'), type: 'SeoulCitizenCard' };
    expect(workHistoryPolicy().evaluate([card], AT).criteria).toEqual([
      {
        id: 'work-history.minimum-duration',
        result: 'failed',
        reason: { ko: '경력증명서가 제시되지 않았습니다.', en: 'No work experience credential was presented.' },
        evidenceHash: null,
      },
    ]);
  });

  it('tolerates a period that is missing or not an object', () => {
    const odd = (period: unknown): PresentedCredential => ({ ...work('', ''), claims: { period } });
    for (const period of [undefined, null, '2025-01-01/2025-03-31', ['2025-01-01', '2025-03-31']]) {
      expect(workHistoryPolicy().evaluate([odd(period)], AT).criteria[0]).toMatchObject({ result: 'failed', evidenceHash: hash('a') });
    }
  });
});

describe('work-history threshold as configuration', () => {
  it('applies the configured minimum', () => {
    const month = [work('2026-01-01', '2026-01-31')];
    expect(workHistoryPolicy({ minimumDays: 31 }).evaluate(month, AT).satisfied).toBe(true);
    expect(workHistoryPolicy({ minimumDays: 32 }).evaluate(month, AT).satisfied).toBe(false);
    expect(workHistoryCriterion({ minimumDays: 31 }).evaluate(month, AT).reason.en).toBe('The work periods cover 31 days, at least the 31 days required.');
    expect(workHistoryPolicy({ minimumDays: 180 }).purpose).toEqual({
      ko: '경력증명서로 근무 기간이 모두 180일 이상인지 확인하고, 사업장 이름·담당 업무·근무 기간·총 근로시간·출퇴근 기록 해시를 보여 줍니다.',
      en: 'Confirms work experience credentials cover at least 180 days of work, and shows each one’s employer name, role, period, total hours and attendance record hash.',
    });
  });

  it('still needs a work experience credential with a minimum of 0 days', () => {
    expect(workHistoryPolicy({ minimumDays: 0 }).evaluate([], AT).satisfied).toBe(false);
    expect(workHistoryPolicy({ minimumDays: 0 }).evaluate([work('2026-07-01', '2026-07-31')], AT).satisfied).toBe(true);
  });

  it('defaults to 90 days', () => {
    expect(workHistoryPolicy().purpose.en).toMatch(/^Confirms work experience credentials cover at least 90 days of work, and shows/);
    expect(workHistoryPolicy().evaluate([work('2026-01-01', '2026-03-31')], AT).criteria.map((c) => c.id)).toEqual(['work-history.minimum-duration']);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a minimum of %s days', (minimumDays) => {
    expect(() => workHistoryCriterion({ minimumDays })).toThrow(RangeError);
  });

  it('takes its own version for a deployment with its own threshold', () => {
    expect(workHistoryPolicy({ minimumDays: 180 }, '2').version).toBe('2');
    expect(() => workHistoryPolicy(DEFAULT_WORK_HISTORY, 'v2')).toThrow(RangeError);
  });

  it('names its thresholds in its version by default, so two thresholds never share one', () => {
    expect(workHistoryPolicy().version).toBe('1');
    expect(workHistoryPolicy({ minimumDays: 90 }).version).toBe('1');
    expect(workHistoryPolicy({ minimumDays: 7 }).version).toBe('1.1.7');
    expect(workHistoryPolicy({ minimumDays: 90, minimumHours: 120.5 }).version).toBe('1.2.90.12050');
    const versions = [{ minimumDays: 90 }, { minimumDays: 0 }, { minimumDays: 1 }, { minimumDays: 0, minimumHours: 0 }, { minimumDays: 1, minimumHours: 0 }, { minimumDays: 1, minimumHours: 0.01 }, { minimumDays: 90, minimumHours: 0 }].map((config) => workHistoryVersion(config));
    for (const [i, a] of versions.entries()) for (const b of versions.slice(i + 1)) expect(compareVersions(a, b), `${a} vs ${b}`).not.toBe(0);
    expect(workHistoryVersion({ minimumDays: 7 }, '2')).toBe('2.1.7');
    expect(() => workHistoryVersion(DEFAULT_WORK_HISTORY, 'v1')).toThrow(RangeError);
  });

  it.each([
    ['more than two decimals of hours', { minimumDays: 90, minimumHours: 0.125 }],
    ['more days than a version part holds', { minimumDays: 1_000_000_000 }],
    ['negative days', { minimumDays: -1 }],
  ])('cannot name a version for %s', (_, config) => {
    expect(() => workHistoryVersion(config)).toThrow(RangeError);
  });

  it('asks for what it reads and shows of every work experience credential, nothing else', () => {
    expect(workHistoryPolicy().requires).toEqual([{ type: 'WorkExperience', claims: ['period', 'employer', 'role', 'totalHours', 'attendanceRoot'], multiple: true }]);
    expect(workHistoryPolicy({ minimumDays: 90, minimumHours: 100 }).requires).toEqual([
      { type: 'WorkExperience', claims: ['period', 'totalHours', 'employer', 'role', 'attendanceRoot'], multiple: true },
    ]);
    expect(workHistoryPolicy().shows).toEqual([{ type: 'WorkExperience', claims: ['employer.name', 'role', 'period', 'totalHours', 'attendanceRoot'] }]);
  });
});

const ROOT = `0x${'ab'.repeat(32)}`;

function shiftWork(hours: unknown, digit = 'a', extra: Record<string, unknown> = {}): PresentedCredential {
  const base = work('2026-01-01', '2026-03-31', digit);
  return { ...base, claims: { ...base.claims, totalHours: hours, ...extra } };
}

describe('work-history.minimum-hours (when minimumHours is configured)', () => {
  it.each([
    // [case, hours of each credential, minimum, expected, total, evidence]
    ['exactly the minimum', [120], 120, 'passed', '120', 'a'],
    ['a quarter of an hour short', [119.75], 120, 'failed', '119.75', 'a'],
    ['two jobs adding up', [80, 40.5], 120, 'passed', '120.5', 'a'],
    ['fractions add up as people count (0.1 + 0.2)', [0.1, 0.2], 0.3, 'passed', '0.3', 'b'],
    ['the evidence is the credential with most hours', [10, 50, 50], 100, 'passed', '110', 'b'],
    ['hours that are not a number count nothing', ['lots', 30], 40, 'failed', '30', 'b'],
    ['negative hours count nothing', [-500, 30], 20, 'passed', '30', 'b'],
    ['no hours disclosed at all', [undefined], 1, 'failed', '0', 'a'],
  ] as const)('%s', (_, hours, minimumHours, expected, total, evidence) => {
    const credentials = hours.map((h, index) => shiftWork(h, 'abc'[index]));
    const decision = workHistoryPolicy({ minimumDays: 1, minimumHours }).evaluate(credentials, AT);
    const result = decision.criteria.find((c) => c.id === 'work-history.minimum-hours');
    expect(result).toMatchObject({ result: expected, evidenceHash: hash(evidence) });
    expect(decision.satisfied).toBe(expected === 'passed');
    const unit = (n: string) => (n === '1' ? 'hour' : 'hours');
    expect(result?.reason).toEqual(
      expected === 'passed'
        ? { ko: `총 근로시간이 ${total}시간으로, 기준인 ${minimumHours}시간 이상입니다.`, en: `The work adds up to ${total} ${unit(total)}, at least the ${minimumHours} ${unit(String(minimumHours))} required.` }
        : { ko: `총 근로시간이 ${total}시간으로, 기준인 ${minimumHours}시간에 못 미칩니다.`, en: `The work adds up to ${total} ${unit(total)}, fewer than the ${minimumHours} ${unit(String(minimumHours))} required.` },
    );
  });

  it('comes after the duration criterion, each deciding on its own', () => {
    const short = workHistoryPolicy({ minimumDays: 90, minimumHours: 100 }).evaluate([shiftWork(400, 'a', { period: { start: '2026-01-01', end: '2026-01-31' } })], AT);
    expect(short.criteria.map((c) => [c.id, c.result])).toEqual([
      ['work-history.minimum-duration', 'failed'],
      ['work-history.minimum-hours', 'passed'],
    ]);
    expect(short.satisfied).toBe(false);
  });

  it('fails with no evidence when no work experience is presented', () => {
    expect(workHoursCriterion(0).evaluate([], AT)).toEqual({
      id: 'work-history.minimum-hours',
      result: 'failed',
      reason: { ko: '경력증명서가 제시되지 않았습니다.', en: 'No work experience credential was presented.' },
      evidenceHash: null,
    });
  });

  it('names the minimum in the purpose', () => {
    expect(workHistoryPolicy({ minimumDays: 90, minimumHours: 120.5 }).purpose).toEqual({
      ko: '경력증명서로 근무 기간이 모두 90일 이상인지, 총 근로시간이 120.5시간 이상인지 확인하고, 사업장 이름·담당 업무·근무 기간·총 근로시간·출퇴근 기록 해시를 보여 줍니다.',
      en: 'Confirms work experience credentials cover at least 90 days of work and add up to at least 120.5 hours, and shows each one’s employer name, role, period, total hours and attendance record hash.',
    });
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a minimum of %s hours', (minimumHours) => {
    expect(() => workHistoryPolicy({ minimumDays: 90, minimumHours })).toThrow(RangeError);
  });
});

describe('what work-history shows', () => {
  it('shows each work experience’s employer name, role, period, hours and attendance root — not the business number, nor other types', () => {
    const cafe: PresentedCredential = shiftWork(123.5, 'a', {
      employer: { id: 'did:ethr:0x2222222222222222222222222222222222222222', name: '한강카페', businessRegistrationNumber: '123-45-67891', representative: '김대표' },
      attendanceRoot: ROOT,
      note: 'not in the schema, never shown',
    });
    const card: PresentedCredential = { ...work('2025-01-01', '2025-12-31', 'c'), type: 'SeoulCitizenCard', claims: { name: '홍길동', role: 'x' } };
    const bakery = shiftWork(40, 'b', { employer: { name: '망원동 빵집', businessRegistrationNumber: '220-81-11115' }, role: '제빵 보조', period: { start: '2025-06-01', end: '2025-07-15' } });
    expect(shownCredentials(workHistoryPolicy(), [cafe, card, bakery])).toEqual([
      {
        type: 'WorkExperience',
        issuer: cafe.issuer,
        claims: { employer: { name: '한강카페' }, role: '바리스타', period: { start: '2026-01-01', end: '2026-03-31' }, totalHours: 123.5, attendanceRoot: ROOT },
      },
      {
        type: 'WorkExperience',
        issuer: bakery.issuer,
        claims: { employer: { name: '망원동 빵집' }, role: '제빵 보조', period: { start: '2025-06-01', end: '2025-07-15' }, totalHours: 40 },
      },
    ]);
  });

  it('leaves out what was not disclosed or is not an object on the way, and copies what it shows', () => {
    const period = { start: '2026-01-01', end: '2026-03-31' };
    const odd: PresentedCredential = { ...work('', ''), claims: { employer: '한강카페', period } };
    const [shown] = shownCredentials(workHistoryPolicy(), [odd]);
    expect(shown?.claims).toEqual({ period });
    expect(shown?.claims.period).not.toBe(period);
  });

  it('shows nothing for a policy that shows nothing', () => {
    expect(shownCredentials({}, [shiftWork(10)])).toEqual([]);
  });
});
