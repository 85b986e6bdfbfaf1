import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { problemFor } from '@citycred/errors';
import { HttpEdge, PROBLEM_JSON, problemFromError, sendProblem, type HttpEdgeSettings } from '@citycred/http';

/**
 * The wallet's placeholder server: one page, `/health`, problem+json for everything else — through the same
 * {@link HttpEdge} as the issuer and verifier, so what Fastify and Node answer before a route runs is problem+json too.
 * The real wallet (a PWA) replaces the page; the server stays the place it is served from.
 * @param edgeSettings - the edge's time and connection limits (default those of the services)
 */
export async function startWallet(port: number, host: string, edgeSettings: Partial<HttpEdgeSettings> = {}): Promise<{ server: FastifyInstance; edge: HttpEdge; url: string }> {
  const page = readFileSync(new URL('./public/index.html', import.meta.url));
  const edge = new HttpEdge({ settings: edgeSettings });
  const server = Fastify({ ...edge.serverOptions() });
  edge.install(server);
  server.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  server.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  // The edge answers unknown routes first; this stays as the fallback and, like it, repeats nothing of the request.
  server.setNotFoundHandler((_request, reply) => {
    const problem = problemFor('request.not-found', 'Nothing is served at this path.');
    void reply.status(problem.status).type(PROBLEM_JSON).send(problem);
  });
  server.setErrorHandler((error, _request, reply) => sendProblem(reply, problemFromError(error, edge.log)));
  const address = await server.listen({ port, host });
  return { server, edge, url: address.replace('[::1]', 'localhost') };
}
