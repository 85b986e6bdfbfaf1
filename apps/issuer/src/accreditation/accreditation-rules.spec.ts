import { describe, expect, it } from 'vitest';
import { accreditedNow, anchoringTypeNow, sameAccreditation, unixSeconds, windowCoversNow } from './accreditation-rules.js';

const ROOT = '0x0000000000000000000000000000000000000001';
const window = (validFrom: number, validUntil: number, revokedAt: number | null = null, accreditorStands = true) => ({
  validFrom,
  validUntil,
  revokedAt,
  accreditor: ROOT,
  accreditorStands,
});
const accreditation = (windows: ReturnType<typeof window>[], suspended = false) => ({ windows, suspended });

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

  it('count for nothing once their accreditor no longer stands behind them (its delegation was withdrawn)', () => {
    expect(windowCoversNow(window(100, 200, null, false), 150)).toBe(false);
    expect(accreditedNow(accreditation([window(100, 200, null, false)]), 150)).toBe(false);
  });

  it('count a type as accredited when the last window that started covers now (a renewal after a revocation)', () => {
    expect(accreditedNow(undefined, 150)).toBe(false);
    expect(accreditedNow(accreditation([]), 150)).toBe(false);
    expect(accreditedNow(accreditation([window(100, 200, 120)]), 150)).toBe(false);
    expect(accreditedNow(accreditation([window(100, 200, 120), window(130, 300)]), 150)).toBe(true);
    // a window that starts later does not count before it starts, and counts once it has
    expect(accreditedNow(accreditation([window(100, 200), window(200, 300)]), 250)).toBe(true);
    expect(accreditedNow(accreditation([window(300, 400)]), 250)).toBe(false);
  });

  it('count nothing while the issuer is suspended, whatever its windows say', () => {
    expect(accreditedNow(accreditation([window(100, 200)], true), 150)).toBe(false);
  });

  it('name, for anchoring, the first configured type accredited now', () => {
    const byType = new Map([
      ['LaborContract', accreditation([window(100, 200, 110)])],
      ['WorkExperience', accreditation([window(100, 400)])],
    ]);
    expect(anchoringTypeNow(byType, ['LaborContract', 'WorkExperience'], 150)).toBe('WorkExperience');
    expect(anchoringTypeNow(byType, ['LaborContract', 'WorkExperience'], 400)).toBeNull();
    expect(anchoringTypeNow(new Map(), ['LaborContract'], 150)).toBeNull();
  });

  it('tell a reading that changed from one that did not', () => {
    const a = new Map([['T', accreditation([window(100, 200)])]]);
    expect(sameAccreditation(a, new Map([['T', accreditation([window(100, 200)])]]))).toBe(true);
    expect(sameAccreditation(a, new Map([['T', accreditation([window(100, 200, 150)])]]))).toBe(false);
    expect(sameAccreditation(a, new Map([['T', accreditation([window(100, 200), window(300, 400)])]]))).toBe(false);
    expect(sameAccreditation(a, new Map([['T', accreditation([window(100, 200, null, false)])]]))).toBe(false);
    expect(sameAccreditation(a, new Map([['T', accreditation([window(100, 200)], true)]]))).toBe(false);
    expect(sameAccreditation(a, new Map([['U', accreditation([window(100, 200)])]]))).toBe(false);
  });

  it('use unix seconds, rounded down', () => {
    expect(unixSeconds(new Date('2025-01-01T00:00:00.999Z'))).toBe(1735689600);
  });
});
