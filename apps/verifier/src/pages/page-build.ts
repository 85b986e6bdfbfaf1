import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, ErrorCode } from '@citycred/errors';
import { PAGE_TYPES, type PageFile } from './page-files.js';

/** The verifier's public pages, each a Vite + React build of `apps/verifier/pages-ui`. */
export type PageName = 'check' | 'scan' | 'apply' | 'sign' | 'petitions';

/**
 * Where `npm run build` (tools/build.mjs) writes the pages: `apps/verifier/pages-ui/dist/<page>/`, found from this
 * module as source (`src/pages/`) and as built output (`dist/pages/`) alike.
 */
export const PAGES_UI_DIST = fileURLToPath(new URL('../../pages-ui/dist/', import.meta.url));

const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.html': PAGE_TYPES.html,
  '.js': PAGE_TYPES.script,
  '.mjs': PAGE_TYPES.script,
  '.css': PAGE_TYPES.style,
  '.json': PAGE_TYPES.json,
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** One page's build as read at start-up: the page and its hashed assets. */
export interface PageBuild {
  /** `GET /<page>`: the HTML Vite wrote, naming its entry script and style sheet. */
  readonly page: PageFile;
  /** The hashed assets, by file name (Vite writes them flat into `assets/`), served at `/<page>/assets/<name>`. */
  readonly assets: ReadonlyMap<string, PageFile>;
  /**
   * Every asset the page may load (its entry, the chunks it imports now or later, its styles), in the order of Vite's
   * manifest (`.vite/manifest.json`), when the build wrote one; else every asset.
   */
  readonly files: readonly string[];
}

/**
 * Reads one page's build, held in memory (a few hundred KB) so that a running verifier always serves a page and the
 * assets it names together, whatever happens to the files on disk later (a rebuild replaces them all).
 * @param name - the page
 * @param dist - the pages' build directory; default {@link PAGES_UI_DIST}
 * @returns the build, or undefined when it was not built
 */
export function readPageBuild(name: PageName, dist: string = PAGES_UI_DIST): PageBuild | undefined {
  const dir = join(dist, name);
  const html = join(dir, `${name}.html`);
  if (!existsSync(html)) return undefined;
  const assets = new Map<string, PageFile>();
  const assetDir = join(dir, 'assets');
  if (existsSync(assetDir)) {
    for (const file of readdirSync(assetDir).sort()) {
      if (file.startsWith('.') || file.endsWith('.map') || !statSync(join(assetDir, file)).isFile()) continue;
      assets.set(file, { type: MEDIA_TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(join(assetDir, file)) });
    }
  }
  return { page: { type: PAGE_TYPES.html, body: readFileSync(html) }, assets, files: manifestFiles(dir, assets) };
}

/** Vite's manifest entry for one chunk (https://vite.dev/guide/backend-integration). */
interface ManifestChunk {
  file?: string;
  css?: string[];
  assets?: string[];
}

function manifestFiles(dir: string, assets: ReadonlyMap<string, PageFile>): string[] {
  const path = join(dir, '.vite', 'manifest.json');
  if (!existsSync(path)) return [...assets.keys()];
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, ManifestChunk>;
  const files = new Set<string>();
  for (const chunk of Object.values(manifest)) {
    for (const file of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]) {
      const name = file?.startsWith('assets/') ? file.slice('assets/'.length) : undefined;
      if (name !== undefined && assets.has(name)) files.add(name);
    }
  }
  return [...files];
}

/**
 * The page of a build.
 * @throws AppError `service.unavailable` on a server started before `npm run build` built the pages
 */
export function builtPage(build: PageBuild | undefined): PageFile {
  if (!build) throw new AppError(ErrorCode.ServiceUnavailable, 'The page is not built on this server (npm run build makes it).');
  return build.page;
}

/**
 * One hashed asset of a build.
 * @throws AppError `request.not-found` for a name the build does not have (an asset of an earlier build, a typo)
 */
export function builtAsset(build: PageBuild | undefined, name: string): PageFile {
  const file = build?.assets.get(name);
  if (!file) throw new AppError(ErrorCode.NotFound, 'Nothing is served at this path.');
  return file;
}
