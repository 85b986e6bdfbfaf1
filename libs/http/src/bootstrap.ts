import { type DynamicModule, type INestApplication, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HEALTH_PROBES, unavailableDependencies, type HealthProbe } from './health.js';
import { ProblemJsonFilter } from './problem-filter.js';

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Largest accepted body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** Nest log levels; default errors and warnings. */
  logLevels?: LogLevel[];
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Nest log levels from a config `LOG_LEVEL` value (`info` means Nest's `log`). */
export function logLevelsFrom(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug'): LogLevel[] {
  const upTo = level === 'info' ? 'log' : level;
  return LEVELS.slice(0, LEVELS.indexOf(upTo) + 1);
}

/**
 * Creates a Nest application on Fastify with CityCred's HTTP conventions: problem+json for every error
 * (including body-parser failures, which Fastify handles before Nest; unknown routes reach Nest's filter as a NotFoundException), JSON bodies of
 * any `+json` media type, and no stack traces in answers.
 * @param module - the root module
 */
export async function createHttpApp(module: Type<unknown> | DynamicModule, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: options.logLevels ?? ['fatal', 'error', 'warn'],
    abortOnError: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // The APIs speak JSON only: a text/plain body is refused with 415 instead of reaching a handler as a string.
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json/i, { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  const probes = healthProbesOf(app);
  app.useGlobalFilters(new ProblemJsonFilter(probes.length > 0 ? () => unavailableDependencies(probes) : undefined));
  app.enableShutdownHooks();
  return app;
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
