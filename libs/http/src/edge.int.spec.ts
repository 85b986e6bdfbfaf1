import { connect, type Socket } from 'node:net';
import { FixedClock } from '@citycred/config';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpEdge, type HttpEdgeSettings } from './edge.js';

/**
 * The edge's connection handling on a plain Fastify server (real Node server, real sockets) with small limits, so
 * nothing waits for the services' real timeouts: the tests wait for the server's answer, never for a duration.
 */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: any;
  /** The server ended the connection after answering. */
  closed: boolean;
}

const servers: FastifyInstance[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await server.close();
});

async function edgeServer(settings: Partial<HttpEdgeSettings>, log: string[] = []): Promise<{ port: number; edge: HttpEdge }> {
  const edge = new HttpEdge({ settings, clock: new FixedClock('2026-01-01T00:00:00Z'), log: { warn: (line) => log.push(line), error: (line) => log.push(line) } });
  const server = Fastify({ ...edge.serverOptions() });
  servers.push(server);
  edge.install(server);
  server.get('/health', async () => ({ status: 'ok' }));
  server.post('/echo', async (request) => ({ body: request.body }));
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { port: (server.server.address() as { port: number }).port, edge };
}

function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    sockets.push(socket);
    socket.once('error', reject);
  });
}

/** Writes `data` and resolves with the first answer; `closed` once the server ended the connection too (or false if it keeps it). */
function exchange(socket: Socket, data: string): Promise<Answer> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let answer: Omit<Answer, 'closed'> | undefined;
    const parse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? -1);
      if (length < 0 || received.length - end - 4 < length) return undefined;
      return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(received.subarray(end + 4, end + 4 + length).toString()) };
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      answer ??= parse();
      if (answer && answer.headers['connection'] !== 'close') {
        socket.off('data', onData);
        resolve({ ...answer, closed: false });
      }
    };
    socket.on('data', onData);
    socket.once('end', () => resolve({ ...(answer ?? parse() ?? { status: 0, headers: {}, body: null }), closed: true }));
    socket.once('error', () => resolve({ ...(answer ?? { status: 0, headers: {}, body: null }), closed: true }));
    if (data) socket.write(data);
  });
}

const GET_HEALTH = 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n';

describe('HttpEdge: slow requests', () => {
  it('a request whose headers never complete → 408 request.timeout problem+json, and the connection is closed', async () => {
    const { port } = await edgeServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
    const answer = await exchange(await open(port), 'GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1');
    expect(answer).toMatchObject({ status: 408, closed: true, body: { status: 408, code: 'request.timeout' } });
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('a body that never completes → 408 request.timeout problem+json (the whole request is timed, not only its headers)', async () => {
    const { port } = await edgeServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
    const answer = await exchange(await open(port), 'POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    expect(answer).toMatchObject({ status: 408, closed: true, body: { code: 'request.timeout' } });
  });

  it('a connection that never sends anything → 408 and closed', async () => {
    const { port } = await edgeServer({ headersTimeoutMs: 100, requestTimeoutMs: 200 });
    expect(await exchange(await open(port), '')).toMatchObject({ status: 408, closed: true });
  });

  it('the defaults time a request out (30 s whole, 10 s headers) and close idle keep-alive connections after 5 s', () => {
    const options = new HttpEdge().serverOptions();
    expect(options).toMatchObject({ requestTimeout: 30_000, keepAliveTimeout: 5_000, http: { headersTimeout: 10_000 } });
    expect(options.http.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
  });
});

describe('HttpEdge: connection limits', () => {
  it('beyond maxConnections a new connection gets 503 service.unavailable with Retry-After and is closed; the others are served', async () => {
    const log: string[] = [];
    const { port } = await edgeServer({ maxConnections: 2, maxConnectionsPerClient: 10 }, log);
    const held = [await open(port), await open(port)];
    for (const socket of held) expect(await exchange(socket, GET_HEALTH)).toMatchObject({ status: 200, closed: false });
    const refused = await exchange(await open(port), GET_HEALTH);
    expect(refused).toMatchObject({ status: 503, closed: true, body: { status: 503, code: 'service.unavailable' } });
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await exchange(held[0]!, GET_HEALTH)).toMatchObject({ status: 200 });
    expect(log.join('\n')).toContain('HTTP_MAX_CONNECTIONS');
  });

  it('beyond maxConnectionsPerClient a client is refused, other clients and exempt addresses are not', async () => {
    const { port } = await edgeServer({ maxConnections: 100, maxConnectionsPerClient: 1, exempt: ['127.0.0.8/29'] });
    expect(await exchange(await open(port, '127.0.0.1'), GET_HEALTH)).toMatchObject({ status: 200 });
    expect(await exchange(await open(port, '127.0.0.1'), GET_HEALTH)).toMatchObject({ status: 503, closed: true });
    expect(await exchange(await open(port, '127.0.0.2'), GET_HEALTH)).toMatchObject({ status: 200 });
    for (let i = 0; i < 3; i += 1) expect(await exchange(await open(port, '127.0.0.9'), GET_HEALTH)).toMatchObject({ status: 200 });
  });

  it('a flood of refused connections leaves one log line, and the next one after a minute says how many were left out', async () => {
    const log: string[] = [];
    const clock = new FixedClock('2026-01-01T00:00:00Z');
    const edge = new HttpEdge({ settings: { maxConnectionsPerClient: 1 }, clock, log: { warn: (line) => log.push(line), error: (line) => log.push(line) } });
    const server = Fastify({ ...edge.serverOptions() });
    servers.push(server);
    edge.install(server);
    server.get('/health', async () => ({ status: 'ok' }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    const port = (server.server.address() as { port: number }).port;
    expect(await exchange(await open(port), GET_HEALTH)).toMatchObject({ status: 200 });
    for (let i = 0; i < 30; i += 1) expect(await exchange(await open(port), GET_HEALTH)).toMatchObject({ status: 503 });
    expect(log).toHaveLength(1);
    clock.advance(60_000);
    expect(await exchange(await open(port), GET_HEALTH)).toMatchObject({ status: 503 });
    expect(log).toHaveLength(2);
    expect(log[1]).toContain('29 more like it');
  });
});

describe('HttpEdge: requests Node answers before Fastify', () => {
  it('CONNECT → 501 request.method-not-implemented problem+json, and the connection is closed', async () => {
    const { port } = await edgeServer({});
    const answer = await exchange(await open(port), 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer).toMatchObject({ status: 501, closed: true, body: { code: 'request.method-not-implemented' } });
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('CONNECT clients that reset at once do not bring the server down', async () => {
    const { port } = await edgeServer({});
    for (let i = 0; i < 20; i += 1) {
      const socket = await open(port);
      socket.on('error', () => undefined);
      socket.write(`CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\n\r\n${'x'.repeat(64 * 1024)}`);
      socket.resetAndDestroy();
    }
    expect(await exchange(await open(port), GET_HEALTH)).toMatchObject({ status: 200 });
  });
});
