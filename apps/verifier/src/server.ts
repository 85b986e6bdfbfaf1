import type { Clock } from '@citycred/config';
import { httpOptionsFrom, serveRuntime, type RunningService } from '@citycred/http';
import type { VerifierConfig } from './config.js';
import { buildVerifierRuntime, type VerifierRuntime } from './runtime.js';
import { VerifierModule } from './verifier.module.js';

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
    http: httpOptionsFrom(config, clock),
  });
}
