import { Agent, request } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { drainable, shutDown, type Drainable } from './serve.js';

/** A plain Fastify server (no edge, so nothing but `drainable` closes keep-alive connections) with a route that answers when told. */
async function slowServer(): Promise<{ server: FastifyInstance; drain: Drainable; url: string; answer: () => void; arrived: Promise<void> }> {
  let answer = () => undefined as void;
  let arrived = () => undefined as void;
  const arrival = new Promise<void>((resolve) => (arrived = resolve));
  const server = Fastify();
  server.get('/slow', async () => {
    arrived();
    await new Promise<void>((resolve) => (answer = resolve));
    return { done: true };
  });
  const drain = drainable(server.server, async () => void (await server.close()));
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, drain, url, answer: () => answer(), arrived: arrival };
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

describe('drainable + shutDown (real Fastify server, keep-alive client)', () => {
  const agents: Agent[] = [];
  afterEach(() => agents.splice(0).forEach((a) => a.destroy()));
  const keepAlive = () => {
    const agent = new Agent({ keepAlive: true });
    agents.push(agent);
    return agent;
  };

  it('lets the request in flight finish, closes its keep-alive connection, and reports 0', async () => {
    const { server, drain, url, answer, arrived } = await slowServer();
    const agent = keepAlive();
    const idle = await get(agent, `${url}/missing`);
    expect(idle).toMatchObject({ status: 404 });
    const inFlight = get(agent, `${url}/slow`);
    await arrived;
    const outcome = shutDown(drain, { graceMs: 30_000, log: () => undefined });
    // Answer only once the server has stopped listening (and closed the connections idle at that moment).
    while (server.server.listening) await new Promise((resolve) => setImmediate(resolve));
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
});
