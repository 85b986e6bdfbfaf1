import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { problemFor } from '@citycred/errors';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * The wallet's placeholder server: one page, `/health`, problem+json for everything else.
 * The real wallet (a PWA) replaces the page; the server stays the place it is served from.
 */
export async function startWallet(port: number, host: string): Promise<{ server: FastifyInstance; url: string }> {
  const page = readFileSync(new URL('./public/index.html', import.meta.url));
  const server = Fastify();
  server.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  server.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  server.setNotFoundHandler((request, reply) => {
    const problem = problemFor('request.not-found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(problem.status).type(PROBLEM_JSON).send(problem);
  });
  server.setErrorHandler((_error, _request, reply) => {
    const problem = problemFor('service.internal', 'An unexpected error occurred.');
    void reply.status(problem.status).type(PROBLEM_JSON).send(problem);
  });
  const address = await server.listen({ port, host });
  return { server, url: address.replace('[::1]', 'localhost') };
}
