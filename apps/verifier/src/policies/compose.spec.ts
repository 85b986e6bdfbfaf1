import { describe, expect, it } from 'vitest';
import { ageOverCriterion } from './age-over.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import type { PresentedCredential } from './model.js';
import { seoulResidentCriterion } from './seoul-resident.js';

const AT = new Date('2026-05-01T00:00:00+09:00');
const texts = { title: { ko: '시험 정책', en: 'Test policy' }, purpose: { ko: '시험합니다.', en: 'Tests.' } };

function credential(type: string, claims: Record<string, unknown>, digit: string): PresentedCredential {
  return { hash: `0x${digit.repeat(64)}`, type, issuer: 'did:ethr:0x1111111111111111111111111111111111111111', claims, issuedAt: new Date('2026-01-01T00:00:00Z'), validUntil: null };
}

// A criterion of the kind the Youth Allowance policy will add: written here only to show it needs nothing new.
const notEnrolled: PolicyCriterion = {
  id: 'not-enrolled',
  requires: [{ type: 'EnrollmentStatus', claims: ['status'] }],
  evaluate(credentials) {
    const enrolment = credentials.find((c) => c.type === 'EnrollmentStatus');
    if (enrolment === undefined) return { id: 'not-enrolled', result: 'failed', reason: { ko: '재학 증명이 없습니다.', en: 'No enrolment status.' }, evidenceHash: null };
    const passed = enrolment.claims.status !== 'enrolled';
    return { id: 'not-enrolled', result: passed ? 'passed' : 'failed', reason: { ko: passed ? '재학 중이 아닙니다.' : '재학 중입니다.', en: passed ? 'Not enrolled.' : 'Enrolled.' }, evidenceHash: enrolment.hash };
  },
};

describe('composePolicy: a policy built from criteria (the shape Youth Allowance will take)', () => {
  const composite = composePolicy({ id: 'composite-example', version: '2026.1', ...texts, criteria: [ageOverCriterion(19), seoulResidentCriterion(), notEnrolled] });
  const card = credential('SeoulCitizenCard', { ageOver19: true, residence: { city: '서울특별시', district: '마포구' } }, 'a');

  it('is satisfied only when every criterion passes, and reports each in order', () => {
    const onLeave = credential('EnrollmentStatus', { status: 'on-leave' }, 'b');
    const passed = composite.evaluate([card, onLeave], AT);
    expect(passed.policy).toEqual({ id: 'composite-example', version: '2026.1' });
    expect(passed.satisfied).toBe(true);
    expect(passed.criteria.map((c) => [c.id, c.result, c.evidenceHash])).toEqual([
      ['age-over-19', 'passed', `0x${'a'.repeat(64)}`],
      ['seoul-resident', 'passed', `0x${'a'.repeat(64)}`],
      ['not-enrolled', 'passed', `0x${'b'.repeat(64)}`],
    ]);

    const enrolled = composite.evaluate([card, credential('EnrollmentStatus', { status: 'enrolled' }, 'b')], AT);
    expect(enrolled.satisfied).toBe(false);
    expect(enrolled.criteria.map((c) => c.result)).toEqual(['passed', 'passed', 'failed']);

    const nothing = composite.evaluate([], AT);
    expect(nothing.satisfied).toBe(false);
    expect(nothing.criteria.map((c) => [c.result, c.evidenceHash])).toEqual([['failed', null], ['failed', null], ['failed', null]]);
  });

  it('asks one citizen card for everything its criteria read: each alternative joined with the other claims', () => {
    expect(composite.requires).toEqual([
      {
        type: 'SeoulCitizenCard',
        claims: ['ageOver19', 'birthDate', 'residence'],
        claimSets: [['ageOver19', 'residence'], ['birthDate', 'residence']],
      },
      { type: 'EnrollmentStatus', claims: ['status'] },
    ]);
  });

  it('combines the alternatives of two criteria on the same type, without repeating a combination', () => {
    const policy = composePolicy({ id: 'two-ages', version: '1', ...texts, criteria: [ageOverCriterion(18), ageOverCriterion(19)] });
    expect(policy.requires).toEqual([
      {
        type: 'SeoulCitizenCard',
        claims: ['ageOver18', 'birthDate', 'ageOver19'],
        claimSets: [['ageOver18', 'ageOver19'], ['ageOver18', 'birthDate'], ['birthDate', 'ageOver19'], ['birthDate']],
      },
    ]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(composite)).toBe(true);
    expect(Object.isFrozen(composite.requires)).toBe(true);
    expect(Object.isFrozen(composite.requires[0]?.claimSets)).toBe(true);
    expect(Object.isFrozen(composite.title)).toBe(true);
  });

  it('hands out reasons a caller cannot change for the next decision', () => {
    const first = composite.evaluate([], AT).criteria[0];
    expect(() => {
      (first?.reason as { en: string }).en = 'changed';
    }).toThrow(TypeError);
    expect(composite.evaluate([], AT).criteria[0]?.reason.en).toBe('No Seoul citizen card was presented.');
  });

  it('throws only for an invalid reference instant', () => {
    expect(() => composite.evaluate([card], new Date('not a date'))).toThrow(TypeError);
    expect(() => composite.evaluate([card], '2026-05-01' as unknown as Date)).toThrow(TypeError);
  });
});

