import { judgeEachOfType } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of the employment-insurance service's status (고용보험 가입 확인서). */
export const EMPLOYMENT_INSURANCE_STATUS = 'EmploymentInsuranceStatus';

/** Settings of {@link limitedEmploymentCriterion}: both limits are exclusive. */
export interface EmploymentLimits {
  /** Insured work of fewer weekly hours than this passes (30: exactly 30 hours fails). */
  readonly weeklyHoursBelow: number;
  /** A fixed-term contract of fewer whole months than this passes (3: exactly 3 months fails). */
  readonly contractMonthsBelow: number;
}

const NONE = text('고용보험 가입 확인서가 제시되지 않았습니다.', 'No employment insurance status credential was presented.');

/**
 * The criterion `employment.limited`: by a presented `EmploymentInsuranceStatus`, the holder is not insured
 * (unemployed), or works fewer than `weeklyHoursBelow` hours a week, or is on a fixed-term contract of fewer than
 * `contractMonthsBelow` months. An open-ended contract has no `contractMonths`. The reason names the limits, never
 * the holder's hours. Several credentials are judged each, the first that passes is kept.
 * @throws RangeError when a limit is not a positive number (a configuration fault)
 */
export function limitedEmploymentCriterion(limits: EmploymentLimits): PolicyCriterion {
  const { weeklyHoursBelow, contractMonthsBelow } = limits;
  if (!(weeklyHoursBelow > 0) || !Number.isSafeInteger(contractMonthsBelow) || contractMonthsBelow <= 0) {
    throw new RangeError(`employment limits must be positive (whole months), not ${String(weeklyHoursBelow)} h / ${String(contractMonthsBelow)} months`);
  }
  const id = 'employment.limited';
  const reasons = {
    uninsured: text('고용보험에 가입되어 있지 않습니다(미취업).', 'The holder is not insured as an employee (unemployed).'),
    shortHours: text(`주 ${weeklyHoursBelow}시간 미만 근로 중입니다.`, `The holder works fewer than ${weeklyHoursBelow} hours a week.`),
    shortContract: text(`${contractMonthsBelow}개월 미만의 기간제 계약으로 근로 중입니다.`, `The holder is on a contract shorter than ${contractMonthsBelow} months.`),
    employed: text(
      `주 ${weeklyHoursBelow}시간 이상, ${contractMonthsBelow}개월 이상(또는 기간의 정함이 없는) 계약으로 근로 중입니다.`,
      `The holder works ${weeklyHoursBelow} hours a week or more on a contract of ${contractMonthsBelow} months or more (or without end).`,
    ),
    notDisclosed: text('고용보험 가입 여부 또는 근로시간이 공개되지 않았습니다.', 'Whether the holder is insured, or the weekly hours, was not disclosed.'),
  } satisfies Record<string, LocalisedText>;
  const judge = (credential: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    const { insured, weeklyHours, contractMonths } = credential.claims;
    if (insured === false) return { passed: true, reason: reasons.uninsured };
    if (insured !== true) return { passed: false, reason: reasons.notDisclosed };
    if (typeof weeklyHours === 'number' && weeklyHours < weeklyHoursBelow) return { passed: true, reason: reasons.shortHours };
    if (typeof contractMonths === 'number' && contractMonths < contractMonthsBelow) return { passed: true, reason: reasons.shortContract };
    if (typeof weeklyHours !== 'number') return { passed: false, reason: reasons.notDisclosed };
    return { passed: false, reason: reasons.employed };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([
      Object.freeze({
        type: EMPLOYMENT_INSURANCE_STATUS,
        claims: Object.freeze(['insured', 'weeklyHours', 'contractMonths']),
        // An uninsured holder's credential has no hours, an open-ended contract no months: the wallet discloses what there is.
        claimSets: Object.freeze([
          Object.freeze(['insured', 'weeklyHours', 'contractMonths']),
          Object.freeze(['insured', 'weeklyHours']),
          Object.freeze(['insured']),
        ]),
      }),
    ]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, EMPLOYMENT_INSURANCE_STATUS, NONE, judge),
  });
}
