import { dayNumberOf, kstDayNumber } from './calendar.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import { text, type CredentialPolicy, type CriterionResult, type LocalisedText, type PresentedCredential } from './model.js';
import { isPolicyVersion } from './version.js';

/** The catalogue type of an employer's work experience credential (경력증명서). */
export const WORK_EXPERIENCE = 'WorkExperience';

/** Settings of {@link workHistoryCriterion} and {@link workHistoryPolicy}. */
export interface WorkHistoryConfig {
  /**
   * The fewest days of work the presented credentials must cover together (a whole number, 0 or more). Counted in
   * days rather than months because periods at different employers only add up in days.
   */
  readonly minimumDays: number;
  /**
   * The fewest hours of work (`totalHours`, from the co-signed attendance chain) the presented credentials must add up
   * to, a number of 0 or more: when given, the policy adds the criterion {@link workHoursCriterion}. None by default.
   */
  readonly minimumHours?: number;
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
 * The criterion `work-history.minimum-hours`: at least one `WorkExperience` credential is presented and their
 * `totalHours` (each computed by its employer from the co-signed attendance chain) add up to at least
 * `minimumHours`. Hours at two jobs at the same time both count: they were worked. A `totalHours` that is not a
 * number of 0 or more counts nothing. The reason gives the total (to two decimals). `evidenceHash` is the credential
 * with the most hours (the first presented on a tie).
 * @param minimumHours - a number of 0 or more
 * @throws RangeError when `minimumHours` is not a finite number of 0 or more (a configuration fault)
 */
export function workHoursCriterion(minimumHours: number): PolicyCriterion {
  if (!Number.isFinite(minimumHours) || minimumHours < 0) {
    throw new RangeError(`work history minimumHours must be a number of 0 or more, not ${String(minimumHours)}`);
  }
  const id = 'work-history.minimum-hours';
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: WORK_EXPERIENCE, claims: Object.freeze(['totalHours']), multiple: true })]),
    evaluate(credentials: readonly PresentedCredential[]): CriterionResult {
      const presented = credentials.filter((credential) => credential.type === WORK_EXPERIENCE);
      if (presented.length === 0) return { id, result: 'failed', reason: NO_WORK_EXPERIENCE, evidenceHash: null };
      const each = presented.map((credential) => ({ hash: credential.hash, hours: hoursOf(credential.claims.totalHours) }));
      // In hundredths, so 0.1 + 0.2 adds up to 0.3 exactly as people count.
      const total = each.reduce((sum, { hours }) => sum + Math.round(hours * 100), 0) / 100;
      const most = each.reduce((best, one) => (one.hours > best.hours ? one : best));
      const passed = total >= minimumHours;
      return { id, result: passed ? 'passed' : 'failed', reason: hoursReason(passed, total, minimumHours), evidenceHash: most.hash };
    },
  });
}

/**
 * What `work-history` shows the employer of each `WorkExperience` presented, beside the decision: the employer's name
 * (not its business registration number), the role, the period, the total hours and the attendance chain's root. The
 * policy asks for these and `period` (its criterion), nothing else.
 */
export const WORK_HISTORY_SHOWS = Object.freeze([
  Object.freeze({ type: WORK_EXPERIENCE, claims: Object.freeze(['employer.name', 'role', 'period', 'totalHours', 'attendanceRoot']) }),
]);

/**
 * The version of `work-history` with these thresholds, so that a decision names the rules it was made by and two
 * thresholds never share a version. Versions are dotted numbers (the registry orders them), so the thresholds are
 * written as numbers after the rules' version `base`:
 * - {@link DEFAULT_WORK_HISTORY} (90 days, no hours): `base` itself (`1`), as CityCred has always named it;
 * - another number of days, no hours: `<base>.1.<minimumDays>` (7 days: `1.1.7`; 0 days: `1.1.0`);
 * - with hours: `<base>.2.<minimumDays>.<minimumHours in hundredths>` (90 days and 120.5 hours: `1.2.90.12050`).
 * The `1`/`2` after `base` tells the two forms apart (`1.1.0` is not `1`, and no hours is not 0 hours). The order of
 * such versions means nothing beyond the rules' version `base`.
 * @param config - the thresholds
 * @param base - the version of the rules themselves (the criteria's code); `1` today
 * @throws RangeError when a threshold is out of range, `minimumHours` has more than two decimals, or `base` is not a
 *   dotted numeric version
 */
