import type { Clock } from '@citycred/config';
import { httpOptionsFrom, serveRuntime, type RunningService } from '@citycred/http';
import type { IssuerConfig } from './config.js';
import { IssuerModule } from './issuer.module.js';
import { buildIssuerRuntime, type IssuerRuntime } from './runtime.js';

/** A running issuer service. */
export type IssuerServer = RunningService<IssuerRuntime>;

/**
 * Assembles and starts the issuer service.
 * @param config - parsed configuration
 * @param clock - the clock every module uses
 * @param port - overrides `ISSUER_PORT` (tests pass 0)
 */
export async function startIssuer(config: IssuerConfig, clock: Clock, port = config.ISSUER_PORT): Promise<IssuerServer> {
  const runtime = await buildIssuerRuntime(config, clock);
  return serveRuntime(runtime, (r) => IssuerModule.forRuntime(r), {
    port,
    host: config.HOST,
    logLevel: config.LOG_LEVEL,
    http: httpOptionsFrom(config, clock),
  });
}
