import { dayNumberOf, kstDayNumber } from './calendar.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import { text, type CredentialPolicy, type CriterionResult, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of an employer's work experience credential (경력증명서). */
export const WORK_EXPERIENCE = 'WorkExperience';

/** Settings of {@link workHistoryCriterion}. */
export interface WorkHistoryConfig {
  /**
   * The fewest days of work the presented credentials must cover together (a whole number, 0 or more). Counted in
   * days rather than months because periods at different employers only add up in days.
   */
  readonly minimumDays: number;
}

/** About three months: 90 days. */
export const DEFAULT_WORK_HISTORY: WorkHistoryConfig = Object.freeze({ minimumDays: 90 });

const NO_WORK_EXPERIENCE = text('경력증명서가 제시되지 않았습니다.', 'No work experience credential was presented.');

/**
 * The criterion `work-history.minimum-duration`: at least one `WorkExperience` credential is presented and their
 * `period`s (`{start, end}`, both days worked) cover at least `minimumDays` days. Days are counted once however
 * many periods cover them (two jobs at the same time do not count double), and only up to the Korean (KST) calendar
 * day of `at`; a period that cannot be read (a malformed date, an end before its start) counts no days. The reason
 * gives the total in days. `evidenceHash` is the credential that covers the most days (the first presented on a tie,
 * or when none covers any).
 * @param config - the threshold; {@link DEFAULT_WORK_HISTORY} when omitted
 * @throws RangeError when `minimumDays` is not a whole number of 0 or more (a configuration fault)
 */
export function workHistoryCriterion(config: WorkHistoryConfig = DEFAULT_WORK_HISTORY): PolicyCriterion {
  const { minimumDays } = config;
  if (!Number.isSafeInteger(minimumDays) || minimumDays < 0) {
    throw new RangeError(`work history minimumDays must be a whole number of 0 or more, not ${String(minimumDays)}`);
  }
  const id = 'work-history.minimum-duration';
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: WORK_EXPERIENCE, claims: Object.freeze(['period']), multiple: true })]),
    evaluate(credentials: readonly PresentedCredential[], at: Date): CriterionResult {
      const presented = credentials.filter((credential) => credential.type === WORK_EXPERIENCE);
      if (presented.length === 0) return { id, result: 'failed', reason: NO_WORK_EXPERIENCE, evidenceHash: null };
      const today = kstDayNumber(at);
      const periods = presented.map((credential) => ({ hash: credential.hash, days: daysWorked(credential.claims.period, today) }));
      const total = coveredDays(periods.flatMap(({ days }) => (days === undefined ? [] : [days])));
      const longest = periods.reduce((best, period) => (length(period.days) > length(best.days) ? period : best));
      const passed = total >= minimumDays;
      return { id, result: passed ? 'passed' : 'failed', reason: durationReason(passed, total, minimumDays), evidenceHash: longest.hash };
    },
  });
}

/**
 * The policy `work-history`: {@link workHistoryCriterion} alone, for an employer checking experience.
 * @param config - the threshold; {@link DEFAULT_WORK_HISTORY} when omitted
 * @param version - the policy version; give a deployment's own threshold its own version, so a decision names the
 *   rules it was made by
 * @throws RangeError for a bad threshold or version
 */
export function workHistoryPolicy(config: WorkHistoryConfig = DEFAULT_WORK_HISTORY, version = '1'): CredentialPolicy {
  const { minimumDays } = config;
  return composePolicy({
    id: 'work-history',
    version,
    title: text('경력 확인', 'Work history'),
    purpose: text(
      `경력증명서로 근무 기간이 모두 ${minimumDays}일 이상인지 확인합니다.`,
      `Confirms work experience credentials cover at least ${days(minimumDays)} of work.`,
    ),
    criteria: [workHistoryCriterion(config)],
  });
}

/** A closed range of day numbers, both ends included. */
interface DayRange {
  readonly first: number;
  readonly last: number;
}

function daysWorked(period: unknown, today: number): DayRange | undefined {
  if (period === null || typeof period !== 'object') return undefined;
  const first = dayNumberOf((period as Record<string, unknown>).start);
  const end = dayNumberOf((period as Record<string, unknown>).end);
  if (first === undefined || end === undefined || end < first || first > today) return undefined;
  return { first, last: Math.min(end, today) };
}

function length(range: DayRange | undefined): number {
  return range === undefined ? 0 : range.last - range.first + 1;
}

function coveredDays(ranges: readonly DayRange[]): number {
  let total = 0;
  let coveredUpTo = Number.NEGATIVE_INFINITY;
  for (const { first, last } of [...ranges].sort((a, b) => a.first - b.first)) {
    const from = Math.max(first, coveredUpTo + 1);
    if (last >= from) total += last - from + 1;
    coveredUpTo = Math.max(coveredUpTo, last);
  }
  return total;
}

function days(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}

function durationReason(passed: boolean, total: number, minimumDays: number): LocalisedText {
  return passed
    ? text(`근무 기간이 모두 ${total}일로, 기준인 ${minimumDays}일 이상입니다.`, `The work periods cover ${days(total)}, at least the ${days(minimumDays)} required.`)
    : text(`근무 기간이 모두 ${total}일로, 기준인 ${minimumDays}일에 못 미칩니다.`, `The work periods cover ${days(total)}, fewer than the ${days(minimumDays)} required.`);
}