export function workHistoryVersion(config: WorkHistoryConfig, base = '1'): string {
  const { minimumDays, minimumHours } = config;
  if (!isPolicyVersion(base)) throw new RangeError(`work history version base must be dotted numbers, not ${JSON.stringify(base)}`);
  if (!Number.isSafeInteger(minimumDays) || minimumDays < 0 || minimumDays > MAX_VERSION_PART) {
    throw new RangeError(`work history minimumDays must be a whole number from 0 to ${MAX_VERSION_PART}, not ${String(minimumDays)}`);
  }
  if (minimumHours === undefined) return minimumDays === DEFAULT_WORK_HISTORY.minimumDays ? base : `${base}.1.${minimumDays}`;
  const hundredths = Math.round(minimumHours * 100);
  if (!Number.isFinite(minimumHours) || minimumHours < 0 || hundredths > MAX_VERSION_PART || Math.abs(hundredths - minimumHours * 100) > 1e-6) {
    throw new RangeError(`work history minimumHours must be a number of 0 or more with at most two decimals, not ${String(minimumHours)}`);
  }
  return `${base}.2.${minimumDays}.${hundredths}`;
}

/** The largest number one part of a policy version may hold (nine digits, see `isPolicyVersion`). */
const MAX_VERSION_PART = 999_999_999;

/**
 * The policy `work-history`, for an employer checking experience: {@link workHistoryCriterion}, and
 * {@link workHoursCriterion} when `minimumHours` is configured. It shows {@link WORK_HISTORY_SHOWS} of each
 * credential (the employer scanner lists them, "verified with the hours").
 * @param config - the thresholds; {@link DEFAULT_WORK_HISTORY} when omitted
 * @param version - the policy version; by default {@link workHistoryVersion} of `config`: `1` for the default
 *   threshold, a version of its own for any other (`1.1.7` for 7 days), so a decision names the rules it was made by
 * @throws RangeError for a bad threshold or version
 */
export function workHistoryPolicy(config: WorkHistoryConfig = DEFAULT_WORK_HISTORY, version = workHistoryVersion(config)): CredentialPolicy {
  const { minimumDays, minimumHours } = config;
  const criteria = [workHistoryCriterion(config), ...(minimumHours === undefined ? [] : [workHoursCriterion(minimumHours)])];
  const hoursKo = minimumHours === undefined ? '' : `, 총 근로시간이 ${formatHours(minimumHours)}시간 이상인지`;
  const hoursEn = minimumHours === undefined ? '' : ` and add up to at least ${hours(minimumHours)}`;
  return composePolicy({
    id: 'work-history',
    version,
    title: text('경력 확인', 'Work history'),
    purpose: text(
      `경력증명서로 근무 기간이 모두 ${minimumDays}일 이상인지${hoursKo} 확인하고, 사업장 이름·담당 업무·근무 기간·총 근로시간·출퇴근 기록 해시를 보여 줍니다.`,
      `Confirms work experience credentials cover at least ${days(minimumDays)} of work${hoursEn}, and shows each one’s employer name, role, period, total hours and attendance record hash.`,
    ),
    criteria,
    shows: WORK_HISTORY_SHOWS,
  });
}

function hoursOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Hours as people read them: at most two decimals, none when whole (`12`, `12.5`, `12.25`). */
function formatHours(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function hours(value: number): string {
  return `${formatHours(value)} ${value === 1 ? 'hour' : 'hours'}`;
}

function hoursReason(passed: boolean, total: number, minimumHours: number): LocalisedText {
  return passed
    ? text(`총 근로시간이 ${formatHours(total)}시간으로, 기준인 ${formatHours(minimumHours)}시간 이상입니다.`, `The work adds up to ${hours(total)}, at least the ${hours(minimumHours)} required.`)
    : text(`총 근로시간이 ${formatHours(total)}시간으로, 기준인 ${formatHours(minimumHours)}시간에 못 미칩니다.`, `The work adds up to ${hours(total)}, fewer than the ${hours(minimumHours)} required.`);
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
