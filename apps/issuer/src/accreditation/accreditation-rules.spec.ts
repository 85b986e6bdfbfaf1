import { describe, expect, it } from 'vitest';
import { accreditedForAnyTypeNow, accreditedNow, sameWindows, unixSeconds, windowCoversNow } from './accreditation-rules.js';

const window = (validFrom: number, validUntil: number, revokedAt: number | null = null) => ({ validFrom, validUntil, revokedAt });

describe('accreditation windows, judged now', () => {
  it('cover [validFrom, validUntil): the start counts, the end does not', () => {
    expect(windowCoversNow(window(100, 200), 99)).toBe(false);
    expect(windowCoversNow(window(100, 200), 100)).toBe(true);
    expect(windowCoversNow(window(100, 200), 199)).toBe(true);
    expect(windowCoversNow(window(100, 200), 200)).toBe(false);
  });

  it('end at once when revoked, even when the revocation block time is ahead of our clock', () => {
    expect(windowCoversNow(window(100, 200, 150), 120)).toBe(false);
    expect(windowCoversNow(window(100, 200, 150), 160)).toBe(false);
  });

  it('count a type as accredited when any of its windows covers now (a renewal after a revocation)', () => {
    expect(accreditedNow(undefined, 150)).toBe(false);
    expect(accreditedNow([], 150)).toBe(false);
    expect(accreditedNow([window(100, 200, 120)], 150)).toBe(false);
    expect(accreditedNow([window(100, 200, 120), window(130, 300)], 150)).toBe(true);
  });

  it('count an issuer as accredited for some type (what CredentialAnchor requires) when one type is', () => {
    const byType = new Map([
      ['0xaa', [window(100, 200, 110)]],
      ['0xbb', [window(100, 400)]],
    ]);
    expect(accreditedForAnyTypeNow(byType, 150)).toBe(true);
    expect(accreditedForAnyTypeNow(byType, 400)).toBe(false);
    expect(accreditedForAnyTypeNow(new Map(), 150)).toBe(false);
  });

  it('tell a reading that changed from one that did not', () => {
    const a = new Map([['0xaa', [window(100, 200)]]]);
    expect(sameWindows(a, new Map([['0xaa', [window(100, 200)]]]))).toBe(true);
    expect(sameWindows(a, new Map([['0xaa', [window(100, 200, 150)]]]))).toBe(false);
    expect(sameWindows(a, new Map([['0xaa', [window(100, 200), window(300, 400)]]]))).toBe(false);
    expect(sameWindows(a, new Map([['0xbb', [window(100, 200)]]]))).toBe(false);
  });

  it('use unix seconds, rounded down', () => {
    expect(unixSeconds(new Date('2025-01-01T00:00:00.999Z'))).toBe(1735689600);
  });
});
