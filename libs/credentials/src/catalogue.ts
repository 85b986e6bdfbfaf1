import { deepFreeze } from './deep-freeze.js';
import { addDuration } from './duration.js';

/**
 * Names of the Verifiable Credential types CityCred issues (PRODUCT.md §2), in catalogue order.
 * `AttendanceRecord` is not here: it is a co-signed event, not a credential (see {@link CATALOGUE_TYPES}).
 */
export const CREDENTIAL_TYPES = Object.freeze([
  'SeoulCitizenCard',
  'EnrollmentStatus',
  'IncomeBracket',
  'EmploymentInsuranceStatus',
  'SocialInsuranceEnrollment',
  'YouthAllowanceEligibility',
  'LaborContract',
  'WorkExperience',
  'RentalStatus',
] as const);

/** A Verifiable Credential type name from {@link CREDENTIAL_TYPES}. */
export type CredentialTypeName = (typeof CREDENTIAL_TYPES)[number];

/** Name of the one catalogued document that is not a credential: a co-signed check-in/check-out event. */
export const ATTENDANCE_RECORD = 'AttendanceRecord';

/** Every catalogued document type, the credential types plus `AttendanceRecord`: each has a schema, fixture, labels. */
export const CATALOGUE_TYPES = Object.freeze([...CREDENTIAL_TYPES, ATTENDANCE_RECORD] as const);

/** A name from {@link CATALOGUE_TYPES}. */
export type CatalogueTypeName = (typeof CATALOGUE_TYPES)[number];

/** Encodings a credential can be issued in: a W3C VC 1.1 JWT, or an SD-JWT VC with selectively disclosable claims. */
export type CredentialFormat = 'jwt' | 'sd-jwt';

/** Bitstring Status List purposes a credential carries status entries for. */
export type StatusPurpose = 'revocation' | 'suspension';

/** Human labels shown in the consoles and the wallet. */
export interface Labels {
  /** Korean label, e.g. 서울시민카드. */
  readonly ko: string;
  /** English label. */
  readonly en: string;
}

/**
 * Marker for labour credentials: any employer tenant that the city (through a department) accredited for the type
 * on the IssuerRegistry may issue it. The on-chain accreditation is checked at verification time.
 */
export interface AccreditedEmployerIssuer {
  readonly kind: 'accredited-employer';
}

/** Who may issue a type: a fixed list of department tenant slugs, or any accredited employer tenant. */
export type IssuerTenants = readonly string[] | AccreditedEmployerIssuer;

/** Catalogue entry of a Verifiable Credential type. */
export interface CredentialTypeInfo {
  readonly type: CredentialTypeName;
  readonly isCredential: true;
  readonly labels: Labels;
  readonly issuerTenants: IssuerTenants;
  /** ISO-8601 duration (years, months, days) from issuance to expiry; null when it does not expire by time. */
  readonly validity: string | null;
  /** Formats it may be issued in; always includes `jwt`. */
  readonly formats: readonly CredentialFormat[];
  /** Top-level credentialSubject claims issued as SD-JWT disclosures; empty unless `formats` includes `sd-jwt`. */
  readonly selectivelyDisclosable: readonly string[];
  readonly statusPurposes: readonly StatusPurpose[];
}

/** Catalogue entry of a document that is not a credential (only `AttendanceRecord`). */
export interface EventTypeInfo {
  readonly type: typeof ATTENDANCE_RECORD;
  readonly isCredential: false;
  readonly labels: Labels;
  /** Parties who sign the event: the worker's wallet (`workerSignature`), then the employer (`employerSignature`). */
  readonly signers: readonly ['worker', 'employer'];
}

/** Any catalogue entry; narrow on `isCredential`. */
export type CatalogueEntry = CredentialTypeInfo | EventTypeInfo;

const ACCREDITED_EMPLOYER: AccreditedEmployerIssuer = Object.freeze({ kind: 'accredited-employer' });
const BOTH_PURPOSES: readonly StatusPurpose[] = Object.freeze(['revocation', 'suspension'] as const);
const JWT_ONLY: readonly CredentialFormat[] = Object.freeze(['jwt'] as const);
const JWT_AND_SD_JWT: readonly CredentialFormat[] = Object.freeze(['jwt', 'sd-jwt'] as const);
const NOTHING_DISCLOSABLE: readonly string[] = Object.freeze([]);

