import { env, loadConfig, platformEnv } from '@citycred/config';

/**
 * Environment of the issuer service (see README "Configuration").
 * `KEY_ENCRYPTION_SECRET` encrypts the tenants' private keys at rest; it is required and never has a default.
 */
export const issuerEnv = platformEnv.extend({
  ISSUER_PORT: env.port(3001),
  KEY_ENCRYPTION_SECRET: env.hexKey(),
  ANCHOR_WORKER: env.flag(true),
  ANCHOR_BATCH_SIZE: env.positiveInt(512),
  ANCHOR_BATCH_INTERVAL_MS: env.positiveInt(5_000),
  ANCHOR_LEASE_MS: env.positiveInt(60_000),
});

/** The issuer's parsed, frozen configuration. */
export type IssuerConfig = ReturnType<typeof loadIssuerConfig>;

/**
 * Parses the issuer's environment once.
 * @throws ConfigError naming each bad variable
 */
export function loadIssuerConfig(source: Record<string, string | undefined>) {
  return loadConfig(issuerEnv, source);
}
