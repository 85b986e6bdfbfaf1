import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, listen, logLevelsFrom } from './bootstrap.js';

/** Something assembled at start-up that must be closed on shutdown (database, chain provider…). */
export interface Closable {
  close(): Promise<void>;
}

/** A running HTTP service built around a runtime. */
export interface RunningService<R extends Closable> {
  app: NestFastifyApplication;
  runtime: R;
  url: string;
  /** Stops the HTTP server, then closes the runtime. */
  close(): Promise<void>;
}

/**
 * Starts a Nest service around an already assembled runtime; if the server cannot start, the runtime is
 * closed before the error propagates.
 * @param runtime - the service's dependencies
 * @param rootModule - builds the root module from the runtime
 */
export async function serveRuntime<R extends Closable>(
  runtime: R,
  rootModule: (runtime: R) => DynamicModule,
  options: { port: number; host: string; logLevel: Parameters<typeof logLevelsFrom>[0] },
): Promise<RunningService<R>> {
  try {
    const app = await createHttpApp(rootModule(runtime), { logLevels: logLevelsFrom(options.logLevel) });
    const url = await listen(app, options.port, options.host);
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

/** Closes `service` once on SIGINT or SIGTERM, then exits (0 when closing succeeded). */
export function closeOnSignals(service: Closable): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      service.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
