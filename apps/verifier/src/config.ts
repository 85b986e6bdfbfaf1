import { env, loadConfig, platformEnv } from '@citycred/config';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isP256PrivateJwk } from './oid4vp/signing-jwk.js';
import { parseOidcClients, type OidcClientConfig } from './oidc/oidc-clients.js';
import { programsFileSchema, type ProgramConfig } from './policies/program-config.js';
import { DEFAULT_WORK_HISTORY, type WorkHistoryConfig } from './policies/work-history.js';

/**
 * Environment of the verifier service. `ANCHOR_PROOF_URL` is the issuer service whose public
 * `/anchors/proofs/{hash}` endpoint is asked when a request brings no proof of its own, and whose issuer directory
 * (`GET /issuers`: names, status list URLs) is read; `ANCHOR_GRACE_SECONDS` is how long a credential that issuer says is queued counts as `pending`.
 * `STATUS_LIST_TIMEOUT_MS` bounds one fetch of a status list a credential names; `STATUS_LIST_MAX_CACHE_SECONDS` is
 * the longest a fetched list (or the issuer directory) is used without asking its issuer again (its
 * `Cache-Control: max-age`, capped by this).
 */
export const verifierEnv = platformEnv.extend({
  VERIFIER_PORT: env.port(3002),
  ANCHOR_PROOF_URL: env.url('http://127.0.0.1:3001'),
  ANCHOR_GRACE_SECONDS: env.positiveInt(600),
  /**
   * How the verifier finds anchor proofs it was not handed: `batches` (the default: it downloads the batches the
   * issuer anchored on the days after the credential's issuance and computes the proof, so the issuer never learns
   * which credential is checked) or `per-credential` (it asks `GET /anchors/proofs/{hash}`: simpler, but it tells the
   * issuer who is checked, when).
   */
  ANCHOR_PROOF_MODE: z.enum(['batches', 'per-credential']).default('batches'),
  /** How many days after a credential's issuance its batch is looked for. */
  ANCHOR_SEARCH_DAYS: env.positiveInt(7),
  /** The most leaves of downloaded batches kept in memory (about 100 bytes each). */
  ANCHOR_BATCH_CACHE_LEAVES: env.positiveInt(500_000),
  /**
   * The issuer whose certificate references (`#ref=<issuer>/certificates/…`) the public check page may fetch; only
   * this origin. Default: `ANCHOR_PROOF_URL`.
   */
  CHECK_ISSUER_URL: env.optionalUrl(),
  CLOCK_SKEW_SECONDS: env.nonNegativeInt(60),
  DID_CACHE_TTL_MS: env.nonNegativeInt(60_000),
  STATUS_LIST_TIMEOUT_MS: env.positiveInt(3_000),
  STATUS_LIST_MAX_CACHE_SECONDS: env.nonNegativeInt(300),
  /**
   * Origins (comma-separated `scheme://host[:port]`) the verifier calls even over plain http or at an address that
   * is not public: internal issuers whose status lists credentials name. Added to the origins it always calls, those
   * of `ANCHOR_PROOF_URL` and `CHECK_ISSUER_URL` ({@link fetchAllowedOrigins}). Anything else must be https on public
   * addresses.
   */
  VERIFIER_FETCH_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((value, context): string[] => {
      if (value.trim() === '') return [];
      const origins = value.split(',').map((entry) => originOf(entry.trim()));
      if (origins.every((origin): origin is string => origin !== null)) return [...new Set(origins)];
      context.addIssue({ code: 'custom', message: 'must be a comma-separated list of http or https origins (scheme, host and optional port; no path, query or user name)' });
      return z.NEVER;
    }),
  /** The verifier's public URL: the audience (`aud`) a presentation must name when the caller gives no `domain`. */
  VERIFIER_PUBLIC_URL: env.optionalUrl(),
  /** How long a challenge from `POST /challenges` may be used (seconds). */
  CHALLENGE_TTL_SECONDS: env.positiveInt(300),
  /** Bearer token of `GET /metrics` (Prometheus text); unset: the endpoint is off (404). */
  METRICS_TOKEN: env.metricsToken(),
  /** How old a presentation (its `iat`) may be (seconds). */
  PRESENTATION_MAX_AGE_SECONDS: env.positiveInt(300),
  /**
   * How old a presentation a wallet shows as a QR code to `POST /scan/presentations` may be (its `iat`, seconds): at
   * most 120, as the holder chose its nonce and nothing but this age bounds how long a photographed code is worth.
   */
  SCAN_PRESENTATION_MAX_AGE_SECONDS: z.coerce.number().int().positive().max(120).default(120),
  /**
   * How long the employer scanner's signed offline bundle (`GET /scan/offline-bundle`: accredited issuers' keys and
   * types, status lists) may be used after it was built (seconds); the page warns once it is 12 hours old.
   */
  SCAN_OFFLINE_BUNDLE_TTL_SECONDS: env.positiveInt(86_400),
  /** The anchored roots the offline bundle lists per accredited issuer: those of the last this many days… */
  SCAN_OFFLINE_ANCHOR_DAYS: z.coerce.number().int().min(1).max(366).default(30),
  /** …and at most this many of them (the newest first). */
  SCAN_OFFLINE_ANCHOR_ROOTS: z.coerce.number().int().min(1).max(10_000).default(200),
  /**
   * The key OpenID4VP request objects are signed with: a P-256 private key as a JWK (JSON). Unset: one is made at the
   * first start and kept in the verifier database, shared by every verifier process on it.
   */
  OID4VP_SIGNING_KEY: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      let jwk: unknown;
      try {
        jwk = JSON.parse(value);
      } catch {
        jwk = undefined;
      }
      if (isP256PrivateJwk(jwk)) return jwk;
      context.addIssue({ code: 'custom', message: 'must be a P-256 private key as a JWK: JSON with kty "EC", crv "P-256", x, y and d' });
      return z.NEVER;
    }),
  /**
   * The benefit programs file (JSON, {@link programsFileSchema}; relative to the working directory): each program's
   * thresholds, year, amount and configuration version, which a city officer edits without code
   * (docs/youth-allowance.md). Read and checked once at start-up; parsed into the programs.
   */
  PROGRAMS_FILE: jsonFile('config/programs.json', (json): FileContents<readonly ProgramConfig[]> => {
    const parsed = programsFileSchema.safeParse(json);
    return parsed.success ? { value: parsed.data.programs } : { problem: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ') };
  }),
  /**
   * The fewest days of work the `work-history` policy (the employer scanner's) asks the presented work experience
   * credentials to cover together: a whole number from 0 to 36500. A threshold other than the default gives the policy
   * a version of its own (`work-history@1.1.<days>`), so a decision names the rules it was made by
   * (docs/verification-policy.md).
   */
  WORK_HISTORY_MINIMUM_DAYS: z
    .string()
    .default(String(DEFAULT_WORK_HISTORY.minimumDays))
    .transform((value, context): number => {
      const trimmed = value.trim();
      const days = Number(trimmed);
      if (/^\d{1,5}$/.test(trimmed) && days <= 36_500) return days;
      context.addIssue({ code: 'custom', message: 'must be a whole number of days from 0 to 36500 (e.g. 90)' });
      return z.NEVER;
    }),
  /**
   * The fewest hours of work (`totalHours`) the `work-history` policy also asks the credentials to add up to: a number
   * from 0 to 1000000 with at most two decimals. Unset: no hours criterion. Set, the policy's version names it too
   * (`work-history@1.2.<days>.<hours in hundredths>`).
   */
  WORK_HISTORY_MINIMUM_HOURS: z
    .string()
    .optional()
    .transform((value, context): number | undefined => {
      const trimmed = value?.trim() ?? '';
      if (trimmed === '') return undefined;
      const hours = Number(trimmed);
      if (/^\d{1,7}(\.\d{1,2})?$/.test(trimmed) && hours <= 1_000_000) return hours;
      context.addIssue({ code: 'custom', message: 'must be a number of hours from 0 to 1000000 with at most two decimals (e.g. 120 or 120.5)' });
      return z.NEVER;
    }),
  /**
   * The secret the benefit programs' participation pseudonyms are keyed with (HMAC-SHA-256; 64 hex characters). Unset:
   * one is made at the first start and kept in the verifier database. Changing it forgets every participation.
   */
  PARTICIPATION_SECRET: env.hexKey().optional(),
  /**
   * The citizen wallet's URL: the application pages link to `<WALLET_URL>/#present?request=…` and
   * `#receive?offer=…` so a citizen opens the flow in the wallet on the same device. Unset: the pages link to the
   * `openid4vp://` and `openid-credential-offer://` links themselves (a wallet app that registered them).
   */
  WALLET_URL: env.optionalUrl().refine((url) => url === undefined || /^https?:\/\//i.test(url), 'must be an http(s) URL'),
  /**
   * The issuer service the application pages ask for an eligibility credential's offer (`POST /oid4vci/offers`).
   * Default: `ANCHOR_PROOF_URL`, the city issuer.
   */
  PROGRAM_ISSUER_URL: env.optionalUrl().refine((url) => url === undefined || /^https?:\/\//i.test(url), 'must be an http(s) URL'),
  /**
   * The API keys of the tenants that issue programs' eligibility credentials (`eligibility.tenant` in
   * `PROGRAMS_FILE`): comma-separated `<tenant>=<API key>`, e.g. `youth-policy=ccd_…`. A secret. A program whose
   * tenant has no key here shows its decision and receipt, and answers 503 `program.issuer-not-configured` for the offer.
   */
  PROGRAM_ISSUER_API_KEYS: labelledSecrets(/^ccd_[A-Za-z0-9_-]{16,200}$/, 'must be comma-separated <tenant slug>=<API key> (ccd_…), each tenant once'),
  /**
   * The issuer service whose anchoring the verifier hands digests to (`POST /anchors/digests`: e-signature receipts,
   * petition tallies; ADR 0015) and asks for their proofs. Default: `ANCHOR_PROOF_URL`, the city issuer.
   */
  ANCHOR_DIGEST_URL: env.optionalUrl().refine((url) => url === undefined || /^https?:\/\//i.test(url), 'must be an http(s) URL'),
  /**
   * The city tenant's API key (`ccd_…`) the digests are posted with; the tenant must be accredited for the digests'
   * record types (`SignatureReceipt`, `PetitionTally`). A secret. Unset: digests are kept in the outbox, pending,
   * and posted once it is set.
   */
  ANCHOR_DIGEST_API_KEY: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()))
    // The value is a secret: the message names the rule, never the value.
    .refine((value) => value === undefined || /^ccd_[A-Za-z0-9_-]{16,200}$/.test(value), 'must be a tenant API key (ccd_…)'),
  /** How often the digest outbox is posted to the issuer and followed (milliseconds); 0: never by a timer. */
  ANCHOR_DIGEST_INTERVAL_MS: env.nonNegativeInt(5_000),
  /**
   * The sites registered with the verifier's OpenID Provider (JSON, `oidcClientsFileSchema` in oidc/oidc-clients.ts; relative to the
   * working directory; docs/oidc-provider.md): client ids, redirect URIs, allowed scopes, token endpoint
   * authentication. Read and checked once at start-up.
   */
  OIDC_CLIENTS_FILE: jsonFile('config/oidc-clients.json', (json): FileContents<readonly OidcClientConfig[]> => {
    const parsed = parseOidcClients(json);
    return parsed.ok ? { value: parsed.clients } : { problem: parsed.problems.join('; ') };
  }),
  /**
   * The secrets of the OpenID Provider's clients that authenticate with one: comma-separated `<client_id>=<secret>`
   * (at least 32 characters each). A secret. A client without an entry here has its secret in
   * `OIDC_CLIENT_SECRETS_DIR`/`<client_id>.secret`, made at the first start.
   */
  OIDC_CLIENT_SECRETS: labelledSecrets(/^[\x21-\x2b\x2d-\x7e]{32,256}$/, 'must be comma-separated <client_id>=<secret of 32 to 256 printable characters, no comma>, each client once'),
  /** Where the OpenID Provider keeps the client secrets not given in `OIDC_CLIENT_SECRETS` (a private directory). */
  OIDC_CLIENT_SECRETS_DIR: z.string().min(1).default('var/oidc-clients'),
  /**
   * The keys officials open and close petitions with (`POST /petitions`, `POST /petitions/{id}/close`, sent as
   * `Authorization: Bearer <key>`; docs/petitions.md): comma-separated `<label>=<key>`, the key 32 to 256 characters of
   * `A-Z a-z 0-9 . _ ~ + / -`. A secret. The label is recorded as who opened a petition. Unset: nobody can open one (401).
   */
  PETITION_ADMIN_KEYS: labelledSecrets(/^[A-Za-z0-9._~+/-]{32,256}$/, 'must be comma-separated <label>=<key of 32 to 256 characters of A-Z a-z 0-9 . _ ~ + / ->, each label once', 64),
  /**
   * The key of the petitions' signer pseudonyms (HMAC-SHA-256; 64 hex characters). Unset: one is made at the first
   * start and kept in the verifier database. Changing it lets everyone sign the open petitions again.
   */
  PETITION_SECRET: env.hexKey().optional(),
  /** How often open petitions past their deadline are closed (milliseconds); 0: never by a timer (reads still close them). */
  PETITION_CLOSE_INTERVAL_MS: env.nonNegativeInt(30_000),
});

