import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { ErrorCode, problemFor } from '@citycred/errors';
import { answerOnSocket } from './problem-filter.js';
import { clientKey } from './rate-limit.js';
import type { LogSink } from './throttled-log.js';

/** Limits of {@link ConnectionGuard}. */
export interface ConnectionLimits {
  /** Open connections served at once (`HTTP_MAX_CONNECTIONS`). */
  maxConnections: number;
  /** Open connections one client address may hold (`HTTP_MAX_CONNECTIONS_PER_CLIENT`); see {@link clientKey}. */
  maxConnectionsPerClient: number;
}

/**
 * After the shutdown began, the listener closes once no connection was accepted for this long: the connections the
 * kernel completed before (its accept queue) are accepted and answered 503 rather than reset with the listener. A
 * busy Node process accepts about one queued connection per event-loop turn, so a queue of hundreds can take
 * seconds to drain; while it lasts, a connection is accepted between any two checks.
 */
const LISTEN_QUIET_MS = 100;
/** How long a refused connection may stay open for its client to read the 503. */
const REFUSED_LINGER_MS = 2_000;

interface Tracked {
  /** The client key it counts for, or undefined when the address is exempt. */
  client: string | undefined;
  /** Requests on it whose answer is not finished. */
  inFlight: number;
  /** `bytesRead` when it last became idle: more means a request has begun arriving. */
  bytesAtIdle: number;
  /** Drain ticks it has been idle for. */
  quietTicks: number;
}

/**
 * Counts and bounds the connections of one Node HTTP server, and drains them on shutdown without resetting any
 * request a client has sent.
 *
 * Limits: a connection beyond `maxConnections`, or beyond `maxConnectionsPerClient` for its client address (exempt
 * addresses aside), is answered 503 `service.unavailable` problem+json with Retry-After and closed, before Node's
 * HTTP parser sees it — so a client that opens thousands of slow connections cannot use up the process's file
 * descriptors. Refusals are logged through the (throttled) log without the client's address.
 *
 * Drain (see {@link ConnectionGuard.drain}): the listener stays open until the kernel's accept queue is empty, so
 * those connections are answered rather than reset; a connection with a request in progress, or whose next request has begun to arrive,
 * is never closed; an idle one is closed once it has been quiet for `quietMs`.
 */
export class ConnectionGuard {
  private readonly open = new Map<Socket, Tracked>();
  private readonly refused = new Set<Socket>();
  private readonly perClient = new Map<string, number>();
  private acceptedSinceTick = false;
  private server: Server | undefined;

  /**
   * @param limits - how many connections, in all and per client
   * @param isExempt - whether a client address is exempt from the per-client limit
   * @param log - where refusals are reported (pass a throttled log: a flood must not flood the log)
   */
  constructor(
    private readonly limits: ConnectionLimits,
    private readonly isExempt: (address: string) => boolean,
    private readonly log: LogSink,
  ) {}

