import { parseMinimumWageTable } from '@citycred/labor';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api.js';
import { refusedFindings, type ContractDocument } from './api.js';
import { assessDraft, draftFromDocument, emptyDraft, findingsAt, hoursAndMinutes, isoToKstLocal, kstLocalToIso, kstToday, readDraft, won, type DraftForm } from './terms.js';

const TABLE = parseMinimumWageTable({ 2025: 10030, 2026: 10320 });

/** A filled draft: Monday to Friday 10:00–14:00, no break (4 h a day is 20 h a week), 2026. */
function filled(change: Partial<DraftForm> = {}): DraftForm {
  const form = emptyDraft('한강카페 (데모 사업장)', '2026-03-02');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) form.days[day] = { on: true, start: '10:00', end: '14:00' };
  return {
    ...form,
    workerName: '김민지',
    workplaceAddress: '서울특별시 마포구 망원로 1',
    duties: '음료 제조와 매장 관리',
    role: '바리스타',
    hourlyWage: '10320',
    weeklyHours: '20',
    weeklyHolidayAllowance: true,
    weeklyHoliday: 'sun',
    annualLeave: 'statutory',
    ...change,
  };
}

const codes = (findings: readonly { code: string }[]) => findings.map((f) => f.code);

describe('the draft form reads its values into contract terms', () => {
  it('starts from the employer as workplace, today, pay by transfer on the 10th, and no insurance ticked', () => {
    const form = emptyDraft('한강카페', '2026-03-02');
    expect(form).toMatchObject({ workplaceName: '한강카페', periodStart: '2026-03-02', payDay: '10', payMethod: 'bank-transfer' });
    expect(Object.values(form.socialInsurance)).toEqual([false, false, false, false]);
    expect(Object.values(form.days).every((d) => !d.on)).toBe(true);
  });

  it('makes the terms the API takes: work days in week order, optional items only when given', () => {
    const form = filled({ periodEnd: '', role: '  ' });
    form.days.sat = { on: true, start: '09:00', end: '10:00' };
    form.days.mon = { on: false, start: '10:00', end: '14:00' };
    const { terms, formFindings } = readDraft(form);
    expect(formFindings).toEqual([]);
    expect(terms.workDays.map((d) => d.day)).toEqual(['tue', 'wed', 'thu', 'fri', 'sat']);
    expect(terms.period).toEqual({ start: '2026-03-02' });
    expect(terms).not.toHaveProperty('role');
    expect(terms.wagePayment).toEqual({ payDay: 10, method: 'bank-transfer' });
    expect(terms.hourlyWageKrw).toBe(10320);
    expect(terms.weeklyHours).toBe(20);
  });

  it.each<[string, Partial<DraftForm>, string]>([
    ['no worker name', { workerName: ' ' }, '/worker/name'],
    ['a wage that is not a whole number', { hourlyWage: '10,320' }, '/hourlyWageKrw'],
    ['an empty wage', { hourlyWage: '' }, '/hourlyWageKrw'],
    ['weekly hours that are not a number', { weeklyHours: 'twenty' }, '/weeklyHours'],
    ['weekly hours off the half-hour', { weeklyHours: '20.25' }, '/weeklyHours'],
    ['a pay day past the 31st', { payDay: '32' }, '/wagePayment/payDay'],
  ])('refuses %s in the form itself', (_, change, path) => {
    const live = assessDraft(filled(change), TABLE);
    expect(live.errors.map((f) => f.path)).toContain(path);
  });

  it('reports an unreadable wage once, not again as below the minimum', () => {
    const live = assessDraft(filled({ hourlyWage: '' }), TABLE);
    expect(codes(live.errors)).toContain('form.number');
    expect(codes(live.errors)).not.toContain('labor.wage-below-minimum');
  });

  it('turns a signed document back into the form (revising)', () => {
    const { terms } = readDraft(filled({ periodEnd: '2026-08-31' }));
    const doc: ContractDocument = { v: 1, contractId: 'c', version: 1, employer: { name: '한강카페', businessRegistrationNumber: '123-45-67891' }, ...terms };
    expect(readDraft(draftFromDocument(doc)).terms).toEqual(terms);
  });
});

