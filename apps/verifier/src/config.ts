import { env, loadConfig, platformEnv } from '@citycred/config';
import { z } from 'zod';
import { isP256PrivateJwk } from './oid4vp/signing-jwk.js';

/**
 * Environment of the verifier service. `ANCHOR_PROOF_URL` is the issuer service whose public
 * `/anchors/proofs/{hash}` endpoint is asked when a request brings no proof of its own;
 * `ANCHOR_GRACE_SECONDS` is how long a credential that issuer says is queued counts as `pending`.
 * `STATUS_LIST_TIMEOUT_MS` bounds one fetch of a status list a credential names; `STATUS_LIST_MAX_CACHE_SECONDS` is
 * the longest a fetched list is used without asking its issuer again (its `Cache-Control: max-age`, capped by this).
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
  /** The verifier's public URL: the audience (`aud`) a presentation must name when the caller gives no `domain`. */
  VERIFIER_PUBLIC_URL: env.optionalUrl(),
  /** How long a challenge from `POST /challenges` may be used (seconds). */
  CHALLENGE_TTL_SECONDS: env.positiveInt(300),
  /** Bearer token of `GET /metrics` (Prometheus text); unset: the endpoint is off (404). */
  METRICS_TOKEN: env.metricsToken(),
  /** How old a presentation (its `iat`) may be (seconds). */
  PRESENTATION_MAX_AGE_SECONDS: env.positiveInt(300),
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
});

/** The verifier's parsed, frozen configuration. */
export type VerifierConfig = ReturnType<typeof loadVerifierConfig>;

/**
 * Parses the verifier's environment once.
 * @throws ConfigError naming each bad variable
 */
export function loadVerifierConfig(source: Record<string, string | undefined>) {
  return loadConfig(verifierEnv, source);
}
