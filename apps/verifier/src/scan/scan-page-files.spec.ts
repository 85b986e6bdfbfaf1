import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError, ErrorCode } from '@citycred/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { PAGES_UI_DIST, readPageBuild, type PageBuild } from '../pages/page-build.js';
import { PAGE_TYPES, type PageFile } from '../pages/page-files.js';
import { OFFLINE_SCRIPT_URL, SCAN_CACHE_PREFIX, ScanPageFiles } from './scan-page-files.js';

const script = (body: string): PageFile => ({ type: PAGE_TYPES.script, body });
const BUILD: PageBuild = {
  page: { type: PAGE_TYPES.html, body: '<!doctype html><title>scan</title><script type="module" src="/scan/assets/scan-a1.js"></script>' },
  assets: new Map([
    ['scan-a1.js', script('import "./chunk-b2.js";')],
    ['chunk-b2.js', script('export {};')],
    ['scan-c3.css', { type: PAGE_TYPES.style, body: 'body {}' }],
  ]),
  files: ['scan-a1.js', 'chunk-b2.js', 'scan-c3.css'],
};
const OFFLINE = script('export const verifyOffline = () => null;');
const WORKER = 'self.addEventListener("fetch", () => undefined);';

/** The `APP_CACHE` the served worker script starts with. */
function settingsIn(files: ScanPageFiles): unknown {
  const match = /^const APP_CACHE = (\{.*\});\n/.exec(String(files.serviceWorker.body));
  return match ? JSON.parse(match[1]!) : undefined;
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the scanner page’s files and the cache its service worker keeps them in', () => {
  let tmp: string | undefined;
  afterEach(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  // `npm test` builds first; run alone before `npm run build`, the case says it was skipped rather than pass unseen.
  const built = readPageBuild('scan') !== undefined;

  it.runIf(!built)('keeps none of the page’s files on a server started before the build', () => {
    expect(ScanPageFiles.read().cache.files.filter((path) => path !== '/scan/offline.js')).toEqual([]);
  });

  it.skipIf(!built)('keeps the page, every asset the page’s Vite build names, and the offline verifier — as built here', () => {
    const files = ScanPageFiles.read();
    const build = readPageBuild('scan')!;
    const html = build.page.body.toString();
    expect(files.cache.files[0]).toBe('/scan');
    // What the page names itself (its entry script, its style sheet) is kept.
    for (const [, path] of html.matchAll(/(?:src|href)="(\/scan\/assets\/[^"]+)"/g)) expect(files.cache.files).toContain(path);
    expect(files.cache.files.slice(1).every((path) => /^\/scan\/assets\/[\w.-]+$/.test(path) || path === '/scan/offline.js')).toBe(true);
    expect(files.cache.files.includes('/scan/offline.js')).toBe(existsSync(OFFLINE_SCRIPT_URL));
    const manifest = JSON.parse(readFileSync(join(PAGES_UI_DIST, 'scan', '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[] }>;
    for (const chunk of Object.values(manifest)) {
      for (const file of [chunk.file, ...(chunk.css ?? [])]) expect(files.cache.files).toContain(`/scan/${file}`);
    }
  });

  it('reads a page’s build: the page, its assets, and the files Vite’s manifest names', () => {
    tmp = mkdtempSync(join(tmpdir(), 'pages-ui-'));
    mkdirSync(join(tmp, 'scan', 'assets'), { recursive: true });
    mkdirSync(join(tmp, 'scan', '.vite'), { recursive: true });
    writeFileSync(join(tmp, 'scan', 'scan.html'), '<!doctype html>');
    for (const name of ['scan-a1.js', 'later-b2.js', 'scan-c3.css', 'scan-a1.js.map']) writeFileSync(join(tmp, 'scan', 'assets', name), name);
    writeFileSync(
      join(tmp, 'scan', '.vite', 'manifest.json'),
      JSON.stringify({ 'scan.html': { file: 'assets/scan-a1.js', isEntry: true, css: ['assets/scan-c3.css'], dynamicImports: ['later.ts'] }, 'later.ts': { file: 'assets/later-b2.js' } }),
    );
    const build = readPageBuild('scan', tmp)!;
    expect(build.page.type).toBe(PAGE_TYPES.html);
    expect([...build.assets.keys()]).toEqual(['later-b2.js', 'scan-a1.js', 'scan-c3.css']);
    expect(build.assets.get('scan-c3.css')!.type).toBe(PAGE_TYPES.style);
    expect(build.files).toEqual(['scan-a1.js', 'scan-c3.css', 'later-b2.js']);
    expect(readPageBuild('check', tmp)).toBeUndefined();
  });

  it('serves the worker its cache’s name and files before its own code', () => {
    const files = new ScanPageFiles(BUILD, OFFLINE, WORKER);
    expect(files.serviceWorker.type).toBe(PAGE_TYPES.script);
    expect(String(files.serviceWorker.body).endsWith(`\n${WORKER}`)).toBe(true);
    expect(settingsIn(files)).toEqual({
      name: files.cache.name,
      prefix: SCAN_CACHE_PREFIX,
      page: '/scan',
      files: ['/scan', '/scan/assets/scan-a1.js', '/scan/assets/chunk-b2.js', '/scan/assets/scan-c3.css', '/scan/offline.js'],
    });
    expect(files.cache.name).toMatch(/^citycred-scan-[0-9a-f]{16}$/);
    expect(files.asset('scan-c3.css')).toBe(BUILD.assets.get('scan-c3.css'));
    expect(files.page()).toBe(BUILD.page);
  });

  it('names the cache after the contents: the same files the same name, any file or the worker changed another', () => {
    const name = new ScanPageFiles(BUILD, OFFLINE, WORKER).cache.name;
    expect(new ScanPageFiles({ ...BUILD }, OFFLINE, WORKER).cache.name).toBe(name);
    const others = [
      new ScanPageFiles({ ...BUILD, assets: new Map([...BUILD.assets, ['scan-c3.css', { type: PAGE_TYPES.style, body: 'body { color: red }' }]]) }, OFFLINE, WORKER),
      new ScanPageFiles({ ...BUILD, page: { ...BUILD.page, body: '<!doctype html><title>other</title>' } }, OFFLINE, WORKER),
      new ScanPageFiles(BUILD, script('export const verifyOffline = () => 1;'), WORKER),
      new ScanPageFiles(BUILD, OFFLINE, `${WORKER}\n`),
    ].map((files) => files.cache.name);
    expect(new Set([name, ...others]).size).toBe(others.length + 1);
  });

  it('keeps the rest without the offline verifier where it was not built, and answers 503 for it; 404 for an unknown asset', () => {
    const files = new ScanPageFiles(BUILD, undefined, WORKER);
    expect(files.cache.files).not.toContain('/scan/offline.js');
    expect(files.cache.files).toHaveLength(4);
    expect(files.cache.name).not.toBe(new ScanPageFiles(BUILD, OFFLINE, WORKER).cache.name);
    const unbuilt = thrownBy(() => files.offlineVerifier());
    expect(unbuilt).toBeInstanceOf(AppError);
    expect((unbuilt as AppError).code).toBe(ErrorCode.ServiceUnavailable);
    expect((thrownBy(() => files.asset('scan-old.js')) as AppError).code).toBe(ErrorCode.NotFound);
    expect((thrownBy(() => new ScanPageFiles(undefined, OFFLINE, WORKER).page()) as AppError).code).toBe(ErrorCode.ServiceUnavailable);
  });
});
