import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { type CatalogueTypeName, credentialTypeInfo } from './catalogue.js';
import { displayPointer, findResidentRegistrationNumbers, pointerForDisplay } from './personal-data.js';
import { commonSchema, credentialSchema } from './schemas.js';
import { assertValidDate, completedYears, kstDay, ordinal, parseIsoDate } from './age.js';

export { ageAt } from './age.js';

/** One reason a subject is invalid. */
export interface SubjectValidationError {
  /**
   * JSON Pointer (RFC 6901) to the offending value inside the subject; `''` for the subject itself. Segments taken
   * from the subject pass `nameForDisplay` (`[unnamed]`, `[redacted]`); a property the schema does not define is
   * reported at its parent's pointer, without its name.
   */
  readonly path: string;
  /** Human-readable reason. Never repeats the offending value. */
  readonly message: string;
  /**
   * The JSON Schema keyword that failed (`required`, `format`, `additionalProperties`…), or one of CityCred's own
   * checks: `no-resident-registration-number`, the free-text rules ({@link FREE_TEXT_KEYWORDS}), `date-order`,
   * `age-consistency`, `unreadable`.
   */
  readonly keyword: string;
}

/** Outcome of {@link validateCredentialSubject}. */
export type SubjectValidationResult =
  | { readonly valid: true }
  | { readonly valid: false; readonly errors: readonly SubjectValidationError[] };

/** Options of {@link validateCredentialSubject}. */
export interface SubjectValidationOptions {
  /**
   * The subject comes from an SD-JWT presentation in which the holder disclosed only some claims: missing
   * selectively disclosable claims are not reported. Everything that is present is still fully checked.
   */
  readonly partialDisclosure?: boolean;
}

/**
 * Error keyword reported for a value or property name that looks like a resident registration number (주민등록번호,
 * however it is written: see `containsResidentRegistrationNumber`). No CityCred subject may carry one (PIPA).
 */
export const NO_RESIDENT_REGISTRATION_NUMBER = 'no-resident-registration-number';

/**
 * Error keywords of the free-text rules (common.json `#/$defs/freeText`, used by names, addresses, duties and
 * roles), each with the reason reported. The schema expresses each rule as a standard `pattern`, so any JSON Schema
 * 2020-12 validator enforces it; this validator reports it under its own keyword.
 */
export const FREE_TEXT_KEYWORDS = Object.freeze({
  noControlCharacters: { keyword: 'no-control-characters', message: 'must not contain control characters (U+0000–U+001F, U+007F–U+009F)' },
  noBidiControls: { keyword: 'no-bidi-controls', message: 'must not contain bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069)' },
  noLoneSurrogates: { keyword: 'no-lone-surrogates', message: 'must be well-formed Unicode (no unpaired surrogate)' },
  noMarkup: { keyword: 'no-markup', message: 'must not contain markup (< or >)' },
} as const);

const FREE_TEXT_RULE = /\$defs\/(noControlCharacters|noBidiControls|noLoneSurrogates|noMarkup)\/pattern$/;
const AGE_THRESHOLDS = [15, 18, 19] as const;

/** Pairs of dates in a subject where the first may not be after the second. */
const DATE_ORDER: Partial<Record<CatalogueTypeName, readonly (readonly [string, string])[]>> = {
  SeoulCitizenCard: [['/birthDate', '/residentSince']],
  LaborContract: [['/period/start', '/period/end']],
  WorkExperience: [['/period/start', '/period/end']],
};

let ajv: Ajv2020 | undefined;
const validators = new Map<CatalogueTypeName, ValidateFunction>();

function validatorFor(type: CatalogueTypeName): ValidateFunction {
  let validate = validators.get(type);
  if (validate === undefined) {
    if (ajv === undefined) {
      ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
      ajvFormats.default(ajv);
      ajv.addSchema(structuredClone(commonSchema()));
    }
    validate = ajv.compile(structuredClone(credentialSchema(type)));
    validators.set(type, validate);
  }
  return validate;
}

/**
 * Validates a credentialSubject (or, for `AttendanceRecord`, the event) against its type's JSON Schema and CityCred's
 * own rules: no value or property name may look like a resident registration number, and dates must be in order
 * (birth before residence, period start before end). Schemas are compiled once and cached.
 * @param type - a catalogue type name.
 * @param subject - untrusted input.
 * @param options - see {@link SubjectValidationOptions}.
 * @returns `{ valid: true }`, or `{ valid: false, errors }` listing every problem found (never the values themselves).
 * @throws TypeError when `type` is not in the catalogue; never for bad `subject` input.
 */
export function validateCredentialSubject(
  type: CatalogueTypeName,
  subject: unknown,
  options: SubjectValidationOptions = {},
): SubjectValidationResult {
  const entry = credentialTypeInfo(type);
  const validate = validatorFor(entry.type);
  const undisclosable = new Set(
    options.partialDisclosure === true && entry.isCredential ? entry.selectivelyDisclosable : [],
  );

  let errors: SubjectValidationError[];
  try {
    validate(subject);
    errors = (validate.errors ?? [])
      .filter((error) => !isUndisclosedClaim(error, undisclosable))
      .flatMap(fromAjv);
    errors.push(...residentRegistrationNumbersIn(subject));
    errors.push(...checkDateOrder(entry.type, subject));
    if (entry.type === 'SeoulCitizenCard') errors.push(...checkAgeClaimsAgree(subject));
  } catch {
    // A getter that throws, a proxy or a structure too deep to walk: not data we can vouch for.
    errors = [{ path: '', message: 'could not be read as JSON data', keyword: 'unreadable' }];
  }
  return errors.length === 0 ? { valid: true } : { valid: false, errors: unique(errors) };
}

