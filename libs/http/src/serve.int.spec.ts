import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpEdge, type HttpEdgeSettings } from './edge.js';
import { drainable, shutDown, type Drainable } from './serve.js';

/** A plain Fastify server behind the edge, with a route that answers when told. */
async function slowServer(
  settings: Partial<HttpEdgeSettings> = {},
): Promise<{ server: FastifyInstance; drain: Drainable; url: string; port: number; answer: () => void; arrived: Promise<void> }> {
  let answer = () => undefined as void;
  let arrived = () => undefined as void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const edge = new HttpEdge({ settings });
  const server = Fastify({ ...edge.serverOptions() });
  edge.install(server);
  server.get('/slow', async () => {
    arrived();
    await new Promise<void>((resolve) => (answer = resolve));
    return { done: true };
  });
  server.get('/fast', async () => ({ done: true }));
  const drain = drainable(edge, async () => void (await server.close()));
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, drain, url, port: (server.server.address() as { port: number }).port, answer: () => answer(), arrived: arrival };
}

/** GETs on a keep-alive connection; resolves with the status and body, or the error the connection ended with. */
function get(agent: Agent, url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.once('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

/** Resolves with the status of the first answer on `socket`, or the error (or `closed`) it ended with before one. */
function statusOn(socket: Socket): Promise<number | string> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(received);
      if (status && received.includes('\r\n\r\n')) resolve(Number(status[1]));
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    socket.once('close', () => resolve('closed without an answer'));
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('drainable + shutDown (real Fastify server behind the edge)', () => {
  const agents: Agent[] = [];
  const sockets: Socket[] = [];
  afterEach(() => {
    agents.splice(0).forEach((a) => a.destroy());
    sockets.splice(0).forEach((s) => s.destroy());
  });
  const keepAlive = () => {
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    return agent;
  };

  it('lets the request in flight finish, closes its keep-alive connection, and reports 0', async () => {
    const { server, drain, url, answer, arrived } = await slowServer();
    const agent = keepAlive();
    const idle = await get(agent, `${url}/fast`);
    expect(idle).toMatchObject({ status: 200 });
    const inFlight = get(agent, `${url}/slow`);
    await arrived;
    const outcome = shutDown(drain, { graceMs: 30_000, log: () => undefined });
    // Answer only once the server has stopped listening.
    while (server.server.listening) await new Promise((resolve) => setTimeout(resolve, 10));
    answer();
    expect(await inFlight).toEqual({ status: 200, body: '{"done":true}' });
    expect(await outcome).toBe(0);
  });

  it('resets a request still in flight when the grace runs out, says so, and reports 1', async () => {
    const { drain, url, answer, arrived } = await slowServer();
    const inFlight = get(keepAlive(), `${url}/slow`);
    await arrived;
    const lines: string[] = [];
    const outcome = await shutDown(drain, { graceMs: 200, log: (line) => lines.push(line) });
    expect(outcome).toBe(1);
    expect(await inFlight).toHaveProperty('error');
    expect(lines.join('\n')).toContain('SHUTDOWN_GRACE_MS');
    answer();
  });

  it('answers 503 (not a reset) to a request sent on an idle keep-alive connection after the shutdown began, then closes it', async () => {
    const { drain, port } = await slowServer({ shutdownQuietMs: 30_000 });
    const socket = await open(port);
    sockets.push(socket);
    const first = statusOn(socket);
    socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await first).toBe(200);
    socket.removeAllListeners('data').removeAllListeners('close').removeAllListeners('error');
    const outcome = shutDown(drain, { graceMs: 30_000, log: () => undefined });
    const second = statusOn(socket);
    socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await second).toBe(503);
    expect(await outcome).toBe(0);
  });

  it('answers every request sent on a connection just accepted when the shutdown begins (none is reset)', async () => {
    const { drain, port } = await slowServer();
    const opened = await Promise.all(Array.from({ length: 50 }, () => open(port)));
    sockets.push(...opened);
    const statuses = opened.map(statusOn);
    for (const socket of opened) socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const outcome = shutDown(drain, { graceMs: 30_000, log: () => undefined });
    for (const status of await Promise.all(statuses)) expect([200, 503]).toContain(status);
    expect(await outcome).toBe(0);
  });

  it('closes a connection that stays idle after the shutdown began once it has been quiet, and reports 0', async () => {
    const { drain, port } = await slowServer({ shutdownQuietMs: 50 });
    const socket = await open(port);
    sockets.push(socket);
    const first = statusOn(socket);
    socket.write('GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await first).toBe(200);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(await shutDown(drain, { graceMs: 30_000, log: () => undefined })).toBe(0);
    await closed;
  });
});
