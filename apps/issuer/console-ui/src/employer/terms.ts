/**
 * The draft form's pure half: the form's values, the contract terms they make, and the live assessment with
 * `@citycred/labor`'s `assessContractTerms` — the same checks the issuer runs when the draft arrives (it answers 422
 * `labor.terms-refused` with the same findings), so the form refuses what the server would.
 */
import { assessContractTerms, finding, minimumWageFor, WEEKDAYS, type ContractAssessment, type LaborFinding, type MinimumWageTable, type Weekday } from '@citycred/labor';
import type { ContractDocument, ContractTermsBody, SocialInsurance } from './api.js';

/** One day's row of the form: whether it is a work day, and its hours. */
export interface DayRow {
  on: boolean;
  start: string;
  end: string;
}

/** The draft form's values, as typed (numbers as text until they are read). */
export interface DraftForm {
  workerName: string;
  workplaceName: string;
  workplaceAddress: string;
  duties: string;
  role: string;
  periodStart: string;
  periodEnd: string;
  hourlyWage: string;
  weeklyHours: string;
  days: Record<Weekday, DayRow>;
  breaks: Array<{ start: string; end: string }>;
  weeklyHolidayAllowance: boolean;
  weeklyHoliday: '' | Weekday | 'not-applicable';
  annualLeave: '' | 'statutory' | 'not-applicable';
  payDay: string;
  payMethod: '' | 'bank-transfer' | 'cash';
  socialInsurance: SocialInsurance;
}

const NO_INSURANCE: SocialInsurance = { nationalPension: false, healthInsurance: false, employmentInsurance: false, industrialAccident: false };

function noDays(): Record<Weekday, DayRow> {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, { on: false, start: '', end: '' }])) as Record<Weekday, DayRow>;
}

/**
 * A new draft: the workplace named after the employer, starting today (KST), wages paid by transfer on the 10th; the
 * rest for the employer to fill in.
 */
export function emptyDraft(employerName: string, today: string): DraftForm {
  return {
    workerName: '',
    workplaceName: employerName,
    workplaceAddress: '',
    duties: '',
    role: '',
    periodStart: today,
    periodEnd: '',
    hourlyWage: '',
    weeklyHours: '',
    days: noDays(),
    breaks: [],
    weeklyHolidayAllowance: false,
    weeklyHoliday: '',
    annualLeave: '',
    payDay: '10',
    payMethod: 'bank-transfer',
    socialInsurance: { ...NO_INSURANCE },
  };
}

/** The form of a signed contract, to revise it (a new version both sign again). */
export function draftFromDocument(doc: ContractDocument): DraftForm {
  const days = noDays();
  for (const d of doc.workDays) days[d.day] = { on: true, start: d.startTime, end: d.endTime };
  return {
    workerName: doc.worker.name,
    workplaceName: doc.workplace.name,
    workplaceAddress: doc.workplace.address,
    duties: doc.duties,
    role: doc.role ?? '',
    periodStart: doc.period.start,
    periodEnd: doc.period.end ?? '',
    hourlyWage: String(doc.hourlyWageKrw),
    weeklyHours: String(doc.weeklyHours),
    days,
    breaks: doc.breaks.map((b) => ({ start: b.startTime, end: b.endTime })),
    weeklyHolidayAllowance: doc.weeklyHolidayAllowance,
    weeklyHoliday: doc.weeklyHoliday ?? '',
    annualLeave: doc.annualLeave ?? '',
    payDay: doc.wagePayment ? String(doc.wagePayment.payDay) : '',
    payMethod: doc.wagePayment?.method ?? '',
    socialInsurance: { ...NO_INSURANCE, ...doc.socialInsurance },
  };
}

/** Today in Korea (the city's calendar), `YYYY-MM-DD`. */
export function kstToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** A whole number typed in a field, or undefined. */
function wholeNumber(text: string): number | undefined {
  return /^\s*[0-9]+\s*$/.test(text) ? Number(text.trim()) : undefined;
}

/** A number of hours typed in a field (`17`, `17.5`), or undefined. */
function hours(text: string): number | undefined {
  return /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(text) ? Number(text.trim()) : undefined;
}

/** What the form makes of its values: the terms to send, and the problems only the form can see (empty fields). */
export interface DraftReading {
  readonly terms: ContractTermsBody;
  readonly formFindings: readonly LaborFinding[];
}

