import { finding, type LaborFinding } from './findings.js';
import { minimumWageFor, type MinimumWageTable } from './minimum-wage.js';

/** Days of the week as the LaborContract schema names them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** A work day and its hours (근로일 및 근로일별 근로시간), local wall-clock `HH:MM`; an end before the start is the next day. */
export interface WorkDay {
  readonly day: Weekday;
  readonly startTime: string;
  readonly endTime: string;
}

/** A daily break window (휴게시간), applying to every work day it falls in. */
export interface BreakWindow {
  readonly startTime: string;
  readonly endTime: string;
}

/**
 * The terms of a labour contract that the Labor Standards Act (Article 17) and, for part-time and fixed-term
 * workers, the Fixed-term and Part-time Employment Act (Article 17) require in writing: the period, the wage and how
 * it is paid, the work days and hours, breaks, weekly holidays, annual leave, the place and the duties. The names
 * follow the LaborContract credential's claims.
 */
export interface ContractTerms {
  readonly period: { readonly start: string; readonly end?: string };
  readonly hourlyWageKrw: number;
  /** Contractual weekly hours (소정근로시간), as the contract states them. */
  readonly weeklyHours: number;
  readonly workDays: readonly WorkDay[];
  readonly breaks: readonly BreakWindow[];
  /** Whether the paid weekly holiday (주휴수당) applies. */
  readonly weeklyHolidayAllowance: boolean;
  /** The weekly paid holiday (주휴일); `not-applicable` below 15 hours a week. */
  readonly weeklyHoliday?: Weekday | 'not-applicable';
  /** Annual paid leave (연차 유급휴가): granted as the Act provides, or `not-applicable` below 15 hours a week. */
  readonly annualLeave?: 'statutory' | 'not-applicable';
  readonly wagePayment?: { readonly payDay: number; readonly method: 'bank-transfer' | 'cash' };
  readonly workplace?: { readonly name: string; readonly address: string };
  readonly duties?: string;
}

/** One work day as the contract's hours make it. */
export interface WorkDayHours {
  readonly day: Weekday;
  /** From start to end, breaks included. */
  readonly spanMinutes: number;
  /** Break minutes falling inside the work day. */
  readonly breakMinutes: number;
  /** Working minutes: span less breaks. */
  readonly workMinutes: number;
}

/** What the checks of a contract found, and the figures the employer and the worker are shown. */
export interface ContractAssessment {
  readonly findings: readonly LaborFinding[];
  readonly days: readonly WorkDayHours[];
  /** Working minutes a week from the work days less breaks. */
  readonly weeklyWorkMinutes: number;
  /** Paid weekly-holiday hours (주휴시간): weekly hours / 40 × 8, capped at 8, when the weekly hours reach 15; else 0. */
  readonly weeklyHolidayHours: number;
  /** The weekly holiday allowance (주휴수당) in KRW, rounded to the won. */
  readonly weeklyHolidayPayKrw: number;
  /** Pay for a full week: the contractual hours and the weekly holiday allowance. */
  readonly weeklyPayKrw: number;
  /** An estimate of a month's pay: (weekly hours + holiday hours) × 365 / 7 / 12 weeks × the hourly wage. */
  readonly monthlyEstimateKrw: number;
}

/** Weekly hours from which the weekly holiday, its allowance and annual leave apply (Labor Standards Act Art. 18(3)). */
export const WEEKLY_HOLIDAY_THRESHOLD_HOURS = 15;
/** The statutory limits on contractual hours (Art. 50): 40 a week, 8 a day. */
export const STATUTORY_WEEKLY_HOURS = 40;
export const STATUTORY_DAILY_HOURS = 8;
/** Average weeks in a month, as Korean payroll counts them (365 / 7 / 12). */
const WEEKS_PER_MONTH = 365 / 7 / 12;

