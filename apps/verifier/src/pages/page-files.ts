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

const require = createRequire(import.meta.url);

/**
 * A page's own file.
 * @param url - where it lies, e.g. `new URL('./public/check.js', import.meta.url)` from the page's controller
 * @param type - its media type ({@link PAGE_TYPES})
 * @throws Error when the file is missing (a packaging fault: the build copies `public/` beside the code)
 */
export function pageFile(url: URL, type: string): PageFile {
  return { type, body: readFileSync(url) };
}

/**
 * The QR reading both public pages (`/check`, `/scan`) serve beside their own files, under their own path so each is
 * sent with its page's Content Security Policy: `qr-reader.js`, the one camera and image QR reader
 * (`apps/verifier/src/pages/qr-reader.js`), and `jsqr.js`, jsQR 1.4.0 (Apache-2.0, see NOTICE) from its npm package,
 * which the reader decodes with.
 */
export const QR_READER_FILES = {
  reader: pageFile(new URL('./qr-reader.js', import.meta.url), PAGE_TYPES.script),
  jsqr: { type: PAGE_TYPES.script, body: readFileSync(require.resolve('jsqr')) },
} as const satisfies Record<string, PageFile>;

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
 * sniffing, no referrer, and revalidation before reuse.
 * @param policy - the page's Content Security Policy
 */
export function sendPageFile(reply: HttpReply, file: PageFile, policy: string): void {
  void reply
    .status(200)
    .header('content-type', file.type)
    .header('content-security-policy', policy)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .send(file.body);
}
