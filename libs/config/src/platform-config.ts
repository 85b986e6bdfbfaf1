import { z } from 'zod';
import { isAddressOrRange } from './ip-address.js';
import { env } from './load-config.js';

/**
 * Time limits on the database, in milliseconds, so that a database that stops answering never hangs a request or
 * the anchoring worker (see README "Configuration"). Shared by the services and the launcher.
 *
 * - `DB_CONNECT_TIMEOUT_MS`: opening a PostgreSQL connection, and waiting for a free one in the pool.
 * - `DB_QUERY_TIMEOUT_MS`: one statement (PostgreSQL `statement_timeout`); a server that sends nothing at all is
 *   given up one second later on the client side, and that connection is discarded.
 * - `DB_IDLE_IN_TRANSACTION_TIMEOUT_MS`: PostgreSQL ends a session left idle inside a transaction (its locks go).
 * - `DB_BUSY_TIMEOUT_MS`: how long SQLite waits for another connection's write lock.
 */
export const databaseTimeoutsEnv = z.object({
  DB_CONNECT_TIMEOUT_MS: env.positiveInt(5_000),
  DB_QUERY_TIMEOUT_MS: env.positiveInt(5_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: env.positiveInt(30_000),
  DB_BUSY_TIMEOUT_MS: env.positiveInt(5_000),
});

/** The parsed database time limits. */
export type DatabaseTimeoutsEnv = z.output<typeof databaseTimeoutsEnv>;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  return PROXY_NAMES.has(entry) || isAddressOrRange(entry);
}

/**
 * Limits at the HTTP edge of the issuer and verifier (see README "Configuration"):
 *
 * - `RATE_LIMIT_PER_MINUTE`: sustained requests per minute one client may send to the service's public, costly
 *   endpoints (verifier `POST /credentials/verify`, issuer `GET /anchors/proofs/{hash}`); 0 turns the limit off.
 * - `RATE_LIMIT_BURST`: requests a client may send at once above that rate.
 * - `TRUST_PROXY`: whose `X-Forwarded-For` is believed for the client address: `false` (default: the TCP peer is
 *   the client), `true` (any: only behind a proxy that is the sole way in and overwrites the header), a number
 *   of proxy hops, or a comma-separated list of proxy addresses, CIDR ranges or `loopback`/`linklocal`/`uniquelocal`.
 * - `RATE_LIMIT_EXEMPT`: comma-separated client addresses or CIDR ranges never rate-limited nor counted against the
 *   per-client connection cap (in production: the verifier replicas' addresses on the issuer). Default none.
 * - `HTTP_REQUEST_TIMEOUT_MS`: the whole request, headers and body, must arrive within this; else 408.
 * - `HTTP_HEADERS_TIMEOUT_MS`: the request's header fields must arrive within this (at most the request timeout).
 * - `HTTP_KEEP_ALIVE_TIMEOUT_MS`: an idle keep-alive connection is closed after this.
 * - `HTTP_MAX_CONNECTIONS`: open connections the service serves at once; beyond it a new one is answered 503.
 * - `HTTP_MAX_CONNECTIONS_PER_CLIENT`: open connections one client address (an IPv6 client its /64) may hold.
 */
export const httpEdgeEnv = z.object({
  RATE_LIMIT_PER_MINUTE: env.nonNegativeInt(300),
  RATE_LIMIT_BURST: env.positiveInt(60),
  RATE_LIMIT_EXEMPT: z
    .string()
    .default('')
    .transform((value, context): string[] => {
      if (value.trim() === '') return [];
      const entries = value.split(',').map((entry) => entry.trim().toLowerCase());
      if (entries.every(isAddressOrRange)) return entries;
      context.addIssue({ code: 'custom', message: 'must be a comma-separated list of IP addresses or CIDR ranges' });
      return z.NEVER;
    }),
  HTTP_REQUEST_TIMEOUT_MS: env.positiveInt(30_000),
  HTTP_HEADERS_TIMEOUT_MS: env.positiveInt(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: env.positiveInt(5_000),
  HTTP_MAX_CONNECTIONS: env.positiveInt(2_000),
  HTTP_MAX_CONNECTIONS_PER_CLIENT: env.positiveInt(100),
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, context): boolean | number | string[] => {
      const setting = value.trim().toLowerCase();
      if (setting === 'false' || setting === '') return false;
      if (setting === 'true') return true;
      if (/^\d+$/.test(setting)) return Number(setting);
      const entries = setting.split(',').map((entry) => entry.trim());
      if (entries.every(isProxyAddress)) return entries;
      context.addIssue({ code: 'custom', message: 'must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses or CIDR ranges' });
      return z.NEVER;
    }),
});

/** The parsed HTTP edge limits. */
export type HttpEdgeEnv = z.output<typeof httpEdgeEnv>;

/**
 * Variables shared by every CityCred service. Each app extends this with its own.
 *
 * - `DATABASE_URL`: PostgreSQL URL; when unset, an SQLite file `SQLITE_PATH` is used (embedded mode).
 * - `CHAIN_RPC_URL`: JSON-RPC of the city chain; `DEPLOYMENTS_DIR` holds `<chainId>.json` deployment records.
 * - `DID_ETHR_NETWORK`: the network name in `did:ethr:<network>:…` identifiers.
 */
export const platformEnv = z.object({
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: env.optionalUrl(),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
  SQLITE_PATH: z.string().optional(),
  /**
   * SQLite's `synchronous` setting (WAL mode): `normal` (default) survives a killed process and never corrupts the file,
   * and may lose the last commits on a power cut or kernel crash; `full` survives those too, at an fsync per commit.
   */
  SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  ...databaseTimeoutsEnv.shape,
  CHAIN_RPC_URL: env.url('http://127.0.0.1:8545'),
  DEPLOYMENTS_DIR: z.string().default('anchors/deployments'),
  DID_ETHR_NETWORK: z.string().regex(/^[a-z0-9:]+$/).default('citycred'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'),
  /** On SIGTERM/SIGINT, how long requests in flight may take to finish before their connections are reset. */
  SHUTDOWN_GRACE_MS: env.positiveInt(10_000),
  /**
   * During a shutdown, how long a connection with no request in progress stays open (a request sent on it meanwhile
   * is answered 503 with `Connection: close`) before it is closed.
   */
  SHUTDOWN_QUIET_MS: env.positiveInt(1_000),
  ...httpEdgeEnv.shape,
});

/** The parsed shared configuration. */
export type PlatformEnv = z.output<typeof platformEnv>;