const credentialEntries: Record<CredentialTypeName, CredentialTypeInfo> = {
  SeoulCitizenCard: {
    type: 'SeoulCitizenCard',
    isCredential: true,
    labels: { ko: '서울시민카드', en: 'Seoul Citizen Card' },
    issuerTenants: ['seoul-citizen'],
    validity: 'P5Y',
    formats: JWT_AND_SD_JWT,
    selectivelyDisclosable: [
      'personId',
      'name',
      'birthDate',
      'ageOver15',
      'ageOver18',
      'ageOver19',
      'residence',
      'residentSince',
      'photoHash',
    ],
    statusPurposes: BOTH_PURPOSES,
  },
  EnrollmentStatus: {
    type: 'EnrollmentStatus',
    isCredential: true,
    labels: { ko: '재학·휴학·졸업 증명', en: 'Enrollment Status' },
    issuerTenants: ['education-office'],
    validity: 'P1Y',
    formats: JWT_ONLY,
    selectivelyDisclosable: NOTHING_DISCLOSABLE,
    statusPurposes: BOTH_PURPOSES,
  },
  IncomeBracket: {
    type: 'IncomeBracket',
    isCredential: true,
    labels: { ko: '가구 소득 구간 확인서', en: 'Household Income Bracket' },
    issuerTenants: ['health-insurance'],
    // The bracket describes one basis month, whose figures stay relevant for about half a year; counted from issuance.
    validity: 'P6M',
    formats: JWT_AND_SD_JWT,
    selectivelyDisclosable: ['householdIncomePercentOfMedian', 'basisMonth', 'basicLivelihoodRecipient'],
    statusPurposes: BOTH_PURPOSES,
  },
  EmploymentInsuranceStatus: {
    type: 'EmploymentInsuranceStatus',
    isCredential: true,
    labels: { ko: '고용보험 가입 확인서', en: 'Employment Insurance Status' },
    issuerTenants: ['employment-insurance'],
    validity: 'P3M',
    formats: JWT_AND_SD_JWT,
    selectivelyDisclosable: ['insured', 'weeklyHours', 'contractMonths', 'since'],
    statusPurposes: BOTH_PURPOSES,
  },
  SocialInsuranceEnrollment: {
    type: 'SocialInsuranceEnrollment',
    isCredential: true,
    labels: { ko: '4대보험 가입 확인서', en: 'Social Insurance Enrollment' },
    issuerTenants: ['employment-insurance'],
    validity: 'P1Y',
    formats: JWT_ONLY,
    selectivelyDisclosable: NOTHING_DISCLOSABLE,
    statusPurposes: BOTH_PURPOSES,
  },
  YouthAllowanceEligibility: {
    type: 'YouthAllowanceEligibility',
    isCredential: true,
    labels: { ko: '청년수당 수급 자격', en: 'Youth Allowance Eligibility' },
    issuerTenants: ['youth-policy'],
    validity: 'P1Y',
    formats: JWT_ONLY,
    selectivelyDisclosable: NOTHING_DISCLOSABLE,
    statusPurposes: BOTH_PURPOSES,
  },
  LaborContract: {
    type: 'LaborContract',
    isCredential: true,
    labels: { ko: '전자 근로계약서', en: 'Labour Contract' },
    issuerTenants: ACCREDITED_EMPLOYER,
    // The contract ends with its own period; revocation covers early termination.
    validity: null,
    formats: JWT_ONLY,
    selectivelyDisclosable: NOTHING_DISCLOSABLE,
    statusPurposes: BOTH_PURPOSES,
  },
  WorkExperience: {
    type: 'WorkExperience',
    isCredential: true,
    labels: { ko: '경력증명서', en: 'Work Experience' },
    issuerTenants: ACCREDITED_EMPLOYER,
    validity: null,
    formats: JWT_ONLY,
    selectivelyDisclosable: NOTHING_DISCLOSABLE,
    statusPurposes: BOTH_PURPOSES,
  },
  RentalStatus: {
    type: 'RentalStatus',
    isCredential: true,
    labels: { ko: '임차 확인서', en: 'Rental Status' },
    issuerTenants: ['housing'],
    // A tenancy changes with a move or a new lease; a year, like the other status credentials a program reads.
    validity: 'P1Y',
    formats: JWT_AND_SD_JWT,
    selectivelyDisclosable: ['tenure', 'depositKrw', 'monthlyRentKrw', 'address', 'since'],
    statusPurposes: BOTH_PURPOSES,
  },
};