/** What {@link jsonFile}'s `parse` made of a file: the setting's value, or what is wrong with the file. */
type FileContents<T> = { value: T } | { problem: string };

/**
 * A setting naming a JSON file (relative to the working directory, `fallback` when unset), read and parsed by `parse`
 * once at start-up into the setting's value. A file that cannot be read, is not JSON or that `parse` refuses is an
 * issue of the setting, named with its path.
 */
function jsonFile<T>(fallback: string, parse: (json: unknown) => FileContents<T>) {
  return z
    .string()
    .default(fallback)
    .transform((path, context): T => {
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        context.addIssue({ code: 'custom', message: `${path} cannot be read as JSON (${error instanceof SyntaxError ? 'not JSON' : 'no such file or not readable'})` });
        return z.NEVER;
      }
      const contents = parse(json);
      if ('value' in contents) return contents.value;
      context.addIssue({ code: 'custom', message: `${path}: ${contents.problem}` });
      return z.NEVER;
    });
}

/** A label of a {@link labelledSecrets} entry: lower-case letters and digits, words joined by `-`. */
const SECRET_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A setting of comma-separated `<label>=<secret>` entries (blanks around them ignored; unset or empty: none) as a
 * record by label. Each label once, at most `maxLabelLength` characters; each secret matching `secret`. The values are
 * secrets: a bad list is refused with `rule`, never with the entry.
 */
