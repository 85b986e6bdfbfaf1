import { describe, expect, it } from 'vitest';
import { assessContractTerms, type ContractTerms, type WorkDay } from './contract-terms.js';
import { parseMinimumWageTable } from './minimum-wage.js';

const table = parseMinimumWageTable({ 2025: 10_030, 2026: 10_320 });
const weekdays = (startTime: string, endTime: string, days: WorkDay['day'][] = ['mon', 'tue', 'wed', 'thu', 'fri']): WorkDay[] => days.map((day) => ({ day, startTime, endTime }));

/** A café part-timer in 2026: Monday to Friday 09:00–13:30 with a 30-minute break, 4 hours a day, 20 a week. */
const cafe: ContractTerms = {
  period: { start: '2026-03-02', end: '2026-08-31' },
  hourlyWageKrw: 10_320,
  weeklyHours: 20,
  workDays: weekdays('09:00', '13:30'),
  breaks: [{ startTime: '11:00', endTime: '11:30' }],
  weeklyHolidayAllowance: true,
  weeklyHoliday: 'sun',
  annualLeave: 'statutory',
  wagePayment: { payDay: 10, method: 'bank-transfer' },
  workplace: { name: '한강카페 여의도점', address: '서울특별시 영등포구 여의동로 330' },
  duties: '음료 제조 및 매장 관리',
};
const codes = (terms: ContractTerms) => assessContractTerms(terms, table).findings.map((f) => `${f.severity}:${f.code}${f.path}`);

