import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { AnchorOutboxEntity, AuditEntryEntity, createIssuerDataSource, inTransaction, openDatabase, TenantEntity } from '@citycred/persistence';
import { AuditLog, GENESIS_HASH } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorQueue } from '../anchoring/anchor-queue.js';
import { AuditAnchoring } from './audit-anchoring.js';

/**
 * The audit log on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL): chains, verification of
 * tampered rows, appends inside a caller's transaction, concurrent appends and head anchoring.
 */
describe('AuditLog on a real database', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;
  let log: AuditLog;

  const newTenant = async (): Promise<string> => {
    const id = randomUUID();
    await dataSource.getRepository(TenantEntity).insert({
      id,
      slug: `t-${id.slice(0, 8)}`,
      name: 'Test tenant',
      kind: 'department',
      did: `did:ethr:citycred:0x${id.replace(/-/g, '').padEnd(40, '0').slice(0, 40)}`,
      address: `0x${'0'.repeat(40)}`,
      credentialTypesJson: '[]',
      createdAt: clock.now().toISOString(),
    });
    return id;
  };
  const issued = (tenantId: string, n: number) => ({ tenantId, actor: { kind: 'operator' as const, id: 'admin' }, action: 'credential.issued', target: `urn:uuid:${n}`, details: { type: 'SeoulCitizenCard' } });

  beforeAll(async () => {
    db = testDatabase('audit_log');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    log = new AuditLog(dataSource, clock);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('chains each tenant on its own: seq from 1, prevHash the previous hash, the head the last entry', async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const first = await log.appendAlone(issued(a, 1));
    const other = await log.appendAlone(issued(b, 1));
    const second = await log.appendAlone(issued(a, 2));
    expect([first.seq, first.prevHash]).toEqual([1, GENESIS_HASH]);
    expect([second.seq, second.prevHash]).toEqual([2, first.hash]);
    expect([other.seq, other.prevHash]).toEqual([1, GENESIS_HASH]);
    expect(await log.head(a)).toEqual({ seq: 2, hash: second.hash, anchored: false, anchoredSeq: null });
    expect(await log.verify(a)).toEqual({ ok: true, entries: 2, headHash: second.hash });
    const page = await log.page(a);
    expect(page.items.map((e) => e.seq)).toEqual([2, 1]);
    expect(page.items[0]).toEqual(second);
  });

  it('pages newest first with a cursor', async () => {
    const tenant = await newTenant();
    for (let n = 1; n <= 53; n += 1) await log.appendAlone(issued(tenant, n));
    const first = await log.page(tenant);
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.seq).toBe(53);
    const rest = await log.page(tenant, first.next);
    expect(rest.items.map((e) => e.seq)).toEqual([3, 2, 1]);
    expect(rest.next).toBeUndefined();
  });

  it('reports the first broken link: a changed entry, a removed one, a rewritten prevHash', async () => {
    const entries = dataSource.getRepository(AuditEntryEntity);
    const changed = await newTenant();
    for (let n = 1; n <= 4; n += 1) await log.appendAlone(issued(changed, n));
    await entries.update({ tenantId: changed, seq: 3 }, { details: JSON.stringify({ type: 'IncomeBracket' }) });
    expect(await log.verify(changed)).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });

    const removed = await newTenant();
    for (let n = 1; n <= 4; n += 1) await log.appendAlone(issued(removed, n));
    await entries.delete({ tenantId: removed, seq: 2 });
    expect(await log.verify(removed)).toEqual({ ok: false, brokenAt: 2, reason: 'missing-entry' });

    const relinked = await newTenant();
    for (let n = 1; n <= 3; n += 1) await log.appendAlone(issued(relinked, n));
    await entries.update({ tenantId: relinked, seq: 2 }, { prevHash: '1'.repeat(64) });
    expect(await log.verify(relinked)).toEqual({ ok: false, brokenAt: 2, reason: 'prev-hash-mismatch' });

    const truncated = await newTenant();
    for (let n = 1; n <= 3; n += 1) await log.appendAlone(issued(truncated, n));
    await entries.delete({ tenantId: truncated, seq: 3 });
    expect(await log.verify(truncated)).toEqual({ ok: false, brokenAt: 3, reason: 'head-mismatch' });
  });

  it('appends inside the caller transaction: rolled back with it, chain intact', async () => {
    const tenant = await newTenant();
    await log.appendAlone(issued(tenant, 1));
    await expect(
      inTransaction(dataSource, async (manager) => {
        await log.append(manager, issued(tenant, 2));
        throw new Error('the issuance failed after the append');
      }),
    ).rejects.toThrow('the issuance failed');
    const after = await log.appendAlone(issued(tenant, 3));
    expect(after.seq).toBe(2);
    expect(await log.verify(tenant)).toMatchObject({ ok: true, entries: 2 });
  });

  it('never forks a chain under concurrent appends of one tenant (each in its own transaction and connection)', async () => {
    const tenant = await newTenant();
    // PostgreSQL: a second data source, as a second issuer replica appending to the same tenant. SQLite: the same one
    // (better-sqlite3 is synchronous: a second connection in this thread would wait for the lock while blocking the
    // thread that holds it; separate processes wait for each other through the busy timeout).
    const other = db.kind === 'postgres' ? await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema })) : dataSource;
    try {
      const otherLog = new AuditLog(other, clock);
      const appends = Array.from({ length: 24 }, (_, n) => {
        const [source, target] = n % 2 === 0 ? [dataSource, log] : [other, otherLog];
        return inTransaction(source, (manager) => target.append(manager, issued(tenant, n)));
      });
      const records = await Promise.all(appends);
      expect(records.map((r) => r.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, n) => n + 1));
      expect(new Set(records.map((r) => r.prevHash)).size, 'no two entries share a predecessor').toBe(24);
      expect(await log.verify(tenant)).toMatchObject({ ok: true, entries: 24 });
    } finally {
      if (other !== dataSource) await other.destroy();
    }
  });

  it('anchors a head once when it moved, records which seq, and again after new entries', async () => {
    const tenant = await newTenant();
    const anchoring = new AuditAnchoring(dataSource, new AnchorQueue(), clock);
    await log.appendAlone(issued(tenant, 1));
    const head = await log.appendAlone(issued(tenant, 2));
    const queuedOfTenant = async () => dataSource.getRepository(AnchorOutboxEntity).find({ where: { tenantId: tenant, kind: 'audit-head' }, order: { seq: 'ASC' } });
    expect((await anchoring.anchorNewHeads()).filter((h) => h.tenantId === tenant)).toEqual([{ tenantId: tenant, seq: 2, hash: head.hash }]);
    expect((await queuedOfTenant()).map((o) => o.credentialHash)).toEqual([`0x${head.hash}`]);
    expect(await log.head(tenant)).toMatchObject({ seq: 2, anchored: true, anchoredSeq: 2 });
    expect((await anchoring.anchorNewHeads()).filter((h) => h.tenantId === tenant), 'nothing new, nothing queued').toEqual([]);
    const next = await log.appendAlone(issued(tenant, 3));
    expect(await log.head(tenant)).toMatchObject({ seq: 3, anchored: false, anchoredSeq: 2 });
    await anchoring.anchorNewHeads();
    expect((await queuedOfTenant()).map((o) => o.credentialHash)).toEqual([`0x${head.hash}`, `0x${next.hash}`]);
  });
});
