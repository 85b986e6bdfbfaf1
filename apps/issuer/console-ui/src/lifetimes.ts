const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The lifetimes the bulk screen offers, in seconds, as far as the issuer's ceiling allows: 10 minutes to 30 days. */
export const BULK_LIFETIME_PRESETS: readonly number[] = [10 * MINUTE, HOUR, DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];
/** The bulk screen's default lifetime: a week, for offers handed out by letter, SMS or at a counter. */
export const DEFAULT_BULK_LIFETIME_SECONDS = 7 * DAY;

/**
 * The lifetimes a clerk may choose for bulk offers: the presets up to the issuer's ceiling (`bulkOfferSeconds` of
 * `GET /console/api/types`), and the ceiling itself when it is none of them. Shortest first.
 */
export function lifetimeChoices(ceilingSeconds: number): number[] {
  const within = BULK_LIFETIME_PRESETS.filter((seconds) => seconds <= ceilingSeconds);
  return within.includes(ceilingSeconds) ? within : [...within, ceilingSeconds];
}

/** The lifetime chosen at first: a week, or the longest choice when the ceiling is shorter. */
export function defaultLifetime(ceilingSeconds: number): number {
  const choices = lifetimeChoices(ceilingSeconds);
  return choices.includes(DEFAULT_BULK_LIFETIME_SECONDS) ? DEFAULT_BULK_LIFETIME_SECONDS : choices[choices.length - 1]!;
}

/** A duration as whole days, hours and minutes (seconds dropped), for the messages that write it in words. */
export function durationParts(seconds: number): { days: number; hours: number; minutes: number } {
  const whole = Math.floor(seconds / MINUTE) * MINUTE;
  return { days: Math.floor(whole / DAY), hours: Math.floor((whole % DAY) / HOUR), minutes: Math.floor((whole % HOUR) / MINUTE) };
}
