// Ages and calendar days on the Korean calendar: pure functions with no import, so the employer scanner's offline
// verifier (apps/verifier/src/scan/offline, bundled for the browser) can import them as `@citycred/credentials/age`
// without the rest of the library (schemas read from files, Ajv).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Korea Standard Time is UTC+9 all year. */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** A calendar date. */
export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/**
 * Computes a person's age in completed years (만 나이) on the Korean calendar day of an instant.
 * @param birthDate - `YYYY-MM-DD`.
 * @param at - the reference instant.
 * @returns the age; negative when `birthDate` is after `at`.
 * @throws TypeError when `birthDate` is not a real calendar date or `at` is not a valid Date.
 */
export function ageAt(birthDate: string, at: Date): number {
  assertValidDate(at);
  const birth = parseIsoDate(birthDate);
  if (birth === undefined) throw new TypeError('birthDate must be a date YYYY-MM-DD');
  return completedYears(birth, at);
}

/**
 * Completed years from `birth` to the Korean calendar day of `at`; someone born on 29 February turns a year older
 * on 1 March in common years.
 */
export function completedYears(birth: CalendarDay, at: Date): number {
  const today = kstCalendarDay(at);
  const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const birthday =
    birth.month === 2 && birth.day === 29 && !isLeap(today.year) ? { month: 3, day: 1 } : birth;
  const beforeBirthday = today.month < birthday.month || (today.month === birthday.month && today.day < birthday.day);
  return today.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** A calendar date as a number that orders like the date (`YYYYMMDD`). */
export function ordinal({ year, month, day }: CalendarDay): number {
  return year * 10_000 + month * 100 + day;
}

function kstCalendarDay(at: Date): CalendarDay {
  const shifted = new Date(at.getTime() + KST_OFFSET_MS);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The Korean calendar day of an instant, `YYYY-MM-DD`. */
export function kstDay(at: Date): string {
  return new Date(at.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** @throws TypeError unless `at` is a valid Date */
export function assertValidDate(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('at must be a valid Date');
}

/** A real `YYYY-MM-DD` calendar date, or undefined for anything else. */
export function parseIsoDate(value: unknown): CalendarDay | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  const real = probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  return real ? { year, month, day } : undefined;
}
