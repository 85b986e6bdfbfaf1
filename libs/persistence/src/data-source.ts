import { databaseTimeoutsEnv, type DatabaseTimeoutsEnv } from '@citycred/config';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { DatabaseUnavailableError } from './database-errors.js';
import { guardedPostgresDriver } from './postgres-driver.js';
import { preparePrivateSqliteFile, type WarningSink } from './private-files.js';

/** Time limits on the database, in milliseconds (see `databaseTimeoutsEnv` in `@citycred/config`). */
export interface DatabaseTimeouts {
  /** Opening a PostgreSQL connection, and waiting for a free one in the pool. */
  connectMs: number;
  /** One statement (server-side `statement_timeout`; the client gives up on a silent server a second later). */
  queryMs: number;
  /** PostgreSQL ends a session idle inside a transaction after this long, releasing its locks. */
  idleInTransactionMs: number;
  /** SQLite waits this long for another connection's lock before failing with `SQLITE_BUSY`. */
  busyMs: number;
}

/**
 * The time limits of a parsed configuration.
 * @param config - the `DB_*_TIMEOUT_MS` variables, parsed with `databaseTimeoutsEnv` (or `platformEnv`)
 */
export function databaseTimeouts(config: DatabaseTimeoutsEnv): DatabaseTimeouts {
  return {
    connectMs: config.DB_CONNECT_TIMEOUT_MS,
    queryMs: config.DB_QUERY_TIMEOUT_MS,
    idleInTransactionMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    busyMs: config.DB_BUSY_TIMEOUT_MS,
  };
}

/** The documented defaults, used when a {@link DatabaseLocation} names none. */
export const DEFAULT_DATABASE_TIMEOUTS: Readonly<DatabaseTimeouts> = Object.freeze(databaseTimeouts(databaseTimeoutsEnv.parse({})));

/** How long an idle TCP connection to PostgreSQL waits before the first keepalive probe, so a dead peer is noticed. */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

/** Where a service keeps its data. */
export interface DatabaseLocation {
  /** PostgreSQL URL (production, and the PostgreSQL test run). When set, `sqlitePath` is ignored. */
  url?: string | undefined;
  /** PostgreSQL schema to use (created if missing); default `public`. Tests use one schema per file. */
  schema?: string | undefined;
  /** SQLite file (embedded mode). Created with mode 0600 (its directory 0700); an existing one is tightened. */
  sqlitePath?: string | undefined;
  /**
   * SQLite's `synchronous` setting, the file being in WAL mode: `normal` (default) keeps every commit across a killed
   * process and never corrupts the file, but a power cut or kernel crash may lose the last commits; `full` keeps those
   * too, at an fsync on every commit — which better-sqlite3 waits for on the event loop.
   */
  sqliteSynchronous?: 'normal' | 'full' | undefined;
  /** Time limits; default {@link DEFAULT_DATABASE_TIMEOUTS}. */
  timeouts?: DatabaseTimeouts | undefined;
  /** Receives operator warnings (an SQLite file whose mode was tightened); default `console.warn`. */
  onWarning?: WarningSink | undefined;
}

/** The database settings of a parsed configuration (`platformEnv`, or a schema with the same variables). */
export type DatabaseLocationEnv = DatabaseTimeoutsEnv & {
  DATABASE_URL?: string | undefined;
  DATABASE_SCHEMA?: string | undefined;
  SQLITE_PATH?: string | undefined;
  SQLITE_SYNCHRONOUS?: 'normal' | 'full' | undefined;
};

/**
 * Where a service keeps its data, from its parsed configuration: `DATABASE_URL` and `DATABASE_SCHEMA`, else the SQLite
 * file `SQLITE_PATH` (or `defaultSqlitePath`), with the `DB_*_TIMEOUT_MS` limits.
 * @param onWarning - receives operator warnings about the SQLite file (see {@link DatabaseLocation.onWarning})
 */
export function databaseLocationFrom(config: DatabaseLocationEnv, defaultSqlitePath: string, onWarning?: WarningSink): DatabaseLocation & { sqlitePath: string; timeouts: DatabaseTimeouts } {
  return {
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    sqlitePath: config.SQLITE_PATH ?? defaultSqlitePath,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
    timeouts: databaseTimeouts(config),
    ...(onWarning ? { onWarning } : {}),
  };
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
 * The pool settings of a PostgreSQL data source: connect/acquire timeout, TCP keepalive, server-side statement and
 * idle-in-transaction timeouts (sent as startup parameters, so they hold for every session of the pool).
 */
function postgresPool(timeouts: DatabaseTimeouts, schema: string | undefined) {
  return {
    driver: guardedPostgresDriver(timeouts.queryMs),
    extra: {
      max: 10,
      connectionTimeoutMillis: timeouts.connectMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
      statement_timeout: timeouts.queryMs,
      idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    },
  };
}

/**
 * Builds (does not open) a TypeORM data source for PostgreSQL or SQLite. Schema changes happen only
 * through migrations: `synchronize` is always off. Every wait on the database is bounded by `timeouts`: a query the
 * database does not answer in time fails with an error {@link isDatabaseUnavailable} recognises, and its PostgreSQL
 * connection is discarded rather than reused. The SQLite file is prepared with {@link preparePrivateSqliteFile}.
 * @throws Error when neither `url` nor `sqlitePath` is given, or when an existing SQLite file is readable by others
 *   and its mode cannot be fixed
 */
export function createDataSource(spec: DataSourceSpec): DataSource {
  const common = {
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: spec.migrationsTableName,
    synchronize: false,
    logging: false,
  } as const;
  const timeouts = spec.timeouts ?? DEFAULT_DATABASE_TIMEOUTS;
  let options: DataSourceOptions;
  if (spec.url) {
    options = {
      ...common,
      type: 'postgres',
      url: spec.url,
      ...(spec.schema ? { schema: spec.schema } : {}),
      ...postgresPool(timeouts, spec.schema),
    };
  } else if (spec.sqlitePath) {
    if (spec.sqlitePath !== ':memory:') preparePrivateSqliteFile(spec.sqlitePath, spec.onWarning ?? ((message) => console.warn(message)));
    options = {
      ...common,
      type: 'better-sqlite3',
      database: spec.sqlitePath,
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma(`synchronous = ${spec.sqliteSynchronous === 'full' ? 'FULL' : 'NORMAL'}`);
        db.pragma(`busy_timeout = ${timeouts.busyMs}`);
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
 * Once opened it cannot be opened again: after `destroy()`, `initialize()` rejects with {@link DatabaseUnavailableError}.
 * @returns the initialised data source
 * @throws whatever the driver throws when the database cannot be reached or a migration fails
 */
export async function openDatabase(dataSource: DataSource): Promise<DataSource> {
  const options = dataSource.options;
  if (options.type === 'postgres' && options.schema) {
    // The same driver and time limits as the data source itself, without its search_path.
    const { options: _searchPath, ...extra } = options.extra as Record<string, unknown>;
    const bootstrap = new DataSource({ type: 'postgres', url: options.url, driver: options.driver, extra });
    await bootstrap.initialize();
    try {
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
    } finally {
      await bootstrap.destroy();
    }
  }
  await dataSource.initialize();
  // Only this function opens a data source. Veramo's data-store initialises one it finds closed, which would silently
  // reopen a database the service has closed (at shutdown) and leak its connections; that is refused instead.
  dataSource.initialize = () => Promise.reject(new DatabaseUnavailableError('closed', 'the database was closed by this service'));
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
