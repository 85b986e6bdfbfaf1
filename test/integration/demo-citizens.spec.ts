import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ageAt, checkAgeClaims, credentialTypeInfo, isAccreditedEmployerIssuer } from '@citycred/credentials';
import { describe, expect, it } from 'vitest';
import { agencyCredentialsOf, DEMO_CREDENTIAL_TYPES, readDemoCitizensFile, type DemoCitizen } from '../../apps/issuer/src/demo/demo-citizens.js';
import { claimsFromCsv } from '../../apps/issuer/src/oid4vci/csv-claims.js';
import type { EvaluationContext, PresentedCredential } from '../../apps/verifier/src/policies/model.js';
import { parsePrograms } from '../../apps/verifier/src/policies/program-config.js';
import { programPolicy } from '../../apps/verifier/src/policies/programs.js';
// @ts-expect-error plain ESM script without type declarations
import { demoCsvFiles } from '../../tools/demo-csv.mjs';

/*
 * The demo citizens (config/demo-citizens.json) against the real rules: the verifier's policies composed from the
 * shipped programs (config/programs.json), evaluated as the verifier does once the credentials verified. Here, not next
 * to either app, because it imports both the issuer's demo file reader and the verifier's policies (an app may not import
 * another; test/ may). A unit test: no database, chain or server.
 *
 * Ages count on the application date. The birth dates are fixed, so each outcome is checked on the first and the last
 * day of the file's program year and today: the day a citizen would change outcome (or an age flag of their card would
 * stop matching their birth date, which the issuer then refuses to offer), this fails and names them.
 */

const repo = resolve(import.meta.dirname, '../..');
const read = readDemoCitizensFile(resolve(repo, 'config/demo-citizens.json'));
if (!read.ok) throw new Error(read.problem);
const demo = read.file;
const programs = parsePrograms(JSON.parse(readFileSync(resolve(repo, 'config/programs.json'), 'utf8')));
const policyOf = (id: string) => programPolicy(programs.find((program) => program.id === id)!);
const youthAllowance = policyOf(`youth-allowance-${demo.programYear}`);
const rentSupport = policyOf(`youth-rent-support-${demo.programYear}`);

const HOLDER = { jwk: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' } };
const DAYS = [
  ['the first day of the program year', new Date(`${demo.programYear}-01-01T00:00:00+09:00`)],
  ['the last day of the program year', new Date(`${demo.programYear}-12-31T23:59:59+09:00`)],
  ['today', new Date()],
] as const;

/** A citizen's credentials as a policy sees them once verified: every claim, all bound to one wallet key. */
function presented(citizen: DemoCitizen, at: Date): PresentedCredential[] {
  return agencyCredentialsOf(citizen).map(({ type, claims }, index) => ({
    hash: `0x${String(index + 1).padStart(64, '0')}`,
    type,
    issuer: 'did:ethr:citycred:0x1111111111111111111111111111111111111111',
    claims,
    issuedAt: at,
    validUntil: null,
    holder: HOLDER,
  }));
}
const firstTime: EvaluationContext = { priorParticipation: () => false };
const failedCriteria = (policy: typeof youthAllowance, citizen: DemoCitizen, at: Date) =>
  policy.evaluate(presented(citizen, at), at, firstTime).criteria.filter((criterion) => criterion.result === 'failed').map((criterion) => criterion.id);
const expected = (outcome: string) => (outcome === 'eligible' ? [] : [outcome]);
const card = (citizen: DemoCitizen) => citizen.credentials.SeoulCitizenCard;

describe.each(DAYS)('the demo citizens on %s', (_, at) => {
  it.each(demo.citizens.map((citizen) => [citizen.id, citizen] as const))('%s gets the youth allowance outcome made for them, failing at most that one criterion', (_, citizen) => {
    expect(failedCriteria(youthAllowance, citizen, at)).toEqual(expected(citizen.youthAllowance));
  });

  it.each(demo.citizens.filter((citizen) => citizen.youthRentSupport !== undefined).map((citizen) => [citizen.id, citizen] as const))(
    '%s gets the rent support outcome made for them',
    (_, citizen) => {
      expect(failedCriteria(rentSupport, citizen, at)).toEqual(expected(citizen.youthRentSupport!));
    },
  );

  it('have citizen cards whose age flags match their birth date, as the issuer checks when it offers them', () => {
    for (const citizen of demo.citizens) expect(checkAgeClaims(card(citizen), at), citizen.id).toEqual([]);
  });

  it('cover an eligible applicant and one who fails each criterion, too young and too old', () => {
    const failing = (criterion: string) => demo.citizens.filter((citizen) => citizen.youthAllowance === criterion);
    const ages = failing('age-range').map((citizen) => ageAt(String(card(citizen)['birthDate']), at));
    expect(ages.some((age) => age < 19)).toBe(true);
    expect(ages.some((age) => age > 34)).toBe(true);
    expect(failing('eligible').length).toBeGreaterThan(0);
    expect(failing('seoul-resident').length).toBeGreaterThan(0);
    expect(failing('enrollment.not-enrolled').map((citizen) => citizen.credentials.EnrollmentStatus?.['status']).sort()).toEqual(['enrolled', 'on-leave']);
    expect(failing('income.household-median').every((citizen) => Number(citizen.credentials.IncomeBracket?.['householdIncomePercentOfMedian']) > 150)).toBe(true);
    expect(failing('income.household-median').length).toBeGreaterThan(0);
    expect(failing('income.not-basic-livelihood').length).toBeGreaterThan(0);
    const employed = failing('employment.limited').map((citizen) => citizen.credentials.EmploymentInsuranceStatus!);
    expect(employed.length).toBeGreaterThan(0);
    for (const status of employed) expect(Number(status['weeklyHours']) >= 30 && (status['contractMonths'] === undefined || Number(status['contractMonths']) >= 3)).toBe(true);
    const renters = demo.citizens.filter((citizen) => citizen.youthRentSupport === 'eligible');
    expect(renters.map((citizen) => citizen.credentials.RentalStatus?.['tenure'])).toContain('renting');
    expect(new Set(demo.citizens.map((citizen) => citizen.youthAllowance))).toEqual(
      new Set(['eligible', 'age-range', 'seoul-resident', 'enrollment.not-enrolled', 'income.household-median', 'income.not-basic-livelihood', 'employment.limited']),
    );
  });
});

describe('the agencies’ CSV imports (config/demo-citizens/<tenant>.csv)', () => {
  const dir = resolve(repo, 'config/demo-citizens');

  it('are what node tools/demo-csv.mjs makes from the citizens (run it after editing them)', () => {
    const made = demoCsvFiles(JSON.parse(readFileSync(resolve(repo, 'config/demo-citizens.json'), 'utf8'))) as Map<string, string>;
    expect(readdirSync(dir).sort()).toEqual([...made.keys()].sort());
    for (const [name, text] of made) expect(readFileSync(resolve(dir, name), 'utf8'), name).toBe(text);
  });

  it.each(DEMO_CREDENTIAL_TYPES.map((type) => [type] as const))('%s: named for its issuing tenant, read by the bulk offer import as the citizens’ claims', (type) => {
    const info = credentialTypeInfo(type);
    if (isAccreditedEmployerIssuer(info.issuerTenants)) throw new Error(`${type} has no department issuer`);
    const csv = readFileSync(resolve(dir, `${info.issuerTenants[0]}.csv`), 'utf8');
    const holders = demo.citizens.filter((citizen) => citizen.credentials[type] !== undefined);
    expect(claimsFromCsv(type, csv)).toEqual(holders.map((citizen) => citizen.credentials[type]));
  });
});
