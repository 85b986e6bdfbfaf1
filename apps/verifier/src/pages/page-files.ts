import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HttpReply } from '@citycred/http';

/** A file one of the verifier's pages serves: its media type and its bytes, read once when the app loads. */
export interface PageFile {
  readonly type: string;
  readonly body: Buffer | string;
}

/** The media types the pages' files are served with. */
export const PAGE_TYPES = {
  html: 'text/html; charset=utf-8',
  script: 'text/javascript; charset=utf-8',
  style: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

/** Revalidated before each use: the pages, their settings and anything not named after its content. */
export const REVALIDATE = 'no-cache';
/** Named after its content (Vite's hashed assets): it never changes under its name, so it is kept for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

const require = createRequire(import.meta.url);

/**
 * A file on disk, read now.
 * @param url - where it lies, e.g. `new URL('./public/x.js', import.meta.url)` beside the page's controller
 * @param type - its media type ({@link PAGE_TYPES})
 * @throws Error when the file is missing
 */
export function pageFile(url: URL, type: string): PageFile {
  return { type, body: readFileSync(url) };
}

/**
 * A file of an npm package served to browsers as a script (PDF.js's builds for the check page).
 * @param specifier - the file, e.g. `pdfjs-dist/build/pdf.min.mjs`
 * @throws Error when the package is not installed
 */
export function packageScript(specifier: string): PageFile {
  return { type: PAGE_TYPES.script, body: readFileSync(require.resolve(specifier)) };
}

/**
 * Answers 200 with a page's file and the headers every page file carries: its Content Security Policy, no MIME
 * sniffing, no referrer, and how long it may be kept.
 * @param policy - the page's Content Security Policy
 * @param cacheControl - {@link REVALIDATE} (the default) or, for a hashed asset, {@link IMMUTABLE}
 */
export function sendPageFile(reply: HttpReply, file: PageFile, policy: string, cacheControl: string = REVALIDATE): void {
  void reply
    .status(200)
    .header('content-type', file.type)
    .header('content-security-policy', policy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', cacheControl)
    .send(file.body);
}