function labelledSecrets(secret: RegExp, rule: string, maxLabelLength = Number.POSITIVE_INFINITY) {
  return z
    .string()
    .default('')
    .transform((value, context): Readonly<Record<string, string>> => {
      const secrets: Record<string, string> = {};
      for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
        // A label has no `=`: the entry's first one ends it.
        const equals = entry.indexOf('=');
        const label = entry.slice(0, equals);
        const given = entry.slice(equals + 1);
        if (equals === -1 || !SECRET_LABEL.test(label) || label.length > maxLabelLength || !secret.test(given) || secrets[label] !== undefined) {
          context.addIssue({ code: 'custom', message: rule });
          return z.NEVER;
        }
        secrets[label] = given;
      }
      return secrets;
    });
}

/** `entry` as an origin when it is exactly one (`http(s)://host[:port]`, a trailing `/` allowed); null otherwise. */
function originOf(entry: string): string | null {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return null;
  }
  const bare = (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.pathname === '/' && url.search === '' && url.hash === '';
  return bare && !entry.includes('?') && !entry.includes('#') ? url.origin : null;
}

/**
 * Every origin the verifier calls whatever its scheme and address (the fetch guard's allow-list): those of
 * `VERIFIER_FETCH_ALLOWED_ORIGINS`, and always the issuer it reads anchoring from (`ANCHOR_PROOF_URL`) and the one
 * the check page reads certificates from (`CHECK_ISSUER_URL`) — for a loopback issuer also its `localhost` ↔
 * `127.0.0.1` twin, as an issuer's own default public URL (`http://localhost:<port>`) and the verifier's default
 * `ANCHOR_PROOF_URL` (`http://127.0.0.1:3001`) name the same local service.
 */
