import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowCrossOriginReads } from './cross-origin.js';
import { HttpEdge } from './edge.js';

describe('allowCrossOriginReads', () => {
  const server = Fastify();
  beforeAll(async () => {
    allowCrossOriginReads(server, { paths: [/^\/open\/[^/]+$/] });
    new HttpEdge().install(server);
    server.post('/open/:id', async () => ({ ok: true }));
    server.get('/closed', async () => ({ ok: true }));
    await server.ready();
  });
  afterAll(() => server.close());

  it('answers a preflight on an open path before the edge looks for an OPTIONS route, with the Bearer and JSON headers allowed', async () => {
    const answer = await server.inject({ method: 'OPTIONS', url: '/open/1?x=1', headers: { origin: 'http://wallet.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(answer.statusCode).toBe(204);
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'authorization, content-type, accept, if-none-match',
    });
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('allows If-None-Match in a GET preflight, so the wallet can revalidate its copy of the issuer directory', async () => {
    const answer = await server.inject({ method: 'OPTIONS', url: '/open/directory', headers: { origin: 'http://wallet.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' } });
    expect(answer.statusCode).toBe(204);
    const allowed = String(answer.headers['access-control-allow-headers']).split(',').map((name) => name.trim());
    expect(allowed).toContain('if-none-match');
    expect(answer.headers['access-control-allow-methods']).toContain('GET');
    expect(answer.headers['access-control-expose-headers']).toContain('etag');
  });

  it('lets any origin read the answers of an open path, errors included, with Retry-After exposed', async () => {
    const ok = await server.inject({ method: 'POST', url: '/open/1', headers: { origin: 'http://wallet.example' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('*');
    expect(ok.headers['access-control-expose-headers']).toContain('retry-after');
    const refused = await server.inject({ method: 'PUT', url: '/open/1', headers: { origin: 'http://wallet.example' } });
    expect(refused.statusCode).toBe(405);
    expect(refused.headers['access-control-allow-origin']).toBe('*');
  });

  it('leaves every other path same-origin: no header, and a preflight finds no route', async () => {
    const read = await server.inject({ method: 'GET', url: '/closed', headers: { origin: 'http://wallet.example' } });
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await server.inject({ method: 'OPTIONS', url: '/closed', headers: { origin: 'http://wallet.example', 'access-control-request-method': 'GET' } });
    expect(preflight.statusCode).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
