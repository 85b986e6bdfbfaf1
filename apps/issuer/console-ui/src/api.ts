/**
 * The console backend's HTTP contract (/work/notes/console-api.md → apps/issuer/src/console): types of its answers
 * and one fetch wrapper. Every state-changing request carries `x-citycred-console: 1` (the backend's CSRF check,
 * besides the SameSite session cookie); errors are RFC 9457 problem documents turned into {@link ApiError}.
 */

/** The signed-in operator and tenant. */
export interface Session {
  operator: { username: string; role: Role; displayName: string };
  tenant: { slug: string; name: string; did: string; kind: string };
  /** Whether the operator is one of the city's administrators, who administer every tenant (the Tenants screen). */
  cityAdmin?: boolean;
}

/** What an operator may do: `admin` everything, `issuer` issue and change status, `auditor` read only. */
export type Role = 'admin' | 'issuer' | 'auditor';

/** A JSON Schema node as the form generator reads it. */
export type JsonSchema = { [keyword: string]: unknown };

/** A credential type the tenant may issue, with the JSON Schema of its subject. */
export interface CredentialTypeInfo {
  type: string;
  labels: { ko: string; en: string };
  formats: string[];
  /** The subject's JSON Schema; null for an open type without a registered schema (claims are then typed as JSON). */
  schema: JsonSchema | null;
  disclosable: string[];
  maxValidity?: string | null;
}

/** The answer to issuing. */
export interface IssuedCredential {
  id: string;
  type: string;
  format: string;
  credentialHash: string;
  encoded: string;
}

/** A credential's lifecycle status. */
export type CredentialStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** One row of the search (never the claims). */
export interface CredentialItem {
  id: string;
  type: string;
  format: string;
  issuedAt: string;
  expiresAt: string | null;
  status: CredentialStatus;
  anchoring: 'pending' | 'anchored' | 'refused';
  subjectHint: string | null;
}

/** One status change or the issuance, as the history shows it. */
export interface HistoryEntry {
  action: string;
  reason: string | null;
  actor: Actor;
  at: string;
}

/** A credential with its history and anchor. */
export interface CredentialDetail extends CredentialItem {
  history: HistoryEntry[];
  anchor?: { root: string; txHash: string | null; blockNumber: number | null } | null;
}

/** A page of a list. */
export interface Page<T> {
  items: T[];
  next?: string | null;
}

/** An OpenID4VCI credential offer, by reference. */
export interface Offer {
  offerUri: string;
  qrSvg?: string;
  txCode?: string | null;
  expiresAt: string;
}

/** The longest lifetimes of offers the issuer allows, in seconds (`GET /types`; null where it makes no offers). */
export interface OfferLifetimes {
  /** A single offer's (`OID4VCI_OFFER_TTL_SECONDS`). */
  offerSeconds: number;
  /** A bulk offer's (`OID4VCI_BULK_OFFER_TTL_SECONDS`): the longest the bulk screen offers. */
  bulkOfferSeconds: number;
}

/** One CSV row's outcome of a bulk offer: the offer (its link and transaction code, shown this once) or the error. */
export type ImportRow =
  | { row: number; offerId: string; offerUri: string; txCode: string | null; expiresAt: string }
  | { row: number; error: { code: string; pointer: string; column: string | null } };

/** A bulk offer's answer; `row` counts the request's data rows from 0. */
export interface ImportAnswer {
  jobId: string;
  total: number;
  offered: number;
  failed: number;
  rows: ImportRow[];
}

/** The anchoring overview. */
export interface AnchoringOverview {
  pending: number;
  oldestPendingSeconds: number | null;
  batches: Array<{
    id: string;
    state: string;
    leafCount: number;
    root: string;
    txHash: string | null;
    blockNumber: number | null;
    anchoredAt: string | null;
    gasUsed: string | number | null;
  }>;
}

/** Who did something: `operator:clerk`, or the structured form `{kind, id}`. */
export type Actor = string | { kind: string; id: string };

/** An actor as one line of text. */
export function actorText(actor: Actor | null | undefined): string {
  if (!actor) return '—';
  return typeof actor === 'string' ? actor : `${actor.kind}:${actor.id}`;
}

/** An audit log entry, chained by hash to the one before. */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: Actor;
  action: string;
  target: string | null;
  hash: string;
  prevHash: string | null;
}

