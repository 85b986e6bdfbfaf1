import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, httpEdgeOf, listen, logLevelsFrom, type HttpAppOptions } from './bootstrap.js';
import type { HttpEdge } from './edge.js';

/** Something assembled at start-up that must be closed on shutdown (database, chain provider…). */
export interface Closable {
  close(): Promise<void>;
}

/** A server that can be shut down gracefully by {@link closeOnSignals}. */
export interface Drainable extends Closable {
  /**
   * Stops accepting connections, lets the requests in flight finish (their connections then close, as do idle
   * keep-alive ones), then releases what the server holds. Resolves once everything is closed.
   */
  close(): Promise<void>;
  /**
   * Resets every connection still open. Used when the grace period ran out.
   * @returns how many had a request in progress or arriving, whose clients get no answer
   */
  resetConnections(): number;
}

/** A running HTTP service built around a runtime. */
export interface RunningService<R extends Closable> extends Drainable {
  app: NestFastifyApplication;
  runtime: R;
  url: string;
  /**
   * Drains the HTTP server (see {@link Drainable.close}), stops the modules (the anchoring worker waits for a pass
   * in progress), then closes the runtime — also when stopping the server failed.
   */
  close(): Promise<void>;
}

/**
 * Makes the shutdown of a server behind `edge` graceful: `close()` first drains its HTTP side (see
 * {@link HttpEdge.drain}: every request a client has sent is answered — those in flight normally, later ones 503 —
 * and no connection is reset), then runs `stop` (Fastify's or Nest's `close`: the modules' shutdown hooks).
 * @param edge - the edge installed on the server
 * @param stop - stops the framework around the server
 */
export function drainable(edge: HttpEdge, stop: () => Promise<void>): Drainable {
  return {
    async close() {
      await edge.drain();
      await stop();
    },
    resetConnections: () => edge.resetConnections(),
  };
}

/**
 * Starts a Nest service around an already assembled runtime; if the server cannot start, the runtime is
 * closed before the error propagates.
 * @param runtime - the service's dependencies
 * @param rootModule - builds the root module from the runtime
 * @param options - where to listen, the log level, and the service's HTTP edge settings (`http`)
 */
export async function serveRuntime<R extends Closable>(
  runtime: R,
  rootModule: (runtime: R) => DynamicModule,
  options: { port: number; host: string; logLevel: Parameters<typeof logLevelsFrom>[0]; http?: Omit<HttpAppOptions, 'logLevels'> },
): Promise<RunningService<R>> {
  try {
    const app = await createHttpApp(rootModule(runtime), { ...options.http, logLevels: logLevelsFrom(options.logLevel) });
    const http = drainable(httpEdgeOf(app), () => app.close());
    const url = await listen(app, options.port, options.host);
    return {
      app,
      runtime,
      url,
      async close() {
        try {
          await http.close();
        } finally {
          await runtime.close();
        }
      },
      resetConnections: () => http.resetConnections(),
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** How {@link closeOnSignals} shuts a service down. */
export interface ShutdownOptions {
  /** How long the requests in flight (and the service's own closing) may take before connections are reset (`SHUTDOWN_GRACE_MS`). */
  graceMs: number;
  /** Where a failed or overdue shutdown is reported; default standard error. */
  log?: (line: string) => void;
}

/**
 * After resetting the connections of an overdue shutdown, how long the rest of the closing (modules, database,
 * chain provider) may still take: resetting usually unblocks it at once, and an exit without it is safe too.
 */
const AFTER_RESET_MS = 1_000;

/**
 * Closes `service` within `graceMs` and tells how it went.
 * @returns 0 when it closed in time; 1 when closing failed, or when the grace ran out (its connections are
 *   then reset, and the rest of the closing gets a moment more)
 */
export async function shutDown(service: Drainable, options: ShutdownOptions): Promise<0 | 1> {
  const log = options.log ?? ((line: string) => console.error(line));
  const closed = service.close().then(
    () => ({ failure: undefined }),
    (error: unknown) => ({ failure: error instanceof Error ? error.message : String(error) }),
  );
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<'overdue'>((resolve) => (timer = setTimeout(() => resolve('overdue'), options.graceMs)));
  const outcome = await Promise.race([closed, overdue]);
  clearTimeout(timer);
  if (outcome === 'overdue') {
    const cut = service.resetConnections();
    log(`shutdown: not finished within ${options.graceMs} ms (SHUTDOWN_GRACE_MS); reset the connections still open (${cut} with a request unanswered)`);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, AFTER_RESET_MS))]);
    return 1;
  }
  if (outcome.failure !== undefined) {
    log(`shutdown: closing failed: ${outcome.failure}`);
    return 1;
  }
  return 0;
}

/**
 * On the first SIGINT or SIGTERM, shuts `service` down (see {@link shutDown}) and exits with its result: 0 after
 * a clean drain, 1 otherwise. Later signals are ignored — the shutdown is already bounded by `graceMs`, and a
 * terminal's Ctrl-C reaches `npm start` and its services at once.
 */
export function closeOnSignals(service: Drainable, options: ShutdownOptions): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      void shutDown(service, options).then((code) => process.exit(code));
    });
  }
}
