import { startStallProxy, testDatabase, testPostgresUrl, type StallProxy, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-errors.js';
import { openDatabase, type DatabaseTimeouts } from './data-source.js';
import { createVerifierDataSource } from './verifier-schema.js';

/*
 * The PostgreSQL pool's time limits against a real server, reached through a loopback proxy that can stall. The
 * limits are short so the test is quick; nothing asserts how long anything took.
 */

const postgresUrl = testPostgresUrl();
const timeouts: DatabaseTimeouts = { connectMs: 1_000, queryMs: 500, idleInTransactionMs: 300, busyMs: 1_000 };

const backendPid = async (dataSource: DataSource) => ((await dataSource.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>)[0]!.pid;

/** The error a promise rejects with (fails the test when it resolves). */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => expect.fail('expected the database call to fail'),
    (error: unknown) => error,
  );
}

// PostgreSQL only: a stalled server is a network fault; SQLite's busy timeout is covered in test/e2e/database-outage.
describe.skipIf(!postgresUrl)('PostgreSQL pool time limits (skipped on SQLite: no network to stall)', () => {
  let db: TestDatabase;
  let proxy: StallProxy;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = testDatabase('pg-limits');
    const direct = new URL(postgresUrl!);
    proxy = await startStallProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(postgresUrl!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    dataSource = await openDatabase(createVerifierDataSource({ url: viaProxy.toString(), schema: db.schema, timeouts }));
  });
  afterEach(() => proxy.resume());
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await proxy?.close();
    await db?.drop();
  });

  it('a query the server never answers fails as "database unavailable", and its connection is discarded, not reused', async () => {
    const before = await backendPid(dataSource);
    expect(await backendPid(dataSource), 'an idle connection is reused').toBe(before);
    proxy.stall();
    const error = await rejection(dataSource.query('SELECT 1'));
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    proxy.resume();
    expect(await backendPid(dataSource), 'the stalled connection must not come back from the pool').not.toBe(before);
  });

  it('no connection to be had (a stalled server during connect) fails as "database unavailable"', async () => {
    proxy.stall();
    // Several at once: the idle connection times out and is discarded, the others need new ones, which cannot connect.
    const errors = await Promise.all([1, 2, 3].map(() => rejection(dataSource.query('SELECT 1'))));
    for (const error of errors) expect(isDatabaseUnavailable(error), String(error)).toBe(true);
  });

  it('a statement the server cancels at statement_timeout is "database unavailable", and the live connection is kept', async () => {
    const before = await backendPid(dataSource);
    const error = await rejection(dataSource.query('SELECT pg_sleep(5)'));
    expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('57014');
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(await backendPid(dataSource)).toBe(before);
  });

  it('a session left idle inside a transaction is ended by the server (its locks go with it), and the pool carries on', async () => {
    const runner = dataSource.createQueryRunner();
    let pid: number;
    try {
      await runner.startTransaction();
      pid = ((await runner.query('SELECT pg_backend_pid() AS pid')) as Array<{ pid: number }>)[0]!.pid;
      await new Promise((resolve) => setTimeout(resolve, timeouts.idleInTransactionMs * 4));
      // TypeORM has released the runner when the server closed its connection, so this fails without a round trip.
      expect(await rejection(runner.query('SELECT 1'))).toBeInstanceOf(Error);
    } finally {
      await runner.release();
    }
    expect(await dataSource.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid])).toEqual([{ n: 0 }]);
  });

  it('a fault of the request is not "database unavailable"', async () => {
    expect(isDatabaseUnavailable(await rejection(dataSource.query('SELEC 1')))).toBe(false);
    expect(isDatabaseUnavailable(await rejection(dataSource.query('SELECT 1/0')))).toBe(false);
  });
});