describe('assessContractTerms', () => {
  it('accepts a lawful part-time contract and computes its hours and pay', () => {
    const a = assessContractTerms(cafe, table);
    expect(a.findings).toEqual([]);
    expect(a.weeklyWorkMinutes).toBe(20 * 60);
    expect(a.days[0]).toEqual({ day: 'mon', spanMinutes: 270, breakMinutes: 30, workMinutes: 240 });
    expect(a.weeklyHolidayHours).toBe(4);
    expect(a.weeklyHolidayPayKrw).toBe(41_280);
    expect(a.weeklyPayKrw).toBe(20 * 10_320 + 41_280);
  });

  describe('minimum wage for the contract’s year', () => {
    it.each([
      ['2026, one won below 10,320', { hourlyWageKrw: 10_319 }, ['error:labor.wage-below-minimum/hourlyWageKrw']],
      ['2026, exactly 10,320', { hourlyWageKrw: 10_320 }, []],
      ['2025, exactly 10,030', { period: { start: '2025-03-03', end: '2025-12-31' }, hourlyWageKrw: 10_030 }, []],
      ['2025, one won below 10,030', { period: { start: '2025-03-03', end: '2025-12-31' }, hourlyWageKrw: 10_029 }, ['error:labor.wage-below-minimum/hourlyWageKrw']],
      ['a fixed period running into 2026 at the 2025 minimum', { period: { start: '2025-10-01', end: '2026-03-31' }, hourlyWageKrw: 10_030 }, ['error:labor.wage-below-minimum/hourlyWageKrw']],
      ['an open-ended 2025 contract at the 2025 minimum: raise it in 2026', { period: { start: '2025-10-01' }, hourlyWageKrw: 10_030 }, ['warning:labor.wage-below-later-minimum/hourlyWageKrw']],
      ['a year the table does not know', { period: { start: '2027-01-04', end: '2027-06-30' } }, ['error:labor.minimum-wage-unknown/period/start']],
    ] as const)('%s', (_, change, expected) => {
      expect(codes({ ...cafe, ...change })).toEqual(expected);
    });

    it('names the year and the minimum in both languages', () => {
      const [f] = assessContractTerms({ ...cafe, hourlyWageKrw: 9_860 }, table).findings;
      expect(f!.message.ko).toContain('2026년 최저임금 10,320원');
      expect(f!.message.en).toContain('2026 minimum wage of KRW 10,320');
    });
  });

  describe('weekly holiday allowance from 15 hours a week', () => {
    const hours = (weeklyHours: number, workDays: WorkDay[]): ContractTerms => ({ ...cafe, weeklyHours, workDays, breaks: [] });
    it.each([
      ['14.5 hours: no allowance', hours(14.5, [...weekdays('10:00', '13:00', ['mon', 'tue', 'wed', 'thu']), { day: 'fri', startTime: '10:00', endTime: '12:30' }]), 0],
      ['exactly 15 hours: 3 hours paid', hours(15, weekdays('10:00', '13:00')), 30_960],
      ['20 hours: 4 hours paid', hours(20, weekdays('10:00', '14:00')), 41_280],
      ['40 hours: 8 hours paid', { ...cafe, weeklyHours: 40, workDays: weekdays('09:00', '18:00'), breaks: [{ startTime: '12:00', endTime: '13:00' }] }, 82_560],
    ] as const)('%s', (_, terms, pay) => {
      const a = assessContractTerms(terms, table);
      expect(a.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(a.weeklyHolidayPayKrw).toBe(pay);
    });

    it('refuses a contract of exactly 15 hours without the allowance, and accepts 14.5 hours without it', () => {
      expect(codes({ ...hours(15, weekdays('10:00', '13:00')), weeklyHolidayAllowance: false })).toEqual(['error:labor.weekly-holiday-allowance-required/weeklyHolidayAllowance']);
      const short = { ...hours(14.5, [...weekdays('10:00', '13:00', ['mon', 'tue', 'wed', 'thu']), { day: 'fri' as const, startTime: '10:00', endTime: '12:30' }]), weeklyHolidayAllowance: false, weeklyHoliday: 'not-applicable' as const, annualLeave: 'not-applicable' as const };
      expect(codes(short)).toEqual([]);
    });

    it('from 15 hours wants the weekly holiday named, off the work days, and statutory annual leave', () => {
      expect(codes({ ...cafe, weeklyHoliday: 'not-applicable' })).toEqual(['error:labor.item-missing/weeklyHoliday']);
      expect(codes({ ...cafe, weeklyHoliday: 'mon' })).toEqual(['error:labor.weekly-holiday-on-work-day/weeklyHoliday']);
      expect(codes({ ...cafe, annualLeave: 'not-applicable' })).toEqual(['error:labor.item-missing/annualLeave']);
    });

    it('estimates a full-time month at (40 + 8) hours × 365/7/12 weeks', () => {
      const a = assessContractTerms({ ...cafe, weeklyHours: 40, workDays: weekdays('09:00', '18:00'), breaks: [{ startTime: '12:00', endTime: '13:00' }] }, table);
      expect(a.monthlyEstimateKrw).toBe(Math.round(48 * (365 / 84) * 10_320));
    });
  });

  describe('breaks: 30 minutes per 4 hours of work, an hour per 8 (warnings)', () => {
    it.each([
      ['3 h 59 min without a break', weekdays('09:00', '12:59'), [], 1195, []],
      ['exactly 4 h without a break', weekdays('09:00', '13:00'), [], 1200, ['warning:labor.break-short']],
      ['4 h of work with 29 minutes of break', weekdays('09:00', '13:29'), [{ startTime: '11:00', endTime: '11:29' }], 1200, ['warning:labor.break-short']],
      ['8 h of work with 30 minutes of break', weekdays('09:00', '17:30'), [{ startTime: '12:00', endTime: '12:30' }], 2400, ['warning:labor.break-short']],
      ['8 h of work with an hour of break', weekdays('09:00', '18:00'), [{ startTime: '12:00', endTime: '13:00' }], 2400, []],
    ] as const)('%s', (_, workDays, breaks, weeklyMinutes, expected) => {
      const terms = { ...cafe, workDays, breaks, weeklyHours: weeklyMinutes / 60 };
      const found = codes(terms).filter((c) => !c.startsWith('error:labor.weekly-hours-mismatch'));
      expect(new Set(found.map((c) => c.replace(/\/.*$/, '')))).toEqual(new Set(expected));
      expect(assessContractTerms(terms, table).weeklyWorkMinutes).toBe(weeklyMinutes);
    });

    it('counts a break inside a night shift that crosses midnight', () => {
      const a = assessContractTerms({ ...cafe, weeklyHours: 14, workDays: weekdays('22:00', '06:00', ['fri', 'sat']), breaks: [{ startTime: '02:00', endTime: '03:00' }] }, table);
      expect(a.days).toEqual([
        { day: 'fri', spanMinutes: 480, breakMinutes: 60, workMinutes: 420 },
        { day: 'sat', spanMinutes: 480, breakMinutes: 60, workMinutes: 420 },
      ]);
      expect(a.findings.map((f) => f.code)).toEqual([]);
    });
  });

  describe('hours that do not add up or exceed the limits', () => {
    it.each([
      ['weekly hours that differ from the days', { weeklyHours: 25 }, ['error:labor.weekly-hours-mismatch/weeklyHours']],
      ['a day over 8 hours of work', { weeklyHours: 24.5, workDays: [...weekdays('09:00', '13:30', ['mon', 'tue', 'wed', 'thu']), { day: 'fri' as const, startTime: '08:00', endTime: '17:00' }] }, ['error:labor.daily-hours-over-limit/workDays/4', 'warning:labor.break-short/workDays/4']],
      ['more than 40 hours a week', { weeklyHours: 45, workDays: weekdays('08:00', '17:30'), breaks: [{ startTime: '12:00', endTime: '12:30' }] }, ['error:labor.daily-hours-over-limit/workDays/0', 'warning:labor.break-short/workDays/0', 'error:labor.daily-hours-over-limit/workDays/1', 'warning:labor.break-short/workDays/1', 'error:labor.daily-hours-over-limit/workDays/2', 'warning:labor.break-short/workDays/2', 'error:labor.daily-hours-over-limit/workDays/3', 'warning:labor.break-short/workDays/3', 'error:labor.daily-hours-over-limit/workDays/4', 'warning:labor.break-short/workDays/4', 'error:labor.weekly-hours-over-limit/weeklyHours']],
      ['the same day twice', { weeklyHours: 24, workDays: [...weekdays('09:00', '13:30'), { day: 'mon' as const, startTime: '14:00', endTime: '18:00' }] }, ['error:labor.work-day-repeated/workDays/5', 'warning:labor.break-short/workDays/5']],
      ['a day that starts when it ends', { workDays: [...weekdays('09:00', '13:30', ['mon', 'tue', 'wed', 'thu']), { day: 'fri' as const, startTime: '09:00', endTime: '09:00' }] }, ['error:labor.work-day-invalid/workDays/4']],
      ['no work days', { workDays: [] }, ['error:labor.item-missing/workDays']],
      ['a period that ends before it starts', { period: { start: '2026-03-02', end: '2026-03-01' } }, ['error:labor.period-invalid/period/end']],
      ['a date that does not exist', { period: { start: '2026-02-30' } }, ['error:labor.period-invalid/period/start']],
      ['no pay day or method', { wagePayment: undefined }, ['error:labor.item-missing/wagePayment']],
      ['no place of work', { workplace: { name: ' ', address: '' } }, ['error:labor.item-missing/workplace']],
      ['no duties', { duties: '  ' }, ['error:labor.item-missing/duties']],
      ['under 15 hours with holidays and leave left unsaid', { weeklyHours: 9, workDays: weekdays('10:00', '13:00', ['sat', 'sun', 'mon']), breaks: [], weeklyHoliday: undefined }, ['error:labor.item-missing/weeklyHoliday']],
    ] as const)('%s', (_, change, expected) => {
      expect(codes({ ...cafe, ...change } as ContractTerms)).toEqual(expected);
    });
  });
});