describe('composePolicy: what a policy shows', () => {
  it('asks for what it shows too (the top-level claim of a dotted path), each shown claim joined to every alternative', () => {
    const policy = composePolicy({
      id: 'shows-example',
      version: '1',
      ...texts,
      criteria: [ageOverCriterion(19)],
      shows: [
        { type: 'SeoulCitizenCard', claims: ['residence.city'] },
        { type: 'WorkExperience', claims: ['employer.name', 'role'] },
      ],
    });
    expect(policy.requires).toEqual([
      { type: 'SeoulCitizenCard', claims: ['ageOver19', 'birthDate', 'residence'], claimSets: [['ageOver19', 'residence'], ['birthDate', 'residence']] },
      { type: 'WorkExperience', claims: ['employer', 'role'] },
    ]);
    expect(policy.shows).toEqual([
      { type: 'SeoulCitizenCard', claims: ['residence.city'] },
      { type: 'WorkExperience', claims: ['employer.name', 'role'] },
    ]);
    expect(Object.isFrozen(policy.shows?.[0]?.claims)).toBe(true);
  });

  it('shows nothing unless told', () => {
    expect(composePolicy({ id: 'quiet', version: '1', ...texts, criteria: [ageOverCriterion(19)] })).not.toHaveProperty('shows');
  });

  it.each([
    ['no claim', []],
    ['an empty path', ['']],
    ['an empty segment', ['employer..name']],
    ['a path with a space', ['employer name']],
    ['an index', ['items[0]']],
  ])('refuses a shown entry with %s', (_, claims) => {
    expect(() => composePolicy({ id: 'bad-shows', version: '1', ...texts, criteria: [ageOverCriterion(19)], shows: [{ type: 'WorkExperience', claims }] })).toThrow(RangeError);
  });
});

describe('composePolicy refuses a policy that cannot be right', () => {
  it.each([
    ['no criteria', { id: 'empty', version: '1', criteria: [] }],
    ['a criterion twice', { id: 'twice', version: '1', criteria: [seoulResidentCriterion(), seoulResidentCriterion()] }],
    ['an id with capitals', { id: 'Age-Over-19', version: '1', criteria: [seoulResidentCriterion()] }],
    ['an empty id', { id: '', version: '1', criteria: [seoulResidentCriterion()] }],
    ['a version with letters', { id: 'lettered', version: 'v1', criteria: [seoulResidentCriterion()] }],
    ['a version with a leading zero', { id: 'zero', version: '01', criteria: [seoulResidentCriterion()] }],
    ['an empty version', { id: 'blank', version: '', criteria: [seoulResidentCriterion()] }],
  ])('%s', (_, definition) => {
    expect(() => composePolicy({ ...texts, ...definition })).toThrow(RangeError);
  });
});
