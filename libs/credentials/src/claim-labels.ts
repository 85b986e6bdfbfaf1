import { isCatalogueType, type CatalogueTypeName, type Labels } from './catalogue.js';
import { deepFreeze } from './deep-freeze.js';

/** How a claim's value is read for display: a calendar date (`2001-04-17`) or an instant (`2026-11-01T09:00:00Z`). */
export type ClaimValueKind = 'date' | 'date-time';

/**
 * The human name of one claim of a catalogue type, in Korean (the schema's `title`, checked by claim-labels.spec.ts)
 * and English, with how to show its value: `value` for dates, `values` for the words of an enumerated value.
 */
export interface ClaimLabel extends Labels {
  readonly value?: ClaimValueKind;
  readonly values?: Readonly<Record<string, Labels>>;
}

/** A claims path as OpenID4VP's DCQL writes it: names, array indices, `null` for every element. */
export type ClaimPath = readonly (string | number | null)[];

const L = (ko: string, en: string, extra: Partial<Pick<ClaimLabel, 'value' | 'values'>> = {}): ClaimLabel => ({ ko, en, ...extra });
const DATE = { value: 'date' } as const;
const DATE_TIME = { value: 'date-time' } as const;

const HOLDER_DID = L('소지자 DID', 'Holder DID');
const SINCE = L('시작일', 'Since', DATE);
const EMPLOYER: Record<string, ClaimLabel> = {
  employer: L('사업장', 'Employer'),
  'employer.id': L('사업장 DID', 'Employer DID'),
  'employer.name': L('상호', 'Business name'),
  'employer.businessRegistrationNumber': L('사업자등록번호', 'Business registration number'),
  'employer.representative': L('대표자', 'Representative'),
};
const INSURANCES = {
  nationalPension: L('국민연금', 'National pension'),
  healthInsurance: L('건강보험', 'Health insurance'),
  employmentInsurance: L('고용보험', 'Employment insurance'),
  industrialAccident: L('산재보험', 'Industrial accident insurance'),
};
const WEEKDAY_LABELS: Record<string, ClaimLabel> = {
  mon: L('월요일', 'Monday'),
  tue: L('화요일', 'Tuesday'),
  wed: L('수요일', 'Wednesday'),
  thu: L('목요일', 'Thursday'),
  fri: L('금요일', 'Friday'),
  sat: L('토요일', 'Saturday'),
  sun: L('일요일', 'Sunday'),
};
const NOT_APPLICABLE_UNDER_15_HOURS = L('해당 없음(주 15시간 미만)', 'Not applicable (under 15 hours a week)');
const signature = (prefix: string, ko: string, en: string): Record<string, ClaimLabel> => ({
  [prefix]: L(ko, en),
  [`${prefix}.signer`]: L('서명자 DID', 'Signer DID'),
  [`${prefix}.signedAt`]: L('서명 일시', 'Signed at', DATE_TIME),
  [`${prefix}.jws`]: L('서명값(JWS)', 'Signature (JWS)'),
});
const period = (ko: string, en: string): Record<string, ClaimLabel> => ({
  period: L(ko, en),
  'period.start': L('시작일', 'Start', DATE),
  'period.end': L('종료일', 'End', DATE),
});

/**
 * The labels of every claim of every catalogue type, by path: claim names joined by `.`, array elements left out
 * (`residence.city`, `workDays.day`). The one place the wallet and the city's pages take claim names from; a claim not
 * here (another vendor's credential) is shown by its own name. The Korean labels are the schemas' `title`s, and every
 * schema property has a label (claim-labels.spec.ts).
 */
