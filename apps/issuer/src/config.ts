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
  /**
   * The proof endpoint's limit is ten times the verifier's: a verifier service asks it once per verification on
   * behalf of all its own clients, so it is one client here.
   */
  RATE_LIMIT_PER_MINUTE: env.nonNegativeInt(3_000),
  RATE_LIMIT_BURST: env.positiveInt(600),
  /** How often the IssuerRegistry's events are polled to keep the tenants' accreditation current. */
  ACCREDITATION_REFRESH_MS: env.positiveInt(5_000),
  /** How long the last reading of the tenants' accreditation is trusted while the chain does not answer; then issuing answers 503. */
  ACCREDITATION_MAX_STALENESS_MS: env.positiveInt(300_000),
  /** How long a live API key is trusted without reading the database again (0: never cached). */
  API_KEY_CACHE_TTL_MS: env.nonNegativeInt(5_000),
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
