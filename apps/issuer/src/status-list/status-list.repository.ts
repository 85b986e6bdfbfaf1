import { IssuedCredentialEntity, StatusEntryEntity, StatusHistoryEntity, StatusListEntity, type StatusListKind, type StatusListPurpose } from '@citycred/persistence';
import type { EntityManager } from 'typeorm';

/** A credential's entry together with the list it is in. */
export interface EntryInList {
  readonly entry: StatusEntryEntity;
  readonly list: StatusListEntity;
}

/** Where a list is published, and whose and of which kind and purpose it is. */
export type PublishedListUrl = Pick<StatusListEntity, 'tenantId' | 'kind' | 'purpose' | 'seq' | 'url'>;

/** What allocation needs of a list: never its bits nor its signed form, tens of kilobytes each. */
export type ListIdentity = Pick<StatusListEntity, 'id' | 'seq' | 'size' | 'url'>;

/**
 * The status-list tables, always inside a caller's transaction. Allocation takes no lock on a list row: entries
 * meet on the primary key (list, index) and lists on the unique (tenant, kind, purpose, seq), both written with
 * `ON CONFLICT DO NOTHING`. Only a status change locks the lists it flips (`FOR NO KEY UPDATE` on PostgreSQL,
 * which an entry's foreign-key check does not wait for); SQLite serialises writing transactions by itself.
 */
export class StatusListRepository {
  constructor(readonly manager: EntityManager) {}

  private get postgres(): boolean {
    return this.manager.connection.options.type === 'postgres';
  }

  /** The newest list of a (tenant, kind, purpose), identity only; undefined when none was opened yet. */
  async latest(tenantId: string, kind: StatusListKind, purpose: StatusListPurpose): Promise<ListIdentity | undefined> {
    const list = await this.manager
      .getRepository(StatusListEntity)
      .createQueryBuilder('list')
      .select(['list.id', 'list.seq', 'list.size', 'list.url'])
      .where('list.tenantId = :tenantId AND list.kind = :kind AND list.purpose = :purpose', { tenantId, kind, purpose })
      .orderBy('list.seq', 'DESC')
      .limit(1)
      .getOne();
    return list ?? undefined;
  }

  /** Entries handed out in a list, committed ones and this transaction's (an index-only count on the primary key). */
  async countEntries(listId: string): Promise<number> {
    return this.manager.getRepository(StatusEntryEntity).countBy({ listId });
  }

  /**
   * Records a credential's place in a list unless the index is taken. A concurrent transaction's uncommitted entry
   * at the same index is waited for (then this one inserts nothing, or inserts once that one rolled back). Only the
   * (list, index) key is ignored: the same credential twice in a list still fails with a unique violation, which
   * issuance reports as a taken credential id.
   * @returns whether the entry was inserted
   */
  async addEntryIfFree(entry: StatusEntryEntity): Promise<boolean> {
    const table = this.manager
      .getRepository(StatusEntryEntity)
      .metadata.tablePath.split('.')
      .map((part) => this.manager.connection.driver.escape(part))
      .join('.');
    const values = this.postgres ? '$1, $2, $3, $4' : '?, ?, ?, ?';
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO ${table} (list_id, status_index, credential_id, created_at) VALUES (${values}) ON CONFLICT (list_id, status_index) DO NOTHING RETURNING status_index`,
      [entry.listId, entry.index, entry.credentialId, entry.createdAt],
    );
    return inserted.length === 1;
  }

  /**
   * Inserts a list unless one with the same (tenant, kind, purpose, seq) exists. On PostgreSQL a concurrent
   * transaction opening the same one is waited for: then this one inserts nothing (that list is used) or, when that
   * one rolled back, inserts its own.
   * @returns whether this row was the one inserted
   */
  async insertListIfAbsent(list: StatusListEntity): Promise<boolean> {
    await this.manager.createQueryBuilder().insert().into(StatusListEntity).values(list).orIgnore().execute();
    return this.manager.getRepository(StatusListEntity).exists({ where: { id: list.id } });
  }

  /** A list by id, locked against other status changes (not against allocation). */
  async lockedById(id: string): Promise<StatusListEntity | undefined> {
    const query = this.manager.getRepository(StatusListEntity).createQueryBuilder('list').where('list.id = :id', { id });
    if (this.postgres) query.setLock('for_no_key_update');
    return (await query.getOne()) ?? undefined;
  }

  /**
   * Every list opened, without its bits nor its signed form: what the issuer directory names (`GET /issuers`). Ordered
   * by tenant, kind, purpose and `seq`, so each tenant's current list of a kind and purpose comes last.
   */
  async allListUrls(): Promise<PublishedListUrl[]> {
    return this.manager
      .getRepository(StatusListEntity)
      .createQueryBuilder('list')
      .select(['list.tenantId', 'list.kind', 'list.purpose', 'list.seq', 'list.url'])
      .orderBy('list.tenantId', 'ASC')
      .addOrderBy('list.kind', 'ASC')
      .addOrderBy('list.purpose', 'ASC')
      .addOrderBy('list.seq', 'ASC')
      .getMany();
  }

  /** A list by id, for serving. */
  async byId(id: string): Promise<StatusListEntity | undefined> {
    return (await this.manager.getRepository(StatusListEntity).findOne({ where: { id } })) ?? undefined;
  }

  /** Every entry of a credential in the tenant's lists (none for another tenant's credential). */
  async entriesOf(tenantId: string, credentialId: string): Promise<EntryInList[]> {
    const entries = await this.manager
      .getRepository(StatusEntryEntity)
      .createQueryBuilder('entry')
      .innerJoin(StatusListEntity, 'list', 'list.id = entry.listId')
      .where('entry.credentialId = :credentialId AND list.tenantId = :tenantId', { credentialId, tenantId })
      .orderBy('entry.listId')
      .getMany();
    const out: EntryInList[] = [];
    // Locked one by one in id order, so two changes touching the same lists cannot deadlock.
    for (const entry of entries) {
      const list = await this.lockedById(entry.listId);
      if (list) out.push({ entry, list });
    }
    return out;
  }

  /** Whether the tenant issued a credential with this id (with or without status entries). */
  async issuedBy(tenantId: string, credentialId: string): Promise<boolean> {
    return this.manager.getRepository(IssuedCredentialEntity).exists({ where: { id: credentialId, tenantId } });
  }

  /** Stores a list's new bits and published version. */
  async savePublished(list: StatusListEntity): Promise<void> {
    await this.manager.update(
      StatusListEntity,
      { id: list.id },
      { bits: list.bits, version: list.version, publishedJwt: list.publishedJwt, etag: list.etag, publishedAt: list.publishedAt, signedBy: list.signedBy },
    );
  }

  /** Appends one history row (the table is append-only: nothing here updates or deletes it). */
  async appendHistory(row: Omit<StatusHistoryEntity, 'seq'>): Promise<void> {
    await this.manager.insert(StatusHistoryEntity, row);
  }
}
