import { describe, expect, it } from 'vitest';
import { ageOverCriterion, ageOverPolicy } from './age-over.js';
import type { PresentedCredential } from './model.js';

const CARD_A = `0x${'a'.repeat(64)}`;
const CARD_B = `0x${'b'.repeat(64)}`;

function card(claims: Record<string, unknown>, changes: Partial<PresentedCredential> = {}): PresentedCredential {
  return {
    hash: CARD_A,
    type: 'SeoulCitizenCard',
    issuer: 'did:ethr:0x1111111111111111111111111111111111111111',
    claims,
    issuedAt: new Date('2020-01-01T00:00:00+09:00'),
    validUntil: null,
    ...changes,
  };
}

const workExperience: PresentedCredential = {
  hash: `0x${'c'.repeat(64)}`,
  type: 'WorkExperience',
  issuer: 'did:ethr:0x2222222222222222222222222222222222222222',
  claims: { period: { start: '2025-01-01', end: '2025-12-31' } },
  issuedAt: new Date('2026-01-01T00:00:00+09:00'),
  validUntil: null,
};

describe('age-over-N on the birth date, in Korean time', () => {
  it.each([
    // [years, birthDate, at, expected]
    [19, '2007-03-02', '2026-03-01T23:59:59+09:00', 'failed'], // day before the 19th birthday
    [19, '2007-03-02', '2026-03-02T00:00:00+09:00', 'passed'], // the 19th birthday counts
    [19, '2007-03-02', '2026-03-01T14:59:59Z', 'failed'], // 23:59:59 on 1 March in Seoul
    [19, '2007-03-02', '2026-03-01T15:00:00Z', 'passed'], // still 1 March in UTC, already 2 March in Seoul
    [18, '2008-03-02', '2026-03-01T23:59:59+09:00', 'failed'],
    [18, '2008-03-02', '2026-03-02T00:00:00+09:00', 'passed'],
    [18, '2008-03-02', '2026-03-01T14:59:59Z', 'failed'],
    [18, '2008-03-02', '2026-03-01T15:00:00Z', 'passed'],
    [18, '2008-03-02', '2027-01-01T00:00:00+09:00', 'passed'],
    [19, '2008-03-02', '2026-06-01T00:00:00+09:00', 'failed'], // 18, not 19
    [19, '2030-01-01', '2026-06-01T00:00:00+09:00', 'failed'], // born after the reference date
    // 29 February: the birthday is reached on 1 March in a common year
    [18, '2008-02-29', '2026-02-28T23:59:59+09:00', 'failed'],
    [18, '2008-02-29', '2026-02-28T14:59:59Z', 'failed'],
    [18, '2008-02-29', '2026-02-28T15:00:00Z', 'passed'], // 1 March in Seoul
    [18, '2008-02-29', '2026-03-01T00:00:00+09:00', 'passed'],
    [19, '2004-02-29', '2023-02-28T12:00:00+09:00', 'failed'],
    [19, '2004-02-29', '2023-03-01T00:00:00+09:00', 'passed'],
  ] as const)('age-over-%i, born %s, at %s: %s', (years, birthDate, at, expected) => {
    const decision = ageOverPolicy(years).evaluate([card({ birthDate })], new Date(at));
    expect(decision.satisfied).toBe(expected === 'passed');
    expect(decision.criteria).toEqual([
      {
        id: `age-over-${years}`,
        result: expected,
        reason: expected === 'passed' ? { ko: `만 ${years}세 이상입니다.`, en: `The holder is ${years} or older.` } : { ko: `만 ${years}세 미만입니다.`, en: `The holder is under ${years}.` },
        evidenceHash: CARD_A,
      },
    ]);
  });
});

