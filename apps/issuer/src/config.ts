import { ConfigError, env, loadConfig, platformEnv } from '@citycred/config';
import { TENANT_SLUG } from '@citycred/tenancy';
import { z } from 'zod';
import { readDemoCitizensFile, type DemoCitizensFile } from './demo/demo-citizens.js';
import { readLaborConfig, type LaborConfig } from './labor/labor-config.js';

/** Default of `OID4VCI_BULK_OFFER_TTL_SECONDS`: 7 days. */
export const BULK_OFFER_TTL_DEFAULT_SECONDS = 7 * 24 * 60 * 60;
/** Longest `OID4VCI_BULK_OFFER_TTL_SECONDS` allowed: 30 days. */
export const BULK_OFFER_TTL_MAX_SECONDS = 30 * 24 * 60 * 60;

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
  /**
   * How long the issuer trusts its memory of which key a tenant's DID signs with before reading it again. 0 (the
   * default): read on every issuance (one primary-key read), so a key rotated by the operator CLI signs from the next
   * credential on. A larger value saves that read but keeps signing with the old key for up to this long after a
   * rotation — such credentials fail verification — so raise it only where keys are rotated with the issuer stopped.
   */
  TENANT_KEY_CACHE_TTL_MS: env.nonNegativeInt(0),
  /** Public base URL of the issuer (scheme, host, optional path; no trailing slash): OpenID4VCI issuer identifiers and links start with it. Default `http://localhost:<ISSUER_PORT>`. */
  ISSUER_PUBLIC_URL: env.optionalUrl(),
  /**
   * The verifier's public check page that printed certificates point their QR code at (`<url>#vc=<credential>`).
   * No fragment or query: the certificate adds the fragment.
   */
  CERTIFICATE_CHECK_URL: env.url('http://localhost:3002/check').refine((url) => !url.includes('#') && !url.includes('?'), 'must have no query or fragment'),
  /** Seconds verifiers and caches may keep a published status list (`Cache-Control: max-age`; also the lists' `ttl`): a revocation is seen within this. */
  STATUS_LIST_MAX_AGE_SECONDS: env.positiveInt(300),
  /** How long an OpenID4VCI credential offer (its pre-authorized code) stays redeemable unless the offer asks for less. */
  OID4VCI_OFFER_TTL_SECONDS: env.positiveInt(600),
  /**
   * The same for bulk offers (`POST /oid4vci/offers/bulk`, the console's bulk screen), which agencies hand out by
   * letter, SMS or at a counter over days: default 7 days, at most 30, never shorter than `OID4VCI_OFFER_TTL_SECONDS`
   * (checked by {@link loadIssuerConfig}). A bulk offer living longer than that needs a transaction code.
   */
  OID4VCI_BULK_OFFER_TTL_SECONDS: env
    .positiveInt(BULK_OFFER_TTL_DEFAULT_SECONDS)
    .refine((seconds) => seconds <= BULK_OFFER_TTL_MAX_SECONDS, `must be at most ${BULK_OFFER_TTL_MAX_SECONDS} (30 days), in seconds`),
  /**
   * Bearer token of `GET /metrics` (Prometheus text), for the platform team's scraper; unset: the endpoint is off
   * (404). At least 32 characters of a token alphabet, so it fits an `Authorization` header and is not guessable.
   */
  METRICS_TOKEN: env.metricsToken(),
  /**
   * The city root's key (the IssuerRegistry's root): the console's admin API signs with it what the root decides —
   * onboarding and accrediting tenants, changing their types. Unset: those answer 503 `tenant.root-key-unavailable`
   * (key rotation, delegates and API keys need no root key). Keep it off issuers the public reaches.
   */
  CITY_ROOT_KEY: env.privateKey().optional(),
  /** The tenant whose console `admin`s are the city's administrators: they see and administer every tenant. Unset: nobody is. */
  CITY_ADMIN_TENANT: z.string().regex(TENANT_SLUG, 'must be a tenant slug (lowercase letters, digits and inner hyphens)').optional(),
  /** Tops up the accounts of tenants the admin API creates from the city root's balance (the embedded local chain's play money). */
  FUND_NEW_TENANTS: env.flag(false),
  /**
   * The embedded demo's citizens (`config/demo-citizens.json`; relative to the working directory), which `npm start`
   * sets in embedded mode only: the issuer then serves the demo page `/demo/citizens`, where anyone may have the
   * agencies offer a demo citizen's credentials. Unset (production): no demo route exists (404). Read and checked
   * once at start-up.
   */
  DEMO_CITIZENS_FILE: z
    .string()
    .optional()
    .transform((path, context): DemoCitizensFile | undefined => {
      if (path === undefined) return undefined;
      const read = readDemoCitizensFile(path);
      if (read.ok) return read.file;
      context.addIssue({ code: 'custom', message: read.problem });
      return z.NEVER;
    }),
  /**
   * The citizen wallet's URL: the demo page opens `<WALLET_URL>/#receive?offer=…` so the citizen receives the offers
   * in the wallet on the same device. Unset: the page shows the offers' QR codes only.
   */
  WALLET_URL: env.optionalUrl().refine((url) => url === undefined || /^https?:\/\//i.test(url), 'must be an http(s) URL'),
  /**
   * The labour-law figures that change by law (JSON, `{"minimumWageKrw": {"2026": 10320, …}}`; relative to the working
   * directory): the minimum wage table labour contracts are checked against (docs/labor.md). Read and checked once at
   * start-up.
   */
  LABOR_CONFIG_FILE: z
    .string()
    .default('config/labor.json')
    .transform((path, context): LaborConfig => {
      const read = readLaborConfig(path);
      if (read.ok) return read.config;
      context.addIssue({ code: 'custom', message: read.problem });
      return z.NEVER;
    }),
});

/** The issuer's public base URL: `ISSUER_PUBLIC_URL` without a trailing slash, or `http://localhost:<ISSUER_PORT>`. */
export function issuerPublicUrl(config: { readonly ISSUER_PUBLIC_URL?: string | undefined; readonly ISSUER_PORT: number }): string {
  return (config.ISSUER_PUBLIC_URL ?? `http://localhost:${config.ISSUER_PORT}`).replace(/\/+$/, '');
}

/** The issuer's parsed, frozen configuration. */
export type IssuerConfig = ReturnType<typeof loadIssuerConfig>;

/**
 * Parses the issuer's environment once.
 * @throws ConfigError naming each bad variable
 */
export function loadIssuerConfig(source: Record<string, string | undefined>) {
  const config = loadConfig(issuerEnv, source);
  if (config.OID4VCI_BULK_OFFER_TTL_SECONDS < config.OID4VCI_OFFER_TTL_SECONDS) {
    throw new ConfigError([
      `OID4VCI_BULK_OFFER_TTL_SECONDS: must be at least OID4VCI_OFFER_TTL_SECONDS (${config.OID4VCI_OFFER_TTL_SECONDS}), in seconds; it is ${config.OID4VCI_BULK_OFFER_TTL_SECONDS}`,
    ]);
  }
  return config;
}