/** Minutes since midnight of `HH:MM`, or undefined when it is not a wall-clock time. */
export function minutesOfClockTime(time: string): number | undefined {
  const match = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/** `[start, end)` in minutes from the start day's midnight; an end at or before the start is the next day. */
function window(startTime: string, endTime: string): [number, number] | undefined {
  const start = minutesOfClockTime(startTime);
  const end = minutesOfClockTime(endTime);
  if (start === undefined || end === undefined) return undefined;
  return [start, end > start ? end : end + 24 * 60];
}

function overlap(a: readonly [number, number], b: readonly [number, number]): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}

/** Break minutes inside a work window: a break window applies on the work day and, for a night shift, the next day. */
function breakMinutesIn(work: readonly [number, number], breaks: readonly (readonly [number, number])[]): number {
  let total = 0;
  for (const b of breaks) total += overlap(work, b) + overlap(work, [b[0] + 1440, b[1] + 1440]);
  return total;
}

function isoDate(value: string): Date | undefined {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? undefined : date;
}

const won = (n: number): string => n.toLocaleString('en-US');

/**
 * Checks a contract's terms against the Labor Standards Act as PRODUCT.md §7.2 asks, and computes the figures shown
 * with it. Errors: a wage below the minimum of a year the period covers, a missing written item, hours that do not
 * add up or exceed the statutory limits, no weekly holiday allowance from 15 hours a week. Warnings: breaks shorter
 * than 30 minutes per 4 hours of work (60 per 8, Art. 54), and an open-ended contract whose wage is below a later
 * year's published minimum. Never throws for bad terms: each problem is a finding.
 */
