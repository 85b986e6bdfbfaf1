import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A database reserved for one test file. */
export interface TestDatabase {
  /** `postgres` when `DATABASE_URL` is set (the PostgreSQL CI run), else `sqlite`. */
  kind: 'postgres' | 'sqlite';
  url?: string;
  schema?: string;
  sqlitePath?: string;
  /** Environment variables pointing a service at this database. */
  env: Record<string, string>;
  /** Drops the schema or deletes the file. */
  drop(): Promise<void>;
}

/** The PostgreSQL server of the PostgreSQL test run (`DATABASE_URL`); undefined when the suites run on SQLite. */
export function testPostgresUrl(): string | undefined {
  return process.env['DATABASE_URL'] || undefined;
}

/**
 * Reserves an isolated database for a test file: a fresh PostgreSQL schema when `DATABASE_URL` is set,
 * otherwise a new SQLite file in a temporary directory. Suites therefore run unchanged on both engines.
 * @param label - short name used in the schema or directory name
 */
export function testDatabase(label: string): TestDatabase {
  const url = testPostgresUrl();
  const suffix = randomBytes(4).toString('hex');
  if (url) {
    const schema = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${suffix}`;
    return {
      kind: 'postgres',
      url,
      schema,
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      async drop() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `citycred-${label}-`));
  const sqlitePath = join(dir, 'db.sqlite');
  return {
    kind: 'sqlite',
    sqlitePath,
    env: { SQLITE_PATH: sqlitePath },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