export function fetchAllowedOrigins(config: Pick<VerifierConfig, 'VERIFIER_FETCH_ALLOWED_ORIGINS' | 'ANCHOR_PROOF_URL' | 'CHECK_ISSUER_URL'>): string[] {
  const issuers = [config.ANCHOR_PROOF_URL, config.CHECK_ISSUER_URL].flatMap((url) => {
    const origin = url === undefined || !URL.canParse(url) ? null : originOf(new URL(url).origin);
    if (origin === null) return [];
    const parsed = new URL(origin);
    const twin = parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname === '127.0.0.1' ? 'localhost' : undefined;
    if (twin === undefined) return [origin];
    parsed.hostname = twin;
    return [origin, parsed.origin];
  });
  return [...new Set([...config.VERIFIER_FETCH_ALLOWED_ORIGINS, ...issuers])];
}

/**
 * The `work-history` thresholds `WORK_HISTORY_MINIMUM_DAYS` and `WORK_HISTORY_MINIMUM_HOURS` set, as the policy
 * registry takes them.
 */
export function workHistoryConfigOf(config: Pick<VerifierConfig, 'WORK_HISTORY_MINIMUM_DAYS' | 'WORK_HISTORY_MINIMUM_HOURS'>): WorkHistoryConfig {
  const minimumHours = config.WORK_HISTORY_MINIMUM_HOURS;
  return minimumHours === undefined ? { minimumDays: config.WORK_HISTORY_MINIMUM_DAYS } : { minimumDays: config.WORK_HISTORY_MINIMUM_DAYS, minimumHours };
}

/** The verifier's parsed, frozen configuration. */
export type VerifierConfig = ReturnType<typeof loadVerifierConfig>;

/**
 * Parses the verifier's environment once.
 * @throws ConfigError naming each bad variable
 */
export function loadVerifierConfig(source: Record<string, string | undefined>) {
  return loadConfig(verifierEnv, source);
}
