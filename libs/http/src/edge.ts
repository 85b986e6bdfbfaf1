import type { IncomingMessage, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '@citycred/config';
import { ErrorCode, problemFor, type ProblemDocument } from '@citycred/errors';
import { ConnectionGuard } from './connections.js';
import { acceptsFormBody, FORM_MEDIA_TYPE } from './form-body.js';
import { answerOnSocket, PROBLEM_JSON, problemFromError, SERVICE_RETRY_AFTER_SECONDS, sendProblem } from './problem-filter.js';
import { AddressSet, clientKey, RATE_LIMITED_ROUTE, type ClientRateLimiter } from './rate-limit.js';
import { ThrottledLog, type LogSink } from './throttled-log.js';

/** Seconds a client is told to wait (Retry-After) before trying a service that is shutting down. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = SERVICE_RETRY_AFTER_SECONDS;

/** Time limits and connection limits of the edge; see README "Configuration" for the variables they come from. */
export interface HttpEdgeSettings {
  /** The whole request, headers and body, must arrive within this (`HTTP_REQUEST_TIMEOUT_MS`); else 408. */
  requestTimeoutMs: number;
  /** Its header fields within this (`HTTP_HEADERS_TIMEOUT_MS`; at most `requestTimeoutMs`). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (`HTTP_KEEP_ALIVE_TIMEOUT_MS`). */
  keepAliveTimeoutMs: number;
  /** Open connections served at once (`HTTP_MAX_CONNECTIONS`); beyond it a new one is answered 503 and closed. */
  maxConnections: number;
  /** Open connections one client address may hold (`HTTP_MAX_CONNECTIONS_PER_CLIENT`). */
  maxConnectionsPerClient: number;
  /** Addresses and CIDR ranges never rate-limited nor held to the per-client limit (`RATE_LIMIT_EXEMPT`). */
  exempt: readonly string[];
  /** During a shutdown, how long a connection without a request in progress stays open (`SHUTDOWN_QUIET_MS`). */
  shutdownQuietMs: number;
  /**
   * During a shutdown, how long the listener stays open at most to accept the connections the kernel has queued
   * (half of `SHUTDOWN_GRACE_MS`); it closes as soon as none is left.
   */
  shutdownListenMaxMs: number;
}

/** The settings the services run with unless configured otherwise. */
export const DEFAULT_EDGE_SETTINGS: Readonly<HttpEdgeSettings> = Object.freeze({
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_000,
  maxConnectionsPerClient: 100,
  exempt: [],
  shutdownQuietMs: 1_000,
  shutdownListenMaxMs: 5_000,
});

/** Methods a path is tried with when a request finds no route, to tell 405 (with Allow) from 404. */
const ROUTABLE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const TOKEN = "[a-z0-9!#$%&'*+.^_`|~-]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9!#$&^_.+-]+\+json)$/;
const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/\d\.\d$/;

/** A refusal the edge answers itself: the problem, and the headers that go with it. */
interface Refusal {
  problem: ProblemDocument;
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
}

/** The Fastify server options {@link HttpEdge.serverOptions} returns. */
export interface HttpEdgeServerOptions {
  frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void;
  clientErrorHandler: (error: Error, socket: Socket) => void;
  return503OnClosing: false;
  requestTimeout: number;
  keepAliveTimeout: number;
  forceCloseConnections: false;
  http: ServerOptions & { headersTimeout: number; connectionsCheckingInterval: number };
}

/**
 * The one edge of a CityCred HTTP server: everything answered before a route handler runs is problem+json too.
 * It covers what Fastify and Node.js would otherwise answer in their own shapes, often echoing the request —
 * malformed URLs and over-long path parameters (router), unparsable requests, unknown methods and oversized
 * headers (Node's HTTP parser, written raw on the socket), a missing Host header, `Expect` it cannot meet,
 * unknown routes and wrong methods, CONNECT, bodies that are not UTF-8 JSON sent as is, requests that arrive
 * too slowly (408), connections beyond the service's or a client's limit (503), and requests that arrive
 * while the service shuts down — and it applies the per-client rate limit of routes marked
 * {@link RateLimited}. No answer repeats any part of the request. It also drains the server on shutdown
 * ({@link HttpEdge.drain}).
 */
export class HttpEdge {
  private readonly logger: LogSink;
  private readonly rateLimiter: ClientRateLimiter | undefined;
  private readonly settings: HttpEdgeSettings;
  private readonly exempt: AddressSet;
  private readonly connections: ConnectionGuard;
  private closing = false;
  private readonly shutdown = new AbortController();

  /**
   * @param options - `rateLimiter` for routes marked {@link RateLimited} (none: no limit); `settings` over
   *   {@link DEFAULT_EDGE_SETTINGS}; `clock` and `log` of the throttled log (default the system clock and Nest's
   *   `HTTP` logger)
   * @throws RangeError when an exempt entry is not an address or CIDR range
   */
  constructor(options: { rateLimiter?: ClientRateLimiter; settings?: Partial<HttpEdgeSettings>; clock?: Clock; log?: LogSink } = {}) {
    this.rateLimiter = options.rateLimiter;
    this.settings = { ...DEFAULT_EDGE_SETTINGS, ...options.settings };
    this.logger = new ThrottledLog(options.log ?? new Logger('HTTP'), options.clock ?? systemClock);
    this.exempt = new AddressSet(this.settings.exempt);
    this.connections = new ConnectionGuard(this.settings, (address) => this.exempt.has(address), this.logger);
  }

  /** The throttled log the edge reports through; the service's exception filter uses it too. */
  get log(): LogSink {
    return this.logger;
  }

  /** Options to create the Fastify server with: its time limits, and its framework and client errors come here. */
  serverOptions(): HttpEdgeServerOptions {
    const headersTimeout = Math.min(this.settings.headersTimeoutMs, this.settings.requestTimeoutMs);
    return {
      frameworkErrors: (error, _request, reply) => sendProblem(reply, this.frameworkProblem(error)),
      clientErrorHandler: (error, socket) => this.answerClientError(error, socket),
      return503OnClosing: false,
      requestTimeout: this.settings.requestTimeoutMs,
      keepAliveTimeout: this.settings.keepAliveTimeoutMs,
      // The edge drains the connections itself (see drain).
      forceCloseConnections: false,
      http: {
        // Node would answer a missing Host header with a bare 400; the request hook answers it instead.
        requireHostHeader: false,
        headersTimeout,
        // How often Node looks for requests over their time (its default, 30 s, would double the timeouts).
        connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
      },
    };
  }

  /** Adds the request hooks, the connection limits and the `Expect` and CONNECT handlers to `fastify` (before it listens). */
  install(fastify: FastifyInstance): void {
    this.connections.attach(fastify.server);
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
      sendProblem(reply, refusal.problem, refusal.retryAfterSeconds);
      return reply;
    });
    fastify.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
      const problem = problemFor(ErrorCode.RequestExpectationFailed, 'Only "Expect: 100-continue" is understood.');
      const body = JSON.stringify(problem);
      response.writeHead(problem.status, { 'content-type': PROBLEM_JSON, 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
    });
    // Without a listener Node closes a CONNECT's connection without a word; the services are no proxy.
    fastify.server.on('connect', (_request: IncomingMessage, socket: Socket) => {
      // Node has taken its own error handler off a CONNECT's socket: a client that resets it must not crash us.
      socket.on('error', () => undefined);
      answerOnSocket(socket, problemFor(ErrorCode.MethodNotImplemented, 'This service is not a proxy: CONNECT is not implemented.'));
    });
    // `Upgrade` (WebSocket, h2c) has no listener on purpose: Node then hands the request to the routes as a plain
    // one, and the answer ignores the Upgrade, as RFC 9110 allows.
  }

  /**
   * From now on every new request is answered 503 `service.unavailable` with Retry-After and `Connection: close`
   * (requests already past the edge finish normally). Called when the application starts closing.
   */
  startClosing(): void {
    this.closing = true;
    this.shutdown.abort();
  }

  /**
   * Aborted once closing began ({@link startClosing}): a handler whose answer stays open — a server-sent event
   * stream — ends it on this signal, or the drain would wait for it until the grace ran out.
   */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  /**
   * Shuts the server's HTTP side down without resetting a request a client has sent: new requests get 503 (see
   * {@link startClosing}); the listener stays open until the connections the kernel already completed are
   * accepted (at most `shutdownListenMaxMs`), so they are answered rather than reset, then closes; requests in
   * progress finish, their connections closing with the answer; idle connections close once quiet for
   * `shutdownQuietMs`. Resolves when no connection is left (the caller bounds it: {@link resetConnections} after
   * its grace).
   */
  async drain(): Promise<void> {
    this.startClosing();
    await this.connections.drain(this.settings.shutdownQuietMs, this.settings.shutdownListenMaxMs);
  }

  /**
   * Destroys every connection still open (a shutdown whose grace ran out).
   * @returns how many had a request in progress or arriving, whose clients get no answer
   */
  resetConnections(): number {
    return this.connections.resetAll();
  }

  private refusalOf(fastify: FastifyInstance, request: FastifyRequest): Refusal | undefined {
    if (this.closing) {
      return {
        problem: problemFor(ErrorCode.ServiceUnavailable, 'The service is shutting down; retry shortly.'),
        retryAfterSeconds: SHUTDOWN_RETRY_AFTER_SECONDS,
        headers: { connection: 'close' },
      };
    }
    const raw = request.raw;
    if (raw.httpVersionMajor === 1 && raw.httpVersionMinor >= 1 && request.headers.host === undefined) {
      return { problem: problemFor(ErrorCode.RequestInvalid, 'An HTTP/1.1 request must carry a Host header.') };
    }
    if (request.is404) return this.noRoute(fastify, request.url);
    if (this.rateLimiter && (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[RATE_LIMITED_ROUTE] === true && !this.exempt.has(request.ip)) {
      const decision = this.rateLimiter.take(clientKey(request.ip));
      if (!decision.allowed) {
        return {
          problem: problemFor(ErrorCode.RequestRateLimited, `This client sent more requests than this endpoint allows; retry in ${decision.retryAfterSeconds} s.`),
          retryAfterSeconds: decision.retryAfterSeconds,
        };
      }
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return bodyRefusal(request.headers, acceptsFormBody(request));
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

  /**
   * Answers on the raw socket what Node's HTTP parser could not read, or a request not received in time (no reply
   * exists yet, or its answer has not begun).
   */
  private answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket & { _httpMessage?: ServerResponse | null }): void {
    // A reset connection has no one to answer; a socket already answered (the parser may report twice) is left alone.
    if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
    // An answer already begun on it cannot be followed by another: the connection can only be cut.
    if (socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    answerOnSocket(socket, clientErrorProblem(error));
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
function bodyRefusal(headers: FastifyRequest['headers'], formAccepted = false): Refusal | undefined {
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
  if (!media || !(JSON_MEDIA_TYPE.test(media.essence) || (formAccepted && media.essence === FORM_MEDIA_TYPE))) {
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
