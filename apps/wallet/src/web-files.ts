import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OFFLINE_WORKER_CODE, offlineWorker, type OfflineCacheSettings } from '@citycred/http';
import { walletIconPng, WALLET_ICON_SVG } from './icons.js';

/**
 * Where `npm run build` (tools/build.mjs) writes the wallet's web app (`apps/wallet/web`, Vite + React): found from
 * this module as source (`src/`) and as built output (`dist/`) alike.
 */
export const WALLET_WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));

/** One file the wallet serves: its media type and bytes, read once at start-up. */
export interface WalletFile {
  readonly type: string;
  readonly body: Buffer | string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** The paths the wallet's files are served at. */
export const WALLET_PATHS = {
  page: '/',
  assets: '/assets/',
  manifest: '/manifest.webmanifest',
  serviceWorker: '/sw.js',
  icons: '/icons/',
} as const;

/** What every cache of the wallet's service worker is named with; the rest of the name is the files' version. */
export const WALLET_CACHE_PREFIX = 'citycred-wallet-';

/** What the wallet's service worker is told (libs/http's shared offline worker). */
export type WalletCacheSettings = OfflineCacheSettings;

/**
 * The Web App Manifest (https://www.w3.org/TR/appmanifest/): Korean name first, standalone, the city's colours, icons
 * drawn by {@link walletIconPng} (any and maskable) and the SVG.
 */
export const WALLET_MANIFEST = Object.freeze({
  name: 'CityCred 시민 지갑',
  short_name: '시민 지갑',
  description: '서울시 디지털 증명서를 받고 보관하고 제시하는 지갑 / The citizen wallet for Seoul’s digital credentials',
  lang: 'ko',
  dir: 'ltr',
  id: '/',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  orientation: 'any',
  background_color: '#f4f6f9',
  theme_color: '#0b3d91',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
  ],
});

/**
 * The wallet's web app as the server holds it (read once at start-up, so a running server always serves a page with
 * the assets it names): the page, Vite's hashed assets, the manifest, the icons, and the service worker, which keeps
 * exactly these files for the app to open without network. The worker's cache is named after a hash of the files and
 * of its own code: a deployment that changes any of them changes the worker, which replaces the old cache.
 */
export class WalletWebFiles {
  readonly cache: WalletCacheSettings;
  readonly serviceWorker: WalletFile;
  readonly manifest: WalletFile = { type: 'application/manifest+json; charset=utf-8', body: JSON.stringify(WALLET_MANIFEST) };
  readonly icons: ReadonlyMap<string, WalletFile>;
  private readonly kept: ReadonlyArray<readonly [string, WalletFile]>;

  /**
   * @param page - the built `index.html` (undefined before `npm run build`)
   * @param assets - the hashed assets by file name
   * @param workerCode - the service worker's code (libs/http's `OFFLINE_WORKER_CODE`, which reads `APP_CACHE`)
   */
  constructor(
    readonly page: WalletFile | undefined,
    readonly assets: ReadonlyMap<string, WalletFile>,
    private readonly workerCode: string,
  ) {
    const png = walletIconPng(512);
    this.icons = new Map<string, WalletFile>([
      ['icon-192.png', { type: TYPES['.png']!, body: walletIconPng(192) }],
      ['icon-512.png', { type: TYPES['.png']!, body: png }],
      ['icon-maskable-512.png', { type: TYPES['.png']!, body: png }],
      ['icon.svg', { type: TYPES['.svg']!, body: WALLET_ICON_SVG }],
    ]);
    const kept: Array<[string, WalletFile]> = [];
    if (page) kept.push([WALLET_PATHS.page, page]);
    for (const [name, file] of assets) kept.push([`${WALLET_PATHS.assets}${name}`, file]);
    kept.push([WALLET_PATHS.manifest, this.manifest]);
    for (const [name, file] of this.icons) kept.push([`${WALLET_PATHS.icons}${name}`, file]);
    this.kept = kept;
    ({ cache: this.cache, serviceWorker: this.serviceWorker } = this.workerKeeping([]));
  }

  /**
   * The service worker that keeps these files and `more` (the server's `/settings.json`, so that an app opened offline
   * still knows its scanner and city issuer), in a cache named after all of them: other settings, another worker.
   * @param more - further paths the server answers, with their bytes, kept after the app's files
   */
  workerKeeping(more: ReadonlyArray<readonly [string, WalletFile]>): { readonly cache: WalletCacheSettings; readonly serviceWorker: WalletFile } {
    const worker = offlineWorker(WALLET_CACHE_PREFIX, WALLET_PATHS.page, [...this.kept, ...more].map(([path, file]) => [path, file.body] as const), this.workerCode);
    return { cache: worker.cache, serviceWorker: { type: TYPES['.js']!, body: worker.script } };
  }

  /** Reads the app's build (as far as `npm run build` made it) and the service worker's code. */
  static read(dist: string = WALLET_WEB_DIST): WalletWebFiles {
    const html = join(dist, 'index.html');
    const assets = new Map<string, WalletFile>();
    const assetDir = join(dist, 'assets');
    if (existsSync(assetDir)) {
      for (const file of readdirSync(assetDir).sort()) {
        if (file.startsWith('.') || file.endsWith('.map') || !statSync(join(assetDir, file)).isFile()) continue;
        assets.set(file, { type: TYPES[extname(file)] ?? 'application/octet-stream', body: readFileSync(join(assetDir, file)) });
      }
    }
    const page = existsSync(html) ? { type: TYPES['.html']!, body: readFileSync(html) } : undefined;
    return new WalletWebFiles(page, assets, OFFLINE_WORKER_CODE);
  }
}
