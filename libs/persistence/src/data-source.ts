import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';

/** Where a service keeps its data. */
export interface DatabaseLocation {
  /** PostgreSQL URL (production, and the PostgreSQL test run). When set, `sqlitePath` is ignored. */
  url?: string | undefined;
  /** PostgreSQL schema to use (created if missing); default `public`. Tests use one schema per file. */
  schema?: string | undefined;
  /** SQLite file (embedded mode). */
  sqlitePath?: string | undefined;
}

/** Options of {@link createDataSource}. */
export interface DataSourceSpec extends DatabaseLocation {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Each service keeps its own migration history. */
  migrationsTableName: string;
}

/** Which engine a location resolves to. */
export function databaseKind(location: DatabaseLocation): 'postgres' | 'sqlite' {
  return location.url ? 'postgres' : 'sqlite';
}

/**
 * Builds (does not open) a TypeORM data source for PostgreSQL or SQLite. Schema changes happen only
 * through migrations: `synchronize` is always off.
 * @throws Error when neither `url` nor `sqlitePath` is given
 */
export function createDataSource(spec: DataSourceSpec): DataSource {
  const common = {
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: spec.migrationsTableName,
    synchronize: false,
    logging: false,
  } as const;
  let options: DataSourceOptions;
  if (spec.url) {
    options = {
      ...common,
      type: 'postgres',
      url: spec.url,
      ...(spec.schema ? { schema: spec.schema } : {}),
      extra: { max: 10, ...(spec.schema ? { options: `-c search_path=${spec.schema}` } : {}) },
    };
  } else if (spec.sqlitePath) {
    if (spec.sqlitePath !== ':memory:') mkdirSync(dirname(spec.sqlitePath), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: spec.sqlitePath,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  } else {
    throw new Error('A database URL or an SQLite path is required');
  }
  return new DataSource(options);
}

/**
 * Opens the data source and applies pending migrations (creating the PostgreSQL schema first if one is named).
 * @returns the initialised data source
 * @throws whatever the driver throws when the database cannot be reached or a migration fails
 */
export async function openDatabase(dataSource: DataSource): Promise<DataSource> {
  const options = dataSource.options;
  if (options.type === 'postgres' && options.schema) {
    const bootstrap = new DataSource({ type: 'postgres', url: options.url });
    await bootstrap.initialize();
    try {
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    } finally {
      await bootstrap.destroy();
    }
  }
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * Answers whether the database responds to a trivial query.
 * @returns true when `SELECT 1` succeeds
 */
export async function databaseIsUp(dataSource: DataSource): Promise<boolean> {
  try {
    if (!dataSource.isInitialized) return false;
    await dataSource.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
