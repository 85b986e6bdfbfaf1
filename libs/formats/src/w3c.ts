import { FormatError, FormatErrorCode, type StatusReference } from './types.js';

/**
 * What the W3C formats (`jwt_vc`, `vc+jwt`) read alike from a credential: types, issuer, status entries, schemas.
 * Messages name members only from {@link VCDM_MEMBER_NAMES}: a request may carry anything in a member name,
 * personal data included, so unknown names are never repeated.
 */

/** The VCDM 1.1 base context. */
export const VCDM1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
/** The VCDM 2.0 base context. */
export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** The type every W3C credential has. */
export const VERIFIABLE_CREDENTIAL = 'VerifiableCredential';

/** Member names of the VC data models (1.1 and 2.0) that messages may name. */
export const VCDM_MEMBER_NAMES: ReadonlySet<string> = new Set([
  '@context', 'id', 'type', 'issuer', 'issuanceDate', 'expirationDate', 'validFrom', 'validUntil', 'credentialSubject',
  'credentialStatus', 'credentialSchema', 'proof', 'evidence', 'termsOfUse', 'refreshService', 'name', 'description',
  'relatedResource', 'renderMethod', 'vc', 'vp', 'iss', 'sub', 'jti', 'nbf', 'exp', 'iat', 'aud', 'cnf',
]);

/**
 * A member name as a message may show it.
 * @param name - the member's name as received
 * @returns the name when it is one of {@link VCDM_MEMBER_NAMES}, otherwise `a member`
 */
export function memberName(name: string): string {
  return VCDM_MEMBER_NAMES.has(name) ? `"${name}"` : 'a member';
}

/**
 * Tells whether a value is a JSON object (not null, not an array).
 * @param value - anything
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A deep copy through JSON, so what is signed is exactly what `JSON.stringify` makes of the input.
 * @param value - a JSON-compatible object
 * @returns the copy
 * @throws FormatError `format.invalid-request` when the value is not JSON (a cycle, a BigInt)
 */
export function jsonCopy(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch {
    throw new FormatError(FormatErrorCode.InvalidRequest, 'the credential is not JSON');
  }
}

/**
 * A JSON value serialised with object members in sorted order: equal for values that mean the same JSON.
 * @param value - a JSON value
 * @returns its canonical text
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The issuer's identifier from `issuer` (a string, or an object with a string `id`).
 * @param issuer - the credential's `issuer`
 * @param code - the error code to throw with
 * @throws FormatError with `code` when there is none
 */
export function issuerIdOf(issuer: unknown, code: FormatErrorCode): string {
  const id = typeof issuer === 'string' ? issuer : isJsonObject(issuer) ? issuer['id'] : undefined;
  if (typeof id !== 'string' || id === '') throw new FormatError(code, '"issuer" must be a non-empty string or an object with a non-empty string "id"');
  return id;
}

/**
 * The credential's types: `type` as a list of distinct strings that includes `VerifiableCredential`.
 * @param type - the credential's `type`
 * @param code - the error code to throw with
 * @throws FormatError with `code` otherwise
 */
export function typesOf(type: unknown, code: FormatErrorCode): string[] {
  const types = typeof type === 'string' ? [type] : type;
  if (!Array.isArray(type) && typeof type !== 'string') throw new FormatError(code, '"type" must be a string or an array of strings');
  const list = types as unknown[];
  if (!list.every((t): t is string => typeof t === 'string' && t !== '')) throw new FormatError(code, '"type" must hold non-empty strings only');
  if (new Set(list).size !== list.length) throw new FormatError(code, '"type" lists a type twice');
  if (!list.includes(VERIFIABLE_CREDENTIAL)) throw new FormatError(code, `"type" must include ${VERIFIABLE_CREDENTIAL}`);
  return list;
}

/**
 * The type that says what the credential is: the last type other than `VerifiableCredential`.
 * @param types - from {@link typesOf}
 * @returns that type, or `VerifiableCredential` when it is the only one
 */
