import type { Clock } from '@citycred/config';
import { AuditEntryEntity, AuditHeadEntity, findRow, insertRow, inTransaction, updateRows } from '@citycred/persistence';
import { LessThan, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { auditEntryHash, checkAppend, GENESIS_HASH, type AuditActor, type AuditAppend, type AuditDetails, type AuditRecord } from './audit-entry.js';

/** A tenant's head as the console shows it. */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
  /** Whether this very head was queued for anchoring (a later entry makes it false until the next anchoring pass). */
  readonly anchored: boolean;
  /** The last seq queued for anchoring, or null. */
  readonly anchoredSeq: number | null;
}

/** One page of entries, newest first; `next` is the cursor of the following (older) page. */
export interface AuditPage {
  readonly items: AuditRecord[];
  readonly next?: string;
}

/** What {@link AuditLog.verify} found. */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly headHash: string }
  /** The first entry that does not hold: its seq, and why. */
  | { readonly ok: false; readonly brokenAt: number; readonly reason: 'missing-entry' | 'prev-hash-mismatch' | 'hash-mismatch' | 'head-mismatch' };

const PAGE_SIZE = 50;
const VERIFY_BATCH = 500;

/**
 * Each tenant's append-only, hash-chained audit log (docs/console.md#the-audit-log). It lives beside the tenants
 * rather than in the issuer app because the operator CLI appends too (operators it creates, key rotations). {@link append} runs inside the caller's transaction (issuing a
 * credential, changing a status, signing in), so an entry exists exactly when what it records does. Appends of one
 * tenant are serialised on the tenant's head row: on PostgreSQL `SELECT … FOR UPDATE`; on SQLite a first write to
 * the head takes the database's write lock before anything is read. So two appends at once never share a `prevHash`.
 */
export class AuditLog {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Appends an entry to the tenant's chain inside the caller's transaction; it is visible once that commits.
   * @param manager - the caller's open transaction (not a bare `dataSource.manager`: the lock must last until commit)
   * @returns the stored entry with its seq and hashes
   * @throws TypeError for an entry that breaks {@link checkAppend}'s rules (a fault of the calling code)
   */
  async append(manager: EntityManager, entry: AuditAppend): Promise<AuditRecord> {
    checkAppend(entry);
    const head = await lockedAuditHead(manager, entry.tenantId);
    const unhashed = {
      seq: head.seq + 1,
      tenantId: entry.tenantId,
      at: (entry.at ?? this.clock.now()).toISOString(),
      actor: { kind: entry.actor.kind, id: entry.actor.id },
      action: entry.action,
      target: entry.target ?? null,
      details: { ...(entry.details ?? {}) },
      prevHash: head.hash,
    };
    const record: AuditRecord = { ...unhashed, hash: auditEntryHash(unhashed) };
    await insertRow(manager, AuditEntryEntity, {
      tenantId: record.tenantId,
      seq: record.seq,
      at: record.at,
      actorKind: record.actor.kind,
      actorId: record.actor.id,
      action: record.action,
      target: record.target,
      details: JSON.stringify(record.details),
      prevHash: record.prevHash,
      hash: record.hash,
    });
    await updateRows(manager, AuditHeadEntity, { tenantId: entry.tenantId }, { seq: record.seq, hash: record.hash });
    return record;
  }

  /** Appends in a transaction of its own (for events that change nothing else, e.g. an operator signing in). */
  async appendAlone(entry: AuditAppend): Promise<AuditRecord> {
    return inTransaction(this.dataSource, (manager) => this.append(manager, entry));
  }

  /**
   * A page of a tenant's entries, newest first.
   * @param cursor - the `next` of the previous page; an unreadable cursor starts from the newest
   */
  async page(tenantId: string, cursor?: string): Promise<AuditPage> {
    const before = cursor && /^\d{1,12}$/.test(cursor) ? Number(cursor) : undefined;
    const rows = await this.dataSource.getRepository(AuditEntryEntity).find({
      where: before === undefined ? { tenantId } : { tenantId, seq: LessThan(before) },
      order: { seq: 'DESC' },
      take: PAGE_SIZE + 1,
    });
    const items = rows.slice(0, PAGE_SIZE).map(recordOf);
    return rows.length > PAGE_SIZE ? { items, next: String(items[items.length - 1]!.seq) } : { items };
  }