export const CLAIM_LABELS: Readonly<Record<CatalogueTypeName, Readonly<Record<string, ClaimLabel>>>> = deepFreeze({
  SeoulCitizenCard: {
    id: HOLDER_DID,
    personId: L('개인 식별번호', 'Personal ID'),
    name: L('성명', 'Name'),
    birthDate: L('생년월일', 'Date of birth', DATE),
    ageOver15: L('만 15세 이상', 'Age 15 or over'),
    ageOver18: L('만 18세 이상', 'Age 18 or over'),
    ageOver19: L('만 19세 이상', 'Age 19 or over'),
    residence: L('거주지', 'Residence'),
    'residence.city': L('시·도', 'City or province'),
    'residence.district': L('시·군·구', 'District'),
    residentSince: L('전입일', 'Resident since', DATE),
    photoHash: L('사진 해시', 'Photo hash'),
  },
  EnrollmentStatus: {
    id: HOLDER_DID,
    status: L('학적 상태', 'Enrollment status', {
      values: { enrolled: L('재학', 'Enrolled'), 'on-leave': L('휴학', 'On leave'), graduated: L('졸업', 'Graduated'), withdrawn: L('중퇴', 'Withdrawn') },
    }),
    institution: L('학교', 'School'),
    'institution.name': L('학교명', 'School name'),
    'institution.code': L('학교 코드', 'School code'),
    'institution.kind': L('학교 종류', 'Kind of school', {
      values: {
        'middle-school': L('중학교', 'Middle school'),
        'high-school': L('고등학교', 'High school'),
        'junior-college': L('전문대학', 'Junior college'),
        university: L('대학교', 'University'),
        'cyber-university': L('사이버대학', 'Cyber university'),
        'graduate-school': L('대학원', 'Graduate school'),
        other: L('기타', 'Other'),
      },
    }),
    since: SINCE,
  },
  IncomeBracket: {
    id: HOLDER_DID,
    householdIncomePercentOfMedian: L('가구소득(중위소득 대비 %)', 'Household income (% of median)'),
    basisMonth: L('기준월', 'Reference month'),
    basicLivelihoodRecipient: L('기초생활수급자 여부', 'Basic livelihood recipient'),
  },
  EmploymentInsuranceStatus: {
    id: HOLDER_DID,
    insured: L('가입 여부', 'Insured'),
    weeklyHours: L('주 근로시간', 'Weekly working hours'),
    contractMonths: L('계약 기간(개월)', 'Contract length (months)'),
    since: SINCE,
  },
  SocialInsuranceEnrollment: {
    id: HOLDER_DID,
    ...EMPLOYER,
    ...INSURANCES,
    since: SINCE,
  },
  YouthAllowanceEligibility: {
    id: HOLDER_DID,
    eligible: L('수급 자격', 'Eligible'),
    programYear: L('사업 연도', 'Programme year'),
    monthlyAmountKrw: L('월 지원액(원)', 'Monthly amount (KRW)'),
    months: L('지원 개월 수', 'Months of support'),
    ruleVersion: L('판정 규칙 버전', 'Rule version'),
    criteria: L('판정 기준', 'Criteria'),
    'criteria.id': L('기준 식별자', 'Criterion'),
    'criteria.result': L('판정 결과', 'Result', {
      values: { passed: L('충족', 'Met'), failed: L('미충족', 'Not met'), 'not-applicable': L('해당 없음', 'Not applicable') },
    }),
    'criteria.evidenceHash': L('증빙 해시', 'Evidence hash'),
  },
  LaborContract: {
    id: L('근로자 DID', 'Worker DID'),
    contractId: L('근로계약 식별번호', 'Contract ID'),
    version: L('계약 버전', 'Contract version'),
    previousVersion: L('이전 버전', 'Previous version'),
    ...EMPLOYER,
    worker: L('근로자', 'Worker'),
    'worker.name': L('성명', 'Name'),
    'worker.personId': L('개인 식별번호', 'Personal ID'),
    workplace: L('근무 장소', 'Workplace'),
    'workplace.name': L('명칭', 'Name'),
    'workplace.address': L('주소', 'Address'),
    duties: L('업무 내용', 'Duties'),
    role: L('직무', 'Role'),
    ...period('근로계약기간', 'Contract period'),
    hourlyWageKrw: L('시급(원)', 'Hourly wage (KRW)'),
    weeklyHours: L('주 소정근로시간', 'Contracted weekly hours'),
    workDays: L('근로일 및 근로시간', 'Working days and hours'),
    'workDays.day': L('요일', 'Day', { values: WEEKDAY_LABELS }),
    'workDays.startTime': L('시업 시각', 'Start time'),
    'workDays.endTime': L('종업 시각', 'End time'),
    breaks: L('휴게시간', 'Breaks'),
    'breaks.startTime': L('시작 시각', 'Start time'),
    'breaks.endTime': L('종료 시각', 'End time'),
    weeklyHolidayAllowance: L('주휴수당 지급', 'Weekly holiday allowance'),
    weeklyHoliday: L('주휴일', 'Weekly paid holiday', { values: { ...WEEKDAY_LABELS, 'not-applicable': NOT_APPLICABLE_UNDER_15_HOURS } }),
    annualLeave: L('연차 유급휴가', 'Annual paid leave', {
      values: { statutory: L('근로기준법에 따라 부여', 'Granted as the Labor Standards Act provides'), 'not-applicable': NOT_APPLICABLE_UNDER_15_HOURS },
    }),
    socialInsurance: L('사회보험 적용', 'Social insurance'),
    ...Object.fromEntries(Object.entries(INSURANCES).map(([name, label]) => [`socialInsurance.${name}`, label])),
    wagePayment: L('임금 지급', 'Wage payment'),
    'wagePayment.payDay': L('지급일(매월)', 'Pay day (monthly)'),
    'wagePayment.method': L('지급 방법', 'Payment method', { values: { 'bank-transfer': L('계좌 이체', 'Bank transfer'), cash: L('현금', 'Cash') } }),
    ...signature('workerSignature', '근로자 서명', 'Worker’s signature'),
    ...signature('employerSignature', '사업주 서명', 'Employer’s signature'),
  },
  WorkExperience: {
    id: HOLDER_DID,
    ...EMPLOYER,
    role: L('담당 업무', 'Role'),
    ...period('근무 기간', 'Period of work'),
    totalHours: L('총 근로시간', 'Total hours worked'),
    attendanceRoot: L('출퇴근 기록 해시(머클 루트)', 'Attendance records hash (Merkle root)'),
  },
  RentalStatus: {
    id: HOLDER_DID,
    tenure: L('점유 형태', 'Tenure', { values: { renting: L('임차', 'Renting'), owning: L('자가', 'Owning'), other: L('기타', 'Other') } }),
    depositKrw: L('보증금(원)', 'Deposit (KRW)'),
    monthlyRentKrw: L('월세(원)', 'Monthly rent (KRW)'),
    address: L('주택 소재지', 'Address of the home'),
    'address.city': L('시·도', 'City or province'),
    'address.district': L('시·군·구', 'District'),
    since: SINCE,
  },
  AttendanceRecord: {
    contractId: L('근로계약 식별번호', 'Contract ID'),
    kind: L('출퇴근 구분', 'Check-in or out', { values: { in: L('출근', 'Check-in'), out: L('퇴근', 'Check-out') } }),
    time: L('기록 일시', 'Recorded at', DATE_TIME),
    workplaceNonce: L('사업장 확인 코드', 'Workplace code'),
    ...signature('workerSignature', '근로자 서명', 'Worker’s signature'),
    ...signature('employerSignature', '사업주 서명', 'Employer’s signature'),
    prevHash: L('직전 기록 해시', 'Previous record hash'),
  },
});

