import { existsSync } from 'node:fs';
import { AppError, ErrorCode } from '@citycred/errors';
import { OFFLINE_WORKER_CODE, offlineWorker, type OfflineCacheSettings } from '@citycred/http';
import { builtAsset, builtPage, readPageBuild, type PageBuild } from '../pages/page-build.js';
import { PAGE_TYPES, pageFile, type PageFile } from '../pages/page-files.js';

/**
 * Where `npm run build` (tools/build.mjs) writes the offline verifier, bundled from `src/scan/offline/` for the
 * browser: `apps/verifier/dist/scan-offline/offline.js`, found from this module as source (`src/scan/`) and as built
 * output (`dist/scan/`) alike.
 */
export const OFFLINE_SCRIPT_URL = new URL('../../dist/scan-offline/offline.js', import.meta.url);

/** Where the scanner's files are served: the page, its hashed assets (`assets/<name>`) and the offline verifier. */
export const SCAN_PAGE_PATHS = {
  page: '/scan',
  assets: '/scan/assets/',
  offline: '/scan/offline.js',
} as const;

/** What every cache of the scanner's service worker is named with; the rest of the name is the files' version. */
export const SCAN_CACHE_PREFIX = 'citycred-scan-';

/** What the scanner's service worker is told (libs/http's shared offline worker). */
export type ScanCacheSettings = OfflineCacheSettings;

/**
 * The employer scanner's files (docs/oid4vp.md, "The employer scanner"; docs/presentations.md, "Offline scanning"),
 * read once when the verifier starts — the page's Vite build (`apps/verifier/pages-ui`, `--mode scan`) and the offline
 * verifier — with the service worker that keeps them in the browser. This is the one list: the controllers serve
 * these files, and the worker keeps exactly these (the page, every asset Vite's manifest names, the offline verifier)
 * for the page to open without network. The cache the worker keeps them in is named after a hash of their contents and
 * of the worker's own code, so a deployment that changes any of them changes the worker's script: the browser installs
 * it again, and it replaces the old cache.
 */
export class ScanPageFiles {
  /** What the service worker is told: the cache's name and the paths it keeps. */
  readonly cache: ScanCacheSettings;
  /** `GET /scan/sw.js`: {@link ScanCacheSettings} as `const APP_CACHE`, then the shared worker's code. */
  readonly serviceWorker: PageFile;

  /**
   * @param build - the page's build (missing on a server started before `npm run build`)
   * @param offline - the offline verifier (missing likewise)
   * @param workerCode - the service worker's code (libs/http's `OFFLINE_WORKER_CODE`), which reads `APP_CACHE`
   */
  constructor(
    private readonly build: PageBuild | undefined,
    private readonly offline: PageFile | undefined,
    workerCode: string,
  ) {
    const kept: Array<[string, PageFile]> = [];
    if (build) {
      kept.push([SCAN_PAGE_PATHS.page, build.page]);
      for (const name of build.files) kept.push([`${SCAN_PAGE_PATHS.assets}${name}`, build.assets.get(name)!]);
    }
    if (offline) kept.push([SCAN_PAGE_PATHS.offline, offline]);
    const worker = offlineWorker(SCAN_CACHE_PREFIX, SCAN_PAGE_PATHS.page, kept.map(([path, file]) => [path, file.body] as const), workerCode);
    this.cache = worker.cache;
    this.serviceWorker = { type: PAGE_TYPES.script, body: worker.script };
  }

  /** Reads the page's build and the offline verifier (as far as `npm run build` made them) and the service worker. */
  static read(): ScanPageFiles {
    return new ScanPageFiles(
      readPageBuild('scan'),
      existsSync(OFFLINE_SCRIPT_URL) ? pageFile(OFFLINE_SCRIPT_URL, PAGE_TYPES.script) : undefined,
      OFFLINE_WORKER_CODE,
    );
  }

  /**
   * The page.
   * @throws AppError `service.unavailable` on a server where it was not built
   */
  page(): PageFile {
    return builtPage(this.build);
  }

  /**
   * One of the page's hashed assets.
   * @throws AppError `request.not-found` for a name the build does not have
   */
  asset(name: string): PageFile {
    return builtAsset(this.build, name);
  }

  /**
   * The offline verifier.
   * @throws AppError `service.unavailable` on a server where it was not built
   */
  offlineVerifier(): PageFile {
    if (!this.offline) throw new AppError(ErrorCode.ServiceUnavailable, 'The offline verifier is not built on this server (npm run build makes it).');
    return this.offline;
  }
}
