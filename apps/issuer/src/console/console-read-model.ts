import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { AnchorBatchEntity, AnchorOutboxEntity, IssuedCredentialEntity, StatusHistoryEntity, type AnchorBatchState } from '@citycred/persistence';
import { Brackets, type DataSource, type SelectQueryBuilder } from 'typeorm';

/** A credential's status as the console shows it. */
export type ConsoleCredentialStatus = 'valid' | 'suspended' | 'revoked' | 'expired';

/** Where its hash stands in anchoring. */
export type ConsoleAnchoringState = 'pending' | 'anchored' | 'refused';

/** One credential in the list: never its claims. */
export interface ConsoleCredentialItem {
  readonly id: string;
  readonly type: string;
  readonly format: string;
  readonly issuedAt: string;
  readonly expiresAt: string | null;
  readonly status: ConsoleCredentialStatus;
  readonly anchoring: ConsoleAnchoringState;
  /** The subject's id shortened (`did:ethr:0x12…9abc`), or null for a subject without an id. */
  readonly subjectHint: string | null;
}

/** One credential with its status history and anchor. */
export interface ConsoleCredentialDetail extends ConsoleCredentialItem {
  readonly history: Array<{ action: string; reason: string | null; actor: string; at: string }>;
  readonly anchor?: { root: string; txHash: string | null; blockNumber: number | null };
}

/** Filters of the list. */
export interface CredentialQuery {
  readonly type?: string | undefined;
  readonly status?: ConsoleCredentialStatus | undefined;
  /** Part of the credential id or of the subject id. */
  readonly q?: string | undefined;
  readonly cursor?: string | undefined;
}

/** The tenant's anchoring as the console shows it. */
export interface ConsoleAnchoringView {
  readonly pending: number;
  readonly oldestPendingSeconds: number | null;
  readonly batches: Array<{
    id: string;
    state: AnchorBatchState;
    leafCount: number;
    root: string;
    txHash: string | null;
    blockNumber: number | null;
    anchoredAt: string | null;
    gasUsed: number | null;
  }>;
}

const PAGE_SIZE = 50;
const RECENT_BATCHES = 20;

/** The newest status action of a credential (revocation is final, so the newest action is its status). */
const LAST_ACTION =
  '(SELECT h.action FROM status_history h WHERE h.tenant_id = c.tenant_id AND h.credential_id = c.id ORDER BY h.seq DESC LIMIT 1)';

interface CredentialRow {
  id: string;
  type: string;
  format: string;
  issuedAt: string;
  expiresAt: string | null;
  subjectId: string | null;
  lastAction: string | null;
  batchState: AnchorBatchState | null;
  root: string | null;
  txHash: string | null;
  blockNumber: number | string | null;
}

/**
 * What the console reads about a tenant's credentials and anchoring, straight from the issuer's tables (issued
 * credentials, the status-list context's history, the anchoring outbox and batches). Every query is scoped to the
 * tenant it is given: another tenant's credential is not found, never forbidden. Never reads the encoded
 * credentials' claims.
 */