/** A page of the audit log and the chain's head. */
export interface AuditPage extends Page<AuditEntry> {
  head: { seq: number; hash: string; anchored: boolean } | null;
}

/** The server's check of a tenant's whole audit chain. */
export type AuditVerification = { ok: true; entries: number; headHash: string } | { ok: false; brokenAt: number; reason: string };

/** A console operator. */
export interface Operator {
  username: string;
  role: Role;
  displayName: string;
  createdAt: string;
  disabled: boolean;
}

/** A kind of tenant: a city department, an accredited employer, or an app operator issuing its own types. */
export type TenantKind = 'department' | 'employer' | 'app';

/** A tenant as the admin API lists it, with what the IssuerRegistry says of it now. */
export interface TenantOverview {
  slug: string;
  name: string;
  nameEn: string | null;
  kind: TenantKind;
  did: string;
  address: string;
  types: string[];
  createdAt: string;
  accreditation: {
    state: 'accredited' | 'partly-accredited' | 'not-accredited';
    accredited: string[];
    notAccredited: string[];
    suspended: string[];
    asOf: string;
  };
}

/** A catalogue type and the kind of tenant that may be configured for it. */
export interface CatalogueType {
  type: string;
  labels: { ko: string; en: string };
  kind: 'department' | 'employer';
}

/** A tenant's API key as the admin API shows it: never the key itself. */
export interface ApiKeyInfo {
  id: string;
  prefix: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Anchorer registrations a change ended, and those it could not (retried with `withdrawAnchorers`). */
export interface AnchorerWithdrawals {
  withdrawn: Array<{ anchorer: string; type: string; txHash: string }>;
  failed: Array<{ anchorer: string; type: string; reason: string }>;
}

/** An accreditation window the chain made. */
export interface WindowMade {
  types: string[];
  accreditedBy: string | null;
  validFrom: string;
  validUntil: string;
  txHash: string;
}

/** A tenant created: its first API key is in the answer, this once. */
export interface TenantCreated {
  tenant: { slug: string; name: string; nameEn: string | null; kind: TenantKind; did: string; address: string; types: string[] };
  apiKey: string;
  apiKeyInfo: ApiKeyInfo;
  accreditation: WindowMade | null;
  delegated: string[];
  resumed: boolean;
}

/** What changing a tenant's types did on chain. */
export interface TypesChanged {
  slug: string;
  types: string[];
  accredited: WindowMade | null;
  revoked: string[];
  reinstated: string[];
  unchanged: string[];
  anchorers: AnchorerWithdrawals;
}

/** A key rotation. */
export interface KeyRotated {
  did: string;
  identity: string;
  previousOwner: string;
  newOwner: string;
  transaction: { hash: string; blockNumber: number } | null;
  anchorers: AnchorerWithdrawals;
}

/** A delegate added or revoked. */
export interface DelegateChanged {
  delegate: string;
  type: 'veriKey' | 'sigAuth';
  validDays: number | null;
  txHash: string;
  blockNumber: number | null;
}

/** One field-level problem, by JSON pointer (the backend says `pointer` or `path`). */
export interface FieldProblem {
  pointer: string;
  message: string;
}

/** A failed request: the problem document's code, status and detail, and its field problems if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: FieldProblem[] = [],
    /** The whole problem document, for a screen that reads an extension member (e.g. `findings`). */
    readonly problem: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail || code);
  }
}

/** `code` of an {@link ApiError} when the server could not be reached at all. */
export const NETWORK_ERROR = 'network';

const BASE = '/console/api';

