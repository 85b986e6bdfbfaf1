/** A Retry-After longer than this is passed on as this: an hour is as long as a caller should be told to wait. */
export const MAX_RETRY_AFTER_SECONDS = 3_600;

/**
 * The delay-seconds form of an upstream answer's `Retry-After` (RFC 9110), at most {@link MAX_RETRY_AFTER_SECONDS};
 * undefined for anything else (an HTTP date, garbage, none). What the issuer's services and status-list servers say
 * reaches the verifier's own 503 this way.
 */
export function upstreamRetryAfter(headers: Headers): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  return Math.min(Number(value), MAX_RETRY_AFTER_SECONDS);
}
