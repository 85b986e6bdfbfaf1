import { type DynamicModule, type INestApplication, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { systemClock, type Clock, type HttpEdgeEnv } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { allowCrossOriginReads, type CrossOriginPaths } from './cross-origin.js';
import { HttpEdge, type HttpEdgeSettings } from './edge.js';
import { FORM_MEDIA_TYPE, parseFormBody } from './form-body.js';
import { HEALTH_PROBES, unavailableDependencies, type HealthProbe } from './health.js';
import { refusePersonalData } from './personal-data-guard.js';
import { ProblemJsonFilter } from './problem-filter.js';
import { ClientRateLimiter, type RateLimitSettings } from './rate-limit.js';
import type { LogSink } from './throttled-log.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Largest accepted body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Nest log levels; default errors and warnings. */
  logLevels?: LogLevel[];
  /** Per-client limit of the routes marked `@RateLimited()`; absent or `perMinute: 0`: no limit. */
  rateLimit?: RateLimitSettings;
  /** Clock of the rate limit; default the system clock. */
  clock?: Clock;
  /**
   * Whose `X-Forwarded-For` to believe for the client address (Fastify's `trustProxy`: true, a number of hops,
   * or proxy addresses/ranges). Default none: the client is the peer of the TCP connection.
   */
  trustProxy?: boolean | number | readonly string[];
  /** Time limits, connection limits, rate-limit exemptions and the shutdown's quiet period; default {@link DEFAULT_EDGE_SETTINGS}. */
  edge?: Partial<HttpEdgeSettings>;
  /** Where the edge and the exception filter log (throttled); default Nest's `HTTP` logger. */
  log?: LogSink;
  /** Paths any origin's browser app may read (the citizen wallet's protocol calls); default none. */
  crossOrigin?: CrossOriginPaths;
}

/**
 * The HTTP options of a service from its parsed configuration (the `httpEdgeEnv` variables, `SHUTDOWN_QUIET_MS`,
 * and half of `SHUTDOWN_GRACE_MS` as the longest the listener stays open during a shutdown).
 * @param clock - the clock of the rate limit and the throttled log
 */
export function httpOptionsFrom(
  config: Readonly<Omit<HttpEdgeEnv, 'RATE_LIMIT_EXEMPT' | 'TRUST_PROXY'>> & {
    readonly RATE_LIMIT_EXEMPT: readonly string[];
    readonly TRUST_PROXY: boolean | number | readonly string[];
    readonly SHUTDOWN_QUIET_MS: number;
    readonly SHUTDOWN_GRACE_MS: number;
  },
  clock: Clock,
): Omit<HttpAppOptions, 'logLevels'> {
  return {
    rateLimit: { perMinute: config.RATE_LIMIT_PER_MINUTE, burst: config.RATE_LIMIT_BURST },
    trustProxy: config.TRUST_PROXY,
    clock,
    edge: {
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: config.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerClient: config.HTTP_MAX_CONNECTIONS_PER_CLIENT,
      exempt: config.RATE_LIMIT_EXEMPT,
      shutdownQuietMs: config.SHUTDOWN_QUIET_MS,
      shutdownListenMaxMs: Math.floor(config.SHUTDOWN_GRACE_MS / 2),
    },
  };
}

/** Fastify's adapter, telling the edge when Nest starts closing (before its shutdown hooks run). */
class EdgeFastifyAdapter extends FastifyAdapter {
  constructor(
    readonly edge: HttpEdge,
    options: FastifyServerOptions,
  ) {
    super(options);
  }

