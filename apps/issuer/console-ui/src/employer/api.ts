/**
 * The employer console's part of the console API (`/console/api/labor/…`, /work/notes/labor-spec.md → the issuer's
 * labour controllers): types of its answers and its calls, through the console's own request function (same session
 * cookie, same CSRF header, same problem documents).
 */
import type { ContractAssessment, LaborFinding, MinimumWageTable, Shift, SignedAttendanceEvent, Weekday } from '@citycred/labor';
import { ApiError, request } from '../api.js';

/** `GET /labor/settings`: who the employer is and the minimum wage table the form checks against. */
export interface LaborSettings {
  employer: { slug: string; name: string; did: string; businessNumber: string | null };
  /** By year, as configuration has it (`{"2025": 10030, "2026": 10320}`): JSON keys are strings. */
  minimumWageKrw: Record<string, number>;
  workplaceQrSeconds: number;
}

/** The minimum wage table of the settings, keyed by number as `@citycred/labor` wants it. */
export function wageTable(settings: LaborSettings): MinimumWageTable {
  const table: Record<number, number> = {};
  for (const [year, amount] of Object.entries(settings.minimumWageKrw)) table[Number(year)] = amount;
  return table;
}

/** Social insurance coverage (4대보험). */
export interface SocialInsurance {
  nationalPension: boolean;
  healthInsurance: boolean;
  employmentInsurance: boolean;
  industrialAccident: boolean;
}

/** The terms an employer drafts: a contract without its id, version and employer (the server fills them). */
export interface ContractTermsBody {
  worker: { name: string };
  workplace: { name: string; address: string };
  duties: string;
  role?: string;
  period: { start: string; end?: string };
  hourlyWageKrw: number;
  weeklyHours: number;
  workDays: Array<{ day: Weekday; startTime: string; endTime: string }>;
  breaks: Array<{ startTime: string; endTime: string }>;
  weeklyHolidayAllowance: boolean;
  weeklyHoliday?: Weekday | 'not-applicable';
  annualLeave?: 'statutory' | 'not-applicable';
  wagePayment?: { payDay: number; method: 'bank-transfer' | 'cash' };
  socialInsurance: SocialInsurance;
}

/** The signed contract document (ContractDocument in `@citycred/labor`). */
export interface ContractDocument extends ContractTermsBody {
  v: 1;
  contractId: string;
  version: number;
  previousVersion?: string;
  employer: { id?: string; name: string; businessRegistrationNumber: string; representative?: string };
}

/** A party's signature over the contract's hash. */
export interface ContractSignature {
  signer: string;
  signedAt: string;
  jws: string;
}

/** Where a contract is in its life. */
export type ContractState = 'awaiting-worker' | 'awaiting-employer' | 'active' | 'ended' | 'superseded';

/** A contract as the employer sees it. */
export interface ContractView {
  id: string;
  version: number;
  previousVersion: string | null;
  state: ContractState;
  document: ContractDocument;
  hash: string;
  assessment: ContractAssessment;
  workerDid?: string | null;
  workerSignature?: ContractSignature | null;
  employerSignature?: ContractSignature | null;
  /** The wallet link the worker opens to review and sign (QR). */
  reviewLink: string;
  /** The issuer's review URL itself (what the wallet link carries). */
  reviewUrl?: string;
  credentialOffers: Array<{ type: string; offerId: string; state: string }>;
  createdAt: string;
  endedAt?: string | null;
  endDate?: string | null;
}

/** `GET /labor/workplace-qr`: the tablet's current QR. */
export interface WorkplaceQr {
  jws: string;
  link: string;
  issuedAt: string;
  expiresAt: string;
  refreshInSeconds: number;
}

/** One failed or passed check of the attendance chain. */
export interface ChainCheckItem {
  id: string;
  passed: boolean;
  seq?: number;
  reason?: string;
}

/** `GET /labor/contracts/:id/attendance`: the timesheet. */
export interface AttendanceView {
  events: SignedAttendanceEvent[];
  check: { valid: boolean; checks: ChainCheckItem[]; head?: string };
  shifts: Shift[];
  totalMinutes: number;
  head: { seq: number; hash: string } | string | null;
  monthly: Array<{ month: string; minutes: number; payEstimateKrw: number }>;
  /** Corrections the employer proposed that the worker has not signed yet. */
  pendingCorrections: Array<{ id: string; eventHash: string; at: string; reason: string; proposedBy?: string; proposedAt?: string }>;
}

/** The labour findings of a 422 `labor.terms-refused`, or none. */
export function refusedFindings(error: unknown): LaborFinding[] {
  if (!(error instanceof ApiError)) return [];
  const findings = error.problem['findings'];
  return Array.isArray(findings) ? (findings as LaborFinding[]).filter((f) => f && typeof f === 'object' && typeof f.code === 'string') : [];
}

const id = (value: string) => encodeURIComponent(value);

/** The employer endpoints of the console API. */
export const laborApi = {
  settings: () => request<LaborSettings>('GET', '/labor/settings'),
  contracts: () => request<{ items: ContractView[] }>('GET', '/labor/contracts'),
  contract: (contractId: string) => request<ContractView>('GET', `/labor/contracts/${id(contractId)}`),
  draft: (terms: ContractTermsBody) => request<ContractView>('POST', '/labor/contracts', terms),
  revise: (contractId: string, terms: ContractTermsBody) => request<ContractView>('POST', `/labor/contracts/${id(contractId)}/revise`, terms),
  countersign: (contractId: string) => request<ContractView>('POST', `/labor/contracts/${id(contractId)}/countersign`, {}),
  socialInsurance: (contractId: string, body: SocialInsurance & { since: string }) => request<ContractView>('POST', `/labor/contracts/${id(contractId)}/social-insurance`, body),
  end: (contractId: string, endDate: string) => request<ContractView>('POST', `/labor/contracts/${id(contractId)}/end`, { endDate }),
  workExperience: (contractId: string, role?: string) => request<ContractView>('POST', `/labor/contracts/${id(contractId)}/work-experience`, role ? { role } : {}),
  attendance: (contractId: string) => request<AttendanceView>('GET', `/labor/contracts/${id(contractId)}/attendance`),
  correct: (contractId: string, body: { eventHash: string; at: string; reason: string }) => request<unknown>('POST', `/labor/contracts/${id(contractId)}/corrections`, body),
  workplaceQr: () => request<WorkplaceQr>('GET', '/labor/workplace-qr'),
};
