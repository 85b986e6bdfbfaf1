import { addDuration, VC_V1_CONTEXT_URL, VC_V2_CONTEXT_URL } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';

/** The W3C data model a credential follows, chosen by its first `@context` entry. */
export type DataModel = '1.1' | '2.0';

/** One reason a credential cannot be issued as given: where (a JSON pointer into the credential) and why. */
export interface DraftProblem {
  readonly pointer: string;
  readonly message: string;
}

/** What the service decides for a credential, besides what the request gave. */
export interface DraftDecisions {
  /** The calling tenant's DID: the only issuer it may sign as. */
  readonly issuerDid: string;
  /** Signing time, whole seconds. */
  readonly now: Date;
  /** How far into the future a client-given issuance date may lie (clock skew between client and service). */
  readonly skewSeconds: number;
  /** The type's maximum validity (ISO-8601 duration) from the issuance date; null: none. */
  readonly maxValidity: string | null;
  /** A fresh credential id (`urn:uuid:…`), used when the request gives none. */
  readonly newId: () => string;
  /** Contexts the type needs besides the base context (e.g. CityCred's), appended when missing. */
  readonly extraContexts: readonly string[];
  /**
   * Whether members outside the VC data model are signed as given (open issuance: an app operator's own terms,
   * named as plausible field names) or refused (catalogue types, whose shape the city defines).
   */
  readonly extensionMembers: boolean;
  /** Members the service fills in itself; a request that sets one differently is refused. */
  readonly managed: { readonly credentialSchema?: Readonly<Record<string, unknown>>; readonly credentialStatus: boolean };
}

/** A credential completed for signing, and the facts the issuance command stores. */
export interface CompletedDraft {
  readonly dataModel: DataModel;
  /** The complete credential without proof (and without status entries, which the status lists add). */
  readonly credential: Record<string, unknown>;
  readonly id: string;
  /** When the credential starts to be valid (`issuanceDate` / `validFrom`). */
  readonly validFrom: Date;
  readonly validUntil: Date | null;
  readonly subjectId: string | null;
}

/** Members of the VC data models the issuer signs as given once they pass these checks. */
const PASSED_THROUGH_1_1 = ['evidence', 'termsOfUse', 'refreshService', 'name', 'description'] as const;
const PASSED_THROUGH_2_0 = [...PASSED_THROUGH_1_1, 'relatedResource'] as const;

/** XML Schema `dateTimeStamp` (a time zone is required), as both data models define dates; years 2000–9999. */
const DATE_TIME_STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;
/** An absolute URI: a scheme, a colon and no white space (`urn:uuid:…`, `https://…`, `did:…`). */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;
/** Longest credential id the service stores. */
const MAX_ID_LENGTH = 100;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Completes a VC-API credential (a complete credential without proof) for signing: checks what the request gave and
 * fills in only what is missing — the id, the issuance date, the expiry allowed by the type, the contexts and the
 * schema the type needs. Pure: the clock, the id source and the type's rules come in {@link DraftDecisions}.
 *
 * Rules: the first `@context` entry is the VCDM 1.1 or 2.0 base context; `type` holds `VerifiableCredential`;
 * `issuer` is the calling tenant (a string or an object with that `id`); 1.1 uses `issuanceDate`/`expirationDate`,
 * 2.0 `validFrom`/`validUntil` (a date of the other model is refused, never translated); an issuance date may not
 * lie in the future (beyond the skew) for 1.1, where it is the issuance time verifiers check; the expiry is after
 * the start and within the type's maximum validity; `proof` is refused (the service signs); `credentialSchema` and
 * `credentialStatus` are refused when the service manages them and they differ.
 * @throws AppError `credential.invalid` (400) listing every problem found, by JSON pointer
 */