/**
 * One request to the console API (`/console/api` + `path`), JSON both ways, the CSRF header on every state-changing
 * one; a problem document becomes an {@link ApiError}. Exported for the employer console (`src/employer/`), which
 * calls its own endpoints of the same API with the same session.
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (method !== 'GET') headers['x-citycred-console'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, '');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw problemError(response.status, parsed);
  return parsed as T;
}

function problemError(status: number, body: unknown): ApiError {
  const problem = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code = typeof problem['code'] === 'string' ? problem['code'] : `http.${status}`;
  const detail = typeof problem['detail'] === 'string' ? problem['detail'] : typeof problem['title'] === 'string' ? problem['title'] : '';
  const fields: FieldProblem[] = [];
  if (Array.isArray(problem['errors'])) {
    for (const entry of problem['errors'] as Array<Record<string, unknown>>) {
      const pointer = typeof entry?.['pointer'] === 'string' ? entry['pointer'] : typeof entry?.['path'] === 'string' ? entry['path'] : null;
      if (pointer !== null) fields.push({ pointer, message: typeof entry['message'] === 'string' ? entry['message'] : '' });
    }
  }
  return new ApiError(status, code, detail, fields, problem);
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The console backend's endpoints. */
export const api = {
  signIn: (tenant: string, username: string, password: string) => request<Session>('POST', '/session', { tenant, username, password }),
  signOut: () => request<void>('DELETE', '/session'),
  me: () => request<Session>('GET', '/me'),
  types: () => request<{ types: CredentialTypeInfo[]; offerLifetimes?: OfferLifetimes | null }>('GET', '/types'),
  issue: (body: { type: string; subject: unknown; format?: string; validUntil?: string; holderDid?: string }) => request<IssuedCredential>('POST', '/credentials', body),
  credentials: (filters: { type?: string; status?: string; q?: string; cursor?: string }) => request<Page<CredentialItem>>('GET', `/credentials${query(filters)}`),
  credential: (id: string) => request<CredentialDetail>('GET', `/credentials/${encodeURIComponent(id)}`),
  changeStatus: (id: string, action: 'revoke' | 'suspend' | 'reinstate', reason: string) =>
    request<{ status: CredentialStatus }>('POST', `/credentials/${encodeURIComponent(id)}/status`, { action, reason }),
  certificateUrl: (id: string) => `${BASE}/credentials/${encodeURIComponent(id)}/certificate.pdf`,
  offer: (body: { type: string; claims: unknown; format?: string }) => request<Offer>('POST', '/offers', body),
  bulkOffer: (body: { type: string; format: string; csv: string; expiresIn?: number }) => request<ImportAnswer>('POST', '/offers/bulk', body),
  anchoring: () => request<AnchoringOverview>('GET', '/anchoring'),
  audit: (cursor?: string) => request<AuditPage>('GET', `/audit${query({ cursor })}`),
  auditVerification: () => request<AuditVerification>('GET', '/audit/verification'),
  operators: () => request<{ items: Operator[] }>('GET', '/operators'),
  addOperator: (body: { username: string; displayName: string; role: Role; password: string }) => request<unknown>('POST', '/operators', body),
  admin: {
    tenants: () => request<{ items: TenantOverview[] }>('GET', '/admin/tenants'),
    catalogue: () => request<{ items: CatalogueType[] }>('GET', '/admin/credential-types'),
    createTenant: (body: { slug: string; name: string; nameEn?: string; kind: TenantKind; types: string[] }) => request<TenantCreated>('POST', '/admin/tenants', body),
    setTypes: (slug: string, body: { types: string[]; reinstate?: boolean }) => request<TypesChanged>('PUT', `/admin/tenants/${encodeURIComponent(slug)}/accreditations`, body),
    rotateKey: (slug: string, force: boolean) => request<KeyRotated>('POST', `/admin/tenants/${encodeURIComponent(slug)}/rotate-key`, force ? { force: true } : {}),
    withdrawAnchorers: (slug: string) => request<{ slug: string; anchorers: AnchorerWithdrawals }>('POST', `/admin/tenants/${encodeURIComponent(slug)}/withdraw-anchorers`),
    addDelegate: (slug: string, body: { delegate: string; type: 'veriKey' | 'sigAuth'; validDays?: number }) =>
      request<DelegateChanged>('POST', `/admin/tenants/${encodeURIComponent(slug)}/delegates`, body),
    revokeDelegate: (slug: string, body: { delegate: string; type: 'veriKey' | 'sigAuth' }) =>
      request<DelegateChanged>('POST', `/admin/tenants/${encodeURIComponent(slug)}/delegates/revoke`, body),
    apiKeys: (slug: string) => request<{ items: ApiKeyInfo[] }>('GET', `/admin/tenants/${encodeURIComponent(slug)}/api-keys`),
    issueApiKey: (slug: string, label: string) => request<{ apiKey: string; key: ApiKeyInfo }>('POST', `/admin/tenants/${encodeURIComponent(slug)}/api-keys`, label ? { label } : {}),
    revokeApiKey: (slug: string, id: string) =>
      request<{ key: ApiKeyInfo; revoked: true; wasLive: boolean }>('POST', `/admin/tenants/${encodeURIComponent(slug)}/api-keys/${encodeURIComponent(id)}/revoke`),
  },
};
