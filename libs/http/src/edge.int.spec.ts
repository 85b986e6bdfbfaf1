import { connect } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpEdge } from './edge.js';

/**
 * The one answer of the edge the e2e suite cannot provoke on the services without waiting their full timeouts:
 * a request whose headers do not arrive in time. Here the server's request timeout is short (real Fastify and Node
 * server, real socket); the test waits for the server's answer, not for a duration.
 */
describe('HttpEdge on a plain Fastify server', () => {
  let server: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    const edge = new HttpEdge();
    const options = edge.serverOptions();
    server = Fastify({ ...options, requestTimeout: 200, http: { ...options.http, connectionsCheckingInterval: 50 } });
    edge.install(server);
    server.get('/health', async () => ({ status: 'ok' }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    port = (server.server.address() as { port: number }).port;
  });
  afterAll(async () => server?.close());

  it('a request whose headers never complete → 408 request.timeout problem+json, written on the socket', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1'));
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
      socket.once('close', () => resolve(received));
      socket.once('error', reject);
    });
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'request.timeout' });
  });
});
