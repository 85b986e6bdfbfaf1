import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startWallet } from './server.js';
import { WALLET_MANIFEST, WalletWebFiles } from './web-files.js';
import { walletIconPng } from './icons.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A build directory as Vite writes it: `index.html` and hashed assets. */
function build(assets: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-web-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-a.js"></script>');
  for (const [name, body] of Object.entries(assets)) writeFileSync(join(dir, 'assets', name), body);
  return dir;
}

describe('WalletWebFiles', () => {
  it('has the service worker keep the page, every asset, the manifest and each icon, in a cache named after their contents', () => {
    const files = WalletWebFiles.read(build({ 'index-a.js': 'one', 'index-b.css': 'body{}' }));
    expect(files.cache.files).toEqual(['/', '/assets/index-a.js', '/assets/index-b.css', '/manifest.webmanifest', ...WALLET_MANIFEST.icons.map((icon) => icon.src)]);
    expect(files.cache.name).toMatch(/^citycred-wallet-[0-9a-f]{16}$/);
    expect(String(files.serviceWorker.body).startsWith(`const APP_CACHE = ${JSON.stringify(files.cache)};\n`)).toBe(true);
    expect(WalletWebFiles.read(build({ 'index-a.js': 'one', 'index-b.css': 'body{}' })).cache.name).toBe(files.cache.name);
    expect(WalletWebFiles.read(build({ 'index-a.js': 'two', 'index-b.css': 'body{}' })).cache.name).not.toBe(files.cache.name);
  });

  it('has the served worker keep the settings too, so an app opened offline knows its scanner and city issuer; other settings, another cache', async () => {
    const files = WalletWebFiles.read(build({ 'index-a.js': 'one' }));
    const started = await Promise.all(
      ['https://jobs.example', 'https://other-jobs.example'].map((scannerUrl) => startWallet(0, '127.0.0.1', {}, files, { connectOrigins: [], scannerUrl, cityIssuerUrl: 'https://issuer.example' })),
    );
    try {
      const caches = await Promise.all(
        started.map(async (wallet) => JSON.parse(/^const APP_CACHE = (\{.*\});\n/.exec(await (await fetch(`${wallet.url}/sw.js`)).text())![1]!) as { name: string; files: string[] }),
      );
      expect(caches[0]!.files).toEqual([...files.cache.files, '/settings.json']);
      expect(caches[0]!.name).not.toBe(files.cache.name);
      expect(caches[1]!.name).not.toBe(caches[0]!.name);
      expect(await (await fetch(`${started[0]!.url}/settings.json`)).json()).toEqual({ connectOrigins: [], scannerUrl: 'https://jobs.example', cityIssuerUrl: 'https://issuer.example' });
    } finally {
      await Promise.all(started.map((wallet) => wallet.server.close()));
    }
  });

  it('gives the app the minimum wage table, which it checks a labour contract’s wage with before the worker signs', async () => {
    const wallet = await startWallet(0, '127.0.0.1', {}, WalletWebFiles.read(build({ 'index-a.js': 'one' })), { connectOrigins: [], minimumWageKrw: { 2025: 10030, 2026: 10320 } });
    try {
      expect(await (await fetch(`${wallet.url}/settings.json`)).json()).toEqual({ connectOrigins: [], minimumWageKrw: { '2025': 10030, '2026': 10320 } });
    } finally {
      await wallet.server.close();
    }
  });

  it('draws PNG icons of the size asked, filled to the edges (maskable)', () => {
    const png = walletIconPng(48);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([48, 48]);
    const idat = png.indexOf('IDAT');
    const rows = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    expect(rows.length).toBe(48 * (48 * 3 + 1));
    // The corner is the city's blue, the middle of the card white.
    expect([...rows.subarray(1, 4)]).toEqual([11, 61, 145]);
    const middle = 30 * (48 * 3 + 1) + 1 + 36 * 3;
    expect([...rows.subarray(middle, middle + 3)]).toEqual([255, 255, 255]);
  });

  it('answers 503 problem+json for the page on a server started before the app was built, and still its health', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wallet-web-'));
    dirs.push(empty);
    const wallet = await startWallet(0, '127.0.0.1', {}, WalletWebFiles.read(empty));
    try {
      const page = await fetch(`${wallet.url}/`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await page.json()).toMatchObject({ code: 'service.unavailable', status: 503 });
      expect((await fetch(`${wallet.url}/health`)).status).toBe(200);
      expect((await fetch(`${wallet.url}/manifest.webmanifest`)).status).toBe(200);
      const missing = await fetch(`${wallet.url}/icons/other.png`);
      expect([missing.status, (await missing.json()).code]).toEqual([404, 'request.not-found']);
    } finally {
      await wallet.server.close();
    }
  });
});
