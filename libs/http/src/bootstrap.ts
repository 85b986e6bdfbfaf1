import { type DynamicModule, type INestApplication, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';
import { systemClock, type Clock } from '@citycred/config';
import { HttpEdge } from './edge.js';
import { HEALTH_PROBES, unavailableDependencies, type HealthProbe } from './health.js';
import { refusePersonalData } from './personal-data-guard.js';
import { ProblemJsonFilter } from './problem-filter.js';
import { ClientRateLimiter, type RateLimitSettings } from './rate-limit.js';

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
}

/** Fastify's adapter, telling the edge when Nest starts closing (before its shutdown hooks run). */
class EdgeFastifyAdapter extends FastifyAdapter {
  constructor(
    private readonly edge: HttpEdge,
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
  const edge = new HttpEdge({ rateLimiter: rateLimit });
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
  refusePersonalData(fastify);
  edge.install(fastify);
  // The APIs speak JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json/i, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  const probes = healthProbesOf(app);
  app.useGlobalFilters(new ProblemJsonFilter(probes.length > 0 ? () => unavailableDependencies(probes) : undefined));
  return app;
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