  /** The tenant's head; seq 0 with the genesis hash while its log is empty. */
  async head(tenantId: string): Promise<AuditHead> {
    const row = await this.dataSource.getRepository(AuditHeadEntity).findOneBy({ tenantId });
    if (!row || row.seq === 0) return { seq: 0, hash: GENESIS_HASH, anchored: false, anchoredSeq: row?.anchoredSeq ?? null };
    return { seq: row.seq, hash: row.hash, anchored: row.anchoredSeq === row.seq, anchoredSeq: row.anchoredSeq };
  }

  /**
   * Walks a tenant's chain from the first entry: each seq follows the one before, each `prevHash` is the previous
   * entry's hash, each hash is recomputed from the entry; and the head names the last entry.
   * @returns ok with the number of entries, or the first seq where the chain does not hold and why
   */
  async verify(tenantId: string): Promise<AuditVerification> {
    const repository = this.dataSource.getRepository(AuditEntryEntity);
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const rows = await repository.find({ where: { tenantId, seq: MoreThan(expectedSeq - 1) }, order: { seq: 'ASC' }, take: VERIFY_BATCH });
      for (const row of rows) {
        if (row.seq !== expectedSeq) return { ok: false, brokenAt: expectedSeq, reason: 'missing-entry' };
        const record = recordOf(row);
        if (record.prevHash !== prevHash) return { ok: false, brokenAt: row.seq, reason: 'prev-hash-mismatch' };
        if (auditEntryHash(record) !== record.hash) return { ok: false, brokenAt: row.seq, reason: 'hash-mismatch' };
        prevHash = record.hash;
        expectedSeq += 1;
      }
      if (rows.length < VERIFY_BATCH) break;
    }
    const head = await this.dataSource.getRepository(AuditHeadEntity).findOneBy({ tenantId });
    const headSeq = head?.seq ?? 0;
    if (headSeq !== expectedSeq - 1 || (head && headSeq > 0 && head.hash !== prevHash)) {
      return { ok: false, brokenAt: Math.min(headSeq, expectedSeq - 1) + 1, reason: 'head-mismatch' };
    }
    return { ok: true, entries: expectedSeq - 1, headHash: prevHash };
  }
}

/**
 * The tenant's head row, locked until the transaction ends; created (seq 0, genesis hash) for a tenant's first entry.
 * SQLite: the no-op UPDATE comes first so the transaction holds the write lock before it reads, rather than reading
 * under a shared lock and failing to upgrade it when another connection wrote in between.
 */
export async function lockedAuditHead(manager: EntityManager, tenantId: string): Promise<AuditHeadEntity> {
  const postgres = manager.connection.options.type === 'postgres';
  const read = async () => {
    if (!postgres) await manager.query('UPDATE "audit_heads" SET "seq" = "seq" WHERE "tenant_id" = ?', [tenantId]);
    return findRow(manager, AuditHeadEntity, { tenantId }, { forUpdate: true });
  };
  const existing = await read();
  if (existing) return existing;
  // Two first appends at once: on PostgreSQL the second insert waits for the first's commit and then does nothing.
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditHeadEntity)
    .values({ tenantId, seq: 0, hash: GENESIS_HASH, anchoredSeq: null, anchoredHash: null, anchoredAt: null })
    .orIgnore()
    .execute();
  const created = await read();
  if (!created) throw new Error(`the audit head of tenant ${tenantId} could not be created`);
  return created;
}

function recordOf(row: AuditEntryEntity): AuditRecord {
  return {
    seq: row.seq,
    tenantId: row.tenantId,
    at: row.at,
    actor: { kind: row.actorKind as AuditActor['kind'], id: row.actorId },
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as AuditDetails,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}
