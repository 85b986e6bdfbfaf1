import { FixedClock } from '@citycred/config';
import { createVerifierDataSource, isUniqueViolation, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESENTATION_ENTITIES, PRESENTATION_MIGRATIONS } from '../presentations/schema.js';
import { Oid4vpRequests1765200000000 } from './1765200000000-oid4vp-requests.js';
import { PresentationRequestStore } from './presentation-request-store.js';
import { OID4VP_ENTITIES, OID4VP_MIGRATIONS } from './schema.js';

/**
 * Migration 1765300000000 on the real database (SQLite, or PostgreSQL when DATABASE_URL is set): requests made before
 * it keep working under their id as wallet handle, the new columns are what the entity says, and it can be undone.
 */
describe('OpenID4VP wallet handles migration', () => {
  const clock = new FixedClock(new Date('2026-03-01T09:00:00Z'));
  let db: TestDatabase;
  let dataSource: DataSource;

  const location = () => ({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath });
  const row = (id: string, state: string, expiresAt: string) =>
    `INSERT INTO "oid4vp_requests" ("id", "policy_id", "policy_version", "purpose", "nonce", "oauth_state", "response_uri", "dcql_query", "state", "created_at", "expires_at", "settled_at", "result") ` +
    `VALUES ('${id}', 'age-over-19', '1', NULL, 'nonce-${id}', 'state', 'http://127.0.0.1/presentation-requests/${id}/response', '{"credentials":[]}', '${state}', '2026-03-01T08:59:00.000Z', '${expiresAt}', NULL, NULL)`;
  const pendingId = '11111111-1111-4111-8111-111111111111';
  const fulfilledId = '22222222-2222-4222-8222-222222222222';

  beforeAll(async () => {
    db = testDatabase('oid4vp_handles');
    // The verifier database as it was before: its first two migrations, with a pending and an answered request.
    const before = await openDatabase(createVerifierDataSource(location(), { entities: [], migrations: [...PRESENTATION_MIGRATIONS, Oid4vpRequests1765200000000] }));
    await before.query(row(pendingId, 'pending', '2026-03-01T09:04:00.000Z'));
    await before.query(row(fulfilledId, 'fulfilled', '2026-03-01T09:04:00.000Z'));
    await before.destroy();
    dataSource = await openDatabase(createVerifierDataSource(location(), { entities: [...PRESENTATION_ENTITIES, ...OID4VP_ENTITIES], migrations: [...PRESENTATION_MIGRATIONS, ...OID4VP_MIGRATIONS] }));
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('gives the requests made before their id as wallet handle, direct_post and no response key', async () => {
    const store = new PresentationRequestStore(dataSource, clock);
    const pending = await store.findByWalletHandle(pendingId);
    expect(pending).toMatchObject({ id: pendingId, walletHandle: pendingId, responseMode: 'direct_post', responseKey: null, transactionData: null, state: 'pending' });
    expect(await store.findByWalletHandle(fulfilledId)).toMatchObject({ id: fulfilledId, state: 'fulfilled' });
    expect(await store.find(pendingId)).toMatchObject({ walletHandle: pendingId });
  });

  it('makes the wallet handle unique and required, and the columns what the entity describes', async () => {
    const insert = (id: string, handle: string | null) =>
      dataSource.query(
        row(id, 'pending', '2026-03-01T09:04:00.000Z').replace('"id",', '"id", "wallet_handle",').replace(`VALUES ('${id}',`, `VALUES ('${id}', ${handle === null ? 'NULL' : `'${handle}'`},`),
      );
    const duplicate = await insert('33333333-3333-4333-8333-333333333333', pendingId).then(
      () => 'inserted',
      (error: unknown) => error,
    );
    expect(isUniqueViolation(duplicate)).toBe(true);
    await expect(insert('44444444-4444-4444-8444-444444444444', null)).rejects.toThrow();
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query).filter((q) => /oid4vp_requests/.test(q))).toEqual([]);
  });

  it('can be undone and done again', async () => {
    // The later migrations (transaction_data, 1767710000000) first, then this one.
    for (let undone = 1; undone < OID4VP_MIGRATIONS.length; undone++) await dataSource.undoLastMigration({ transaction: 'each' });
    const columns = async () => Object.keys((await dataSource.query(`SELECT * FROM "oid4vp_requests" WHERE "id" = '${pendingId}'`))[0]);
    expect(await columns()).not.toContain('wallet_handle');
    expect(await columns()).not.toContain('transaction_data');
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await columns()).toEqual(expect.arrayContaining(['wallet_handle', 'response_mode', 'response_key', 'transaction_data']));
  });
});
