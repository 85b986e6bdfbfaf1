import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, problemFor } from '@citycred/errors';
import { sendProblem } from '@citycred/http';

/** Where the console is served. */
export const CONSOLE_UI_PATH = '/console';

/**
 * The console's build (`apps/issuer/console-ui/dist`, made by `npm run build`), found next to this module both as
 * source (`src/`) and as built output (`dist/`).
 */
export const CONSOLE_UI_DIST = fileURLToPath(new URL('../console-ui/dist/', import.meta.url));

/** Where the employer console (labour contracts, attendance, the workplace QR: docs/employer-console.md) is served. */
export const EMPLOYER_UI_PATH = '/employer';

/**
 * The employer console's build inside the console's (`npm run build` builds console-ui `--mode employer` into
 * `dist/employer/`, page `employer.html`).
 */
export const EMPLOYER_UI_DIR = 'employer';
const EMPLOYER_UI_PAGE = 'employer.html';

/**
 * The page's Content-Security-Policy: scripts and styles only from the issuer's own files (Vite emits no inline
 * script), the QR code drawn on a canvas, requests only to the issuer, and no framing (click-jacking of the
 * revoke button).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** One file of the build, held in memory. */
interface BuiltFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/**
 * The console's build as read at start-up: the page and its hashed assets. Held in memory (a few hundred KB) so a
 * running issuer always serves a page and the assets it names together, whatever happens to the files later (a
 * rebuild replaces them all).
 */
export interface ConsoleBuild {
  readonly page: BuiltFile;
  /** By file name (Vite writes every asset flat into `assets/`). */
  readonly assets: ReadonlyMap<string, BuiltFile>;
}

function builtFile(path: string): BuiltFile {
  const body = readFileSync(path);
  return { body, type: MEDIA_TYPES[extname(path)] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Reads a Vite build of the console (or of the employer console).
 * @param dist - the build directory (the page and `assets/`)
 * @param pageName - the page's file name in `dist` (default `index.html`)
 * @returns the build, or undefined when `dist` holds no such page
 */
export function readConsoleBuild(dist: string, pageName = 'index.html'): ConsoleBuild | undefined {
  if (!existsSync(join(dist, pageName))) return undefined;
  const assets = new Map<string, BuiltFile>();
  const assetDir = join(dist, 'assets');
  if (existsSync(assetDir)) {
    for (const name of readdirSync(assetDir)) {
      // Source maps stay on disk: the console's source is public, but nothing needs them at run time.
      if (name.startsWith('.') || name.endsWith('.map') || !statSync(join(assetDir, name)).isFile()) continue;
      assets.set(name, builtFile(join(assetDir, name)));
    }
  }
  return { page: builtFile(join(dist, pageName)), assets };
}

/** Headers of every console answer, the page and its assets. */
const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

const PAGE_HEADERS = {
  ...COMMON_HEADERS,
  // Revalidated on every load (cheap: the ETag), so a new build's page — naming new assets — is seen at once.
  'cache-control': 'no-cache',
  'content-security-policy': CONSOLE_CSP,
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
} as const;

/** Hashed names change with their content, so an asset never changes under its name. */
const ASSET_HEADERS = { ...COMMON_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' } as const;

function sendBuilt(request: FastifyRequest, reply: FastifyReply, file: BuiltFile, headers: Readonly<Record<string, string>>): FastifyReply {
  void reply.headers(headers).header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
  return reply.type(file.type).send(file.body);
}

function notFound(reply: FastifyReply): FastifyReply {
  sendProblem(reply, problemFor(ErrorCode.NotFound, 'Nothing is served at this path.'));
  return reply;
}

/**
 * Serves the console's build on `fastify`: the hashed assets under `/console/assets/` cached for a year
 * (immutable), and the page — revalidated on every load, with {@link CONSOLE_CSP} — for `/console` and every deep
 * link below it, so a bookmark of `/console/credentials` opens the app. Paths the app never serves
 * (`/console/api/…` that no API route took, an unknown asset) are answered 404 problem+json rather than with the page.
 * @param base - where the build is served: {@link CONSOLE_UI_PATH} (default), or {@link EMPLOYER_UI_PATH} for the
 *   employer console, which calls the same `/console/api` under the same CSP
 */
export function serveConsoleUi(fastify: FastifyInstance, build: ConsoleBuild, base: string = CONSOLE_UI_PATH): void {
  fastify.get<{ Params: { name: string } }>(`${base}/assets/:name`, async (request, reply) => {
    const file = build.assets.get(request.params.name);
    return file ? sendBuilt(request, reply, file, ASSET_HEADERS) : notFound(reply);
  });
  const page = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const path = request.url.split('?', 1)[0]!;
    if (path.startsWith(`${base}/api/`) || path.startsWith(`${base}/assets/`)) return notFound(reply);
    return sendBuilt(request, reply, build.page, PAGE_HEADERS);
  };
  fastify.get(base, page);
  fastify.get(`${base}/*`, page);
}

const DI_DIST = Symbol('CONSOLE_UI_DIST');

/**
 * Serves the issuer console (see {@link serveConsoleUi}) on the issuer's Fastify instance, from the build read at
 * start-up, and the employer console at {@link EMPLOYER_UI_PATH} from the build inside it (`<dist>/employer/`).
 * A missing build is logged, not fatal: the API works without its console (the paths then answer 404).
 */
@Module({})
export class ConsoleUiModule implements OnModuleInit {
  private readonly logger = new Logger('ConsoleUi');

  constructor(
    @Inject(HttpAdapterHost) private readonly host: HttpAdapterHost,
    @Inject(DI_DIST) private readonly dist: string,
  ) {}

  /**
   * @param dist - the console's build directory (the employer console's is its `employer/`); default {@link CONSOLE_UI_DIST}
   */
  static register(dist: string = CONSOLE_UI_DIST): DynamicModule {
    return { module: ConsoleUiModule, providers: [{ provide: DI_DIST, useValue: dist }] };
  }

  onModuleInit(): void {
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    const build = readConsoleBuild(this.dist);
    if (!build) {
      this.logger.warn(`The console is not built (${this.dist} has no index.html): run npm run build. ${CONSOLE_UI_PATH} answers 404.`);
    } else {
      serveConsoleUi(fastify, build);
    }
    const employerDist = join(this.dist, EMPLOYER_UI_DIR);
    const employer = readConsoleBuild(employerDist, EMPLOYER_UI_PAGE);
    if (!employer) {
      this.logger.warn(`The employer console is not built (${employerDist} has no ${EMPLOYER_UI_PAGE}): run npm run build. ${EMPLOYER_UI_PATH} answers 404.`);
      return;
    }
    serveConsoleUi(fastify, employer, EMPLOYER_UI_PATH);
  }
}
