import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { ErrorCode, problemFor } from '@citycred/errors';
import { HttpEdge, PROBLEM_JSON, problemFromError, sendProblem, type HttpEdgeSettings } from '@citycred/http';
import { WALLET_PATHS, WalletWebFiles, type WalletFile } from './web-files.js';

/**
 * The Content Security Policy of every file the wallet serves: scripts and styles from this origin only (Vite emits no
 * inline script or style), images from this origin (the icons) and `data:`, the one worker the app's service worker,
 * the manifest from this origin; no framing, no forms posted anywhere, no `<base>`. Requests go to this origin and to
 * `connectOrigins` only: the issuers and verifiers the wallet receives from and presents to (OpenID4VCI / OpenID4VP).
 * @param connectOrigins - origins (`scheme://host[:port]`) the app may fetch from (`WALLET_CONNECT_ORIGINS`)
 */
export function walletPolicy(connectOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectOrigins].join(' '),
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Where the app reads {@link WalletSettings}; the service worker keeps it with the app's files, so an app opened offline knows them. */
export const WALLET_SETTINGS_PATH = '/settings.json';

/** What the wallet's server tells its app, besides the files (`WALLET_CONNECT_ORIGINS`, `WALLET_SCANNER_URL`, `WALLET_CITY_ISSUER_URL`). */
export interface WalletSettings {
  /** The issuers' and verifiers' origins the app may call (the CSP's `connect-src`). */
  readonly connectOrigins: readonly string[];
  /** The verifier whose employer scanner the app's "Show QR" codes are for (their `aud` is `<url>/scan`); none: the screen is off. */
  readonly scannerUrl?: string;
  /** The city's issuer service, whose directory (`GET /issuers`) says which offers come from a city issuer; none: every offer is "could not be checked". */
  readonly cityIssuerUrl?: string;
  /**
   * The statutory minimum wage by year (`config/labor.json`'s `minimumWageKrw`): the app checks a labour contract's wage
   * with its own table before the worker signs, not only with the employer service's word. None: the app says it
   * could not check.
   */
  readonly minimumWageKrw?: Readonly<Record<number, number>>;
}

/** Revalidated on every load: the page, the service worker, the manifest and the icons. */
export const REVALIDATE = 'no-cache';
/** Vite's hashed assets: named after their contents, kept for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The citizen wallet's server (docs/wallet.md): the web app — a Vite + React PWA (`apps/wallet/web`) held in memory
 * with its hashed assets, manifest, icons and service worker, each with {@link walletPolicy} — its settings (`/settings.json`, which the
 * service worker keeps too) and `/health`, through
 * the same {@link HttpEdge} as the issuer and verifier, so what Fastify and Node answer before a route runs is
 * problem+json too. The wallet keeps nothing on the server: credentials and keys live in the citizen's browser.
 * @param edgeSettings - the edge's time and connection limits (default those of the services)
 * @param files - the web app's files (default: read from `apps/wallet/web/dist`, as `npm run build` wrote them)
 * @param settings - the origins the app may call, the scanner its codes are for and the city issuer whose directory it reads
 *   (default: none, no scanner, no city issuer)
 */
export async function startWallet(
  port: number,
  host: string,
  edgeSettings: Partial<HttpEdgeSettings> = {},
  files: WalletWebFiles = WalletWebFiles.read(),
  settings: WalletSettings = { connectOrigins: [] },
): Promise<{ server: FastifyInstance; edge: HttpEdge; url: string }> {
  const policy = walletPolicy(settings.connectOrigins);
  const send = (reply: FastifyReply, file: WalletFile, cacheControl: string = REVALIDATE) => sendFile(reply, file, policy, cacheControl);
  const sendOr404 = (reply: FastifyReply, file: WalletFile | undefined, cacheControl?: string) => (file ? send(reply, file, cacheControl) : notFound(reply));
  const settingsFile: WalletFile = {
    type: 'application/json; charset=utf-8',
    body: JSON.stringify({ connectOrigins: settings.connectOrigins, ...(settings.scannerUrl ? { scannerUrl: settings.scannerUrl } : {}), ...(settings.cityIssuerUrl ? { cityIssuerUrl: settings.cityIssuerUrl } : {}), ...(settings.minimumWageKrw ? { minimumWageKrw: settings.minimumWageKrw } : {}) }),
  };
  const { serviceWorker } = files.workerKeeping([[WALLET_SETTINGS_PATH, settingsFile]]);
  const edge = new HttpEdge({ settings: edgeSettings });
  const server = Fastify({ ...edge.serverOptions() });
  edge.install(server);
  server.get(WALLET_PATHS.page, async (_request, reply) => {
    if (!files.page) {
      const problem = problemFor(ErrorCode.ServiceUnavailable, 'The wallet app is not built on this server (npm run build makes it).');
      return reply.status(problem.status).type(PROBLEM_JSON).header('cache-control', 'no-store').send(problem);
    }
    return send(reply, files.page);
  });
  server.get<{ Params: { name: string } }>(`${WALLET_PATHS.assets}:name`, async (request, reply) => sendOr404(reply, files.assets.get(request.params.name), IMMUTABLE));
  server.get<{ Params: { name: string } }>(`${WALLET_PATHS.icons}:name`, async (request, reply) => sendOr404(reply, files.icons.get(request.params.name)));
  server.get(WALLET_PATHS.manifest, async (_request, reply) => send(reply, files.manifest));
  server.get(WALLET_PATHS.serviceWorker, async (_request, reply) => send(reply, serviceWorker));
  server.get(WALLET_SETTINGS_PATH, async (_request, reply) => send(reply, settingsFile, 'no-store'));
  server.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  // The edge answers unknown routes first; this stays as the fallback and, like it, repeats nothing of the request.
  server.setNotFoundHandler((_request, reply) => notFound(reply));
  server.setErrorHandler((error, _request, reply) => sendProblem(reply, problemFromError(error, edge.log)));
  const address = await server.listen({ port, host });
  return { server, edge, url: address.replace('[::1]', 'localhost') };
}

function sendFile(reply: FastifyReply, file: WalletFile, policy: string, cacheControl: string): FastifyReply {
  return reply
    .status(200)
    .header('content-type', file.type)
    .header('content-security-policy', policy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', cacheControl)
    .send(file.body);
}

function notFound(reply: FastifyReply): FastifyReply {
  const problem = problemFor(ErrorCode.NotFound, 'Nothing is served at this path.');
  return reply.status(problem.status).type(PROBLEM_JSON).send(problem);
}