  /**
   * Takes over `server`'s connections: call once, after the server is created and before it listens. Node's own
   * connection handling runs only for the connections admitted.
   */
  attach(server: Server): void {
    this.server = server;
    const listeners = server.listeners('connection') as Array<(socket: Socket) => void>;
    server.removeAllListeners('connection');
    server.on('connection', (socket: Socket) => {
      if (this.admit(socket)) for (const listener of listeners) listener.call(server, socket);
    });
    // A hard bound for the refused connections that still linger: beyond it Node closes new ones unanswered.
    server.maxConnections = this.limits.maxConnections + Math.max(64, Math.ceil(this.limits.maxConnections / 10));
    server.on('drop', () => this.log.warn('connection dropped unanswered: the refused connections still open are at their bound too'));
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const tracked = this.open.get(request.socket);
      if (!tracked) return;
      tracked.inFlight += 1;
      response.once('close', () => {
        tracked.inFlight -= 1;
        tracked.bytesAtIdle = request.socket.bytesRead;
        tracked.quietTicks = 0;
      });
    });
  }

  /** Open connections admitted (refused ones not counted). */
  get size(): number {
    return this.open.size;
  }

  /**
   * Drains the server: keeps accepting until no connection was accepted for {@link LISTEN_QUIET_MS} (the accept
   * queue is empty), at most `listenMaxMs`, then stops listening — without Node's closing of "idle" connections,
   * which would reset those whose request is not read yet. Meanwhile and afterwards it closes each connection once
   * it has no request in progress, nothing of a next request received, and has been so for `quietMs`; a connection
   * whose request has begun to arrive is left to finish it (Node's request timeouts bound it). Resolves when the
   * listener and every connection are closed. New requests must be answered 503 meanwhile by the caller (the edge
   * does).
   * @param quietMs - how long an idle connection is kept open after the drain began (`SHUTDOWN_QUIET_MS`)
   * @param listenMaxMs - how long the listener stays open at most, however many clients keep connecting: those
   *   still queued in the kernel then are reset with it
   */
  async drain(quietMs: number, listenMaxMs: number): Promise<void> {
    const server = this.server;
    if (!server) return;
    const tickMs = Math.max(5, Math.min(50, Math.floor(quietMs / 5)));
    const ticksOf = (ms: number) => Math.max(1, Math.ceil(ms / tickMs));
    let ticks = 0;
    let listenerQuietTicks = 0;
    this.acceptedSinceTick = false;
    for (const tracked of this.open.values()) tracked.quietTicks = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks += 1;
        if (server.listening) {
          listenerQuietTicks = this.acceptedSinceTick ? 0 : listenerQuietTicks + 1;
          this.acceptedSinceTick = false;
          // net.Server's close, not http.Server's: the latter first destroys every connection without an active
          // request, including those whose request is still in the socket buffer, unread.
          if (listenerQuietTicks >= ticksOf(LISTEN_QUIET_MS) || ticks >= ticksOf(listenMaxMs)) NetServer.prototype.close.call(server);
        }
        for (const [socket, tracked] of this.open) {
          if (tracked.inFlight > 0) continue;
          if (socket.bytesRead !== tracked.bytesAtIdle) {
            tracked.quietTicks = 0;
            continue;
          }
          tracked.quietTicks += 1;
          if (tracked.quietTicks >= ticksOf(quietMs)) socket.destroy();
        }
        if (!server.listening && this.open.size === 0) {
          clearInterval(timer);
          resolve();
        }
      }, tickMs);
    });
    for (const socket of this.refused) socket.destroy();
  }

  /**
   * Destroys every connection still open (the shutdown's grace ran out).
   * @returns how many had a request in progress or arriving: those clients get no answer
   */
  resetAll(): number {
    let cut = 0;
    for (const [socket, tracked] of this.open) {
      if (tracked.inFlight > 0 || socket.bytesRead !== tracked.bytesAtIdle) cut += 1;
      socket.destroy();
    }
    for (const socket of this.refused) socket.destroy();
    return cut;
  }

  private admit(socket: Socket): boolean {
    this.acceptedSinceTick = true;
    const address = socket.remoteAddress;
    const client = address === undefined || this.isExempt(address) ? undefined : clientKey(address);
    const held = client === undefined ? 0 : (this.perClient.get(client) ?? 0);
    if (held >= this.limits.maxConnectionsPerClient) {
      this.refuse(socket, 'This client holds as many connections as one client may (HTTP_MAX_CONNECTIONS_PER_CLIENT); reuse or close one.');
      this.log.warn(`connection refused: a client holds HTTP_MAX_CONNECTIONS_PER_CLIENT (${this.limits.maxConnectionsPerClient}) connections`);
      return false;
    }
    if (this.open.size >= this.limits.maxConnections) {
      this.refuse(socket, 'The service holds as many connections as it serves (HTTP_MAX_CONNECTIONS); retry shortly.');
      this.log.warn(`connection refused: HTTP_MAX_CONNECTIONS (${this.limits.maxConnections}) open`);
      return false;
    }
    this.open.set(socket, { client, inFlight: 0, bytesAtIdle: 0, quietTicks: 0 });
    if (client !== undefined) this.perClient.set(client, held + 1);
    socket.once('close', () => {
      this.open.delete(socket);
      if (client === undefined) return;
      const left = (this.perClient.get(client) ?? 1) - 1;
      if (left > 0) this.perClient.set(client, left);
      else this.perClient.delete(client);
    });
    return true;
  }

  private refuse(socket: Socket, detail: string): void {
    this.refused.add(socket);
    socket.once('close', () => this.refused.delete(socket));
    // No HTTP parser is attached to it: its errors (a client that resets) are ours to swallow.
    socket.on('error', () => undefined);
    answerOnSocket(socket, problemFor(ErrorCode.ServiceUnavailable, detail), {}, REFUSED_LINGER_MS);
  }
}
