import { STATUS_CODES, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, problemFor, type ProblemDocument } from '@citycred/errors';
import { PROBLEM_JSON, problemFromError, sendProblem } from './problem-filter.js';
import { clientKey, RATE_LIMITED_ROUTE, type ClientRateLimiter } from './rate-limit.js';

/** Seconds a client is told to wait (Retry-After) before trying a service that is shutting down. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 5;

/** Methods a path is tried with when a request finds no route, to tell 405 (with Allow) from 404. */
const ROUTABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const TOKEN = "[a-z0-9!#$%&'*+.^_`|~-]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.+-]+\+json)$/;
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d$/;

/** A refusal the edge answers itself: the problem, and the headers that go with it. */
interface Refusal {
  problem: ProblemDocument;
  headers?: Record<string, string>;
}

/** The Fastify server options {@link HttpEdge.serverOptions} returns. */
export interface HttpEdgeServerOptions {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;
  clientErrorHandler: (error: Error, socket: Socket) => void;
  return503OnClosing: false;
  http: ServerOptions;
}

/**
 * The one edge of a CityCred HTTP server: everything answered before a route handler runs is problem+json too.
 * It covers what Fastify and Node.js would otherwise answer in their own shapes, often echoing the request —
 * malformed URLs and over-long path parameters (router), unparsable requests, unknown methods and oversized
 * headers (Node's HTTP parser, written raw on the socket), a missing Host header, `Expect` it cannot meet,
 * unknown routes and wrong methods, bodies that are not UTF-8 JSON sent as is, and requests that arrive
 * while the service shuts down — and it applies the per-client rate limit of routes marked
 * {@link RateLimited}. No answer repeats any part of the request.
 */
export class HttpEdge {
  private readonly logger = new Logger('HTTP');
  private closing = false;

  /** @param options - `rateLimiter` for routes marked {@link RateLimited} (none: no limit) */
  constructor(private readonly options: { rateLimiter?: ClientRateLimiter } = {}) {}

  /** Options to create the Fastify server with, so its framework and client errors come here. */
  serverOptions(): HttpEdgeServerOptions {
    return {
      frameworkErrors: (error, _request, reply) => sendProblem(reply, this.frameworkProblem(error)),
      clientErrorHandler: (error, socket) => this.answerClientError(error, socket),
      return503OnClosing: false,
      // Node would answer a missing Host header with a bare 400; the request hook answers it instead.
      http: { requireHostHeader: false },
    };
  }

  /** Adds the request hook and the `Expect` handler to `fastify` (before it listens). */
  install(fastify: FastifyInstance): void {
    fastify.addHook('preClose', (done) => {
      this.startClosing();
      done();
    });
    // Answers to requests that were already in flight when closing began end their connection too.
    fastify.addHook('onSend', async (_request, reply) => {
      if (this.closing) void reply.header('connection', 'close');
    });
    fastify.addHook('onRequest', async (request, reply) => {
      const refusal = this.refusalOf(fastify, request);
      if (!refusal) return;
      for (const [name, value] of Object.entries(refusal.headers ?? {})) void reply.header(name, value);
      sendProblem(reply, refusal.problem);
      return reply;
    });
    fastify.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
      const problem = problemFor(ErrorCode.RequestExpectationFailed, 'Only "Expect: 100-continue" is understood.');
      const body = JSON.stringify(problem);
      response.writeHead(problem.status, { 'content-type': PROBLEM_JSON, 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
    });
  }

  /**
   * From now on every new request is answered 503 `service.unavailable` with Retry-After and `Connection: close`
   * (requests already past the edge finish normally). Called when the application starts closing.
   */
  startClosing(): void {
    this.closing = true;
  }

