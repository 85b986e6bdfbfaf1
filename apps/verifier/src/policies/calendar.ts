/** Korea Standard Time is UTC+9 all year (no daylight saving since 1988). */
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The Korean calendar day of an instant, as a count of days since 1970-01-01.
 * @param at - a valid Date
 */
export function kstDayNumber(at: Date): number {
  return Math.floor((at.getTime() + KST_OFFSET_MS) / DAY_MS);
}

/**
 * A `YYYY-MM-DD` calendar date as a count of days since 1970-01-01.
 * @param value - anything (an untrusted claim)
 * @returns the day number, or undefined when `value` is not a real calendar date in that form
 */
export function dayNumberOf(value: unknown): number | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(0);
  probe.setUTCFullYear(year, month - 1, day);
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return Math.round(probe.getTime() / DAY_MS);
}
