import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AppError, ErrorCode, problemFor, toProblem, type ProblemDocument } from '@citycred/errors';
import { isDatabaseUnavailable } from '@citycred/persistence';
import type { LogSink } from './throttled-log.js';

/** Content type of RFC 9457 problem documents. */
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/** Seconds a client is told to wait (Retry-After) before trying again a service that answered 503 without saying when. */
export const SERVICE_RETRY_AFTER_SECONDS = 5;

/** The part of Fastify's reply our handlers use (they send with `@Res()` when status or headers vary). */
export interface HttpReply {
  status(code: number): HttpReply;
  header(name: string, value: string): HttpReply;
  send(payload: unknown): unknown;
}

const JSON_BODY_ERRORS = new Set(['FST_ERR_CTP_INVALID_JSON_BODY', 'FST_ERR_CTP_EMPTY_JSON_BODY']);

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  404: ErrorCode.NotFound,
  405: ErrorCode.MethodNotAllowed,
  413: ErrorCode.RequestTooLarge,
  414: ErrorCode.RequestUriTooLong,
  415: ErrorCode.RequestUnsupportedMediaType,
  429: ErrorCode.RequestRateLimited,
  431: ErrorCode.RequestHeaderTooLarge,
};

/**
 * Maps anything thrown at the HTTP edge to a problem document: {@link AppError} by its code (also when a framework
 * wrapped it), framework and body-parser errors by their status, everything else to a 500 whose detail reveals
 * nothing (the fault is logged).
 * @param logger - where faults are logged; pass a `ThrottledLog` so a flood of identical faults leaves one line
 */
export function problemFromError(error: unknown, logger?: LogSink): ProblemDocument {
  const appError = appErrorOf(error);
  if (appError) return toProblem(appError);
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : typeof (error as { statusCode?: unknown })?.statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
  // The database did not answer in time or cannot be reached: our outage, known without asking the health probes.
  // Not for an error the framework already judged the request's (4xx): a client that aborts or times out its upload
  // leaves an ECONNRESET "aborted" on the request body, which says nothing about the database.
  if ((status < 400 || status >= 500) && isDatabaseUnavailable(error)) {
    logger?.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return problemFor(ErrorCode.ServiceUnavailable, 'Not answering: database');
  }
  // Nest wraps Fastify's body-parser errors in an HttpException whose cause carries Fastify's code.
  const cause = (error as { cause?: unknown })?.cause;
  const fastifyCode = (error as { code?: unknown })?.code ?? (cause as { code?: unknown } | undefined)?.code;
  if (status === 400 && (error instanceof SyntaxError || cause instanceof SyntaxError || JSON_BODY_ERRORS.has(String(fastifyCode)))) {
    return problemFor(ErrorCode.RequestMalformedJson, 'The request body could not be parsed as JSON.');
  }
  const mapped = HTTP_STATUS_CODES[status];
  // Never the exception's message: Nest's and Fastify's repeat the request (its method and path).
  if (mapped) return problemFor(mapped);
  if (status >= 400 && status < 500) return problemFor(ErrorCode.RequestInvalid, 'The request was not understood.');
  logger?.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return toProblem(error);
}

/** The {@link AppError} `error` is, or that a framework wrapped as its cause (Fastify's body parsers, Nest). */
function appErrorOf(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  const cause = (error as { cause?: unknown } | null | undefined)?.cause;
  return cause instanceof AppError ? cause : undefined;
}

/**
 * When a client may try again after `problem`, if it may: what `error` says ({@link AppError.retryAfterSeconds}),
 * else for a 503 {@link SERVICE_RETRY_AFTER_SECONDS}.
 */
export function retryAfterOf(problem: ProblemDocument, error?: unknown): number | undefined {
  const stated = appErrorOf(error)?.retryAfterSeconds;
  if (stated !== undefined) return stated;
  return problem.status === 503 ? SERVICE_RETRY_AFTER_SECONDS : undefined;
}

/**
 * Sends a problem document with the right status and content type; for a 401 the challenge RFC 9110 asks for; with
 * `Retry-After` when given, and on every 503 (by default {@link SERVICE_RETRY_AFTER_SECONDS}).
 */
export function sendProblem(reply: HttpReply, problem: ProblemDocument, retryAfterSeconds = retryAfterOf(problem)): void {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="citycred"');
  if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
  void reply.status(problem.status).header('content-type', PROBLEM_JSON).send(problem);
}

/**
 * Answers `problem` on a raw socket, where no request or reply exists (Node's parser could not read the request,
 * a CONNECT, a connection over the limits) or where Node would otherwise answer in its own shape, and ends the
 * connection. It keeps reading what the client still sends, so the client reads the answer instead of a reset;
 * a client that never stops sending, or never closes its side, is cut off after `lingerMs`.
 * @param headers - extra header fields (lower-case names)
 */
export function answerOnSocket(socket: Socket, problem: ProblemDocument, headers: Record<string, string> = {}, lingerMs = 10_000): void {
  if (socket.destroyed || !socket.writable) return;
  const body = JSON.stringify(problem);
  const retryAfter = retryAfterOf(problem);
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
    `content-type: ${PROBLEM_JSON}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    ...(retryAfter === undefined ? [] : [`retry-after: ${retryAfter}`]),
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  socket.resume();
  const cutOff = setTimeout(() => socket.destroy(), lingerMs);
  cutOff.unref();
  socket.once('close', () => clearTimeout(cutOff));
}

/**
 * The one exception filter of every CityCred HTTP service. An unexpected fault is a 500 unless a dependency is down:
 * then it is our own outage, answered 503 `service.unavailable` naming the dependency as `/health` does.
 */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  /**
   * @param unavailable - names of the dependencies not answering; asked only before answering a 500
   * @param logger - where faults are logged (default Nest's `HTTP` logger); a `ThrottledLog` folds floods of one line
   */
  constructor(
    private readonly unavailable?: () => Promise<string[]>,
    private readonly logger: LogSink = new Logger('HTTP'),
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const problem = problemFromError(exception, this.logger);
    if (problem.status !== 500 || !this.unavailable) {
      sendProblem(reply, problem, retryAfterOf(problem, exception));
      return;
    }
    // Nest hands the reply back to Fastify, which waits for this later send.
    void this.unavailable().then(
      (down) => sendProblem(reply, down.length > 0 ? problemFor(ErrorCode.ServiceUnavailable, `Not answering: ${down.join(', ')}`) : problem),
      () => sendProblem(reply, problem),
    );
  }
}