export function completeCredential(input: Readonly<Record<string, unknown>>, decisions: DraftDecisions): CompletedDraft {
  const problems: DraftProblem[] = [];
  const problem = (pointer: string, message: string): void => {
    problems.push({ pointer, message });
  };
  const credential: Record<string, unknown> = { ...input };

  const dataModel = dataModelOf(credential['@context'], problem);
  if (dataModel) credential['@context'] = withContexts(credential['@context'] as string | unknown[], decisions.extraContexts);

  checkIssuer(credential['issuer'], decisions.issuerDid, problem);
  if ('proof' in credential) problem('/proof', 'is set by the issuing service; send the credential without proof');

  const id = credential['id'] === undefined ? decisions.newId() : credential['id'];
  if (typeof id !== 'string' || !ABSOLUTE_URI.test(id) || id.length > MAX_ID_LENGTH) {
    problem('/id', `must be an absolute URI of at most ${MAX_ID_LENGTH} characters`);
  }

  const subject = credential['credentialSubject'];
  let subjectId: string | null = null;
  if (!isRecord(subject)) problem('/credentialSubject', 'must be one object (one subject per credential)');
  else if (subject['id'] !== undefined) {
    if (typeof subject['id'] === 'string' && ABSOLUTE_URI.test(subject['id'])) subjectId = subject['id'];
    else problem('/credentialSubject/id', 'must be an absolute URI, the holder’s DID');
  }

  checkManaged(credential, decisions.managed, problem);
  if (dataModel) checkPassedThrough(credential, dataModel, problem);
  checkExtensions(credential, dataModel, decisions.extensionMembers, problem);

  let validFrom = decisions.now;
  let validUntil: Date | null = null;
  if (dataModel) {
    const [startName, endName, otherStart, otherEnd] =
      dataModel === '1.1' ? (['issuanceDate', 'expirationDate', 'validFrom', 'validUntil'] as const) : (['validFrom', 'validUntil', 'issuanceDate', 'expirationDate'] as const);
    for (const name of [otherStart, otherEnd]) {
      if (name in credential) problem(`/${name}`, `is a VC Data Model ${dataModel === '1.1' ? '2.0' : '1.1'} member; this credential uses ${dataModel} (use ${name === otherStart ? startName : endName})`);
    }
    const start = readDate(credential, startName, problem);
    const end = readDate(credential, endName, problem);
    if (start) {
      if (dataModel === '1.1' && start.getTime() > decisions.now.getTime() + decisions.skewSeconds * 1000) {
        problem(`/${startName}`, 'may not lie in the future: it is the time the credential is issued');
      }
      validFrom = start;
    }
    const maximum = decisions.maxValidity ? addDuration(validFrom, decisions.maxValidity) : null;
    if (end) {
      if (end.getTime() <= validFrom.getTime()) problem(`/${endName}`, `must be later than ${startName}`);
      else if (maximum && end.getTime() > maximum.getTime()) problem(`/${endName}`, `may not be later than ${maximum.toISOString()} for this credential type`);
      validUntil = end;
    } else validUntil = maximum;
    if (!start) credential[startName] = isoSeconds(validFrom);
    if (!end && validUntil) credential[endName] = isoSeconds(validUntil);
  }

  if (problems.length > 0 || !dataModel || typeof id !== 'string') {
    throw new AppError(ErrorCode.CredentialInvalid, 'The credential cannot be issued as given; see errors.', { extensions: { errors: problems } });
  }
  credential['id'] = id;
  if (decisions.managed.credentialSchema) credential['credentialSchema'] = decisions.managed.credentialSchema;
  return { dataModel, credential: orderMembers(credential), id, validFrom, validUntil, subjectId };
}

function dataModelOf(context: unknown, problem: (pointer: string, message: string) => void): DataModel | null {
  const list = typeof context === 'string' ? [context] : Array.isArray(context) ? context : null;
  if (list === null || list.length === 0) {
    problem('/@context', `is required: a list whose first entry is ${VC_V2_CONTEXT_URL} or ${VC_V1_CONTEXT_URL}`);
    return null;
  }
  list.forEach((entry, index) => {
    if (!(typeof entry === 'string' ? ABSOLUTE_URI.test(entry) : isRecord(entry))) problem(`/@context/${index}`, 'must be a URL or a context object');
  });
  if (list[0] === VC_V1_CONTEXT_URL) return '1.1';
  if (list[0] === VC_V2_CONTEXT_URL) return '2.0';
  problem('/@context/0', `must be ${VC_V2_CONTEXT_URL} (VC Data Model 2.0) or ${VC_V1_CONTEXT_URL} (1.1)`);
  return null;
}

function withContexts(context: string | unknown[], extra: readonly string[]): unknown[] {
  const list = typeof context === 'string' ? [context] : [...context];
  for (const url of extra) if (!list.includes(url)) list.push(url);
  return list;
}

function checkIssuer(issuer: unknown, did: string, problem: (pointer: string, message: string) => void): void {
  const id = typeof issuer === 'string' ? issuer : isRecord(issuer) ? issuer['id'] : undefined;
  if (issuer === undefined) problem('/issuer', `is required: the calling tenant’s DID ${did}, as a string or as the id of an object`);
  else if (id !== did) {
    throw new AppError(ErrorCode.IssuanceIssuerMismatch, `The issuer is the calling tenant’s DID ${did}, as a string or as the id of an issuer object.`);
  }
}

function checkManaged(credential: Record<string, unknown>, managed: DraftDecisions['managed'], problem: (pointer: string, message: string) => void): void {
  if (managed.credentialStatus && 'credentialStatus' in credential) {
    problem('/credentialStatus', 'is set by the issuing service for this credential type (its status lists); leave it out');
  }
  if (managed.credentialSchema && 'credentialSchema' in credential && !sameSchema(credential['credentialSchema'], managed.credentialSchema)) {
    problem('/credentialSchema', `must be left out or equal ${JSON.stringify(managed.credentialSchema)}: the type’s registered schema`);
  }
  if (!managed.credentialSchema && 'credentialSchema' in credential && !typedObjects(credential['credentialSchema'], true)) {
    problem('/credentialSchema', 'must be an object (or a list of objects) with an id and a type');
  }
  if (!managed.credentialStatus && 'credentialStatus' in credential && !typedObjects(credential['credentialStatus'], false)) {
    problem('/credentialStatus', 'must be an object (or a list of objects) with a type');
  }
}

