import { env, loadConfig, platformEnv } from '@citycred/config';

/**
 * Environment of the verifier service. `ANCHOR_PROOF_URL` is the issuer service whose public
 * `/anchors/proofs/{hash}` endpoint is asked when a request brings no proof of its own;
 * `ANCHOR_GRACE_SECONDS` is how long a credential that issuer says is queued counts as `pending`.
 */
export const verifierEnv = platformEnv.extend({
  VERIFIER_PORT: env.port(3002),
  ANCHOR_PROOF_URL: env.url('http://127.0.0.1:3001'),
  ANCHOR_GRACE_SECONDS: env.positiveInt(600),
  CLOCK_SKEW_SECONDS: env.nonNegativeInt(60),
  DID_CACHE_TTL_MS: env.nonNegativeInt(60_000),
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