  override beforeClose(): void {
    this.edge.startClosing();
    super.beforeClose();
  }
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest log levels from a config `LOG_LEVEL` value (`info` means Nest's `log`). */
export function logLevelsFrom(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug'): LogLevel[] {
  const upTo = level === 'info' ? 'log' : level;
  return LEVELS.slice(0, LEVELS.indexOf(upTo) + 1);
}

/**
 * Creates a Nest application on Fastify with CityCred's HTTP conventions: problem+json for every error — those
 * of Nest's filter and everything answered before a handler runs (see {@link HttpEdge}: router and parser
 * errors, unknown routes, wrong methods, bodies that are not UTF-8 JSON, the shutdown 503, the rate limit) —
 * JSON bodies of any `+json` media type, and no stack traces in answers.
 * @param module - the root module
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const rateLimit = options.rateLimit && options.rateLimit.perMinute > 0 ? new ClientRateLimiter(options.rateLimit, options.clock ?? systemClock) : undefined;
  const edge = new HttpEdge({ rateLimiter: rateLimit, settings: options.edge, clock: options.clock, log: options.log });
  const adapter = new EdgeFastifyAdapter(edge, {
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ...(options.trustProxy === undefined ? {} : { trustProxy: trustProxyOption(options.trustProxy) }),
    ...edge.serverOptions(),
  });
  // No form or other body parsers: the edge refuses every body that is not UTF-8 JSON before it is read.
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: options.logLevels ?? ['fatal', 'error', 'warn'],
    abortOnError: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // First, so that a preflight is answered before the edge looks for an OPTIONS route and refusals carry the header.
  if (options.crossOrigin) allowCrossOriginReads(fastify, options.crossOrigin);
  refusePersonalData(fastify);
  edge.install(fastify);
  // The APIs speak JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  fastify.removeContentTypeParser(['text/plain', 'application/json']);
  const readJson = strictUtf8Json(fastify);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, readJson);
  fastify.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json/i, { parseAs: 'buffer' }, readJson);
  // Reached only on routes marked @AcceptsFormBody(): the edge refuses form bodies everywhere else.
  fastify.addContentTypeParser(FORM_MEDIA_TYPE, { parseAs: 'buffer' }, parseFormBody);
  const probes = healthProbesOf(app);
  app.useGlobalFilters(new ProblemJsonFilter(probes.length > 0 ? () => unavailableDependencies(probes) : undefined, edge.log));
  return app;
}

/**
 * The edge of an application made by {@link createHttpApp}, which drains its server on shutdown.
 * @throws TypeError for an application made otherwise
 */
export function httpEdgeOf(app: NestFastifyApplication): HttpEdge {
  const adapter = app.getHttpAdapter();
  if (!(adapter instanceof EdgeFastifyAdapter)) throw new TypeError('The application was not made by createHttpApp.');
  return adapter.edge;
}

/**
 * Aborted when an application made by {@link createHttpApp} starts shutting down (its drain, or Nest's `close`): see
 * {@link HttpEdge.shutdownSignal}. For providers, which reach the adapter through Nest's `HttpAdapterHost`.
 * @param adapter - the application's HTTP adapter (`HttpAdapterHost.httpAdapter`)
 * @throws TypeError for an adapter made otherwise
 */
export function shutdownSignalOf(adapter: unknown): AbortSignal {
  if (!(adapter instanceof EdgeFastifyAdapter)) throw new TypeError('The application was not made by createHttpApp.');
  return adapter.edge.shutdownSignal;
}

/**
 * Fastify's JSON body parser behind a strict UTF-8 decoder (RFC 8259): bytes that are not UTF-8 — which Fastify
 * would turn into U+FFFD and a handler would sign into a credential — and a leading byte order mark are refused
 * with 400 `request.invalid-encoding` before any handler. Prototype poisoning stays refused by Fastify's parser.
 */
function strictUtf8Json(fastify: FastifyInstance) {
  // Fastify's own parser is the callback form of its FastifyBodyParser union.
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as (request: FastifyRequest, body: string, done: (error: Error | null, body?: unknown) => void) => void;
  // ignoreBOM keeps a leading BOM in the text, so it can be refused rather than silently dropped.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  return (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void): void => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(new AppError(ErrorCode.RequestInvalidEncoding, 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    if (text.charCodeAt(0) === 0xfeff) {
      done(new AppError(ErrorCode.RequestInvalidEncoding, 'The request body starts with a byte order mark; send JSON without one.'), undefined);
      return;
    }
    parseJson(request, text, done);
  };
}

/** Fastify's `trustProxy` for a setting; a number of hops becomes the function proxy-addr makes of it (its types omit numbers). */
function trustProxyOption(setting: boolean | number | readonly string[]): FastifyServerOptions['trustProxy'] {
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

/** The {@link HEALTH_PROBES} the module provides, if any. */
function healthProbesOf(app: NestFastifyApplication): HealthProbe[] {
  try {
    return app.get<HealthProbe[]>(HEALTH_PROBES, { strict: false });
  } catch {
    return [];
  }
}

/** Starts listening and returns the base URL. */
export async function listen(app: INestApplication, port: number, host: string): Promise<string> {
  await app.listen(port, host);
  const url = await app.getUrl();
  return url.replace('[::1]', 'localhost');
}