describe('age-over-N on the flag, which speaks for the day of issue', () => {
  const issued = { issuedAt: new Date('2026-03-02T10:00:00+09:00') };

  it.each([
    ['flag true', { ageOver19: true }, '2026-05-01T00:00:00+09:00', 'passed', 'The holder is 19 or older.'],
    ['flag true, later on the day of issue', { ageOver19: true }, '2026-03-02T23:00:00+09:00', 'passed', 'The holder is 19 or older.'],
    ['flag true, earlier on the day of issue', { ageOver19: true }, '2026-03-02T00:00:00+09:00', 'passed', 'The holder is 19 or older.'],
    ['flag true, the day of issue in Seoul but not yet in UTC', { ageOver19: true }, '2026-03-01T15:00:00Z', 'passed', 'The holder is 19 or older.'],
    [
      'flag true, reference date before the day of issue',
      { ageOver19: true },
      '2026-03-01T14:59:59Z',
      'failed',
      'The citizen card was issued after the reference date, so it does not show the holder was 19 or older then.',
    ],
    ['flag false', { ageOver19: false }, '2026-05-01T00:00:00+09:00', 'failed', 'The holder was under 19 when the citizen card was issued.'],
    ['flag false, birth date shows the holder turned 19 since', { ageOver19: false, birthDate: '2007-04-01' }, '2026-05-01T00:00:00+09:00', 'passed', 'The holder is 19 or older.'],
    ['flag true, birth date shows 18 on an earlier reference date', { ageOver19: true, birthDate: '2007-03-02' }, '2026-02-01T00:00:00+09:00', 'failed', 'The holder is under 19.'],
    ['flag true, unreadable birth date', { ageOver19: true, birthDate: '2007-02-30' }, '2026-05-01T00:00:00+09:00', 'passed', 'The holder is 19 or older.'],
    ['unreadable birth date alone', { birthDate: '2007-02-30' }, '2026-05-01T00:00:00+09:00', 'failed', 'The birth date could not be read.'],
    ['a birth date that is not a string', { birthDate: 20070302 }, '2026-05-01T00:00:00+09:00', 'failed', 'The birth date could not be read.'],
    ['neither claim disclosed', { residence: { city: '서울특별시', district: '마포구' } }, '2026-05-01T00:00:00+09:00', 'failed', 'Neither whether the holder is 19 or older nor the birth date was disclosed.'],
    ['only the flag of another age', { ageOver18: true }, '2026-05-01T00:00:00+09:00', 'failed', 'Neither whether the holder is 19 or older nor the birth date was disclosed.'],
    ['a flag that is not a boolean', { ageOver19: 'true' }, '2026-05-01T00:00:00+09:00', 'failed', 'Neither whether the holder is 19 or older nor the birth date was disclosed.'],
  ] as const)('%s: %s', (_, claims, at, expected, reason) => {
    const [result] = ageOverPolicy(19).evaluate([card(claims, issued)], new Date(at)).criteria;
    expect(result).toMatchObject({ id: 'age-over-19', result: expected, evidenceHash: CARD_A });
    expect(result?.reason.en).toBe(reason);
    expect(result?.reason.ko).not.toBe('');
  });
});

describe('age-over-N without a usable citizen card', () => {
  it('fails with no evidence when no citizen card is presented', () => {
    for (const presented of [[], [workExperience]]) {
      expect(ageOverPolicy(18).evaluate(presented, new Date('2026-05-01T00:00:00+09:00'))).toEqual({
        policy: { id: 'age-over-18', version: '1' },
        satisfied: false,
        criteria: [
          {
            id: 'age-over-18',
            result: 'failed',
            reason: { ko: '서울시민카드가 제시되지 않았습니다.', en: 'No Seoul citizen card was presented.' },
            evidenceHash: null,
          },
        ],
      });
    }
  });

  it('relies on the card that passes when two are presented, else reports the first', () => {
    const at = new Date('2026-05-01T00:00:00+09:00');
    const under = card({ ageOver19: false });
    const over = card({ ageOver19: true }, { hash: CARD_B });
    expect(ageOverPolicy(19).evaluate([under, workExperience, over], at).criteria[0]).toMatchObject({ result: 'passed', evidenceHash: CARD_B });
    expect(ageOverPolicy(19).evaluate([under, card({}, { hash: CARD_B })], at).criteria[0]).toMatchObject({ result: 'failed', evidenceHash: CARD_A });
  });

  it('does not take a credential of another type for a citizen card', () => {
    const lookalike = card({ ageOver19: true }, { type: 'EnrollmentStatus' });
    expect(ageOverPolicy(19).evaluate([lookalike], new Date('2026-05-01T00:00:00+09:00')).satisfied).toBe(false);
  });
});

describe('age-over-N requirements and misuse', () => {
  it('asks for the flag first and accepts the birth date instead', () => {
    expect(ageOverPolicy(19).requires).toEqual([
      { type: 'SeoulCitizenCard', claims: ['ageOver19', 'birthDate'], claimSets: [['ageOver19'], ['birthDate']] },
    ]);
    expect(ageOverPolicy(18).requires[0]?.claimSets?.[0]).toEqual(['ageOver18']);
  });

  it('refuses an age the card has no flag for', () => {
    expect(() => ageOverCriterion(20 as never)).toThrow(RangeError);
    expect(() => ageOverPolicy(21 as never)).toThrow(RangeError);
  });

  it('throws only for an invalid reference instant', () => {
    expect(() => ageOverPolicy(19).evaluate([card({ ageOver19: true })], new Date(Number.NaN))).toThrow(TypeError);
  });
});
