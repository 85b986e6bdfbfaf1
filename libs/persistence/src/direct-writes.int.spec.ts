import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './data-source.js';
import { isUniqueViolation } from './database-errors.js';
import { findRow, insertRow, updateRows } from './direct-writes.js';
import { AnchorOutboxEntity } from './entities/anchor-outbox.entity.js';
import { AuditEntryEntity, AuditHeadEntity } from './entities/audit.entity.js';
import { TenantEntity } from './entities/tenant.entity.js';
import { createIssuerDataSource } from './issuer-schema.js';
import { inTransaction } from './transactions.js';

/* The hot-path writes against the real schema, on whichever engine the run uses (SQLite, or PostgreSQL with DATABASE_URL). */

describe('direct writes (insertRow, updateRows)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

  beforeAll(async () => {
    db = testDatabase('direct-writes');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    // The rows below belong to tenants (foreign keys); the tenants themselves go in through the same helper.
    for (const n of [1, 2, 3, 4, 5]) {
      await insertRow(dataSource.manager, TenantEntity, {
        id: `t${n}`,
        slug: `tenant-${n}`,
        name: `기관 ${n}`,
        kind: 'department',
        did: `did:ethr:citycred:0x${String(n).padStart(40, '0')}`,
        address: `0x${String(n).padStart(40, '0')}`,
        credentialTypesJson: '[]',
        createdAt: '2026-11-30T00:00:00.000Z',
      });
    }
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('inserts a row as TypeORM would: given columns stored, the generated key and defaults filled in by the database', async () => {
    expect((await dataSource.getRepository(TenantEntity).findOneByOrFail({ id: 't1' })).nameEn).toBeNull();
    await insertRow(dataSource.manager, AnchorOutboxEntity, { credentialHash: hash(1), tenantId: 't1', enqueuedAt: '2026-11-30T00:00:00.000Z', batchId: null, leafIndex: null, proof: null });
    await insertRow(dataSource.manager, AnchorOutboxEntity, { credentialHash: hash(2), kind: 'status-list', tenantId: 't1', enqueuedAt: '2026-11-30T00:00:01.000Z' });
    const rows = await dataSource.getRepository(AnchorOutboxEntity).find({ order: { seq: 'ASC' } });
    expect(rows.map((r) => [r.credentialHash, r.kind, r.batchId, r.leafIndex])).toEqual([
      [hash(1), 'credential', null, null],
      [hash(2), 'status-list', null, null],
    ]);
    expect(rows[1]!.seq).toBeGreaterThan(rows[0]!.seq);
  });

  it('keeps numbers as parameters: many audit entries of one tenant, each with its own seq, then the head updated', async () => {
    await inTransaction(dataSource, async (manager) => {
      await insertRow(manager, AuditHeadEntity, { tenantId: 't2', seq: 0, hash: 'h0', anchoredSeq: null, anchoredHash: null, anchoredAt: null });
      for (let seq = 1; seq <= 5; seq += 1) {
        await insertRow(manager, AuditEntryEntity, {
          tenantId: 't2',
          seq,
          at: '2026-11-30T00:00:00.000Z',
          actorKind: 'api-key',
          actorId: 'k',
          action: 'credential.issued',
          target: `urn:uuid:${seq}`,
          details: '{}',
          prevHash: `h${seq - 1}`,
          hash: `h${seq}`,
        });
      }
      await updateRows(manager, AuditHeadEntity, { tenantId: 't2' }, { seq: 5, hash: 'h5' });
    });
    const head = await dataSource.getRepository(AuditHeadEntity).findOneByOrFail({ tenantId: 't2' });
    expect([head.seq, head.hash]).toEqual([5, 'h5']);
    expect(await dataSource.getRepository(AuditEntryEntity).countBy({ tenantId: 't2' })).toBe(5);
  });

  it('updates only the rows its where names', async () => {
    await insertRow(dataSource.manager, AuditHeadEntity, { tenantId: 't3', seq: 0, hash: 'x' });
    await insertRow(dataSource.manager, AuditHeadEntity, { tenantId: 't4', seq: 0, hash: 'y' });
    await updateRows(dataSource.manager, AuditHeadEntity, { tenantId: 't3' }, { seq: 9, hash: 'z' });
    const heads = await dataSource.getRepository(AuditHeadEntity).find({ where: [{ tenantId: 't3' }, { tenantId: 't4' }], order: { tenantId: 'ASC' } });
    expect(heads.map((h) => [h.tenantId, h.seq, h.hash])).toEqual([
      ['t3', 9, 'z'],
      ['t4', 0, 'y'],
    ]);
  });

  it('finds one row by its columns, hydrated as TypeORM would (numbers as numbers, nulls kept), or null', async () => {
    await insertRow(dataSource.manager, AuditHeadEntity, { tenantId: 't5', seq: 7, hash: 'h7', anchoredSeq: null, anchoredHash: null, anchoredAt: null });
    const head = await inTransaction(dataSource, (manager) => findRow(manager, AuditHeadEntity, { tenantId: 't5' }, { forUpdate: true }));
    expect(head).toBeInstanceOf(AuditHeadEntity);
    expect(head).toEqual(Object.assign(new AuditHeadEntity(), { tenantId: 't5', seq: 7, hash: 'h7', anchoredSeq: null, anchoredHash: null, anchoredAt: null }));
    expect(await findRow(dataSource.manager, AuditHeadEntity, { tenantId: 'nobody' })).toBeNull();
    await dataSource.getRepository(AuditHeadEntity).delete({ tenantId: 't5' });
  });

  it('reports a duplicate key as the driver does, so callers still tell a unique violation from other faults', async () => {
    const error = await insertRow(dataSource.manager, AnchorOutboxEntity, { credentialHash: hash(1), tenantId: 't1', enqueuedAt: '2026-11-30T00:00:02.000Z' }).then(
      () => expect.fail('a second row with the same hash must be refused'),
      (e: unknown) => e,
    );
    expect(isUniqueViolation(error)).toBe(true);
  });

  it('refuses a property the entity does not map, before touching the database', async () => {
    await expect(insertRow(dataSource.manager, AuditHeadEntity, { tenantId: 't5', seq: 0, hash: 'x', colour: 'red' } as never)).rejects.toThrow(
      /AuditHeadEntity has no column for the property "colour"/,
    );
    expect(await dataSource.getRepository(AuditHeadEntity).countBy({ tenantId: 't5' })).toBe(0);
  });
});
