import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from './database-errors.js';
import { databaseLocationFrom, DEFAULT_DATABASE_TIMEOUTS, openDatabase } from './data-source.js';
import { createVerifierDataSource } from './verifier-schema.js';

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'citycred-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a database the service has closed stays closed: a library that re-initialises it gets "database unavailable"', async () => {
    const dataSource = await openDatabase(createVerifierDataSource({ sqlitePath: join(dir, 'db.sqlite') }));
    await dataSource.destroy();
    // What Veramo's data-store does with a data source it finds closed.
    const error = await dataSource.initialize().then(
      () => expect.fail('a closed database was opened again'),
      (e: unknown) => e,
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(dataSource.isInitialized).toBe(false);
  });

  it('opens SQLite in WAL mode, synchronous NORMAL unless FULL is asked for', async () => {
    const pragmas = async (sqliteSynchronous?: 'normal' | 'full') => {
      const dataSource = await openDatabase(createVerifierDataSource({ sqlitePath: join(dir, `db-${sqliteSynchronous ?? 'default'}.sqlite`), sqliteSynchronous }));
      try {
        const [{ journal_mode: journal }] = (await dataSource.query('PRAGMA journal_mode')) as [{ journal_mode: string }];
        const [{ synchronous }] = (await dataSource.query('PRAGMA synchronous')) as [{ synchronous: number }];
        return { journal, synchronous };
      } finally {
        await dataSource.destroy();
      }
    };
    // SQLite reports synchronous as a number: 1 NORMAL, 2 FULL.
    expect(await pragmas()).toEqual({ journal: 'wal', synchronous: 1 });
    expect(await pragmas('normal')).toEqual({ journal: 'wal', synchronous: 1 });
    expect(await pragmas('full')).toEqual({ journal: 'wal', synchronous: 2 });
  });
});

describe('databaseLocationFrom', () => {
  const timeouts = { DB_CONNECT_TIMEOUT_MS: 5_000, DB_QUERY_TIMEOUT_MS: 5_000, DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 30_000, DB_BUSY_TIMEOUT_MS: 5_000 };

  it('takes DATABASE_URL, DATABASE_SCHEMA, SQLITE_PATH and the time limits from the configuration', () => {
    const onWarning = () => undefined;
    const location = databaseLocationFrom({ ...timeouts, DB_QUERY_TIMEOUT_MS: 250, DATABASE_URL: 'postgres://db/x', DATABASE_SCHEMA: 'city', SQLITE_PATH: '/data/i.sqlite', SQLITE_SYNCHRONOUS: 'full' }, 'var/issuer.sqlite', onWarning);
    expect(location).toEqual({ url: 'postgres://db/x', schema: 'city', sqlitePath: '/data/i.sqlite', sqliteSynchronous: 'full', timeouts: { ...DEFAULT_DATABASE_TIMEOUTS, queryMs: 250 }, onWarning });
  });

  it('falls back to the service\'s own SQLite file', () => {
    expect(databaseLocationFrom(timeouts, 'var/verifier.sqlite')).toEqual({ url: undefined, schema: undefined, sqlitePath: 'var/verifier.sqlite', sqliteSynchronous: undefined, timeouts: DEFAULT_DATABASE_TIMEOUTS });
  });
});