function sameSchema(given: unknown, expected: Readonly<Record<string, unknown>>): boolean {
  const list = Array.isArray(given) ? given : [given];
  return list.length === 1 && isRecord(list[0]) && list[0]['id'] === expected['id'] && list[0]['type'] === expected['type'] && Object.keys(list[0]).length === 2;
}

/** Whether a member is an object or a non-empty list of objects, each with a `type` (and an `id` if asked). */
function typedObjects(value: unknown, needsId: boolean): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((item) => isRecord(item) && typeName(item['type']) && (!needsId || typeof item['id'] === 'string'));
}

/** A `type` member: a name, or a non-empty list of names. */
function typeName(type: unknown): boolean {
  return typeof type === 'string' ? type.length > 0 : Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string' && t.length > 0);
}

function checkPassedThrough(credential: Record<string, unknown>, dataModel: DataModel, problem: (pointer: string, message: string) => void): void {
  for (const name of dataModel === '1.1' ? PASSED_THROUGH_1_1 : PASSED_THROUGH_2_0) {
    if (!(name in credential)) continue;
    const value = credential[name];
    if (name === 'name' || name === 'description') {
      if (!languageValue(value, dataModel)) problem(`/${name}`, dataModel === '2.0' ? 'must be a string, a {@value, @language} object or a list of them' : 'must be a string');
    } else if (name === 'relatedResource') {
      const list = Array.isArray(value) ? value : [value];
      if (!list.every((item) => isRecord(item) && typeof item['id'] === 'string' && (typeof item['digestSRI'] === 'string' || typeof item['digestMultibase'] === 'string'))) {
        problem('/relatedResource', 'must list objects with an id and a digestSRI or digestMultibase');
      }
    } else if (!typedObjects(value, false)) problem(`/${name}`, 'must be an object (or a list of objects) with a type');
  }
}

/** Members each data model defines for a credential (the rest are extensions). */
const MODEL_MEMBERS: Readonly<Record<DataModel, ReadonlySet<string>>> = {
  '1.1': new Set(['@context', 'id', 'type', 'issuer', 'issuanceDate', 'expirationDate', 'credentialSubject', 'credentialSchema', 'credentialStatus', ...PASSED_THROUGH_1_1]),
  '2.0': new Set(['@context', 'id', 'type', 'issuer', 'validFrom', 'validUntil', 'credentialSubject', 'credentialSchema', 'credentialStatus', ...PASSED_THROUGH_2_0]),
};
/** A name an answer may show and a credential may carry as an extension member. */
const EXTENSION_NAME = /^[A-Za-z_$@][A-Za-z0-9_$@.-]{0,63}$/;

function checkExtensions(credential: Record<string, unknown>, dataModel: DataModel | null, allowed: boolean, problem: (pointer: string, message: string) => void): void {
  const known = new Set([...MODEL_MEMBERS['1.1'], ...MODEL_MEMBERS['2.0'], 'proof']);
  for (const name of Object.keys(credential)) {
    if (known.has(name)) continue;
    if (!EXTENSION_NAME.test(name)) problem('', 'has a member whose name is not a plausible term (letters, digits, _$@.-; at most 64)');
    else if (!allowed) problem(`/${name}`, `is not a member of the VC Data Model ${dataModel ?? ''}; credentials of this type carry only the data model's members`.replace('  ', ' '));
  }
}

function languageValue(value: unknown, dataModel: DataModel): boolean {
  if (typeof value === 'string') return true;
  if (dataModel === '1.1') return false;
  const list = Array.isArray(value) ? value : [value];
  return list.length > 0 && list.every((item) => isRecord(item) && typeof item['@value'] === 'string');
}

function readDate(credential: Record<string, unknown>, name: string, problem: (pointer: string, message: string) => void): Date | null {
  const value = credential[name];
  if (value === undefined) return null;
  const parsed = typeof value === 'string' ? parseDateTimeStamp(value) : null;
  if (!parsed || parsed.getUTCFullYear() < 2000 || parsed.getUTCFullYear() > 9999) {
    problem(`/${name}`, 'must be a date-time with a time zone (e.g. 2026-03-01T09:00:00Z) between the years 2000 and 9999');
    return null;
  }
  return parsed;
}

/**
 * A `dateTimeStamp` read field by field: `new Date` would roll 2027-02-30 over to March 2 and accept hour 24.
 * @returns the instant, or null when the text is no real date and time
 */
function parseDateTimeStamp(text: string): Date | null {
  const match = DATE_TIME_STAMP.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** An ISO date-time in whole seconds (`2026-03-01T09:00:00Z`), as both data models show dates. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** Puts the data model's own members first, in the order the specifications show them; the rest keep theirs. */
function orderMembers(credential: Record<string, unknown>): Record<string, unknown> {
  const first = ['@context', 'id', 'type', 'name', 'description', 'issuer', 'issuanceDate', 'validFrom', 'expirationDate', 'validUntil', 'credentialSubject'];
  const ordered: Record<string, unknown> = {};
  for (const name of first) if (name in credential) ordered[name] = credential[name];
  for (const [name, value] of Object.entries(credential)) if (!(name in ordered)) ordered[name] = value;
  return ordered;
}
