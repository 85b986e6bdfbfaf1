import type { Clock } from '@citycred/config';
import { createHttpApp, listen, logLevelsFrom } from '@citycred/http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IssuerConfig } from './config.js';
import { IssuerModule } from './issuer.module.js';
import { buildIssuerRuntime, type IssuerRuntime } from './runtime.js';

/** A running issuer service. */
export interface IssuerServer {
  app: NestFastifyApplication;
  runtime: IssuerRuntime;
  url: string;
  /** Stops the HTTP server, the anchoring worker, and closes the database. */
  close(): Promise<void>;
}

/**
 * Assembles and starts the issuer service.
 * @param config - parsed configuration
 * @param clock - the clock every module uses
 * @param port - overrides `ISSUER_PORT` (tests pass 0)
 */
export async function startIssuer(config: IssuerConfig, clock: Clock, port = config.ISSUER_PORT): Promise<IssuerServer> {
  const runtime = await buildIssuerRuntime(config, clock);
  try {
    const app = await createHttpApp(IssuerModule.forRuntime(runtime), { logLevels: logLevelsFrom(config.LOG_LEVEL) });
    const url = await listen(app, port, config.HOST);
    return {
      app,
      runtime,
      url,
      async close() {
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