export function primaryTypeOf(types: readonly string[]): string {
  return types.filter((t) => t !== VERIFIABLE_CREDENTIAL).at(-1) ?? VERIFIABLE_CREDENTIAL;
}

/**
 * The Bitstring Status List entries of `credentialStatus` (one entry or a list). Entries of other status types are
 * not listed here; they stay in the credential for a check that understands them.
 * @param credentialStatus - the credential's `credentialStatus`, possibly undefined
 * @throws FormatError `format.invalid-claims` for a malformed BitstringStatusListEntry or a non-object entry
 */
export function statusReferencesOf(credentialStatus: unknown): StatusReference[] {
  if (credentialStatus === undefined) return [];
  const entries = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  const references: StatusReference[] = [];
  for (const entry of entries) {
    if (!isJsonObject(entry)) throw new FormatError(FormatErrorCode.InvalidClaims, '"credentialStatus" entries must be objects');
    if (entry['type'] !== 'BitstringStatusListEntry') continue;
    const { id, statusPurpose, statusListIndex, statusListCredential } = entry;
    const index = typeof statusListIndex === 'string' && /^(0|[1-9][0-9]*)$/.test(statusListIndex) ? Number(statusListIndex) : Number.NaN;
    if (typeof statusPurpose !== 'string' || typeof statusListCredential !== 'string' || !Number.isSafeInteger(index) || (id !== undefined && typeof id !== 'string')) {
      throw new FormatError(FormatErrorCode.InvalidClaims, 'a BitstringStatusListEntry needs a string statusPurpose, a statusListCredential URL and a decimal-string statusListIndex');
    }
    references.push({ kind: 'bitstring', ...(id !== undefined ? { id } : {}), purpose: statusPurpose, listCredential: statusListCredential, index });
  }
  return references;
}

/**
 * The `credentialSchema` entries (one or a list), each `{id, type}`.
 * @param credentialSchema - the credential's `credentialSchema`, possibly undefined
 * @throws FormatError `format.invalid-claims` for an entry without string `id` and `type`
 */
export function schemasOf(credentialSchema: unknown): Array<{ id: string; type: string }> {
  if (credentialSchema === undefined) return [];
  const entries = Array.isArray(credentialSchema) ? credentialSchema : [credentialSchema];
  return entries.map((entry) => {
    if (!isJsonObject(entry) || typeof entry['id'] !== 'string' || typeof entry['type'] !== 'string') {
      throw new FormatError(FormatErrorCode.InvalidClaims, '"credentialSchema" entries need a string "id" and "type"');
    }
    return { id: entry['id'], type: entry['type'] };
  });
}

/**
 * A JWT NumericDate as a Date.
 * @param value - seconds since the epoch
 * @param name - the claim's name, for the message
 * @throws FormatError `format.invalid-claims` for anything but a finite number
 */
export function numericDate(value: unknown, name: 'nbf' | 'exp' | 'iat'): Date {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new FormatError(FormatErrorCode.InvalidClaims, `"${name}" must be a NumericDate (seconds since the epoch)`);
  const date = new Date(value * 1000);
  if (Number.isNaN(date.getTime())) throw new FormatError(FormatErrorCode.InvalidClaims, `"${name}" is out of range`);
  return date;
}

const DATE_TIME_STAMP = /^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * A VCDM date-time (an XML Schema `dateTimeStamp`: with a time zone) as a Date.
 * @param value - the member's value
 * @param name - the member's name, for the message
 * @param code - the error code to throw with
 * @throws FormatError with `code` for anything else
 */
export function dateTimeStamp(value: unknown, name: 'issuanceDate' | 'expirationDate' | 'validFrom' | 'validUntil', code: FormatErrorCode): Date {
  const time = typeof value === 'string' && DATE_TIME_STAMP.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new FormatError(code, `"${name}" must be a date-time with a time zone, e.g. 2026-01-31T09:00:00Z`);
  return new Date(time);
}
