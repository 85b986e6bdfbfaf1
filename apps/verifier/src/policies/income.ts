import { judgeEachOfType } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of the health-insurance service's household income bracket (가구 소득 구간 확인서). */
export const INCOME_BRACKET = 'IncomeBracket';

const NO_INCOME_BRACKET = text('가구 소득 구간 확인서가 제시되지 않았습니다.', 'No household income bracket credential was presented.');

/** Settings of {@link householdIncomeCriterion}. */
export interface HouseholdIncomeLimit {
  /** The highest household income admitted, in whole percent of the standard median income (included). */
  readonly maxPercentOfMedian: number;
}

/**
 * The criterion `income.household-median`: a presented `IncomeBracket` whose `householdIncomePercentOfMedian` (a
 * whole percent, rounded up by the issuer) is at most `maxPercentOfMedian` — exactly the limit passes. The reason
 * names the limit, never the holder's figure.
 * @throws RangeError when the limit is not a whole number of 0 or more (a configuration fault)
 */
export function householdIncomeCriterion(limit: HouseholdIncomeLimit): PolicyCriterion {
  const { maxPercentOfMedian } = limit;
  if (!Number.isSafeInteger(maxPercentOfMedian) || maxPercentOfMedian < 0) {
    throw new RangeError(`maxPercentOfMedian must be a whole number of 0 or more, not ${String(maxPercentOfMedian)}`);
  }
  const id = 'income.household-median';
  const reasons = {
    passed: text(`가구 소득이 기준 중위소득의 ${maxPercentOfMedian}% 이하입니다.`, `The household income is at most ${maxPercentOfMedian} % of the median.`),
    above: text(`가구 소득이 기준 중위소득의 ${maxPercentOfMedian}%를 넘습니다.`, `The household income is above ${maxPercentOfMedian} % of the median.`),
    notDisclosed: text('가구 소득 구간이 공개되지 않았습니다.', 'The household income bracket was not disclosed.'),
  } satisfies Record<string, LocalisedText>;
  const judge = (credential: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    const percent = credential.claims.householdIncomePercentOfMedian;
    if (typeof percent !== 'number' || !Number.isFinite(percent)) return { passed: false, reason: reasons.notDisclosed };
    return percent <= maxPercentOfMedian ? { passed: true, reason: reasons.passed } : { passed: false, reason: reasons.above };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: INCOME_BRACKET, claims: Object.freeze(['householdIncomePercentOfMedian']) })]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, INCOME_BRACKET, NO_INCOME_BRACKET, judge),
  });
}

/**
 * The criterion `income.not-basic-livelihood`: a presented `IncomeBracket` whose `basicLivelihoodRecipient` is
 * `false` (a recipient of the national basic livelihood security benefit is served by that scheme instead).
 */
export function notBasicLivelihoodCriterion(): PolicyCriterion {
  const id = 'income.not-basic-livelihood';
  const reasons = {
    passed: text('기초생활보장 수급자가 아닙니다.', 'The holder does not receive basic livelihood security benefits.'),
    recipient: text('기초생활보장 수급자입니다.', 'The holder receives basic livelihood security benefits.'),
    notDisclosed: text('기초생활보장 수급 여부가 공개되지 않았습니다.', 'Whether the holder receives basic livelihood security benefits was not disclosed.'),
  } satisfies Record<string, LocalisedText>;
  const judge = (credential: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    const recipient = credential.claims.basicLivelihoodRecipient;
    if (recipient === false) return { passed: true, reason: reasons.passed };
    if (recipient === true) return { passed: false, reason: reasons.recipient };
    return { passed: false, reason: reasons.notDisclosed };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: INCOME_BRACKET, claims: Object.freeze(['basicLivelihoodRecipient']) })]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, INCOME_BRACKET, NO_INCOME_BRACKET, judge),
  });
}
