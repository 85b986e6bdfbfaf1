import { z } from 'zod';
import { env } from './load-config.js';

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
  CHAIN_RPC_URL: env.url('http://127.0.0.1:8545'),
  DEPLOYMENTS_DIR: z.string().default('anchors/deployments'),
  DID_ETHR_NETWORK: z.string().regex(/^[a-z0-9:]+$/).default('citycred'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug']).default('warn'),
});

/** The parsed shared configuration. */
export type PlatformEnv = z.output<typeof platformEnv>;
