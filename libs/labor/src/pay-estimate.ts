import type { Shift } from './attendance.js';
import { STATUTORY_WEEKLY_HOURS, WEEKLY_HOLIDAY_THRESHOLD_HOURS } from './contract-terms.js';

/** The contract terms a pay estimate needs. */
export interface PayTerms {
  readonly hourlyWageKrw: number;
  /** Whether the contract grants the paid weekly holiday allowance (주휴수당). */
  readonly weeklyHolidayAllowance: boolean;
}

/** One calendar month (KST) of a timesheet. */
export interface MonthlyPay {
  /** `YYYY-MM` (KST). */
  readonly month: string;
  /** Worked minutes of the shifts that began in the month. */
  readonly minutes: number;
  /** Weekly holiday allowance hours attributed to the month (0 without the allowance), to 2 decimals. */
  readonly holidayHours: number;
  /** (worked hours + holiday hours) × the hourly wage, rounded to the won. */
  readonly payEstimateKrw: number;
}

const DAY_MS = 86_400_000;

/** The Monday (KST) of the week a `YYYY-MM-DD` day falls in. */
function mondayOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(ms - weekday * DAY_MS).toISOString().slice(0, 10);
}

/**
 * A month-by-month pay estimate from the worked shifts (docs/labor.md, "Pay estimate"): each month's worked hours
 * times the hourly wage, plus, when the contract grants the weekly holiday allowance, the allowance each KST week
 * (Monday to Sunday) earns — `min(hours worked that week, 40) / 40 × 8` hours of wage once the week's worked hours
 * reach 15 — shared among the months by the minutes worked in each (a week spanning two months pays its allowance
 * to both in proportion). An estimate: it uses the hours actually worked, not the contractual ones, and knows
 * nothing of overtime, night or holiday premiums, deductions or absences the law excuses.
 * @param shifts - from `attendanceShifts` (each shift counts in the KST day it began)
 * @returns one entry per month with shifts, in order
 */
export function monthlyPayEstimate(shifts: readonly Shift[], terms: PayTerms): MonthlyPay[] {
  const weekMinutes = new Map<string, number>();
  for (const shift of shifts) weekMinutes.set(mondayOf(shift.day), (weekMinutes.get(mondayOf(shift.day)) ?? 0) + shift.minutes);
  /** Holiday hours a worked minute of the week earns. */
  const holidayHoursPerMinute = (week: string): number => {
    const minutes = weekMinutes.get(week) ?? 0;
    if (!terms.weeklyHolidayAllowance || minutes < WEEKLY_HOLIDAY_THRESHOLD_HOURS * 60 || minutes === 0) return 0;
    const holidayHours = (Math.min(minutes / 60, STATUTORY_WEEKLY_HOURS) / STATUTORY_WEEKLY_HOURS) * 8;
    return holidayHours / minutes;
  };
  const months = new Map<string, { minutes: number; holidayHours: number }>();
  for (const shift of shifts) {
    const month = shift.day.slice(0, 7);
    const entry = months.get(month) ?? { minutes: 0, holidayHours: 0 };
    entry.minutes += shift.minutes;
    entry.holidayHours += shift.minutes * holidayHoursPerMinute(mondayOf(shift.day));
    months.set(month, entry);
  }
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([month, { minutes, holidayHours }]) => ({
      month,
      minutes,
      holidayHours: Math.round(holidayHours * 100) / 100,
      payEstimateKrw: Math.round((minutes / 60 + holidayHours) * terms.hourlyWageKrw),
    }));
}
