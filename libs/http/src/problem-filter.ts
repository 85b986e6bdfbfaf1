import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { AppError, ErrorCode, problemFor, toProblem, type ProblemDocument } from '@citycred/errors';
import { isDatabaseUnavailable } from '@citycred/persistence';

/** Content type of RFC 9457 problem documents. */
export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

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
 * Maps anything thrown at the HTTP edge to a problem document: {@link AppError} by its code, framework and
 * body-parser errors by their status, everything else to a 500 whose detail reveals nothing (the fault is logged).
 */
export function problemFromError(error: unknown, logger?: Logger): ProblemDocument {
  if (error instanceof AppError) return toProblem(error);
  // The database did not answer in time or cannot be reached: our outage, known without asking the health probes.
  if (isDatabaseUnavailable(error)) {
    logger?.warn(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return problemFor(ErrorCode.ServiceUnavailable, 'Not answering: database');
  }
  const status =
    error instanceof HttpException
      ? error.getStatus()
      : typeof (error as { statusCode?: unknown })?.statusCode === 'number'
        ? (error as { statusCode: number }).statusCode
        : 500;
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

/** Sends a problem document with the right status and content type (and, for a 401, the challenge RFC 9110 asks for). */
export function sendProblem(reply: HttpReply, problem: ProblemDocument): void {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="citycred"');
  void reply.status(problem.status).header('content-type', PROBLEM_JSON).send(problem);
}

/**
 * The one exception filter of every CityCred HTTP service. An unexpected fault is a 500 unless a dependency is down:
 * then it is our own outage, answered 503 `service.unavailable` naming the dependency as `/health` does.
 */
@Catch()
export class ProblemJsonFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  /** @param unavailable - names of the dependencies not answering; asked only before answering a 500 */
  constructor(private readonly unavailable?: () => Promise<string[]>) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<HttpReply>();
    const problem = problemFromError(exception, this.logger);
    if (problem.status !== 500 || !this.unavailable) {
      sendProblem(reply, problem);
      return;
    }
    // Nest hands the reply back to Fastify, which waits for this later send.
    void this.unavailable().then(
      (down) => sendProblem(reply, down.length > 0 ? problemFor(ErrorCode.ServiceUnavailable, `Not answering: ${down.join(', ')}`) : problem),
      () => sendProblem(reply, problem),
    );
  }
}