export class ConsoleReadModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A page of the tenant's credentials, newest first. */
  async credentials(tenantId: string, query: CredentialQuery): Promise<{ items: ConsoleCredentialItem[]; next?: string }> {
    const now = this.clock.now().toISOString();
    const builder = this.base(tenantId);
    if (query.type) builder.andWhere('c.type = :type', { type: query.type });
    if (query.q) {
      const like = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      builder.andWhere(new Brackets((w) => w.where("c.id LIKE :like ESCAPE '\\'", { like }).orWhere("c.subject_id LIKE :like ESCAPE '\\'", { like })));
    }
    if (query.status) builder.andWhere(statusCondition(query.status), { now });
    const after = decodeCursor(query.cursor);
    if (after) {
      builder.andWhere(new Brackets((w) => w.where('c.issued_at < :at', { at: after.issuedAt }).orWhere('(c.issued_at = :at AND c.id < :id)', { at: after.issuedAt, id: after.id })));
    }
    const rows = await builder.orderBy('c.issued_at', 'DESC').addOrderBy('c.id', 'DESC').limit(PAGE_SIZE + 1).getRawMany<CredentialRow>();
    const items = rows.slice(0, PAGE_SIZE).map((row) => itemOf(row, now));
    const last = rows.length > PAGE_SIZE ? rows[PAGE_SIZE - 1]! : undefined;
    return last ? { items, next: encodeCursor(last) } : { items };
  }

  /**
   * One credential of the tenant.
   * @throws AppError `credential.not-found` (404) for an id the tenant did not issue (another tenant's too)
   */
  async credential(tenantId: string, id: string): Promise<ConsoleCredentialDetail> {
    const row = await this.base(tenantId).andWhere('c.id = :id', { id }).getRawOne<CredentialRow>();
    if (!row) throw notFound();
    const history = await this.dataSource.getRepository(StatusHistoryEntity).find({ where: { tenantId, credentialId: id }, order: { seq: 'ASC' } });
    const item = itemOf(row, this.clock.now().toISOString());
    return {
      ...item,
      history: history.map((h) => ({ action: h.action, reason: h.reason, actor: h.actor, at: h.at })),
      ...(row.batchState === 'anchored' && row.root ? { anchor: { root: row.root, txHash: row.txHash, blockNumber: row.blockNumber === null ? null : Number(row.blockNumber) } } : {}),
    };
  }

  /**
   * The stored credential of the tenant, for printing.
   * @throws AppError `credential.not-found` (404)
   */
  async issued(tenantId: string, id: string): Promise<IssuedCredentialEntity> {
    const row = await this.dataSource.getRepository(IssuedCredentialEntity).findOneBy({ tenantId, id });
    if (!row) throw notFound();
    return row;
  }

  /** The tenant's anchoring: digests waiting (any kind), how long the oldest has waited, the recent batches. */
  async anchoring(tenantId: string): Promise<ConsoleAnchoringView> {
    const pending = await this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .leftJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .select('COUNT(*)', 'count')
      .addSelect('MIN(o.enqueued_at)', 'oldest')
      .where('o.tenant_id = :tenantId', { tenantId })
      .andWhere("(o.batch_id IS NULL OR b.state = 'sealed')")
      .getRawOne<{ count: string | number; oldest: string | null }>();
    const batches = await this.dataSource.getRepository(AnchorBatchEntity).find({ where: { tenantId }, order: { createdAt: 'DESC', id: 'DESC' }, take: RECENT_BATCHES });
    const oldest = pending?.oldest ?? null;
    return {
      pending: Number(pending?.count ?? 0),
      oldestPendingSeconds: oldest === null ? null : Math.max(0, Math.floor((this.clock.now().getTime() - Date.parse(oldest)) / 1000)),
      batches: batches.map((b) => ({
        id: b.id,
        state: b.state,
        leafCount: b.leafCount,
        root: b.root,
        txHash: b.txHash,
        blockNumber: b.blockNumber,
        anchoredAt: b.anchoredAt,
        gasUsed: b.gasUsed,
      })),
    };
  }

  private base(tenantId: string): SelectQueryBuilder<IssuedCredentialEntity> {
    return this.dataSource
      .getRepository(IssuedCredentialEntity)
      .createQueryBuilder('c')
      .leftJoin(AnchorOutboxEntity, 'o', 'o.credential_hash = c.credential_hash')
      .leftJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .select('c.id', 'id')
      .addSelect('c.type', 'type')
      .addSelect('c.format', 'format')
      .addSelect('c.issued_at', 'issuedAt')
      .addSelect('c.expires_at', 'expiresAt')
      .addSelect('c.subject_id', 'subjectId')
      .addSelect(LAST_ACTION, 'lastAction')
      .addSelect('b.state', 'batchState')
      .addSelect('b.root', 'root')
      .addSelect('b.tx_hash', 'txHash')
      .addSelect('b.block_number', 'blockNumber')
      .where('c.tenant_id = :tenantId', { tenantId });
  }
}

const notFound = () => new AppError(ErrorCode.CredentialNotFound, 'This tenant issued no credential with this id.');

function statusCondition(status: ConsoleCredentialStatus): string {
  const expired = '(c.expires_at IS NOT NULL AND c.expires_at <= :now)';
  switch (status) {
    case 'revoked':
      return `${LAST_ACTION} = 'revoke'`;
    case 'expired':
      return `(${LAST_ACTION} IS NULL OR ${LAST_ACTION} <> 'revoke') AND ${expired}`;
    case 'suspended':
      return `${LAST_ACTION} = 'suspend' AND NOT ${expired}`;
    case 'valid':
      return `(${LAST_ACTION} IS NULL OR ${LAST_ACTION} = 'reinstate') AND NOT ${expired}`;
  }
}

function itemOf(row: CredentialRow, now: string): ConsoleCredentialItem {
  const expired = row.expiresAt !== null && row.expiresAt <= now;
  const status: ConsoleCredentialStatus =
    row.lastAction === 'revoke' ? 'revoked' : expired ? 'expired' : row.lastAction === 'suspend' ? 'suspended' : 'valid';
  const anchoring: ConsoleAnchoringState = row.batchState === 'anchored' ? 'anchored' : row.batchState === 'refused' ? 'refused' : 'pending';
  return {
    id: row.id,
    type: row.type,
    format: row.format,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status,
    anchoring,
    subjectHint: subjectHint(row.subjectId),
  };
}

/** A subject id shortened for a list: enough to tell holders apart, not the whole identifier. */
export function subjectHint(subjectId: string | null): string | null {
  if (subjectId === null) return null;
  const chars = [...subjectId];
  return chars.length <= 24 ? subjectId : `${chars.slice(0, 14).join('')}…${chars.slice(-6).join('')}`;
}

function encodeCursor(row: Pick<CredentialRow, 'issuedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([row.issuedAt, row.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): { issuedAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return { issuedAt: value[0], id: value[1] };
  } catch {
    // An unreadable cursor is refused below, as any other bad query.
  }
  throw new AppError(ErrorCode.RequestInvalid, 'The cursor is not one this list gave out.');
}
