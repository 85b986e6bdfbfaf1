import { disguisedResidentRegistrationNumbers } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_TYPES, type CatalogueTypeName } from './catalogue.js';
import { exampleSubject, invalidExamples } from './fixtures.js';
import { containsResidentRegistrationNumber, REDACTED } from './personal-data.js';
import {
  ageAt,
  checkAgeClaims,
  FREE_TEXT_KEYWORDS,
  NO_RESIDENT_REGISTRATION_NUMBER,
  type SubjectValidationError,
  validateCredentialSubject,
} from './schema-validation.js';

function errorsOf(type: CatalogueTypeName, subject: unknown): readonly SubjectValidationError[] {
  const result = validateCredentialSubject(type, subject);
  return result.valid ? [] : result.errors;
}

const FAKE_RRN = '900101-1234567';
const variants = disguisedResidentRegistrationNumbers();

describe('validateCredentialSubject', () => {
  it.each(CATALOGUE_TYPES)('accepts the %s example', (type) => {
    expect(validateCredentialSubject(type, exampleSubject(type))).toEqual({ valid: true });
  });

  const invalidCases = CATALOGUE_TYPES.flatMap((type) =>
    invalidExamples(type).map((example) => [type, example.description, example] as const),
  );

  it('ships invalid examples for the citizen card', () => {
    expect(invalidExamples('SeoulCitizenCard').length).toBeGreaterThan(0);
  });

  it.each(invalidCases)('rejects %s with %s', (type, _description, example) => {
    const result = validateCredentialSubject(type, example.subject);
    expect(result.valid).toBe(false);
    const reported = errorsOf(type, example.subject).map(({ path, keyword }) => ({ path, keyword }));
    for (const expected of example.expectedErrors) expect(reported).toContainEqual(expected);
  });

  it('rejects properties the schema does not define, at any depth, at the parent and without naming them', () => {
    const card = { ...exampleSubject('SeoulCitizenCard'), nationality: 'KR' };
    expect(errorsOf('SeoulCitizenCard', card)).toContainEqual({ path: '', message: 'has a property the schema does not define', keyword: 'additionalProperties' });
    const contract = exampleSubject('LaborContract');
    const withExtra = { ...contract, employer: { ...contract.employer, phone: '02-123-4567', '<img src=x onerror=alert(1)>': 'x'.repeat(5000) } };
    const errors = errorsOf('LaborContract', withExtra);
    expect(errors).toContainEqual(expect.objectContaining({ path: '/employer', keyword: 'additionalProperties' }));
    expect(errors.filter((error) => error.keyword === 'additionalProperties')).toHaveLength(1);
    expect(JSON.stringify(errors)).not.toMatch(/phone|img|xxxx/);
  });

  it('names a value under a property name that is no plausible field name as [unnamed]', () => {
    const contract = exampleSubject('LaborContract');
    const workDays = [{ day: 'mon', startTime: '<b>', endTime: '15:00' }];
    const errors = errorsOf('LaborContract', { ...contract, workDays, residence: { '<script>ZQXMARK': 1 } });
    expect(JSON.stringify(errors)).not.toContain('ZQXMARK');
    expect(errors).toContainEqual(expect.objectContaining({ path: '/workDays/0/startTime' }));
  });

  it('reports every missing required claim by its own path', () => {
    const paths = errorsOf('SeoulCitizenCard', {}).map((error) => `${error.keyword} ${error.path}`);
    const required = [
      'personId',
      'name',
      'birthDate',
      'ageOver15',
      'ageOver18',
      'ageOver19',
      'residence',
      'residentSince',
    ];
    for (const claim of required) expect(paths).toContain(`required /${claim}`);
    expect(paths).not.toContain('required /photoHash');
    expect(paths).not.toContain('required /id');
  });

  it('accepts a subject without the holder id and refuses an id that is not a DID', () => {
    const { id: _id, ...withoutId } = exampleSubject('IncomeBracket');
    expect(validateCredentialSubject('IncomeBracket', withoutId)).toEqual({ valid: true });
    expect(errorsOf('IncomeBracket', { ...withoutId, id: 'https://example.com/me' })).toContainEqual(
      expect.objectContaining({ path: '/id', keyword: 'pattern' }),
    );
  });

  describe('resident registration numbers', () => {
    it.each([FAKE_RRN, '9001011234567', '생년월일 900101-2234567 확인', '850615-8123456'])(
      'are refused in a free-text claim: %j',
      (value) => {
        const contract = { ...exampleSubject('LaborContract'), duties: value };
        expect(errorsOf('LaborContract', contract)).toContainEqual(
          expect.objectContaining({ path: '/duties', keyword: NO_RESIDENT_REGISTRATION_NUMBER }),
        );
      },
    );

    it('are refused deep inside objects and arrays', () => {
      const contract = exampleSubject('LaborContract');
      const nested = {
        ...contract,
        worker: { ...contract.worker, name: `김서연 ${FAKE_RRN}` },
        workDays: [...contract.workDays, { day: 'sun', startTime: FAKE_RRN, endTime: '15:00' }],
      };
      const rrnPaths = errorsOf('LaborContract', nested)
        .filter((error) => error.keyword === NO_RESIDENT_REGISTRATION_NUMBER)
        .map((error) => error.path);
      expect(rrnPaths).toEqual(['/worker/name', '/workDays/4/startTime']);
    });

    it('are refused in properties the schema does not know, and as numbers', () => {
      const card = { ...exampleSubject('SeoulCitizenCard'), residentRegistrationNumber: 9001011234567 };
      expect(errorsOf('SeoulCitizenCard', card)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: '', keyword: 'additionalProperties' }),
          expect.objectContaining({ path: '/residentRegistrationNumber', keyword: NO_RESIDENT_REGISTRATION_NUMBER }),
        ]),
      );
    });

    it('are refused as property names without echoing them in any path or message', () => {
      const residence = { city: '서울특별시', district: '마포구', [FAKE_RRN]: true };
      const card = { ...exampleSubject('SeoulCitizenCard'), residence };
      const errors = errorsOf('SeoulCitizenCard', card);
      expect(errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: `/residence/${REDACTED}`, keyword: NO_RESIDENT_REGISTRATION_NUMBER }),
          expect.objectContaining({ path: '/residence', keyword: 'additionalProperties' }),
        ]),
      );
      expect(JSON.stringify(errors)).not.toContain('900101');
    });

    it.each(variants.map((v) => [v.label, v.text] as const))('are refused however written (%s), as a value and as a key, never echoed', (_label, text) => {
      const asValue = errorsOf('SeoulCitizenCard', { ...exampleSubject('SeoulCitizenCard'), name: text });
      expect(asValue).toContainEqual(expect.objectContaining({ path: '/name', keyword: NO_RESIDENT_REGISTRATION_NUMBER }));
      const asKey = errorsOf('LaborContract', { ...exampleSubject('LaborContract'), [text]: 'x' });
      expect(asKey).toContainEqual(expect.objectContaining({ path: `/${REDACTED}`, keyword: NO_RESIDENT_REGISTRATION_NUMBER }));
      for (const errors of [asValue, asKey]) {
        expect(JSON.stringify(errors)).not.toContain(text);
        expect(containsResidentRegistrationNumber(JSON.stringify(errors))).toBe(false);
      }
    });

    it('never echo the number in the error', () => {
      const card = { ...exampleSubject('SeoulCitizenCard'), personId: FAKE_RRN };
      expect(JSON.stringify(errorsOf('SeoulCitizenCard', card))).not.toContain('900101');
    });

    it('are found when they touch letters, underscores or Korean text, or use a space', () => {
      for (const text of ['RRN900101-1234567', 'x900101-1234567', '김서연_9001011234567', '900101 1234567', 'rrn9001011234567']) {
        expect(containsResidentRegistrationNumber(text), text).toBe(true);
        const card = { ...exampleSubject('SeoulCitizenCard'), name: text };
        const errors = errorsOf('SeoulCitizenCard', card);
        expect(errors.map((e) => e.keyword)).toContain(NO_RESIDENT_REGISTRATION_NUMBER);
        expect(JSON.stringify(errors)).not.toContain('1234567');
      }
    });

    it('are not seen in hexadecimal data that happens to hold 13 digits in a row', () => {
      expect(containsResidentRegistrationNumber(`0x${'ab'.repeat(10)}9001011234567${'cd'.repeat(15)}a`)).toBe(false);
      expect(containsResidentRegistrationNumber('3f8e2a4c-9b1d-4e6f-8a2b-7c5d9e0f1a2b')).toBe(false);
      expect(containsResidentRegistrationNumber('900101-123456')).toBe(false);
      expect(containsResidentRegistrationNumber('19001011234567')).toBe(false);
    });

    it('leave UUIDs, hashes, business numbers, phone numbers and signatures alone', () => {
      for (const type of CATALOGUE_TYPES) {
        expect(
          errorsOf(type, exampleSubject(type)).filter((error) => error.keyword === NO_RESIDENT_REGISTRATION_NUMBER),
        ).toEqual([]);
      }
    });
  });

  describe('free text (names, organisations, addresses, duties, roles)', () => {
    const placed: [string, CatalogueTypeName, (text: string) => unknown, string][] = [
      ['a person name', 'SeoulCitizenCard', (name) => ({ ...exampleSubject('SeoulCitizenCard'), name }), '/name'],
      ['a worker name', 'LaborContract', (name) => { const c = exampleSubject('LaborContract'); return { ...c, worker: { ...c.worker, name } }; }, '/worker/name'],
      ['an employer name', 'LaborContract', (name) => { const c = exampleSubject('LaborContract'); return { ...c, employer: { ...c.employer, name } }; }, '/employer/name'],
      ['a representative', 'WorkExperience', (representative) => { const c = exampleSubject('WorkExperience'); return { ...c, employer: { ...c.employer, representative } }; }, '/employer/representative'],
      ['a workplace address', 'LaborContract', (address) => { const c = exampleSubject('LaborContract'); return { ...c, workplace: { ...c.workplace, address } }; }, '/workplace/address'],
      ['duties', 'LaborContract', (duties) => ({ ...exampleSubject('LaborContract'), duties }), '/duties'],
      ['a role', 'WorkExperience', (role) => ({ ...exampleSubject('WorkExperience'), role }), '/role'],
      ['an institution name', 'EnrollmentStatus', (name) => { const c = exampleSubject('EnrollmentStatus'); return { ...c, institution: { ...c.institution, name } }; }, '/institution/name'],
    ];
    const bad: [string, string, string][] = [
      ['a NUL', '김\u0000서연', FREE_TEXT_KEYWORDS.noControlCharacters.keyword],
      ['a line break', '김서연\n관리자', FREE_TEXT_KEYWORDS.noControlCharacters.keyword],
      ['a C1 control', '김서연\u0085', FREE_TEXT_KEYWORDS.noControlCharacters.keyword],
      ['a right-to-left override', '김서연\u202etxt.exe', FREE_TEXT_KEYWORDS.noBidiControls.keyword],
      ['a directional isolate', '\u2066김서연\u2069', FREE_TEXT_KEYWORDS.noBidiControls.keyword],
      ['a right-to-left mark', '김서연\u200f', FREE_TEXT_KEYWORDS.noBidiControls.keyword],
      ['a lone high surrogate', '김서연\ud800', FREE_TEXT_KEYWORDS.noLoneSurrogates.keyword],
      ['a lone low surrogate', '\udc00김서연', FREE_TEXT_KEYWORDS.noLoneSurrogates.keyword],
      ['a script tag', '<script>alert(1)</script>', FREE_TEXT_KEYWORDS.noMarkup.keyword],
      ['an img tag', '김서연<img src=x onerror=alert(1)>', FREE_TEXT_KEYWORDS.noMarkup.keyword],
    ];
    const cases = placed.flatMap(([where, type, build, path]) => bad.map(([what, text, keyword]) => [where, what, type, build(text), path, keyword] as const));

    it.each(cases)('%s with %s is refused with its own keyword', (_where, _what, type, subject, path, keyword) => {
      const errors = errorsOf(type, subject);
      expect(errors).toContainEqual(expect.objectContaining({ path, keyword }));
      expect(errors.find((error) => error.keyword === keyword)?.message).toMatch(/^must /);
    });

    it.each([
      ['Hangul with a space', '김 서연'],
      ['Latin with accents and an apostrophe', "Zoë O'Brien-Dupré"],
      ['an emoji (a surrogate pair)', '카페 😀 마포점'],
      ['ampersand and punctuation', '(주) 마포 & 파트너스, 서울 3층'],
      ['Arabic letters without controls', 'مريم'],
    ])('accepts ordinary text: %s', (_label, text) => {
      expect(validateCredentialSubject('SeoulCitizenCard', { ...exampleSubject('SeoulCitizenCard'), name: text })).toEqual({ valid: true });
      expect(validateCredentialSubject('LaborContract', { ...exampleSubject('LaborContract'), duties: text })).toEqual({ valid: true });
    });
  });

  it('requires dates in order', () => {
    const card = { ...exampleSubject('SeoulCitizenCard'), residentSince: '1999-12-31' };
    expect(errorsOf('SeoulCitizenCard', card)).toContainEqual(
      expect.objectContaining({ path: '/residentSince', keyword: 'date-order' }),
    );
    const experience = { ...exampleSubject('WorkExperience'), period: { start: '2026-03-01', end: '2025-09-01' } };
    expect(errorsOf('WorkExperience', experience)).toContainEqual(
      expect.objectContaining({ path: '/period/end', keyword: 'date-order' }),
    );
    const sameDay = { ...exampleSubject('WorkExperience'), period: { start: '2026-03-01', end: '2026-03-01' } };
    expect(validateCredentialSubject('WorkExperience', sameDay)).toEqual({ valid: true });
  });

  it('refuses age claims that contradict each other', () => {
    const card = { ...exampleSubject('SeoulCitizenCard'), ageOver18: false };
    expect(errorsOf('SeoulCitizenCard', card)).toContainEqual(
      expect.objectContaining({ path: '/ageOver18', keyword: 'age-consistency' }),
    );
  });

  it('applies business rules written into the schemas', () => {
    const eligibility = exampleSubject('YouthAllowanceEligibility');
    const ineligible = { ...eligibility, eligible: false, monthlyAmountKrw: 0, months: 0 };
    expect(validateCredentialSubject('YouthAllowanceEligibility', ineligible)).toEqual({ valid: true });
    expect(errorsOf('YouthAllowanceEligibility', { ...eligibility, eligible: false })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/monthlyAmountKrw', keyword: 'const' }),
        expect.objectContaining({ path: '/months', keyword: 'const' }),
      ]),
    );
    expect(errorsOf('LaborContract', { ...exampleSubject('LaborContract'), hourlyWageKrw: 10500.5 })).toContainEqual(
      expect.objectContaining({ path: '/hourlyWageKrw', keyword: 'type' }),
    );
    expect(errorsOf('IncomeBracket', { ...exampleSubject('IncomeBracket'), basisMonth: '2026-13' })).toContainEqual(
      expect.objectContaining({ path: '/basisMonth', keyword: 'pattern' }),
    );
  });

  it('takes the criterion ids the verifier’s decisions name (words joined by - or .), and nothing looser', () => {
    const eligibility = exampleSubject('YouthAllowanceEligibility');
    const withIds = (...ids: string[]) => ({ ...eligibility, criteria: ids.map((id) => ({ ...eligibility.criteria[0]!, id })) });
    expect(validateCredentialSubject('YouthAllowanceEligibility', withIds('holder.same', 'income.household-median', 'age-range'))).toEqual({ valid: true });
    for (const id of ['income..median', '.income', 'income.', 'Income.median', 'income median']) {
      expect(errorsOf('YouthAllowanceEligibility', withIds(id)), id).toContainEqual(expect.objectContaining({ path: '/criteria/0/id', keyword: 'pattern' }));
    }
  });

  it('lets an SD-JWT presentation leave out undisclosed claims but still checks what it shows', () => {
    const disclosed = { ageOver19: true, residence: { city: '서울특별시', district: '마포구' } };
    expect(validateCredentialSubject('SeoulCitizenCard', disclosed)).toMatchObject({ valid: false });
    const partial = { partialDisclosure: true };
    expect(validateCredentialSubject('SeoulCitizenCard', disclosed, partial)).toEqual({ valid: true });
    expect(
      validateCredentialSubject('SeoulCitizenCard', { ...disclosed, ageOver19: 'yes' }, partial),
    ).toMatchObject({ valid: false, errors: [expect.objectContaining({ path: '/ageOver19', keyword: 'type' })] });
    expect(validateCredentialSubject('EnrollmentStatus', {}, partial)).toMatchObject({ valid: false });
  });

  it.each([null, undefined, 42, 'SeoulCitizenCard', [], [exampleSubject('SeoulCitizenCard')], new Date(0)])(
    'never throws for junk input such as %j',
    (junk) => {
      expect(validateCredentialSubject('SeoulCitizenCard', junk)).toMatchObject({ valid: false });
    },
  );

  it('never throws for cyclic or hostile input', () => {
    const cyclic: Record<string, unknown> = { ...exampleSubject('SeoulCitizenCard') };
    cyclic['self'] = cyclic;
    expect(validateCredentialSubject('SeoulCitizenCard', cyclic)).toMatchObject({ valid: false });
    const hostile = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
      },
    );
    expect(validateCredentialSubject('SeoulCitizenCard', hostile)).toMatchObject({ valid: false });
  });

  it('throws a TypeError for an unknown type only', () => {
    expect(() => validateCredentialSubject('PassportCard' as CatalogueTypeName, {})).toThrow(TypeError);
  });
});

