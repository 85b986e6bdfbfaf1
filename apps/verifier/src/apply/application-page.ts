import { credentialTypeInfo, isCredentialType, mayTenantIssue, type CredentialTypeName } from '@citycred/credentials';
import type { CredentialPolicy, LocalisedText, ProgramConfig, ProgramCriterionConfig } from '../policies/index.js';

/*
 * A program's application page, derived from its configuration alone (docs/youth-allowance.md, "The application
 * page"): one page serves every program, so a second program is a configuration entry, not a new page.
 */

/** The credential an eligible applicant is offered, as the page and the offer need it. */
export interface EligibilityOffering {
  /** The issuing tenant's slug (its API key is the verifier's `PROGRAM_ISSUER_API_KEYS`). */
  readonly tenant: string;
  readonly credentialType: CredentialTypeName;
  /** The OpenID4VCI credential configuration offered: the type as a JWT VC (`<Type>_jwt_vc_json`). */
  readonly credentialConfigurationId: string;
  /** The type's name as the catalogue gives it. */
  readonly label: LocalisedText;
}

/** What a program's application page shows: texts and thresholds from its configuration, never anyone's claims. */
export interface ApplicationPage {
  /** The page's slug: it is served at `/apply/<page>`. */
  readonly page: string;
  /** The program, which is also its policy's id. */
  readonly program: string;
  readonly programYear: number;
  readonly title: LocalisedText;
  readonly purpose: LocalisedText;
  readonly benefit: { readonly monthlyAmountKrw: number; readonly months: number };
  /** Every criterion of the program's decision, in the decision's order, as a plain condition with its thresholds. */
  readonly criteria: ReadonlyArray<{ readonly id: string; readonly text: LocalisedText }>;
  /** The credentials the wallet is asked for, in the order of the request's query, by their catalogue names. */
  readonly credentials: ReadonlyArray<{ readonly type: string; readonly label: LocalisedText }>;
  /** The eligibility credential, when the program issues one; absent: the signed receipt is the applicant's proof. */
  readonly eligibility?: EligibilityOffering;
}

/** The criterion every program's policy puts first (`programPolicy`): one wallet holds every credential relied on. */
const SAME_HOLDER = Object.freeze({
  id: 'holder.same',
  text: Object.freeze({ ko: '제출하는 증명서가 모두 신청인 본인의 지갑에 있는 것', en: 'Every credential comes from your own wallet' }),
});

const won = (amount: number) => amount.toLocaleString('en-US');

/**
 * A configured criterion as the page states it: the id its decision results carry, and the condition with the
 * configured thresholds in Korean and English.
 * @param criterion - one criterion of a program's configuration
 */
export function criterionCondition(criterion: ProgramCriterionConfig): { id: string; text: LocalisedText } {
  switch (criterion.kind) {
    case 'age-range':
      return { id: 'age-range', text: { ko: `신청일 기준 만 ${criterion.minimum}세 이상 ${criterion.maximum}세 이하`, en: `Aged ${criterion.minimum} to ${criterion.maximum} on the day you apply` } };
    case 'seoul-resident':
      return { id: 'seoul-resident', text: { ko: '서울특별시에 거주', en: 'You live in Seoul' } };
    case 'not-enrolled':
      return { id: 'enrollment.not-enrolled', text: { ko: '학교에 재학 중이거나 휴학 중이 아님(졸업 또는 제적·자퇴)', en: 'Not enrolled or on leave at a school or university (graduated or withdrawn)' } };
    case 'household-income':
      return { id: 'income.household-median', text: { ko: `가구 소득이 기준 중위소득의 ${criterion.maxPercentOfMedian}% 이하`, en: `Household income at most ${criterion.maxPercentOfMedian} % of the median` } };
    case 'not-basic-livelihood':
      return { id: 'income.not-basic-livelihood', text: { ko: '기초생활보장 수급자가 아님', en: 'Not a basic livelihood security recipient' } };
    case 'limited-employment':
      return {
        id: 'employment.limited',
        text: {
          ko: `고용보험에 가입되어 있지 않거나, 주 ${criterion.weeklyHoursBelow}시간 미만 근무하거나, ${criterion.contractMonthsBelow}개월 미만 계약으로 근무`,
          en: `Not insured as an employee, or working fewer than ${criterion.weeklyHoursBelow} hours a week, or on a contract shorter than ${criterion.contractMonthsBelow} months`,
        },
      };
    case 'renting-within-caps':
      return {
        id: 'rental.within-caps',
        text: {
          ko: `월세로 임차 중이며 보증금 ${won(criterion.maxDepositKrw)}원 이하, 월세 ${won(criterion.maxMonthlyRentKrw)}원 이하`,
          en: `Renting with a deposit of at most KRW ${won(criterion.maxDepositKrw)} and a monthly rent of at most KRW ${won(criterion.maxMonthlyRentKrw)}`,
        },
      };
    case 'first-participation':
      return { id: 'participation.first-time', text: { ko: '이 사업에 처음 참여', en: 'You have not taken part in this program before' } };
  }
}

