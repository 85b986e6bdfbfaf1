import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { AppError, ErrorCode } from '@citycred/errors';
import { PAGE_TYPES, pageFile, QR_READER_FILES, type PageFile } from '../pages/page-files.js';

/**
 * Where `npm run build` (tools/build.mjs) writes the offline verifier, bundled from `src/scan/offline/` for the
 * browser: `apps/verifier/dist/scan-offline/offline.js`, found from this module as source (`src/scan/`) and as built
 * output (`dist/scan/`) alike.
 */
export const OFFLINE_SCRIPT_URL = new URL('../../dist/scan-offline/offline.js', import.meta.url);

/**
 * The files the scanner page runs on, by name, with the path each is served at — the one list: the controllers serve
 * these, and the service worker keeps exactly these for the page to open without network. The page comes first.
 */
export const SCAN_PAGE_PATHS = {
  page: '/scan',
  script: '/scan/scan.js',
  outcome: '/scan/outcome.js',
  style: '/scan/scan.css',
  qrReader: '/scan/qr-reader.js',
  jsqr: '/scan/jsqr.js',
  offline: '/scan/offline.js',
} as const;

/** The name of one of the scanner page's files ({@link SCAN_PAGE_PATHS}). */
export type ScanPageFileName = keyof typeof SCAN_PAGE_PATHS;

/** What every cache of the scanner's service worker is named with; the rest of the name is the files' version. */
export const SCAN_CACHE_PREFIX = 'citycred-scan-';

/** What the server puts before the service worker's code (`public/sw.js`), as `const SCAN_CACHE = …;`. */
export interface ScanCacheSettings {
  /** The cache the files are kept in: {@link SCAN_CACHE_PREFIX} and the files' version. */
  readonly name: string;
  /** The prefix of the worker's caches: every other one of them is deleted when this worker takes over. */
  readonly prefix: string;
  /** The page's path: a navigation to it is answered whatever its query (`?lang=en`). */
  readonly page: string;
  /** The paths to keep, the page first. */
  readonly files: readonly string[];
}

function publicFile(name: string, type: string): PageFile {
  return pageFile(new URL(`./public/${name}`, import.meta.url), type);
}

/**
 * The employer scanner's files (docs/oid4vp.md, "The employer scanner"; docs/presentations.md, "Offline scanning"),
 * read once when the verifier starts, with the service worker that keeps them in the browser. The cache the worker
 * keeps them in is named after a hash of their contents and of the worker's own code, so a deployment that changes any
 * of them changes the worker's script: the browser installs it again, and it replaces the old cache.
 */
export class ScanPageFiles {
  /** What the service worker is told: the cache's name and the paths it keeps. */
  readonly cache: ScanCacheSettings;
  /** `GET /scan/sw.js`: {@link ScanCacheSettings} as `const SCAN_CACHE`, then the worker's code. */
  readonly serviceWorker: PageFile;

  /**
   * @param files - the files this server has, by name (`offline` may be missing: it exists once built)
   * @param workerCode - the service worker's code (`public/sw.js`), which reads `SCAN_CACHE`
   */
  constructor(
    private readonly files: Readonly<Partial<Record<ScanPageFileName, PageFile>>>,
    workerCode: string,
  ) {
    const names = (Object.keys(SCAN_PAGE_PATHS) as ScanPageFileName[]).filter((name) => files[name] !== undefined);
    const hash = createHash('sha256');
    for (const name of names) hash.update(`${SCAN_PAGE_PATHS[name]}\n`).update(files[name]!.body).update('\n');
    hash.update(workerCode);
    this.cache = Object.freeze({
      name: `${SCAN_CACHE_PREFIX}${hash.digest('hex').slice(0, 16)}`,
      prefix: SCAN_CACHE_PREFIX,
      page: SCAN_PAGE_PATHS.page,
      files: Object.freeze(names.map((name) => SCAN_PAGE_PATHS[name])),
    });
    this.serviceWorker = { type: PAGE_TYPES.script, body: `const SCAN_CACHE = ${JSON.stringify(this.cache)};\n${workerCode}` };
  }

  /**
   * Reads the page's files, the shared QR reader, the built offline verifier (when `npm run build` made it) and the
   * service worker.
   * @throws Error when one of the page's own files is missing (a packaging fault: the build copies `public/`)
   */
  static read(): ScanPageFiles {
    return new ScanPageFiles(
      {
        page: publicFile('scan.html', PAGE_TYPES.html),
        script: publicFile('scan.js', PAGE_TYPES.script),
        outcome: publicFile('outcome.js', PAGE_TYPES.script),
        style: publicFile('scan.css', PAGE_TYPES.style),
        qrReader: QR_READER_FILES.reader,
        jsqr: QR_READER_FILES.jsqr,
        ...(existsSync(OFFLINE_SCRIPT_URL) ? { offline: pageFile(OFFLINE_SCRIPT_URL, PAGE_TYPES.script) } : {}),
      },
      readFileSync(new URL('./public/sw.js', import.meta.url), 'utf8'),
    );
  }

  /**
   * The file named `name`.
   * @throws AppError `service.unavailable` for the offline verifier on a server where it was not built
   */
  file(name: ScanPageFileName): PageFile {
    const file = this.files[name];
    if (!file) throw new AppError(ErrorCode.ServiceUnavailable, 'The offline verifier is not built on this server (npm run build makes it).');
    return file;
  }
}
