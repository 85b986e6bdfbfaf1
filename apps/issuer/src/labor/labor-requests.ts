import { WEEKDAYS } from '@citycred/labor';
import { z } from 'zod';

const clock = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM');
const date = z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'YYYY-MM-DD');
const text = (max: number) => z.string().min(1).max(max);

/**
 * Body of `POST /console/api/labor/contracts` and `…/:id/revise`: the contract's terms without `contractId`, `version`
 * and `employer` (the service fills them). The schema checks the shape; the law is checked by `assessContractTerms`,
 * and the LaborContract schema (free-text rules) before the draft is stored.
 */
export const contractTermsSchema = z
  .object({
    worker: z.object({ name: text(100) }).strict(),
    workplace: z.object({ name: text(200), address: text(300) }).strict(),
    duties: text(1000),
    role: text(200).optional(),
    period: z.object({ start: date, end: date.optional() }).strict(),
    hourlyWageKrw: z.number().int().min(0).max(1_000_000),
    weeklyHours: z.number().positive().max(168),
    workDays: z.array(z.object({ day: z.enum(WEEKDAYS), startTime: clock, endTime: clock }).strict()).min(1).max(7),
    breaks: z.array(z.object({ startTime: clock, endTime: clock }).strict()).max(7),
    weeklyHolidayAllowance: z.boolean(),
    weeklyHoliday: z.enum([...WEEKDAYS, 'not-applicable']).optional(),
    annualLeave: z.enum(['statutory', 'not-applicable']).optional(),
    wagePayment: z.object({ payDay: z.number().int().min(1).max(31), method: z.enum(['bank-transfer', 'cash']) }).strict().optional(),
    socialInsurance: z
      .object({ nationalPension: z.boolean(), healthInsurance: z.boolean(), employmentInsurance: z.boolean(), industrialAccident: z.boolean() })
      .strict(),
  })
  .strict();

/** Parsed contract terms. */
export type ContractTermsRequest = z.output<typeof contractTermsSchema>;

/** Body of `POST /labor/contracts/:id/worker-signature`. */
export const workerSignatureSchema = z.object({ jws: z.string().min(1).max(8192) }).strict();

/** Body of `POST /console/api/labor/contracts/:id/social-insurance`. */
export const socialInsuranceSchema = z
  .object({ nationalPension: z.boolean(), healthInsurance: z.boolean(), employmentInsurance: z.boolean(), industrialAccident: z.boolean(), since: date })
  .strict();

/** Body of `POST /console/api/labor/contracts/:id/end`. */
export const endSchema = z.object({ endDate: date }).strict();

/** Body of `POST /console/api/labor/contracts/:id/work-experience`. */
export const workExperienceSchema = z.object({ role: text(200).optional() }).strict();

/** A contract version id (UUID). */
export const contractIdSchema = z.string().regex(/^[0-9a-f-]{36}$/);
