import { readFileSync } from 'node:fs';
import { exampleSubject } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { dcqlQueryOf } from '../oid4vp/dcql.js';
import type { EvaluationContext, PresentedCredential } from './model.js';
import { parsePrograms, type ProgramConfig } from './program-config.js';
import { programPolicy } from './programs.js';
import { defaultPolicyRegistry } from './registry.js';

// The shipped configuration: the boundaries below are the ones a city officer would change there.
const PROGRAMS = parsePrograms(JSON.parse(readFileSync(new URL('../../../../config/programs.json', import.meta.url), 'utf8')));
const program = (id: string): ProgramConfig => PROGRAMS.find((p) => p.id === id)!;
const youthAllowance = programPolicy(program('youth-allowance-2026'));
const rentSupport = programPolicy(program('youth-rent-support-2026'));

// The application date: 1 June 2026, Korean time.
const AT = new Date('2026-06-01T10:00:00+09:00');
const HOLDER = { jwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' } };
const hashOf = (type: string) => `0x${Buffer.from(type).toString('hex').padEnd(64, '0').slice(0, 64)}`;

function credential(type: string, claims: Record<string, unknown>, holder: PresentedCredential['holder'] | null = HOLDER): PresentedCredential {
  return { hash: hashOf(type), type, issuer: 'did:ethr:citycred:0x1111111111111111111111111111111111111111', claims, issuedAt: new Date('2026-03-01T00:00:00+09:00'), validUntil: null, ...(holder ? { holder } : {}) };
}

const PERSON = '3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b';
const card = (claims: Record<string, unknown> = {}) => credential('SeoulCitizenCard', { personId: PERSON, birthDate: '2001-04-12', residence: { city: '서울특별시', district: '마포구' }, ...claims });
const enrollment = (status: unknown = 'graduated') => credential('EnrollmentStatus', status === null ? {} : { status });
const income = (claims: Record<string, unknown> = {}) => credential('IncomeBracket', { householdIncomePercentOfMedian: 87, basicLivelihoodRecipient: false, ...claims });
const employment = (claims: Record<string, unknown> = { insured: false }) => credential('EmploymentInsuranceStatus', claims);
const rental = (claims: Record<string, unknown> = {}) => credential('RentalStatus', { tenure: 'renting', depositKrw: 10_000_000, monthlyRentKrw: 550_000, ...claims });

const FIRST_TIME: EvaluationContext = { priorParticipation: (personId) => (personId === PERSON ? false : undefined) };
const eligible = () => [card(), enrollment(), income(), employment()];

function resultOf(criterionId: string, credentials: PresentedCredential[], context: EvaluationContext = FIRST_TIME, policy = youthAllowance) {
  const decision = policy.evaluate(credentials, AT, context);
  const criterion = decision.criteria.find((c) => c.id === criterionId)!;
  return { decision, criterion };
}

describe('youth-allowance-2026', () => {
  it('grants an applicant who meets every criterion, naming the rules, configuration and evidence', () => {
    const decision = youthAllowance.evaluate(eligible(), AT, FIRST_TIME);
    expect(decision.satisfied).toBe(true);
    expect(decision.policy).toEqual({ id: 'youth-allowance-2026', version: '1' });
    expect(decision.program).toEqual({ id: 'youth-allowance-2026', configVersion: '2026.1', programYear: 2026, monthlyAmountKrw: 500000, months: 6 });
    expect(decision.criteria.map((c) => c.id)).toEqual([
      'holder.same', 'age-range', 'seoul-resident', 'enrollment.not-enrolled', 'income.household-median', 'income.not-basic-livelihood', 'employment.limited', 'participation.first-time',
    ]);
    const evidence = Object.fromEntries(decision.criteria.map((c) => [c.id, c.evidenceHash]));
    expect(evidence).toMatchObject({
      'age-range': hashOf('SeoulCitizenCard'), 'enrollment.not-enrolled': hashOf('EnrollmentStatus'), 'income.household-median': hashOf('IncomeBracket'),
      'employment.limited': hashOf('EmploymentInsuranceStatus'), 'participation.first-time': hashOf('SeoulCitizenCard'),
    });
    for (const c of decision.criteria) expect(c.reason.ko).toMatch(/[가-힣]/);
  });

  // 19th birthday on 2 June 2026 (still 18 on the application date) … 35th birthday on 1 June 2026 (35: out).
  it.each([
    ['the day before the 19th birthday', '2007-06-02', 'failed', 'The holder is under 19.'],
    ['the 19th birthday', '2007-06-01', 'passed', 'The holder is between 19 and 34 years old.'],
    ['the day before the 35th birthday (still 34)', '1991-06-02', 'passed', 'The holder is between 19 and 34 years old.'],
    ['the 35th birthday', '1991-06-01', 'failed', 'The holder is older than 34.'],
    ['the day after the 35th birthday', '1991-05-31', 'failed', 'The holder is older than 34.'],
    ['born on 29 February, 19 on 1 March of a common year', '2004-02-29', 'passed', 'The holder is between 19 and 34 years old.'],
    ['no birth date disclosed', undefined, 'failed', 'The birth date was not disclosed.'],
    ['a birth date that is no date', '2001-02-30', 'failed', 'The birth date could not be read.'],
  ] as const)('age: %s (%s) → %s', (_, birthDate, result, reason) => {
    const { criterion } = resultOf('age-range', [card({ birthDate }), enrollment(), income(), employment()]);
    expect([criterion.result, criterion.reason.en]).toEqual([result, reason]);
  });

  it.each([
    ['graduated', 'passed'],
    ['withdrawn', 'passed'],
    ['enrolled', 'failed'],
    ['on-leave', 'failed'],
    ['suspended', 'failed'],
    [null, 'failed'],
  ] as const)('enrolment status %s → %s', (status, result) => {
    expect(resultOf('enrollment.not-enrolled', [card(), enrollment(status), income(), employment()]).criterion.result).toBe(result);
  });

  it.each([
    [149, false, 'income.household-median', 'passed'],
    [150, false, 'income.household-median', 'passed'],
    [151, false, 'income.household-median', 'failed'],
    [undefined, false, 'income.household-median', 'failed'],
    [80, true, 'income.not-basic-livelihood', 'failed'],
    [80, false, 'income.not-basic-livelihood', 'passed'],
    [80, undefined, 'income.not-basic-livelihood', 'failed'],
  ] as const)('household income %s %% of the median, basic livelihood recipient %s: %s → %s', (percent, recipient, id, result) => {
    const { criterion } = resultOf(id, [card(), enrollment(), income({ householdIncomePercentOfMedian: percent, basicLivelihoodRecipient: recipient }), employment()]);
    expect(criterion.result).toBe(result);
    expect(`${criterion.reason.ko} ${criterion.reason.en}`).not.toContain(String(percent === 150 || percent === undefined ? 'x' : percent));
  });

  it.each([
    ['unemployed (not insured)', { insured: false }, 'passed'],
    ['29.5 hours on an open-ended contract', { insured: true, weeklyHours: 29.5 }, 'passed'],
    ['exactly 30 hours on an open-ended contract', { insured: true, weeklyHours: 30 }, 'failed'],
    ['40 hours on a 2-month contract', { insured: true, weeklyHours: 40, contractMonths: 2 }, 'passed'],
    ['40 hours on a contract of exactly 3 months', { insured: true, weeklyHours: 40, contractMonths: 3 }, 'failed'],
    ['exactly 30 hours on exactly 3 months', { insured: true, weeklyHours: 30, contractMonths: 3 }, 'failed'],
    ['insured, hours not disclosed', { insured: true }, 'failed'],
    ['nothing disclosed', {}, 'failed'],
  ] as const)('employment: %s (%o) → %s', (_, claims, result) => {
    expect(resultOf('employment.limited', [card(), enrollment(), income(), employment(claims)]).criterion.result).toBe(result);
  });

  it.each([
    ['first application', FIRST_TIME, 'passed', 'The holder has not taken part in this program before.'],
    ['a prior participant', { priorParticipation: () => true }, 'failed', 'The holder has already taken part in this program and cannot apply again.'],
    ['the register not consulted', {}, 'failed', 'Prior participation could not be checked.'],
  ] as const)('prior participation: %s (%o) → %s', (_, context, result, reason) => {
    const { criterion } = resultOf('participation.first-time', eligible(), context);
    expect([criterion.result, criterion.reason.en]).toEqual([result, reason]);
  });

  it('fails every criterion of a credential that was not presented, citing no evidence', () => {
    const cases: Array<[string, PresentedCredential[], string[]]> = [
      ['no citizen card', [enrollment(), income(), employment()], ['age-range', 'seoul-resident', 'participation.first-time']],
      ['no enrolment status', [card(), income(), employment()], ['enrollment.not-enrolled']],
      ['no income bracket', [card(), enrollment(), employment()], ['income.household-median', 'income.not-basic-livelihood']],
      ['no employment insurance status', [card(), enrollment(), income()], ['employment.limited']],
    ];
    for (const [label, credentials, failing] of cases) {
      const decision = youthAllowance.evaluate(credentials, AT, FIRST_TIME);
      expect(decision.satisfied, label).toBe(false);
      const failed = decision.criteria.filter((c) => c.result === 'failed');
      expect(failed.map((c) => c.id), label).toEqual(failing);
      expect(failed.every((c) => c.evidenceHash === null && /제시되지 않았습니다/.test(c.reason.ko)), label).toBe(true);
    }
  });

  it('refuses credentials bound to different wallets, or to none', () => {
    const other = { jwk: { ...HOLDER.jwk, x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0' } };
    expect(resultOf('holder.same', [card(), enrollment(), credential('IncomeBracket', { householdIncomePercentOfMedian: 80, basicLivelihoodRecipient: false }, other), employment()]).criterion.result).toBe('failed');
    expect(resultOf('holder.same', [card(), enrollment(), income(), credential('EmploymentInsuranceStatus', { insured: false }, null)]).criterion.result).toBe('failed');
  });

  it('reads only the claims it asks the wallet for, and asks for four credentials in one DCQL query without name or district', () => {
    const read = new Set<string>();
    const watched = (c: PresentedCredential): PresentedCredential => ({
      ...c,
      claims: new Proxy(c.claims, { get: (target, key) => (typeof key === 'string' && read.add(`${c.type}.${key}`), Reflect.get(target, key)) }),
    });
    youthAllowance.evaluate(eligible().map(watched), AT, FIRST_TIME);
    youthAllowance.evaluate([card({ birthDate: undefined }), enrollment('enrolled'), income({ householdIncomePercentOfMedian: 200 }), employment({ insured: true, weeklyHours: 40 })].map(watched), AT, FIRST_TIME);
    const asked = new Set(youthAllowance.requires.flatMap((r) => r.claims.map((claim) => `${r.type}.${claim}`)));
    expect([...read].filter((claim) => !asked.has(claim))).toEqual([]);

    const query = dcqlQueryOf(youthAllowance);
    expect(query.credentials.map((c) => [c.id, c.format])).toEqual([
      ['SeoulCitizenCard', 'dc+sd-jwt'], ['EnrollmentStatus', 'jwt_vc_json'], ['IncomeBracket', 'dc+sd-jwt'], ['EmploymentInsuranceStatus', 'dc+sd-jwt'],
    ]);
    const claimsOf = (id: string) => query.credentials.find((c) => c.id === id)!.claims!.map((c) => c.path.join('.'));
    expect(claimsOf('SeoulCitizenCard')).toEqual(['birthDate', 'residence', 'personId']);
    expect(claimsOf('EnrollmentStatus')).toEqual(['credentialSubject.status']);
    expect(claimsOf('IncomeBracket')).toEqual(['householdIncomePercentOfMedian', 'basicLivelihoodRecipient']);
    expect(query.credentials.find((c) => c.id === 'EmploymentInsuranceStatus')!.claim_sets).toEqual([['insured', 'weeklyHours', 'contractMonths'], ['insured', 'weeklyHours'], ['insured']]);
    expect(JSON.stringify(query)).not.toMatch(/"name"|ageOver|residentSince|institution/);
  });

  it('never repeats personal data in a reason', () => {
    const subject = exampleSubject('SeoulCitizenCard');
    const personal = [PERSON, subject.name, '2001-04-12', '마포구', '87', '29.5'];
    const variants = [eligible(), [card({ birthDate: '2009-01-01', residence: { city: '부산광역시', district: '해운대구' } }), enrollment('enrolled'), income({ householdIncomePercentOfMedian: 187, basicLivelihoodRecipient: true }), employment({ insured: true, weeklyHours: 40 })]];
    for (const credentials of variants) {
      for (const { reason } of youthAllowance.evaluate(credentials, AT, { priorParticipation: () => true }).criteria) {
        for (const value of personal) expect(`${reason.ko} ${reason.en}`).not.toContain(value);
      }
    }
  });
});

describe('youth-rent-support-2026: the same criteria, another configuration', () => {
  const rentEligible = () => [card(), income(), rental()];

  it('grants a renter under the caps, and reuses the shared criteria', () => {
    const decision = rentSupport.evaluate(rentEligible(), AT, FIRST_TIME);
    expect(decision.satisfied).toBe(true);
    expect(decision.criteria.map((c) => c.id)).toEqual(['holder.same', 'age-range', 'seoul-resident', 'income.household-median', 'rental.within-caps', 'participation.first-time']);
    expect(decision.program).toMatchObject({ id: 'youth-rent-support-2026', monthlyAmountKrw: 200000, months: 12 });
  });

  it.each([
    ['39 (the day before the 40th birthday)', { birthDate: '1986-06-02' }, 'age-range', 'passed'],
    ['40', { birthDate: '1986-06-01' }, 'age-range', 'failed'],
  ] as const)('age %s → %s', (_, claims, id, result) => {
    expect(resultOf(id, [card(claims), income(), rental()], FIRST_TIME, rentSupport).criterion.result).toBe(result);
  });

  it.each([
    ['deposit and rent exactly at the caps', { depositKrw: 50_000_000, monthlyRentKrw: 700_000 }, 'passed'],
    ['a deposit 1 won above the cap', { depositKrw: 50_000_001 }, 'failed'],
    ['a rent 1 won above the cap', { monthlyRentKrw: 700_001 }, 'failed'],
    ['a 전세 lease (no monthly rent)', { monthlyRentKrw: 0 }, 'failed'],
    ['an owner-occupier', { tenure: 'owning', depositKrw: undefined, monthlyRentKrw: undefined }, 'failed'],
    ['the rent not disclosed', { monthlyRentKrw: undefined }, 'failed'],
  ] as const)('rent: %s → %s', (_, claims, result) => {
    expect(resultOf('rental.within-caps', [card(), income(), rental(claims)], FIRST_TIME, rentSupport).criterion.result).toBe(result);
  });

  it('asks for the rental status by SD-JWT without its address', () => {
    const query = dcqlQueryOf(rentSupport);
    expect(query.credentials.map((c) => c.id)).toEqual(['SeoulCitizenCard', 'IncomeBracket', 'RentalStatus']);
    expect(query.credentials.find((c) => c.id === 'RentalStatus')!.claims!.map((c) => c.path.join('.'))).toEqual(['tenure', 'depositKrw', 'monthlyRentKrw']);
    expect(query.credentials.find((c) => c.id === 'IncomeBracket')!.claims!.map((c) => c.path.join('.'))).toEqual(['householdIncomePercentOfMedian']);
  });
});

describe('program configuration', () => {
  const base = JSON.parse(readFileSync(new URL('../../../../config/programs.json', import.meta.url), 'utf8')) as { programs: Record<string, unknown>[] };
  const withProgram = (change: (p: Record<string, unknown>) => Record<string, unknown>) => ({ programs: [change(structuredClone(base.programs[0]!))] });

  it('changes a threshold without code: the decision follows the configuration', () => {
    const [stricter] = parsePrograms(withProgram((p) => ({ ...p, configVersion: '2026.2', criteria: (p.criteria as Record<string, unknown>[]).map((c) => (c.kind === 'household-income' ? { ...c, maxPercentOfMedian: 120 } : c)) })));
    const decision = programPolicy(stricter!).evaluate([card(), enrollment(), income({ householdIncomePercentOfMedian: 130 }), employment()], AT, FIRST_TIME);
    expect(decision.satisfied).toBe(false);
    expect(decision.program?.configVersion).toBe('2026.2');
    expect(decision.criteria.find((c) => c.id === 'income.household-median')?.reason.en).toBe('The household income is above 120 % of the median.');
  });

  it.each([
    ['an unknown criterion', (p: Record<string, unknown>) => ({ ...p, criteria: [{ kind: 'lives-on-the-moon' }] })],
    ['a reversed age range', (p: Record<string, unknown>) => ({ ...p, criteria: [{ kind: 'age-range', minimum: 35, maximum: 19 }] })],
    ['a criterion twice', (p: Record<string, unknown>) => ({ ...p, criteria: [{ kind: 'seoul-resident' }, { kind: 'seoul-resident' }] })],
    ['a negative amount', (p: Record<string, unknown>) => ({ ...p, benefit: { monthlyAmountKrw: -1, months: 6 } })],
    ['a configuration version that is no version', (p: Record<string, unknown>) => ({ ...p, configVersion: 'spring' })],
    ['an unknown member', (p: Record<string, unknown>) => ({ ...p, amount: 500000 })],
    ['a page that is no slug', (p: Record<string, unknown>) => ({ ...p, page: 'Youth Allowance' })],
    ['an eligibility without its tenant', (p: Record<string, unknown>) => ({ ...p, eligibility: { credentialType: 'YouthAllowanceEligibility' } })],
    ['an eligibility with an unknown member', (p: Record<string, unknown>) => ({ ...p, eligibility: { tenant: 'youth-policy', credentialType: 'YouthAllowanceEligibility', format: 'jwt' } })],
  ])('refuses %s', (_, change) => {
    expect(() => parsePrograms(withProgram(change))).toThrow();
  });

  it('refuses two programs with one id, and registers each program as a policy', () => {
    expect(() => parsePrograms({ programs: [base.programs[0], base.programs[0]] })).toThrow(/differ/);
    expect(() => parsePrograms({ programs: [base.programs[0], { ...base.programs[1], page: base.programs[0]!.page }] })).toThrow(/pages must differ/);
    const registry = defaultPolicyRegistry({ programs: PROGRAMS });
    expect(registry.get('youth-allowance-2026')?.program?.configVersion).toBe('2026.1');
    expect(registry.get('youth-rent-support-2026', '1')?.id).toBe('youth-rent-support-2026');
  });
});
