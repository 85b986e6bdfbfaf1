import type { Clock } from '@citycred/config';
import { createHttpApp, listen, logLevelsFrom } from '@citycred/http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { VerifierConfig } from './config.js';
import { buildVerifierRuntime, type VerifierRuntime } from './runtime.js';
import { VerifierModule } from './verifier.module.js';

/** A running verifier service. */
export interface VerifierServer {
  app: NestFastifyApplication;
  runtime: VerifierRuntime;
  url: string;
  close(): Promise<void>;
}

/**
 * Assembles and starts the verifier service.
 * @param port - overrides `VERIFIER_PORT` (tests pass 0)
 */
export async function startVerifier(config: VerifierConfig, clock: Clock, port = config.VERIFIER_PORT): Promise<VerifierServer> {
  const runtime = await buildVerifierRuntime(config, clock);
  try {
    const app = await createHttpApp(VerifierModule.forRuntime(runtime), { logLevels: logLevelsFrom(config.LOG_LEVEL) });
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