describe('checkAgeClaims', () => {
  const born = (birthDate: string, ageOver15: boolean, ageOver18: boolean, ageOver19: boolean) => ({
    birthDate,
    ageOver15,
    ageOver18,
    ageOver19,
  });

  it('accepts claims that match the age on the day', () => {
    expect(checkAgeClaims(exampleSubject('SeoulCitizenCard'), new Date('2026-03-02T00:00:00Z'))).toEqual([]);
    expect(checkAgeClaims(born('2010-05-01', false, false, false), new Date('2025-04-30T12:00:00+09:00'))).toEqual([]);
    expect(checkAgeClaims(born('2010-05-01', true, false, false), new Date('2025-05-01T00:00:00+09:00'))).toEqual([]);
  });

  it('reports each claim that disagrees with the birth date', () => {
    const errors = checkAgeClaims(born('2008-03-03', true, true, true), new Date('2026-03-02T12:00:00+09:00'));
    expect(errors.map((error) => [error.path, error.keyword])).toEqual([
      ['/ageOver18', 'age-consistency'],
      ['/ageOver19', 'age-consistency'],
    ]);
  });

  it('reports an age claim left false after the birthday', () => {
    const errors = checkAgeClaims(born('2007-03-02', true, true, false), new Date('2026-03-02T00:00:00+09:00'));
    expect(errors.map((error) => error.path)).toEqual(['/ageOver19']);
  });

  it('counts the day in Korea, not in UTC', () => {
    // 2026-03-01T15:00Z is already 2026-03-02 in Seoul: the holder born on 2007-03-02 has turned 19.
    const at = new Date('2026-03-01T15:00:00Z');
    expect(checkAgeClaims(born('2007-03-02', true, true, true), at)).toEqual([]);
    expect(checkAgeClaims(born('2007-03-02', true, true, false), at)).toHaveLength(1);
  });

  it('lets someone born on 29 February come of age on 1 March in a common year', () => {
    expect(ageAt('2008-02-29', new Date('2026-02-28T12:00:00+09:00'))).toBe(17);
    expect(ageAt('2008-02-29', new Date('2026-03-01T00:00:00+09:00'))).toBe(18);
    expect(ageAt('2008-02-29', new Date('2028-02-29T00:00:00+09:00'))).toBe(20);
    expect(ageAt('2008-02-29', new Date('2028-02-28T23:59:59+09:00'))).toBe(19);
  });

  it('checks only the claims a partial disclosure contains', () => {
    expect(checkAgeClaims({ ageOver19: true }, new Date('2026-03-02T00:00:00Z'))).toEqual([]);
    expect(checkAgeClaims({ birthDate: '2009-01-01', ageOver19: true }, new Date('2026-03-02T00:00:00Z'))).toEqual([
      expect.objectContaining({ path: '/ageOver19', keyword: 'age-consistency' }),
    ]);
  });

  it('reports an unreadable or future birth date', () => {
    const at = new Date('2026-03-02T00:00:00Z');
    expect(checkAgeClaims({ birthDate: '2001-02-30', ageOver19: true }, at)).toEqual([
      expect.objectContaining({ path: '/birthDate', keyword: 'format' }),
    ]);
    expect(checkAgeClaims({ birthDate: '2027-01-01', ageOver15: false }, at)).toEqual([
      expect.objectContaining({ path: '/birthDate', keyword: 'age-consistency' }),
    ]);
    expect(checkAgeClaims(null, at)).toEqual([]);
  });

  it('refuses an invalid reference date', () => {
    expect(() => checkAgeClaims(exampleSubject('SeoulCitizenCard'), new Date(Number.NaN))).toThrow(TypeError);
    expect(() => ageAt('2001-13-01', new Date())).toThrow(TypeError);
  });
});
