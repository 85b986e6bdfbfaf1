import type { WorkplaceQr } from './api.js';

/** The longest the tablet waits before asking for the workplace QR again (the nonce changes every 30 seconds). */
export const MAX_REFRESH_SECONDS = 10;

/**
 * Seconds until the tablet asks for the workplace QR again: what the server says (`refreshInSeconds`, when the code
 * will change), at most {@link MAX_REFRESH_SECONDS}, at least 1, and always before the code expires (by the server's
 * own times, so a tablet whose clock is off still refreshes in time).
 */
export function nextRefreshSeconds(qr: Pick<WorkplaceQr, 'issuedAt' | 'expiresAt' | 'refreshInSeconds'>): number {
  let wait = Number.isFinite(qr.refreshInSeconds) && qr.refreshInSeconds > 0 ? qr.refreshInSeconds : MAX_REFRESH_SECONDS;
  const lifetime = (Date.parse(qr.expiresAt) - Date.parse(qr.issuedAt)) / 1000;
  if (Number.isFinite(lifetime) && lifetime > 2) wait = Math.min(wait, lifetime - 2);
  return Math.max(1, Math.min(MAX_REFRESH_SECONDS, Math.ceil(wait)));
}