/**
 * The label of a claim of a catalogue type, by its path (array indices and `null` are skipped: `['workDays', 0, 'day']`
 * is `workDays.day`).
 * @param type - the credential's catalogue type name (`SeoulCitizenCard`); another type has no labels
 * @returns the label, or undefined for a type or claim the catalogue does not know (show the claim's own name)
 */
export function claimLabel(type: string | undefined, path: ClaimPath): ClaimLabel | undefined {
  if (type === undefined || !isCatalogueType(type)) return undefined;
  const key = path.filter((step): step is string => typeof step === 'string').join('.');
  const labels = CLAIM_LABELS[type];
  return Object.hasOwn(labels, key) ? labels[key] : undefined;
}

/**
 * A claims path as a person reads it, in `lang`: each named step by its label (the claim's own name when it has none),
 * an array index counted from 1, every element `*`; steps joined by ` › ` (`거주지 › 시·도`, `Residence › City or province`).
 * @param type - the credential's catalogue type name, or another type (then every step is its own name)
 */
export function claimPathLabel(type: string | undefined, path: ClaimPath, lang: keyof Labels): string {
  return path
    .map((step, index) => {
      if (step === null) return '*';
      if (typeof step === 'number') return String(step + 1);
      return claimLabel(type, path.slice(0, index + 1))?.[lang] ?? step;
    })
    .join(' › ');
}

/**
 * The words of an enumerated claim value in `lang` (`enrolled` → 재학 / Enrolled), else undefined (show the value).
 * @param type - the credential's catalogue type name
 * @param path - the claim's path
 * @param value - the value as the credential states it
 */
export function claimValueLabel(type: string | undefined, path: ClaimPath, value: unknown, lang: keyof Labels): string | undefined {
  if (typeof value !== 'string') return undefined;
  const values = claimLabel(type, path)?.values;
  return values && Object.hasOwn(values, value) ? values[value]![lang] : undefined;
}