export function assessContractTerms(terms: ContractTerms, minimumWage: MinimumWageTable): ContractAssessment {
  const findings: LaborFinding[] = [];

  const start = isoDate(terms.period.start);
  const end = terms.period.end === undefined ? undefined : isoDate(terms.period.end);
  if (!start) findings.push(finding('labor.period-invalid', 'error', '/period/start', '계약 시작일이 올바른 날짜가 아닙니다.', 'The contract start is not a valid date.'));
  if (terms.period.end !== undefined && !end) findings.push(finding('labor.period-invalid', 'error', '/period/end', '계약 종료일이 올바른 날짜가 아닙니다.', 'The contract end is not a valid date.'));
  if (start && end && end < start) findings.push(finding('labor.period-invalid', 'error', '/period/end', '계약 종료일이 시작일보다 앞섭니다.', 'The contract ends before it starts.'));

  if (start) checkMinimumWage(terms, start, end, minimumWage, findings);

  const breaks: [number, number][] = [];
  terms.breaks.forEach((b, i) => {
    const w = window(b.startTime, b.endTime);
    if (!w || b.startTime === b.endTime) findings.push(finding('labor.break-invalid', 'error', `/breaks/${i}`, '휴게시간의 시작과 종료 시각이 올바르지 않습니다.', 'The break window has no valid start and end.'));
    else breaks.push(w);
  });

  const seen = new Set<Weekday>();
  const days: WorkDayHours[] = [];
  terms.workDays.forEach((d, i) => {
    if (seen.has(d.day)) findings.push(finding('labor.work-day-repeated', 'error', `/workDays/${i}`, '같은 요일이 두 번 적혀 있습니다.', 'The same day appears twice.'));
    seen.add(d.day);
    const w = window(d.startTime, d.endTime);
    if (!w || d.startTime === d.endTime) {
      findings.push(finding('labor.work-day-invalid', 'error', `/workDays/${i}`, '근로일의 시업·종업 시각이 올바르지 않습니다.', 'The work day has no valid start and end time.'));
      return;
    }
    const spanMinutes = w[1] - w[0];
    const breakMinutes = Math.min(spanMinutes, breakMinutesIn(w, breaks));
    const workMinutes = spanMinutes - breakMinutes;
    days.push({ day: d.day, spanMinutes, breakMinutes, workMinutes });
    if (workMinutes > STATUTORY_DAILY_HOURS * 60) {
      findings.push(finding('labor.daily-hours-over-limit', 'error', `/workDays/${i}`, '하루 소정근로시간은 휴게시간을 빼고 8시간을 넘을 수 없습니다(근로기준법 제50조).', 'Contractual hours cannot exceed 8 a day, breaks excluded (Labor Standards Act Art. 50).'));
    }
    const needed = workMinutes >= 8 * 60 ? 60 : workMinutes >= 4 * 60 ? 30 : 0;
    if (breakMinutes < needed) {
      findings.push(
        finding(
          'labor.break-short',
          'warning',
          `/workDays/${i}`,
          `근로시간 ${needed === 60 ? '8시간에 1시간' : '4시간에 30분'} 이상의 휴게시간이 필요합니다(근로기준법 제54조). 이 근로일의 휴게시간은 ${breakMinutes}분입니다.`,
          `Work of ${needed === 60 ? '8 hours needs a break of at least 1 hour' : '4 hours needs a break of at least 30 minutes'} (Labor Standards Act Art. 54); this day has ${breakMinutes} minutes.`,
        ),
      );
    }
  });
  if (terms.workDays.length === 0) findings.push(finding('labor.item-missing', 'error', '/workDays', '근로일과 근로시간을 적어야 합니다.', 'The work days and hours must be written down.'));

  const weeklyWorkMinutes = days.reduce((sum, d) => sum + d.workMinutes, 0);
  if (days.length === terms.workDays.length && days.length > 0 && Math.round(terms.weeklyHours * 60) !== weeklyWorkMinutes) {
    findings.push(
      finding(
        'labor.weekly-hours-mismatch',
        'error',
        '/weeklyHours',
        `주 소정근로시간(${terms.weeklyHours}시간)이 근로일별 시간에서 휴게를 뺀 합계(${weeklyWorkMinutes / 60}시간)와 다릅니다.`,
        `The weekly hours (${terms.weeklyHours}) differ from the work days' hours less breaks (${weeklyWorkMinutes / 60}).`,
      ),
    );
  }
  if (terms.weeklyHours > STATUTORY_WEEKLY_HOURS) {
    findings.push(finding('labor.weekly-hours-over-limit', 'error', '/weeklyHours', '주 소정근로시간은 40시간을 넘을 수 없습니다(근로기준법 제50조).', 'Contractual hours cannot exceed 40 a week (Labor Standards Act Art. 50).'));
  }

  const holidayApplies = terms.weeklyHours >= WEEKLY_HOLIDAY_THRESHOLD_HOURS;
  if (holidayApplies) {
    if (!terms.weeklyHolidayAllowance) {
      findings.push(finding('labor.weekly-holiday-allowance-required', 'error', '/weeklyHolidayAllowance', '주 15시간 이상 일하면 주휴수당을 지급해야 합니다(근로기준법 제55조).', 'From 15 hours a week the paid weekly holiday allowance applies (Labor Standards Act Art. 55).'));
    }
    if (terms.weeklyHoliday === undefined || terms.weeklyHoliday === 'not-applicable') {
      findings.push(finding('labor.item-missing', 'error', '/weeklyHoliday', '주 15시간 이상이면 주휴일을 정해야 합니다.', 'From 15 hours a week the weekly paid holiday must be named.'));
    } else if (seen.has(terms.weeklyHoliday)) {
      findings.push(finding('labor.weekly-holiday-on-work-day', 'error', '/weeklyHoliday', '주휴일이 근로일과 겹칩니다.', 'The weekly paid holiday falls on a work day.'));
    }
    if (terms.annualLeave !== 'statutory') {
      findings.push(finding('labor.item-missing', 'error', '/annualLeave', '주 15시간 이상이면 연차 유급휴가를 법에 따라 부여해야 합니다(근로기준법 제60조).', 'From 15 hours a week annual paid leave is granted as the Act provides (Labor Standards Act Art. 60).'));
    }
  } else if (terms.weeklyHoliday === undefined || terms.annualLeave === undefined) {
    findings.push(finding('labor.item-missing', 'error', terms.weeklyHoliday === undefined ? '/weeklyHoliday' : '/annualLeave', '휴일과 휴가(해당 없음 포함)를 적어야 합니다.', 'Holidays and leave must be stated, even as not applicable.'));
  }

  if (!terms.wagePayment) findings.push(finding('labor.item-missing', 'error', '/wagePayment', '임금 지급일과 지급 방법을 적어야 합니다.', 'The pay day and how wages are paid must be written down.'));
  if (terms.workplace !== undefined && (!terms.workplace.name.trim() || !terms.workplace.address.trim())) {
    findings.push(finding('labor.item-missing', 'error', '/workplace', '근무 장소를 적어야 합니다.', 'The place of work must be written down.'));
  }
  if (terms.duties !== undefined && !terms.duties.trim()) findings.push(finding('labor.item-missing', 'error', '/duties', '업무 내용을 적어야 합니다.', 'The duties must be written down.'));

  const weeklyHours = Math.min(terms.weeklyHours, STATUTORY_WEEKLY_HOURS);
  const weeklyHolidayHours = holidayApplies ? (weeklyHours / STATUTORY_WEEKLY_HOURS) * 8 : 0;
  const weeklyHolidayPayKrw = Math.round(weeklyHolidayHours * terms.hourlyWageKrw);
  return {
    findings,
    days,
    weeklyWorkMinutes,
    weeklyHolidayHours,
    weeklyHolidayPayKrw,
    weeklyPayKrw: Math.round(weeklyHours * terms.hourlyWageKrw) + weeklyHolidayPayKrw,
    monthlyEstimateKrw: Math.round((weeklyHours + weeklyHolidayHours) * WEEKS_PER_MONTH * terms.hourlyWageKrw),
  };
}