const attendanceEntry: EventTypeInfo = {
  type: ATTENDANCE_RECORD,
  isCredential: false,
  labels: { ko: '출퇴근 기록', en: 'Attendance Record' },
  signers: ['worker', 'employer'],
};

const entries: ReadonlyMap<string, CatalogueEntry> = new Map<string, CatalogueEntry>(
  [...CREDENTIAL_TYPES.map((name) => credentialEntries[name]), attendanceEntry].map((entry) => [
    entry.type,
    deepFreeze(entry),
  ]),
);

/**
 * Tells whether a string names a Verifiable Credential type of the catalogue.
 * @param name - any string, e.g. a `type` entry of an incoming credential.
 * @returns true for the eight credential types; false for `AttendanceRecord`, `VerifiableCredential` and anything else.
 */
export function isCredentialType(name: unknown): name is CredentialTypeName {
  return typeof name === 'string' && entries.get(name)?.isCredential === true;
}

/**
 * Tells whether a string names any catalogued document type (credential types and `AttendanceRecord`).
 * @param name - any value.
 * @returns true when {@link credentialTypeInfo} and the schema functions accept it.
 */
export function isCatalogueType(name: unknown): name is CatalogueTypeName {
  return typeof name === 'string' && entries.has(name);
}

/**
 * Returns the frozen catalogue entry of a type.
 * @param name - a credential type name, or `AttendanceRecord`.
 * @returns the {@link CredentialTypeInfo} of a credential type, the {@link EventTypeInfo} of `AttendanceRecord`.
 * @throws TypeError when `name` is not in the catalogue.
 */
export function credentialTypeInfo(name: CredentialTypeName): CredentialTypeInfo;
export function credentialTypeInfo(name: typeof ATTENDANCE_RECORD): EventTypeInfo;
export function credentialTypeInfo(name: CatalogueTypeName): CatalogueEntry;
export function credentialTypeInfo(name: CatalogueTypeName): CatalogueEntry {
  const entry = entries.get(name);
  if (entry === undefined) throw new TypeError(`Unknown credential type: ${String(name)}`);
  return entry;
}

/**
 * Tells whether a tenant may issue a credential type according to the catalogue. This is the configuration-level
 * check done before signing; verifiers additionally check the on-chain accreditation.
 * @param type - a credential type name.
 * @param tenant - the issuing tenant's slug and whether it is an employer accredited for labour credentials.
 * @returns true when the type lists the tenant's slug, or accepts accredited employers and the tenant is one.
 * @throws TypeError when `type` is not a credential type.
 */
export function mayTenantIssue(
  type: CredentialTypeName,
  tenant: { readonly slug: string; readonly accreditedEmployer: boolean },
): boolean {
  const entry = credentialTypeInfo(type);
  if (!entry.isCredential) throw new TypeError(`${String(type)} is not a credential type`);
  const issuers = entry.issuerTenants;
  return isAccreditedEmployerIssuer(issuers) ? tenant.accreditedEmployer : issuers.includes(tenant.slug);
}

/**
 * Narrows {@link IssuerTenants} to the accredited-employer marker.
 * @param issuers - the `issuerTenants` of a catalogue entry.
 * @returns true for the `{ kind: 'accredited-employer' }` marker, false for a list of slugs.
 */
export function isAccreditedEmployerIssuer(issuers: IssuerTenants): issuers is AccreditedEmployerIssuer {
  return !Array.isArray(issuers);
}

/**
 * Computes the expiration date of a credential issued at `issuanceDate`, from the type's `validity`.
 * @param type - a credential type name.
 * @param issuanceDate - the credential's issuance instant.
 * @returns issuance plus the validity duration (see {@link addDuration}), or null when the type has no time limit.
 * @throws TypeError for an unknown type or an invalid date.
 */
export function credentialExpiry(type: CredentialTypeName, issuanceDate: Date): Date | null {
  const entry = credentialTypeInfo(type);
  if (!entry.isCredential) throw new TypeError(`${String(type)} is not a credential type`);
  return entry.validity === null ? null : addDuration(issuanceDate, entry.validity);
}