/** Reads the form into contract terms; wages and hours that are not numbers are form findings (and 0 in the terms). */
export function readDraft(form: DraftForm): DraftReading {
  const formFindings: LaborFinding[] = [];
  if (!form.workerName.trim()) formFindings.push(finding('form.required', 'error', '/worker/name', '근로자 성명을 입력하세요.', "Enter the worker's name."));
  const wage = wholeNumber(form.hourlyWage);
  if (wage === undefined) formFindings.push(finding('form.number', 'error', '/hourlyWageKrw', '시급을 원 단위 숫자로 입력하세요.', 'Enter the hourly wage as a whole number of won.'));
  const weekly = hours(form.weeklyHours);
  if (weekly === undefined) formFindings.push(finding('form.number', 'error', '/weeklyHours', '주 소정근로시간을 숫자로 입력하세요.', 'Enter the weekly hours as a number.'));
  else if (weekly * 2 !== Math.round(weekly * 2)) formFindings.push(finding('form.number', 'error', '/weeklyHours', '주 소정근로시간은 30분(0.5시간) 단위로 입력하세요.', 'Enter the weekly hours in steps of half an hour (0.5).'));
  const payDay = wholeNumber(form.payDay);
  const payDayValid = payDay !== undefined && payDay >= 1 && payDay <= 31;
  if (form.payDay.trim() && !payDayValid) formFindings.push(finding('form.number', 'error', '/wagePayment/payDay', '임금 지급일은 1일부터 31일 사이로 입력하세요.', 'The pay day is a day of the month from 1 to 31.'));

  const terms: ContractTermsBody = {
    worker: { name: form.workerName.trim() },
    workplace: { name: form.workplaceName.trim(), address: form.workplaceAddress.trim() },
    duties: form.duties.trim(),
    ...(form.role.trim() ? { role: form.role.trim() } : {}),
    period: { start: form.periodStart, ...(form.periodEnd ? { end: form.periodEnd } : {}) },
    hourlyWageKrw: wage ?? 0,
    weeklyHours: weekly ?? 0,
    workDays: WEEKDAYS.filter((d) => form.days[d].on).map((d) => ({ day: d, startTime: form.days[d].start, endTime: form.days[d].end })),
    breaks: form.breaks.map((b) => ({ startTime: b.start, endTime: b.end })),
    weeklyHolidayAllowance: form.weeklyHolidayAllowance,
    ...(form.weeklyHoliday ? { weeklyHoliday: form.weeklyHoliday } : {}),
    ...(form.annualLeave ? { annualLeave: form.annualLeave } : {}),
    ...(payDayValid && form.payMethod ? { wagePayment: { payDay: payDay!, method: form.payMethod } } : {}),
    socialInsurance: { ...form.socialInsurance },
  };
  return { terms, formFindings };
}

/** The live assessment the form shows. */
export interface DraftAssessment {
  readonly terms: ContractTermsBody;
  readonly assessment: ContractAssessment;
  /** The form's and the law's findings together, errors first. */
  readonly errors: readonly LaborFinding[];
  readonly warnings: readonly LaborFinding[];
  /** The minimum wage of the contract's first year, when the start is a date and the table knows the year. */
  readonly minimumWage?: { readonly year: number; readonly krw: number };
}

/**
 * Reads and assesses the draft. A wage or weekly hours that are not numbers are reported once, by the form, not again
 * as a wage below the minimum or hours that do not add up.
 */
export function assessDraft(form: DraftForm, table: MinimumWageTable): DraftAssessment {
  const { terms, formFindings } = readDraft(form);
  const assessment = assessContractTerms(terms, table);
  const unread = new Set(formFindings.map((f) => f.path));
  const law = assessment.findings.filter((f) => !unread.has(f.path));
  const all = [...formFindings, ...law];
  const year = /^[0-9]{4}-/.test(terms.period.start) ? Number(terms.period.start.slice(0, 4)) : undefined;
  const krw = year === undefined ? undefined : minimumWageFor(table, year);
  return {
    terms,
    assessment,
    errors: all.filter((f) => f.severity === 'error'),
    warnings: all.filter((f) => f.severity === 'warning'),
    ...(year !== undefined && krw !== undefined ? { minimumWage: { year, krw } } : {}),
  };
}

/** Findings about a field: those whose JSON pointer is `path` or below it. */
export function findingsAt(findings: readonly LaborFinding[], path: string): LaborFinding[] {
  return findings.filter((f) => f.path === path || f.path.startsWith(`${path}/`));
}

/** The weekly hours the work days make, less breaks (what the weekly hours field should say). */
export function weeklyHoursOfDays(assessment: ContractAssessment): number {
  return assessment.weeklyWorkMinutes / 60;
}

/** An amount of won as the language writes it: `10,320원` / `KRW 10,320`. */
export function won(amount: number, lang: 'ko' | 'en'): string {
  const digits = Math.round(amount).toLocaleString('en-US');
  return lang === 'ko' ? `${digits}원` : `KRW ${digits}`;
}

/** Minutes as hours and minutes: `3시간 30분` / `3 h 30 min`. */
export function hoursAndMinutes(minutes: number, lang: 'ko' | 'en'): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  if (lang === 'ko') return m ? `${h}시간 ${m}분` : `${h}시간`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** A Korean wall-clock date and time (`YYYY-MM-DDTHH:MM`, as `<input type="datetime-local">` gives it) as a UTC instant. */
export function kstLocalToIso(local: string): string | undefined {
  const match = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}:[0-9]{2})$/.exec(local);
  if (!match) return undefined;
  const ms = Date.parse(`${match[1]}T${match[2]}:00+09:00`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** A UTC instant as a Korean wall-clock `YYYY-MM-DDTHH:MM` (for `<input type="datetime-local">`). */
export function isoToKstLocal(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms + 9 * 3600_000).toISOString().slice(0, 16);
}