/**
 * The wage must reach the minimum of every year the contract runs in: the start year must be in the table; a fixed
 * period's later years are checked when published (an error: the wage would be unlawful from 1 January); an
 * open-ended contract below a later published minimum is a warning (the wage must be raised by then).
 */
function checkMinimumWage(terms: ContractTerms, start: Date, end: Date | undefined, table: MinimumWageTable, findings: LaborFinding[]): void {
  const first = start.getUTCFullYear();
  const startMinimum = minimumWageFor(table, first);
  if (startMinimum === undefined) {
    findings.push(finding('labor.minimum-wage-unknown', 'error', '/period/start', `${first}년 최저임금이 설정에 없어 시급을 확인할 수 없습니다.`, `The minimum wage for ${first} is not configured, so the wage cannot be checked.`));
    return;
  }
  const known = Object.keys(table).map(Number);
  const last = end ? end.getUTCFullYear() : Math.max(first, ...known);
  for (let year = first; year <= last; year += 1) {
    const minimum = minimumWageFor(table, year);
    if (minimum === undefined || terms.hourlyWageKrw >= minimum) continue;
    const later = year > first && !end;
    findings.push(
      finding(
        later ? 'labor.wage-below-later-minimum' : 'labor.wage-below-minimum',
        later ? 'warning' : 'error',
        '/hourlyWageKrw',
        later
          ? `시급이 ${year}년 최저임금 ${won(minimum)}원보다 낮습니다. ${year}년 1월 1일부터는 시급을 올려야 합니다.`
          : `시급이 ${year}년 최저임금 ${won(minimum)}원보다 낮습니다.`,
        later ? `The hourly wage is below the ${year} minimum wage of KRW ${won(minimum)}; it must be raised from 1 January ${year}.` : `The hourly wage is below the ${year} minimum wage of KRW ${won(minimum)}.`,
      ),
    );
  }
}
