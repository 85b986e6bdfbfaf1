import { existsSync, readFileSync } from 'node:fs';
import { AppError, ErrorCode } from '@citycred/errors';
import { describe, expect, it } from 'vitest';
import { PAGE_TYPES, type PageFile } from '../pages/page-files.js';
import { OFFLINE_SCRIPT_URL, SCAN_CACHE_PREFIX, ScanPageFiles } from './scan-page-files.js';

const script = (body: string): PageFile => ({ type: PAGE_TYPES.script, body });
const FILES = {
  page: { type: PAGE_TYPES.html, body: '<!doctype html><title>scan</title>' },
  script: script('import "./outcome.js";'),
  outcome: script('export {};'),
  style: { type: PAGE_TYPES.style, body: 'body {}' },
  qrReader: script('export {};'),
  jsqr: script('window.jsQR = () => null;'),
  offline: script('export const verifyOffline = () => null;'),
};
const WORKER = 'self.addEventListener("fetch", () => undefined);';

/** The `SCAN_CACHE` the served worker script starts with. */
function settingsIn(files: ScanPageFiles): unknown {
  const match = /^const SCAN_CACHE = (\{.*\});\n/.exec(String(files.serviceWorker.body));
  return match ? JSON.parse(match[1]!) : undefined;
}

describe('the scanner page’s files and the cache its service worker keeps them in', () => {
  it('keeps every file the page loads from this origin, the page first, and nothing else', () => {
    const files = ScanPageFiles.read();
    const html = readFileSync(new URL('./public/scan.html', import.meta.url), 'utf8');
    const scanJs = readFileSync(new URL('./public/scan.js', import.meta.url), 'utf8');
    const loaded = new Set(['/scan']);
    for (const [, path] of html.matchAll(/(?:src|href)="(\/scan\/[^"]+)"/g)) loaded.add(path!);
    for (const [, name] of scanJs.matchAll(/(?:from |import\()'\.\/([\w-]+\.js)'/g)) loaded.add(`/scan/${name}`);
    // offline.js exists once `npm run build` made it; a server without it keeps the rest.
    if (!existsSync(OFFLINE_SCRIPT_URL)) loaded.delete('/scan/offline.js');
    expect(files.cache.files[0]).toBe('/scan');
    expect(new Set(files.cache.files)).toEqual(loaded);
    expect(files.cache.files).toHaveLength(loaded.size);
  });

  it('serves the worker its cache’s name and files before its own code', () => {
    const files = new ScanPageFiles(FILES, WORKER);
    expect(files.serviceWorker.type).toBe(PAGE_TYPES.script);
    expect(String(files.serviceWorker.body).endsWith(`\n${WORKER}`)).toBe(true);
    expect(settingsIn(files)).toEqual({
      name: files.cache.name,
      prefix: SCAN_CACHE_PREFIX,
      page: '/scan',
      files: ['/scan', '/scan/scan.js', '/scan/outcome.js', '/scan/scan.css', '/scan/qr-reader.js', '/scan/jsqr.js', '/scan/offline.js'],
    });
    expect(files.cache.name).toMatch(/^citycred-scan-[0-9a-f]{16}$/);
    expect(files.file('style')).toBe(FILES.style);
  });

  it('names the cache after the contents: the same files the same name, any file or the worker changed another', () => {
    const name = new ScanPageFiles(FILES, WORKER).cache.name;
    expect(new ScanPageFiles({ ...FILES }, WORKER).cache.name).toBe(name);
    const others = [
      new ScanPageFiles({ ...FILES, style: { ...FILES.style, body: 'body { color: red }' } }, WORKER),
      new ScanPageFiles({ ...FILES, offline: script('export const verifyOffline = () => 1;') }, WORKER),
      new ScanPageFiles({ ...FILES, jsqr: { ...FILES.jsqr, body: Buffer.from('window.jsQR = () => 1;') } }, WORKER),
      new ScanPageFiles(FILES, `${WORKER}\n`),
    ].map((files) => files.cache.name);
    expect(new Set([name, ...others]).size).toBe(others.length + 1);
  });

  it('keeps the rest without the offline verifier where it was not built, and answers 503 for it', () => {
    const { offline: _unbuilt, ...built } = FILES;
    const files = new ScanPageFiles(built, WORKER);
    expect(files.cache.files).not.toContain('/scan/offline.js');
    expect(files.cache.files).toHaveLength(6);
    expect(files.cache.name).not.toBe(new ScanPageFiles(FILES, WORKER).cache.name);
    let thrown: unknown;
    try {
      files.file('offline');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe(ErrorCode.ServiceUnavailable);
  });
});
