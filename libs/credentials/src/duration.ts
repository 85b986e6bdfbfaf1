const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/;

/**
 * Adds an ISO-8601 duration made of years, months and days to an instant, on the UTC calendar.
 *
 * Years and months are added first and the day of month is clamped to the end of the target month
 * (2026-01-31 + P1M = 2026-02-28, 2024-02-29 + P1Y = 2025-02-28), as the Korean Civil Code (Art. 160) and
 * the W3C/Temporal "constrain" rule do; days are added afterwards. The time of day is kept.
 *
 * @param isoDate - the start instant (a valid Date; it is not modified).
 * @param duration - `P[nY][nM][nD]` with at least one component, e.g. `P5Y`, `P6M`, `P1Y2M10D`, `P0D`.
 * @returns a new Date.
 * @throws TypeError when `isoDate` is not a valid Date.
 * @throws RangeError when `duration` is not of the supported form (weeks, time parts, fractions, signs are not
 *   supported) or the result is outside the Date range.
 */
export function addDuration(isoDate: Date, duration: string): Date {
  if (!(isoDate instanceof Date) || Number.isNaN(isoDate.getTime())) {
    throw new TypeError('addDuration needs a valid Date');
  }
  const match = typeof duration === 'string' && duration !== 'P' ? DURATION.exec(duration) : null;
  if (match === null) {
    throw new RangeError(`Unsupported duration ${JSON.stringify(duration)}: expected P[nY][nM][nD]`);
  }
  const [years, months, days] = [match[1], match[2], match[3]].map((part) => (part === undefined ? 0 : Number(part)));

  const totalMonths = isoDate.getUTCFullYear() * 12 + isoDate.getUTCMonth() + years * 12 + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const endOfMonth = new Date(0);
  endOfMonth.setUTCFullYear(year, month + 1, 0);
  const lastDay = endOfMonth.getUTCDate();
  const result = new Date(isoDate.getTime());
  result.setUTCFullYear(year, month, Math.min(isoDate.getUTCDate(), lastDay));
  result.setUTCDate(result.getUTCDate() + days);
  if (Number.isNaN(result.getTime())) throw new RangeError(`Adding ${duration} leaves the supported date range`);
  return result;
}
