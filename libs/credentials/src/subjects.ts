/**
 * TypeScript shapes of the credentialSubject of each catalogue type. They mirror the JSON Schemas in
 * `assets/schemas/`, which remain the authority: validate with `validateCredentialSubject` before trusting a value
 * typed this way.
 */

/** A DID such as `did:jwk:…` or `did:ethr:0x…`. */
export type Did = `did:${string}`;

/** `YYYY-MM-DD`. */
export type IsoDate = string;

/** `0x` followed by 64 lower-case hex digits. */
export type Sha256Hex = `0x${string}`;

/** Local (KST) wall-clock time `HH:MM`. */
export type ClockTime = string;

/** The business that employs the worker. */
export interface Employer {
  /** The employer tenant's DID. */
  readonly id?: Did;
  readonly name: string;
  /** 사업자등록번호, `NNN-NN-NNNNN`. */
  readonly businessRegistrationNumber: string;
  /** 대표자. */
  readonly representative?: string;
}

/** A signature over the document without its signature fields. */
export interface PartySignature {
  readonly signer: Did;
  /** RFC 3339 date-time. */
  readonly signedAt: string;
  /** Compact JWS; the payload part may be empty (detached). */
  readonly jws: string;
}

/** Coverage by the four social insurances (4대보험). */
export interface SocialInsuranceCoverage {
  readonly nationalPension: boolean;
  readonly healthInsurance: boolean;
  readonly employmentInsurance: boolean;
  readonly industrialAccident: boolean;
}

/** 서울시민카드. */
export interface SeoulCitizenCardSubject {
  readonly id?: Did;
  /** Opaque UUID; never the resident registration number. */
  readonly personId: string;
  readonly name: string;
  readonly birthDate: IsoDate;
  readonly ageOver15: boolean;
  readonly ageOver18: boolean;
  readonly ageOver19: boolean;
  readonly residence: {
    /** 시·도, e.g. 서울특별시. */
    readonly city: string;
    /** 시·군·구, e.g. 마포구. */
    readonly district: string;
  };
  readonly residentSince: IsoDate;
  readonly photoHash?: Sha256Hex;
}

/** 재학·휴학·졸업 증명. */
export interface EnrollmentStatusSubject {
  readonly id?: Did;
  readonly status: 'enrolled' | 'on-leave' | 'graduated' | 'withdrawn';
  readonly institution: {
    readonly name: string;
    readonly code?: string;
    readonly kind:
      | 'middle-school'
      | 'high-school'
      | 'junior-college'
      | 'university'
      | 'cyber-university'
      | 'graduate-school'
      | 'other';
  };
  readonly since: IsoDate;
}

/** 가구 소득 구간 확인서. */
export interface IncomeBracketSubject {
  readonly id?: Did;
  /** Whole percent of the standard median income, rounded up. */
  readonly householdIncomePercentOfMedian: number;
  /** `YYYY-MM`. */
  readonly basisMonth: string;
  readonly basicLivelihoodRecipient: boolean;
}

/** 고용보험 가입 확인서. `weeklyHours` is present exactly when insured; `contractMonths` only for fixed-term contracts. */
export interface EmploymentInsuranceStatusSubject {
  readonly id?: Did;
  readonly insured: boolean;
  readonly weeklyHours?: number;
  readonly contractMonths?: number;
  readonly since: IsoDate;
}

/** 4대보험 가입 확인서. */
export interface SocialInsuranceEnrollmentSubject extends SocialInsuranceCoverage {
  readonly id?: Did;
  readonly employer: Employer;
  readonly since: IsoDate;
}

/** One evaluated rule of the youth allowance policy. */
export interface EligibilityCriterion {
  readonly id: string;
  readonly result: 'passed' | 'failed' | 'not-applicable';
  readonly evidenceHash: Sha256Hex;
}

/** 청년수당 수급 자격. */
export interface YouthAllowanceEligibilitySubject {
  readonly id?: Did;
  readonly eligible: boolean;
  readonly programYear: number;
  readonly monthlyAmountKrw: number;
  readonly months: number;
  readonly ruleVersion: string;
  readonly criteria: readonly EligibilityCriterion[];
}

/** 전자 근로계약서 (Labor Standards Act Art. 17 items). */
export interface LaborContractSubject {
  readonly id?: Did;
  /** The contract's lineage: its first version's id, the same in every revision. */
  readonly contractId: string;
  /** 1 for the first version, one more for each revision both parties signed again. */
  readonly version: number;
  /** The id of the version this one revises. */
  readonly previousVersion?: string;
  readonly employer: Employer;
  readonly worker: { readonly name: string; readonly personId?: string };
  readonly workplace: { readonly name: string; readonly address: string };
  readonly duties: string;
  /** The worker's role, as WorkExperience names it. */
  readonly role?: string;
  /** No `end` for an open-ended contract. */
  readonly period: { readonly start: IsoDate; readonly end?: IsoDate };
  readonly hourlyWageKrw: number;
  readonly weeklyHours: number;
  readonly workDays: readonly {
    readonly day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
    readonly startTime: ClockTime;
    readonly endTime: ClockTime;
  }[];
  readonly breaks: readonly { readonly startTime: ClockTime; readonly endTime: ClockTime }[];
  readonly weeklyHolidayAllowance: boolean;
  readonly socialInsurance: SocialInsuranceCoverage;
  readonly wagePayment?: { readonly payDay: number; readonly method: 'bank-transfer' | 'cash' };
  readonly workerSignature: PartySignature;
  readonly employerSignature: PartySignature;
}

/** 경력증명서. */
export interface WorkExperienceSubject {
  readonly id?: Did;
  readonly employer: Employer;
  readonly role: string;
  readonly period: { readonly start: IsoDate; readonly end: IsoDate };
  readonly totalHours: number;
  readonly attendanceRoot: Sha256Hex;
}

/** 임차 확인서. `depositKrw` and `monthlyRentKrw` are present exactly when the holder rents. */
export interface RentalStatusSubject {
  readonly id?: Did;
  readonly tenure: 'renting' | 'owning' | 'other';
  readonly depositKrw?: number;
  /** 0 for a 전세 lease. */
  readonly monthlyRentKrw?: number;
  readonly address: { readonly city: string; readonly district?: string };
  readonly since: IsoDate;
}

/** 출퇴근 기록: one co-signed, hash-chained check-in or check-out (not a credential). */
export interface AttendanceRecordEvent {
  readonly contractId: string;
  readonly kind: 'in' | 'out';
  /** RFC 3339 date-time. */
  readonly time: string;
  readonly workplaceNonce: string;
  readonly workerSignature: PartySignature;
  /** The employer's co-signature over the event including `workerSignature`; absent until recorded. */
  readonly employerSignature?: PartySignature;
  /** Hash of the previous event of the contract; 0x followed by 64 zeros for the first. */
  readonly prevHash: Sha256Hex;
}

/** Maps each catalogue type name to the TypeScript shape of its subject (or event). */
export interface SubjectByType {
  SeoulCitizenCard: SeoulCitizenCardSubject;
  EnrollmentStatus: EnrollmentStatusSubject;
  IncomeBracket: IncomeBracketSubject;
  EmploymentInsuranceStatus: EmploymentInsuranceStatusSubject;
  SocialInsuranceEnrollment: SocialInsuranceEnrollmentSubject;
  YouthAllowanceEligibility: YouthAllowanceEligibilitySubject;
  LaborContract: LaborContractSubject;
  WorkExperience: WorkExperienceSubject;
  RentalStatus: RentalStatusSubject;
  AttendanceRecord: AttendanceRecordEvent;
}
