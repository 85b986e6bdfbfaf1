/** Why the database could not be used. */
export type DatabaseUnavailableReason = 'no-connection' | 'query-timeout' | 'connection-lost' | 'closed';

/**
 * The database did not answer in time or could not be reached: our outage, not the request's fault. Thrown by the
 * PostgreSQL connections of {@link createDataSource} (TypeORM hands it on as a `QueryFailedError`'s `driverError`).
 */
export class DatabaseUnavailableError extends Error {
  /** Stable code to branch on. */
  readonly code = 'DATABASE_UNAVAILABLE';

  constructor(
    /** What went wrong. */
    readonly reason: DatabaseUnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * PostgreSQL SQLSTATE classes that mean the server cannot serve us now: 08 connection exception, 53 insufficient
 * resources (too many connections, disk full), 57 operator intervention (statement timeout, shutdown, crash).
 */
const UNAVAILABLE_SQLSTATE_CLASSES = new Set(['08', '53', '57']);
/** Single SQLSTATEs with the same meaning: 25P03 idle-in-transaction timeout, 55P03 lock not available in time. */
const UNAVAILABLE_SQLSTATES = new Set(['25P03', '55P03']);
/** Socket errors on the way to the database. */
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isUnavailableCode(code: string): boolean {
  if (code === 'DATABASE_UNAVAILABLE' || NETWORK_ERRORS.has(code)) return true;
  // SQLite: another connection holds the lock for longer than the busy timeout (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, …).
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
  return false;
}

/**
 * Answers whether an error means the database could not answer in time or could not be reached (a timeout, a lost or
 * refused connection, a server shutting down, an SQLite lock held past the busy timeout), as opposed to a fault in the
 * request or in our code. Looks through TypeORM's `driverError` and `cause` chains; decides by error codes only.
 * @returns true for {@link DatabaseUnavailableError} and errors with those codes; never throws
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth += 1) {
    if (current instanceof DatabaseUnavailableError) return true;
    const code = codeOf(current);
    if (code && isUnavailableCode(code)) return true;
    const inner = current as { driverError?: unknown; cause?: unknown };
    current = inner.driverError ?? inner.cause;
  }
  return false;
}

/**
 * Whether a write failed on a unique or primary key (PostgreSQL `23505`, SQLite's constraint codes), as TypeORM
 * wraps it (`driverError`) or as the driver threw it.
 */
export function isUniqueViolation(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: unknown } } | null)?.driverError ?? error;
  const code = (driver as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
