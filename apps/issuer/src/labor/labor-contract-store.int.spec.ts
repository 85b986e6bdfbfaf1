import { randomUUID } from 'node:crypto';
import { createIssuerDataSource, LaborContractEntity, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LaborContractStore, StoredAttendanceLedger } from './labor-contract-store.js';

/**
 * The labour contracts table on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL): the migration, the
 * conditional state changes and superseding. The contract lifecycle over HTTP: test/e2e/labor-contracts.e2e.spec.ts.
 */
describe('LaborContractStore', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let store: LaborContractStore;
  const tenantId = randomUUID();

  beforeAll(async () => {
    db = testDatabase('labor_contract_store');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    store = new LaborContractStore(dataSource);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const row = (over: Partial<LaborContractEntity> = {}): LaborContractEntity => {
    const id = randomUUID();
    return {
      id,
      tenantId,
      contractId: id,
      previousVersion: null,
      version: 1,
      document: '{"v":1}',
      hash: `0x${'ab'.repeat(32)}`,
      state: 'awaiting-worker',
      workerDid: null,
      workerSignature: null,
      employerSignature: null,
      tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      offers: '[]',
      createdAt: new Date().toISOString(),
      endedAt: null,
      endDate: null,
      ...over,
    };
  };

  it('stores a version and reads it back by id, by tenant and as the lineage\'s latest', async () => {
    const first = row();
    await store.add(first);
    expect(await store.byId(first.id)).toEqual(first);
    expect(await store.ofTenant(tenantId, first.id)).toEqual(first);
    expect(await store.ofTenant(randomUUID(), first.id)).toBeNull();
    expect(await store.byId('not-a-uuid')).toBeNull();
    const second = row({ contractId: first.id, previousVersion: first.id, version: 2, createdAt: new Date(Date.now() + 1000).toISOString() });
    await store.add(second);
    expect((await store.latest(first.id))!.id).toBe(second.id);
    expect((await store.list(tenantId)).map((r) => r.id).slice(0, 2)).toEqual([second.id, first.id]);
  });

  it('refuses a second row with the same token hash', async () => {
    const first = row();
    await store.add(first);
    await expect(store.add(row({ tokenHash: first.tokenHash }))).rejects.toThrow();
  });

  it('changes state only from the expected state: of two racing countersignatures one wins', async () => {
    const r = row({ state: 'awaiting-employer' });
    await store.add(r);
    const results = await Promise.all([
      store.transition(r.id, 'awaiting-employer', { state: 'active', employerSignature: '{"a":1}' }),
      store.transition(r.id, 'awaiting-employer', { state: 'active', employerSignature: '{"b":2}' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.byId(r.id))!.state).toBe('active');
    expect(await store.transition(r.id, 'awaiting-employer', { state: 'ended' })).toBe(false);
  });

  it('supersedes the other live versions of a lineage when one becomes active, never an ended one', async () => {
    const first = row({ state: 'active' });
    const draft = row({ contractId: first.id, version: 2, state: 'awaiting-worker' });
    const third = row({ contractId: first.id, version: 3, state: 'active' });
    const other = row({ state: 'active' });
    const ended = row({ contractId: first.id, version: 0, state: 'ended' });
    for (const r of [first, draft, third, other, ended]) await store.add(r);
    await store.supersedeOthers(first.id, third.id);
    expect(await Promise.all([first, draft, third, other, ended].map(async (r) => (await store.byId(r.id))!.state))).toEqual(['superseded', 'superseded', 'active', 'active', 'ended']);
  });

  it('reads no attendance for a contract without events', async () => {
    expect(await new StoredAttendanceLedger(dataSource).events(randomUUID())).toEqual([]);
  });
});