/**
 * The eligibility credential a program's configuration names, checked against the catalogue.
 * @throws Error when the type is not a catalogue credential type, the tenant may not issue it, or it has no JWT VC
 *   format (a configuration fault: start-up stops)
 */
export function eligibilityOfferingOf(program: ProgramConfig): EligibilityOffering | undefined {
  const configured = program.eligibility;
  if (configured === undefined) return undefined;
  const { tenant, credentialType } = configured;
  const fault = (why: string) => new Error(`program ${program.id}: eligibility ${credentialType} from ${tenant}: ${why}`);
  if (!isCredentialType(credentialType)) throw fault('not a credential type of the catalogue');
  const info = credentialTypeInfo(credentialType);
  if (!mayTenantIssue(credentialType, { slug: tenant, accreditedEmployer: false })) throw fault('the catalogue does not let this tenant issue it');
  if (!info.formats.includes('jwt')) throw fault('it is not issued as a JWT VC');
  return Object.freeze({ tenant, credentialType, credentialConfigurationId: `${credentialType}_jwt_vc_json`, label: Object.freeze({ ko: info.labels.ko, en: info.labels.en }) });
}

/**
 * The application page of a program that has one (`page` in its configuration).
 * @param program - the program's configuration
 * @param policy - its registered policy (the request's query is derived from its `requires`)
 * @returns the page, or undefined for a program without a page
 * @throws Error for an eligibility credential the catalogue does not allow ({@link eligibilityOfferingOf})
 */
export function applicationPageOf(program: ProgramConfig, policy: Pick<CredentialPolicy, 'requires'>): ApplicationPage | undefined {
  if (program.page === undefined) return undefined;
  const eligibility = eligibilityOfferingOf(program);
  return Object.freeze({
    page: program.page,
    program: program.id,
    programYear: program.programYear,
    title: program.title,
    purpose: program.purpose,
    benefit: program.benefit,
    criteria: Object.freeze([SAME_HOLDER, ...program.criteria.map(criterionCondition)]),
    credentials: Object.freeze(
      policy.requires.map(({ type }) => ({ type, label: isCredentialType(type) ? { ko: credentialTypeInfo(type).labels.ko, en: credentialTypeInfo(type).labels.en } : { ko: type, en: type } })),
    ),
    ...(eligibility ? { eligibility } : {}),
  });
}

/**
 * Every program's application page, by its slug.
 * @param programs - the configured programs
 * @param policyOf - each program's registered policy
 * @throws Error as {@link applicationPageOf}
 */
export function applicationPagesOf(programs: readonly ProgramConfig[], policyOf: (program: string) => Pick<CredentialPolicy, 'requires'>): ReadonlyMap<string, ApplicationPage> {
  const pages = new Map<string, ApplicationPage>();
  for (const program of programs) {
    const page = applicationPageOf(program, policyOf(program.id));
    if (page) pages.set(page.page, page);
  }
  return pages;
}
