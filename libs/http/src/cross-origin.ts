import type { FastifyInstance } from 'fastify';

/**
 * The paths a browser app of another origin may read (the citizen wallet, a PWA on its own origin, calling the
 * issuer's OpenID4VCI endpoints and the verifier's OpenID4VP ones). No cookie or other ambient credential is honoured
 * on them, so any origin may read: `Access-Control-Allow-Origin: *`, without `Allow-Credentials`.
 */
export interface CrossOriginPaths {
  /** Each path (without the query) that matches one of these is readable from any origin. */
  readonly paths: readonly RegExp[];
}

/**
 * Request headers a cross-origin caller may send besides the CORS-safelisted ones: a Bearer token, a JSON body, and
 * `If-None-Match` for revalidating a kept copy (the wallet's `GET /issuers`, docs/issuer-directory.md).
 */
export const CROSS_ORIGIN_REQUEST_HEADERS = 'authorization, content-type, accept, if-none-match';
/** Answer headers a cross-origin caller may read besides the CORS-safelisted ones. */
export const CROSS_ORIGIN_EXPOSED_HEADERS = 'retry-after, www-authenticate, etag';
/** How long a browser may keep a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Opens {@link CrossOriginPaths} to reads from any origin (the Fetch standard's CORS protocol): every answer on such a
 * path carries `Access-Control-Allow-Origin: *` and the exposed headers, and a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered 204 with the allowed methods and headers before any other hook runs.
 * Other paths are untouched: a preflight there finds no route, as before. Call before the edge's hooks are added.
 */
export function allowCrossOriginReads(fastify: FastifyInstance, settings: CrossOriginPaths): void {
  if (settings.paths.length === 0) return;
  const open = (url: string) => {
    const path = url.split('?', 1)[0]!;
    return settings.paths.some((pattern) => pattern.test(path));
  };
  fastify.addHook('onRequest', async (request, reply) => {
    if (!open(request.url)) return;
    void reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', CROSS_ORIGIN_EXPOSED_HEADERS).header('vary', 'origin');
    if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return;
    void reply
      .status(204)
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', CROSS_ORIGIN_REQUEST_HEADERS)
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .send();
    return reply;
  });
}