describe("the draft form's live assessment (the issuer's own checks)", () => {
  it('refuses a wage below the minimum for the contract’s year and names that minimum', () => {
    const live = assessDraft(filled({ hourlyWage: '10030' }), TABLE);
    expect(live.minimumWage).toEqual({ year: 2026, krw: 10320 });
    expect(codes(findingsAt(live.errors, '/hourlyWageKrw'))).toEqual(['labor.wage-below-minimum']);
    expect(findingsAt(live.errors, '/hourlyWageKrw')[0]!.message.ko).toContain('10,320원');
    // The 2025 minimum is enough for a contract within 2025.
    const in2025 = assessDraft(filled({ hourlyWage: '10030', periodStart: '2025-03-03', periodEnd: '2025-12-31' }), TABLE);
    expect(in2025.errors).toEqual([]);
    expect(in2025.minimumWage).toEqual({ year: 2025, krw: 10030 });
  });

  it('computes the weekly holiday allowance from 15 hours a week, and none below', () => {
    const live = assessDraft(filled(), TABLE);
    expect(live.errors).toEqual([]);
    // 20 h: 20/40 × 8 = 4 paid hours × 10,320.
    expect(live.assessment.weeklyHolidayHours).toBe(4);
    expect(live.assessment.weeklyHolidayPayKrw).toBe(41280);
    expect(live.assessment.weeklyPayKrw).toBe(20 * 10320 + 41280);

    const short = filled({ weeklyHours: '12', weeklyHolidayAllowance: false, weeklyHoliday: 'not-applicable', annualLeave: 'not-applicable' });
    for (const day of ['thu', 'fri'] as const) short.days[day] = { on: false, start: '', end: '' };
    const few = assessDraft(short, TABLE);
    expect(few.errors).toEqual([]);
    expect(few.assessment.weeklyHolidayPayKrw).toBe(0);
  });

  it('refuses 15 hours or more without the allowance, the weekly holiday or annual leave', () => {
    const live = assessDraft(filled({ weeklyHolidayAllowance: false, weeklyHoliday: '', annualLeave: '' }), TABLE);
    expect(live.errors.map((f) => f.path).sort()).toEqual(['/annualLeave', '/weeklyHoliday', '/weeklyHolidayAllowance']);
  });

  it('warns (without refusing) of breaks shorter than 30 minutes per 4 hours', () => {
    const form = filled({ weeklyHours: '25' });
    for (const day of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) form.days[day] = { on: true, start: '10:00', end: '15:10' };
    form.breaks = [{ start: '12:00', end: '12:10' }];
    const live = assessDraft(form, TABLE);
    expect(live.errors).toEqual([]);
    expect(codes(live.warnings)).toEqual(Array(5).fill('labor.break-short'));
    form.breaks = [{ start: '12:00', end: '12:40' }];
    const fixed = assessDraft({ ...form, weeklyHours: String((5 * 310 - 5 * 40) / 60) }, TABLE);
    expect(codes(fixed.warnings)).toEqual([]);
  });

  it('refuses weekly hours that differ from the days’ hours less breaks', () => {
    const live = assessDraft(filled({ weeklyHours: '22' }), TABLE);
    expect(codes(findingsAt(live.errors, '/weeklyHours'))).toEqual(['labor.weekly-hours-mismatch']);
  });

  it('refuses empty duties and a workplace without an address', () => {
    const live = assessDraft(filled({ duties: ' ', workplaceAddress: '' }), TABLE);
    expect(live.errors.map((f) => f.path)).toEqual(expect.arrayContaining(['/duties', '/workplace']));
  });
});

describe("the server's refusal", () => {
  it('carries its findings from the problem document', () => {
    const finding = { code: 'labor.wage-below-minimum', severity: 'error', path: '/hourlyWageKrw', message: { ko: '낮습니다', en: 'below' } };
    const error = new ApiError(422, 'labor.terms-refused', 'refused', [], { code: 'labor.terms-refused', findings: [finding, 'junk'] });
    expect(refusedFindings(error)).toEqual([finding]);
    expect(refusedFindings(new ApiError(409, 'labor.contract-state', ''))).toEqual([]);
    expect(refusedFindings(new Error('x'))).toEqual([]);
  });
});

describe('figures and times as the console writes them', () => {
  it('writes won and hours in each language', () => {
    expect(won(41280, 'ko')).toBe('41,280원');
    expect(won(41280, 'en')).toBe('KRW 41,280');
    expect(hoursAndMinutes(210, 'ko')).toBe('3시간 30분');
    expect(hoursAndMinutes(240, 'en')).toBe('4 h');
  });

  it('reads Korean wall-clock times as UTC instants and back', () => {
    expect(kstLocalToIso('2026-03-02T09:05')).toBe('2026-03-02T00:05:00Z');
    expect(isoToKstLocal('2026-03-01T23:30:00Z')).toBe('2026-03-02T08:30');
    expect(kstLocalToIso('2026-03-02')).toBeUndefined();
    expect(kstToday(new Date('2026-03-01T15:30:00Z'))).toBe('2026-03-02');
  });
});
