import { createHash } from 'node:crypto';
import { containsResidentRegistrationNumber } from '@citycred/credentials';

/** The `prevHash` of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Who did it: an operator (username), an API key (its public prefix), an offer, an import, the platform CLI, the service. */
export interface AuditActor {
  readonly kind: 'operator' | 'api-key' | 'offer' | 'import' | 'platform' | 'system';
  readonly id: string;
}

/**
 * What happened. The list grows with the contexts that append; the console shows unknown actions as they are.
 * `credential.issued`, `credential.revoked`, `credential.suspended`, `credential.reinstated`, `key.rotated`,
 * `operator.created`, `operator.disabled`, `operator.signed-in`, `offer.created` …
 */
export type AuditAction =
  | 'credential.issued'
  | 'credential.revoked'
  | 'credential.suspended'
  | 'credential.reinstated'
  | 'key.rotated'
  | 'operator.created'
  | 'operator.disabled'
  | 'operator.signed-in'
  | 'offer.created'
  | (string & { readonly auditAction?: never });

/**
 * Details of an entry: a flat object of short scalars (type, format, credential hash, reason code …). Never claims,
 * names or other personal data: the log is kept for as long as the tenant exists and its heads go on chain.
 */
export type AuditDetails = Readonly<Record<string, string | number | boolean | null>>;

/** What a caller appends. */
export interface AuditAppend {
  readonly tenantId: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** What it acted on (a credential id, a username …), or null. */
  readonly target?: string | null;
  readonly details?: AuditDetails;
  /** When it happened; default the log's clock. */
  readonly at?: Date;
}

/** An entry as stored and hashed. */
export interface AuditRecord {
  readonly seq: number;
  readonly tenantId: string;
  /** ISO-8601 UTC with milliseconds. */
  readonly at: string;
  readonly actor: AuditActor;
  readonly action: string;
  readonly target: string | null;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly hash: string;
}

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MAX_DETAIL_STRING = 200;
const MAX_DETAILS = 16;

/**
 * Checks what a caller wants to append: an action name of dotted words, at most 16 details of scalars (strings of at
 * most 200 characters), nothing that looks like a resident registration number anywhere.
 * @throws TypeError naming the rule broken (a programming fault of the caller: entries come from our own code)
 */
export function checkAppend(entry: AuditAppend): void {
  if (!ACTION.test(entry.action) || entry.action.length > 64) throw new TypeError(`audit action "${entry.action}" is not dotted lower-case words`);
  if (entry.actor.id.length === 0 || entry.actor.id.length > 100) throw new TypeError('audit actor id is 1 to 100 characters');
  if (entry.target !== undefined && entry.target !== null && (entry.target.length === 0 || entry.target.length > 200)) throw new TypeError('audit target is 1 to 200 characters');
  const details = Object.entries(entry.details ?? {});
  if (details.length > MAX_DETAILS) throw new TypeError(`audit details hold at most ${MAX_DETAILS} members`);
  for (const [key, value] of details) {
    if (!DETAIL_KEY.test(key)) throw new TypeError(`audit detail "${key}" is not a plain member name`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw new TypeError(`audit detail "${key}" is not a scalar`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`audit detail "${key}" is not a finite number`);
    if (typeof value === 'string' && value.length > MAX_DETAIL_STRING) throw new TypeError(`audit detail "${key}" is longer than ${MAX_DETAIL_STRING}`);
  }
  const texts = [entry.actor.id, entry.target ?? '', ...details.map(([, value]) => (typeof value === 'string' ? value : ''))];
  if (texts.some((text) => containsResidentRegistrationNumber(text))) throw new TypeError('audit entries never hold a resident registration number');
}

/**
 * The canonical serialisation the hash covers: JSON with object members sorted by UTF-16 code units, no spaces, and
 * numbers and strings as `JSON.stringify` writes them (the details are scalars, so this is well defined).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const members = Object.entries(value as Record<string, unknown>)
    .filter(([, member]) => member !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
}

/**
 * The hash of an entry: hex SHA-256 of the canonical JSON of `{v: 1, tenantId, seq, at, actor, action, target,
 * details, prevHash}`.
 */
export function auditEntryHash(entry: Omit<AuditRecord, 'hash'>): string {
  const content = {
    v: 1,
    tenantId: entry.tenantId,
    seq: entry.seq,
    at: entry.at,
    actor: { kind: entry.actor.kind, id: entry.actor.id },
    action: entry.action,
    target: entry.target,
    details: entry.details,
    prevHash: entry.prevHash,
  };
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

const ACTOR_KINDS: ReadonlySet<string> = new Set(['operator', 'api-key', 'offer', 'import', 'platform', 'system']);

/**
 * The actor a `kind:id` label names, as contexts that record their actor as one string write it (the status
 * history's `operator:<username>`; `tenant:<slug>` for a tenant's API key). Any other label is a `system` actor.
 */
export function actorFromLabel(label: string): AuditActor {
  const at = label.indexOf(':');
  const [kind, id] = at < 0 ? ['', label] : [label.slice(0, at), label.slice(at + 1)];
  if (kind === 'tenant') return { kind: 'api-key', id };
  if (ACTOR_KINDS.has(kind) && id.length > 0) return { kind: kind as AuditActor['kind'], id };
  return { kind: 'system', id: label };
}
