import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What a page's service worker is told, as `const APP_CACHE = …;` before its code (`service-worker.js`). */
export interface OfflineCacheSettings {
  /** The cache the files are kept in: the prefix and the files' version. */
  readonly name: string;
  /** The prefix of the worker's caches: every other one of them is deleted when this worker takes over. */
  readonly prefix: string;
  /** The page's path: a navigation to it is answered whatever its query (`?lang=en`). */
  readonly page: string;
  /** The paths to keep, the page first. */
  readonly files: readonly string[];
}

/** The shared worker's code (`service-worker.js`, which reads `APP_CACHE`), read once. */
// Found beside this module (src/ under the tests, dist/ once built: the build copies it), by path rather than by
// `new URL('./…', import.meta.url)`, which Vite's test runner would load as a module.
export const OFFLINE_WORKER_CODE = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'service-worker.js'), 'utf8');

/**
 * The service worker that keeps a page's files in the browser so that the page opens without network (the employer
 * scanner, the citizen wallet): the one worker's code after its settings. The cache is named `prefix` and a hash of
 * every kept file's path and bytes and of the worker's code, so a deployment that changes any of them changes the
 * script: the browser installs it again, and it replaces the old cache.
 * @param prefix - what all of this page's caches are named with, e.g. `citycred-scan-`
 * @param page - the page's path, kept whatever its query
 * @param kept - the paths to keep with their bytes, the page first
 * @param workerCode - the worker's code; default {@link OFFLINE_WORKER_CODE}
 * @returns the settings, and the script to serve (JavaScript)
 */
export function offlineWorker(
  prefix: string,
  page: string,
  kept: ReadonlyArray<readonly [path: string, body: string | Uint8Array]>,
  workerCode: string = OFFLINE_WORKER_CODE,
): { cache: OfflineCacheSettings; script: string } {
  const hash = createHash('sha256');
  for (const [path, body] of kept) hash.update(`${path}\n`).update(body).update('\n');
  hash.update(workerCode);
  const cache: OfflineCacheSettings = Object.freeze({
    name: `${prefix}${hash.digest('hex').slice(0, 16)}`,
    prefix,
    page,
    files: Object.freeze(kept.map(([path]) => path)),
  });
  return { cache, script: `const APP_CACHE = ${JSON.stringify(cache)};\n${workerCode}` };
}
