import type { Clock } from '@citycred/config';
import { httpOptionsFrom, serveRuntime, type CrossOriginPaths, type RunningService } from '@citycred/http';
import type { VerifierConfig } from './config.js';
import { buildVerifierRuntime, type VerifierRuntime } from './runtime.js';
import { VerifierModule } from './verifier.module.js';

/**
 * What the citizen wallet (a PWA on its own origin) calls on the verifier: an OpenID4VP request object by reference
 * and its response URI (`direct_post`, a form; the sign-in's under `/sign-in/`, the e-signatures' under `/signatures/`), and the public DID resolution it checks issuers' signatures with
 * (`GET /check/dids/{did}`). None honours a cookie; everything else stays same-origin.
 */
export const VERIFIER_WALLET_PATHS: CrossOriginPaths = Object.freeze({
  paths: [/^\/presentation-requests\/[^/]+\/(request|response)$/, /^\/sign-in\/presentation-requests\/[^/]+\/(request|response)$/, /^\/petitions\/presentation-requests\/[^/]+\/(request|response)$/, /^\/signatures\/presentation-requests\/[^/]+\/(request|response)$/, /^\/check\/dids\/[^/]+$/],
});

/** A running verifier service. */
export type VerifierServer = RunningService<VerifierRuntime>;

/**
 * Assembles and starts the verifier service.
 * @param port - overrides `VERIFIER_PORT` (tests pass 0)
 */
export async function startVerifier(config: VerifierConfig, clock: Clock, port = config.VERIFIER_PORT): Promise<VerifierServer> {
  const runtime = await buildVerifierRuntime(config, clock);
  return serveRuntime(runtime, (r) => VerifierModule.forRuntime(r), {
    port,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    http: { ...httpOptionsFrom(config, clock), crossOrigin: VERIFIER_WALLET_PATHS },
  });
}
