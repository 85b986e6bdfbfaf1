import { describe, expect, it } from 'vitest';
import { MAX_REFRESH_SECONDS, nextRefreshSeconds } from './workplace.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 2, 9, 0, seconds)).toISOString();

describe('when the workplace tablet asks for a new QR', () => {
  it("follows the server's refreshInSeconds when it is sooner than the cap", () => {
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(30), refreshInSeconds: 4 })).toBe(4);
  });

  it(`waits at most ${MAX_REFRESH_SECONDS} seconds`, () => {
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(30), refreshInSeconds: 30 })).toBe(MAX_REFRESH_SECONDS);
  });

  it('asks before a short-lived code expires, by the server’s own times', () => {
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(6), refreshInSeconds: 30 })).toBe(4);
  });

  it('never waits less than a second, nor trusts a missing or negative figure', () => {
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(30), refreshInSeconds: 0 })).toBe(MAX_REFRESH_SECONDS);
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(30), refreshInSeconds: -5 })).toBe(MAX_REFRESH_SECONDS);
    expect(nextRefreshSeconds({ issuedAt: at(0), expiresAt: at(30), refreshInSeconds: 0.2 })).toBe(1);
    expect(nextRefreshSeconds({ issuedAt: 'not a date', expiresAt: at(30), refreshInSeconds: Number.NaN })).toBe(MAX_REFRESH_SECONDS);
  });
});
