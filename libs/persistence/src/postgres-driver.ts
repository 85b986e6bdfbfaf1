import pg from 'pg';
import { DatabaseUnavailableError } from './database-errors.js';

/**
 * How much longer than the server's `statement_timeout` the client waits for any answer before it gives up on the
 * connection: a live server cancels a slow statement itself and the connection stays usable; only a server (or a
 * network) that sends nothing at all is given up on.
 */
export const CLIENT_GRACE_MS = 1_000;

type Callback = (error: Error | null | undefined, ...rest: unknown[]) => void;

/**
 * The `pg` module as TypeORM's `driver` option, with a pool whose connections cannot hang:
 *
 * - every query gets an answer within `statementTimeoutMs` + {@link CLIENT_GRACE_MS}, else it fails with
 *   {@link DatabaseUnavailableError} `query-timeout` and its connection is ended at once. pg's own `query_timeout`
 *   is not used: in pg 8.23 it fails the caller but leaves the query in flight on the connection, which goes back to
 *   the pool (TypeORM releases it without an error) and makes every later query on it wait behind the stalled one.
 *   An ended client is `_ending`, so pg-pool destroys it on release instead of reusing it.
 * - a query failing because the connection went away, and any failure to obtain a connection (refused, connect
 *   timeout, pool exhausted past `connectionTimeoutMillis`), become {@link DatabaseUnavailableError}.
 * @param statementTimeoutMs - the server-side `statement_timeout` given in the pool options
 */
export function guardedPostgresDriver(statementTimeoutMs: number): typeof pg {
  const answerWithinMs = statementTimeoutMs + CLIENT_GRACE_MS;

  class GuardedClient extends pg.Client {
    private lost = false;

    constructor(config?: string | pg.ClientConfig) {
      super(config);
      // Both are emitted synchronously with pg failing the queries in flight, before their callbacks run.
      this.connection.on('end', () => (this.lost = true));
      this.connection.on('error', () => (this.lost = true));
    }

    private giveUp(): DatabaseUnavailableError {
      this.lost = true;
      this.end().catch(() => undefined);
      return new DatabaseUnavailableError('query-timeout', `the database sent no answer within ${answerWithinMs} ms; the connection was closed`);
    }

    private classify(error: unknown): unknown {
      return this.lost && !(error instanceof DatabaseUnavailableError) ? new DatabaseUnavailableError('connection-lost', 'the database connection was lost', { cause: error }) : error;
    }

    // pg's overloads: (text | config, values?, callback?) returning a promise without a callback; submittables as is.
    override query(...args: unknown[]): any {
      const first = args[0] as { submit?: unknown } | undefined;
      if (first && typeof first === 'object' && typeof first.submit === 'function') return (super.query as (...a: unknown[]) => unknown)(...args);
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const callback = last as Callback;
        let settled = false;
        const timer = setTimeout(() => {
          settled = true;
          callback(this.giveUp());
        }, answerWithinMs);
        args[args.length - 1] = (error: Error | null | undefined, ...rest: unknown[]) => {
          clearTimeout(timer);
          if (settled) return;
          settled = true;
          callback(error ? (this.classify(error) as Error) : error, ...rest);
        };
        return (super.query as (...a: unknown[]) => unknown)(...args);
      }
      const running = (super.query as (...a: unknown[]) => Promise<unknown>)(...args);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(this.giveUp()), answerWithinMs);
        running.then(
          (result) => {
            clearTimeout(timer);
            resolve(result);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(this.classify(error));
          },
        );
      });
    }
  }

  const unreachable = (cause: unknown) => new DatabaseUnavailableError('no-connection', 'no database connection could be obtained in time', { cause });

  class GuardedPool extends pg.Pool {
    constructor(options?: pg.PoolConfig) {
      super({ ...options, Client: GuardedClient } as pg.PoolConfig);
    }

    override connect(callback?: (error: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): any {
      if (callback) return super.connect((error, client, done) => callback(error ? unreachable(error) : error, client, done));
      return super.connect().catch((error: unknown) => {
        throw unreachable(error);
      });
    }
  }

  // Everything else (defaults, types) is pg's own, shared through the prototype.
  return Object.assign(Object.create(pg) as typeof pg, { Pool: GuardedPool, Client: GuardedClient });
}