function isUndisclosedClaim(error: ErrorObject, undisclosable: ReadonlySet<string>): boolean {
  return (
    error.keyword === 'required' &&
    error.instancePath === '' &&
    undisclosable.has(String((error.params as { missingProperty?: unknown }).missingProperty))
  );
}

function fromAjv(error: ErrorObject): SubjectValidationError[] {
  // `if` only reports that `then`/`else` failed; the failing keyword is reported on its own.
  if (error.keyword === 'if') return [];
  const params = error.params as { missingProperty?: unknown; additionalProperty?: unknown };
  switch (error.keyword) {
    case 'required':
      return [
        {
          path: `${displayPointer(error.instancePath)}${pointerForDisplay([String(params.missingProperty)])}`,
          message: 'is required',
          keyword: 'required',
        },
      ];
    case 'additionalProperties':
      return [
        {
          // Named by the request, not by the schema: neither shown nor sized by what the client sent.
          path: displayPointer(error.instancePath),
          message: 'has a property the schema does not define',
          keyword: 'additionalProperties',
        },
      ];
    case 'false schema':
      return [{ path: displayPointer(error.instancePath), message: 'must not be present here', keyword: 'false schema' }];
    case 'pattern': {
      const rule = FREE_TEXT_RULE.exec(error.schemaPath)?.[1] as keyof typeof FREE_TEXT_KEYWORDS | undefined;
      if (rule !== undefined) return [{ path: displayPointer(error.instancePath), ...FREE_TEXT_KEYWORDS[rule] }];
      return [{ path: displayPointer(error.instancePath), message: error.message ?? 'is invalid', keyword: error.keyword }];
    }
    default:
      return [{ path: displayPointer(error.instancePath), message: error.message ?? 'is invalid', keyword: error.keyword }];
  }
}

function residentRegistrationNumbersIn(subject: unknown): SubjectValidationError[] {
  return findResidentRegistrationNumbers(subject).map(({ pointer, in: where }) => ({
    path: pointer,
    message:
      where === 'key'
        ? 'is a property name that looks like a resident registration number, which CityCred never stores or issues'
        : 'looks like a resident registration number, which CityCred never stores or issues',
    keyword: NO_RESIDENT_REGISTRATION_NUMBER,
  }));
}

function checkDateOrder(type: CatalogueTypeName, subject: unknown): SubjectValidationError[] {
  return (DATE_ORDER[type] ?? []).flatMap(([earlierPath, laterPath]) => {
    const earlier = parseIsoDate(valueAt(subject, earlierPath));
    const later = parseIsoDate(valueAt(subject, laterPath));
    if (earlier === undefined || later === undefined || ordinal(earlier) <= ordinal(later)) return [];
    const earlierName = earlierPath.slice(1).replaceAll('/', '.');
    return [{ path: laterPath, message: `must not be before ${earlierName}`, keyword: 'date-order' }];
  });
}

// Being over 19 implies being over 18 and 15, whatever the birth date: report a younger threshold left false.
function checkAgeClaimsAgree(subject: unknown): SubjectValidationError[] {
  const claims = AGE_THRESHOLDS.map((years) => ({ years, value: valueAt(subject, `/ageOver${years}`) }));
  const olderClaimTrue = (years: number): boolean =>
    claims.some((older) => older.years > years && older.value === true);
  return claims
    .filter(({ years, value }) => value === false && olderClaimTrue(years))
    .map(({ years }) => ({
      path: `/ageOver${years}`,
      message: 'is false although an older age claim is true',
      keyword: 'age-consistency',
    }));
}

/**
 * Checks that the SeoulCitizenCard age claims agree with the birth date on a given day. Only the claims present are
 * checked, so it also works on a partially disclosed SD-JWT subject; without a birth date there is nothing to check.
 * Age is counted in completed years (만 나이) on the Korean (KST) calendar day of `at`; someone born on 29 February
 * turns a year older on 1 March in common years.
 * @param subject - a SeoulCitizenCard subject, or any part of one (untrusted).
 * @param at - the reference instant, e.g. issuance or presentation time.
 * @returns the disagreements (keyword `age-consistency`, or `format` for an unreadable birthDate); empty when
 *   consistent.
 * @throws TypeError when `at` is not a valid Date.
 */
export function checkAgeClaims(subject: unknown, at: Date): SubjectValidationError[] {
  assertValidDate(at);
  const birthValue = valueAt(subject, '/birthDate');
  if (birthValue === undefined) return [];
  const birth = typeof birthValue === 'string' ? parseIsoDate(birthValue) : undefined;
  if (birth === undefined) return [{ path: '/birthDate', message: 'must be a date YYYY-MM-DD', keyword: 'format' }];
  const age = completedYears(birth, at);
  if (age < 0) return [{ path: '/birthDate', message: 'is after the reference date', keyword: 'age-consistency' }];
  return AGE_THRESHOLDS.flatMap((years) => {
    const claim = valueAt(subject, `/ageOver${years}`);
    if (typeof claim !== 'boolean' || claim === age >= years) return [];
    const actually = age >= years ? 'is' : 'is not';
    return [
      {
        path: `/ageOver${years}`,
        message: `is ${String(claim)} but the holder ${actually} ${years} or older on ${kstDay(at)} (KST)`,
        keyword: 'age-consistency',
      },
    ];
  });
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value;
  for (const key of pointer.split('/').slice(1)) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function unique(errors: readonly SubjectValidationError[]): SubjectValidationError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.path}\u0000${error.keyword}\u0000${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