  private refusalOf(fastify: FastifyInstance, request: FastifyRequest): Refusal | undefined {
    if (this.closing) {
      return {
        problem: problemFor(ErrorCode.ServiceUnavailable, 'The service is shutting down; retry shortly.'),
        headers: { 'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS), connection: 'close' },
      };
    }
    const raw = request.raw;
    if (raw.httpVersionMajor === 1 && raw.httpVersionMinor >= 1 && request.headers.host === undefined) {
      return { problem: problemFor(ErrorCode.RequestInvalid, 'An HTTP/1.1 request must carry a Host header.') };
    }
    if (request.is404) return this.noRoute(fastify, request.url);
    if (this.options.rateLimiter && (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[RATE_LIMITED_ROUTE] === true) {
      const decision = this.options.rateLimiter.take(clientKey(request.ip));
      if (!decision.allowed) {
        return {
          problem: problemFor(ErrorCode.RequestRateLimited, `This client sent more requests than this endpoint allows; retry in ${decision.retryAfterSeconds} s.`),
          headers: { 'retry-after': String(decision.retryAfterSeconds) },
        };
      }
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return bodyRefusal(request.headers);
    return undefined;
  }

  private noRoute(fastify: FastifyInstance, url: string): Refusal {
    const path = url.split(/[?#]/, 1)[0]!;
    const allowed = ROUTABLE_METHODS.filter((method) => fastify.findRoute({ method, url: path }) !== null);
    if (allowed.length === 0) return { problem: problemFor(ErrorCode.NotFound, 'Nothing is served at this path.') };
    return { problem: problemFor(ErrorCode.MethodNotAllowed, 'This path does not accept this method; see the Allow header.'), headers: { allow: allowed.join(', ') } };
  }

  private frameworkProblem(error: FastifyError): ProblemDocument {
    switch (error.code) {
      case 'FST_ERR_BAD_URL':
        return problemFor(ErrorCode.RequestMalformedUrl, 'The request path is not a valid URL (malformed percent-encoding).');
      case 'FST_ERR_MAX_PARAM_LENGTH':
        return problemFor(ErrorCode.RequestUriTooLong, 'A path segment is longer than this service accepts.');
      default:
        return problemFromError(error, this.logger);
    }
  }

  /** Answers what Node's HTTP parser could not read, on the raw socket (no request or reply exists yet). */
  private answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket): void {
    // A reset connection has no one to answer; a socket already answered (the parser may report twice) is left alone.
    if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
    const problem = clientErrorProblem(error);
    const body = JSON.stringify(problem);
    const head = [
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}`,
      `content-type: ${PROBLEM_JSON}`,
      `content-length: ${Buffer.byteLength(body)}`,
      'cache-control: no-store',
      'connection: close',
    ];
    // Half-close and keep reading what the client is still sending, so it reads the answer instead of a reset;
    // a client that never stops sending is cut off after a while.
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
    socket.resume();
    socket.setTimeout(10_000, () => socket.destroy());
  }
}

/** The problem for an error of Node's HTTP parser (`clientError`). */
function clientErrorProblem(error: { code?: string; rawPacket?: Buffer }): ProblemDocument {
  const firstLine = error.rawPacket?.subarray(0, 16 * 1024).toString('latin1').split('\r\n', 1)[0] ?? '';
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      // The request line alone did not fit: the URI is too long. Otherwise the header fields are.
      return error.rawPacket && !error.rawPacket.includes('\r\n')
        ? problemFor(ErrorCode.RequestUriTooLong, 'The request URI is longer than this service accepts.')
        : problemFor(ErrorCode.RequestHeaderTooLarge, 'The request header fields are larger than this service accepts.');
    case 'HPE_INVALID_METHOD':
      return REQUEST_LINE.test(firstLine)
        ? problemFor(ErrorCode.MethodNotImplemented, 'This service does not implement the request method.')
        : problemFor(ErrorCode.RequestInvalid, 'The request is not valid HTTP/1.1.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problemFor(ErrorCode.RequestTimeout, 'The request was not received completely in time.');
    default:
      return problemFor(ErrorCode.RequestInvalid, 'The request is not valid HTTP/1.1.');
  }
}

/**
 * Why a request body cannot be read, if it cannot: the APIs read JSON (`application/json` or a `+json` type) in
 * UTF-8 (RFC 8259), sent as is; any other media type, charset or content coding is refused with 415 before
 * the body is read, instead of being parsed leniently.
 */
function bodyRefusal(headers: FastifyRequest['headers']): Refusal | undefined {
  const length = headers['content-length'];
  if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) return undefined;
  const coding = headers['content-encoding']?.trim().toLowerCase();
  if (coding !== undefined && coding !== '' && coding !== 'identity') {
    return {
      problem: problemFor(ErrorCode.RequestUnsupportedMediaType, 'Compressed bodies are not accepted; send the JSON without a Content-Encoding.'),
      headers: { 'accept-encoding': 'identity' },
    };
  }
  const media = parseMediaType(headers['content-type']);
  if (!media || !JSON_MEDIA_TYPE.test(media.essence)) {
    return { problem: problemFor(ErrorCode.RequestUnsupportedMediaType, 'Send the body as application/json (or another +json media type).') };
  }
  const charset = media.parameters.get('charset');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return { problem: problemFor(ErrorCode.RequestUnsupportedMediaType, 'JSON bodies must be encoded in UTF-8.') };
  }
  return undefined;
}

/** `type/subtype; name=value` → lower-cased essence and parameters (quoted values unquoted); undefined when malformed. */
function parseMediaType(header: string | undefined): { essence: string; parameters: Map<string, string> } | undefined {
  if (header === undefined) return undefined;
  const [essence = '', ...rest] = header.split(';').map((part) => part.trim());
  const lowered = essence.toLowerCase();
  if (!MEDIA_TYPE.test(lowered)) return undefined;
  const parameters = new Map<string, string>();
  for (const parameter of rest) {
    if (parameter === '') continue;
    const at = parameter.indexOf('=');
    if (at <= 0) return undefined;
    const value = parameter.slice(at + 1).trim();
    parameters.set(parameter.slice(0, at).trim().toLowerCase(), (value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value).toLowerCase());
  }
  return { essence: lowered, parameters };
}
