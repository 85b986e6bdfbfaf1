import { describe, expect, it } from 'vitest';
import type { Shift } from './attendance.js';
import { monthlyPayEstimate } from './pay-estimate.js';

const shift = (day: string, minutes: number): Shift => ({ start: `${day}T00:00:00Z`, end: `${day}T00:00:00Z`, minutes, day });
/** Five 4-hour shifts Monday to Friday of the KST week starting `monday` (20 h: the allowance applies). */
const week = (...days: string[]) => days.map((d) => shift(d, 240));

describe('monthly pay estimate', () => {
  it.each([
    // [case, shifts, allowance?, expected [{month, minutes, holidayHours, payEstimateKrw}]]
    ['hours only without the allowance', week('2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'), false, [{ month: '2026-03', minutes: 1200, holidayHours: 0, payEstimateKrw: 206_400 }]],
    // 20 h in the week: 20/40 × 8 = 4 holiday hours; (20 + 4) × 10,320.
    ['a 20-hour week earns 4 holiday hours', week('2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'), true, [{ month: '2026-03', minutes: 1200, holidayHours: 4, payEstimateKrw: 247_680 }]],
    // 14.5 h: below 15, no allowance.
    ['below 15 hours a week earns none', [shift('2026-03-02', 480), shift('2026-03-03', 390)], true, [{ month: '2026-03', minutes: 870, holidayHours: 0, payEstimateKrw: 149_640 }]],
    // Exactly 15 h: 3 holiday hours.
    ['exactly 15 hours earns 3', [shift('2026-03-02', 480), shift('2026-03-03', 420)], true, [{ month: '2026-03', minutes: 900, holidayHours: 3, payEstimateKrw: 185_760 }]],
    // 48 h in a week: capped at 40 → 8 holiday hours.
    ['capped at 8 holiday hours', [shift('2026-03-02', 720), shift('2026-03-03', 720), shift('2026-03-04', 720), shift('2026-03-05', 720)], true, [{ month: '2026-03', minutes: 2880, holidayHours: 8, payEstimateKrw: 577_920 }]],
    // The week of Mon 30 March – Sun 5 April: 12 h in March, 8 h in April: 4 holiday hours shared 3/5 and 2/5.
    [
      'a week across two months shares its allowance by minutes',
      [shift('2026-03-30', 360), shift('2026-03-31', 360), shift('2026-04-01', 240), shift('2026-04-02', 240)],
      true,
      [
        { month: '2026-03', minutes: 720, holidayHours: 2.4, payEstimateKrw: Math.round((12 + 2.4) * 10_320) },
        { month: '2026-04', minutes: 480, holidayHours: 1.6, payEstimateKrw: Math.round((8 + 1.6) * 10_320) },
      ],
    ],
    ['nothing worked, nothing estimated', [], true, []],
  ] as const)('%s', (_case, shifts, allowance, expected) => {
    expect(monthlyPayEstimate(shifts, { hourlyWageKrw: 10_320, weeklyHolidayAllowance: allowance })).toEqual(expected);
  });

  it('counts weeks Monday to Sunday (KST): a Sunday belongs to the week before', () => {
    // Sunday 8 March closes the week of 2 March: 12 + 4 = 16 h that week, 4 h the next.
    const shifts = [shift('2026-03-02', 720), shift('2026-03-08', 240), shift('2026-03-09', 240)];
    const [march] = monthlyPayEstimate(shifts, { hourlyWageKrw: 10_000, weeklyHolidayAllowance: true });
    expect(march!.holidayHours).toBe(3.2);
  });
});
