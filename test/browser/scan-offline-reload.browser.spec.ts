import type { BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCameraShowing } from '../support/fake-camera.js';
import { offlineDataShown, outcomeOn, startOfflineScanner, type OfflineScanner } from '../support/offline-scanner.js';
import { send } from '../support/platform.js';

const HOUR_MS = 3600_000;
/** The page's style sheet paints its background this colour. */
const PAGE_BACKGROUND = 'rgb(244, 246, 249)';

/**
 * The employer scanner opened again without network (docs/presentations.md, "Offline scanning"): the page, opened
 * once online, has its service worker (/scan/sw.js) keep its files; offline (`context.setOffline(true)`, which in
 * Chromium takes the service worker's network away too — checked below), /scan reloads from those files and verifies
 * the worker's QR code, filmed by the fake camera, with the bundle it kept. Online, the files still come from the
 * network first. Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole platform
 * (test/support/offline-scanner.ts); requests the service worker makes are routed by the test where it plays a slow,
 * failing or redeployed verifier (Playwright sees a service worker's requests in Chromium, `request.serviceWorker()`).
 */
describe('employer scanner opened again without network', { timeout: 120_000 }, () => {
  let scanner: OfflineScanner;
  let verifierUrl: string;
  /** What the page needs to run without network, as the verifier serves it: the page, its hashed assets, the offline verifier. */
  let pageFiles: string[];
  /** The page's style sheet (its name carries its hash). */
  let styleSheet: string;

  beforeAll(async () => {
    scanner = await startOfflineScanner('scan_offline_reload');
    verifierUrl = scanner.platform.verifier.url;
    pageFiles = (await servedCache()).files;
    styleSheet = pageFiles.find((path) => path.endsWith('.css'))!;
  });
  afterAll(async () => scanner?.stop());

  /** What the verifier's service worker script is told before its code: the cache's name and the files to keep. */
  async function servedCache(): Promise<{ name: string; prefix: string; page: string; files: string[] }> {
    const res = await send(`${verifierUrl}/scan/sw.js`);
    const settings = /^const APP_CACHE = (\{.*\});\n/.exec(res.text);
    expect(settings, res.text.slice(0, 200)).not.toBeNull();
    return JSON.parse(settings![1]!);
  }

  /** Waits until the service worker is active, then reloads so that it controls the page; its script's URL. */
  async function controlledByServiceWorker(page: Page): Promise<string | undefined> {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await offlineDataShown(page);
    return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  }

  /** The browser's caches of this origin and the paths each holds (sorted). */
  const cachesOf = (page: Page) =>
    page.evaluate(async () => {
      const kept: Record<string, string[]> = {};
      for (const name of await caches.keys()) kept[name] = (await (await caches.open(name)).keys()).map((request) => new URL(request.url).pathname).sort();
      return kept;
    });

  const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  /** Routes the service worker's own requests for `path` to `handle`; the page's requests go on as they are. */
  const routeServiceWorker = (context: BrowserContext, path: string, handle: (route: Route) => Promise<void> | void) =>
    context.route(`${verifierUrl}${path}`, async (route) => {
      if (route.request().serviceWorker()) await handle(route);
      else await route.continue();
    });

  it('serves the service worker with the scanner’s Content Security Policy, never from a stale copy, allowed to control /scan', async () => {
    const res = await send(`${verifierUrl}/scan/sw.js`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/javascript; charset=utf-8');
    expect(res.cacheControl).toBe('no-cache');
    expect(res.headers.get('service-worker-allowed')).toBe('/scan');
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).toContain("worker-src 'self';");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const cache = await servedCache();
    // The page first, then what its build names (its script, its style sheet), then the offline verifier.
    expect(cache.files[0]).toBe('/scan');
    expect(cache.files.at(-1)).toBe('/scan/offline.js');
    expect(cache.files.slice(1, -1).every((path) => /^\/scan\/assets\/[\w.-]+\.(js|css)$/.test(path))).toBe(true);
    const html = (await send(`${verifierUrl}/scan`)).text;
    for (const [, path] of html.matchAll(/(?:src|href)="(\/scan\/[^"]+)"/g)) expect(cache.files).toContain(path);
    expect(styleSheet).toMatch(/^\/scan\/assets\/.+\.css$/);
    expect(cache.page).toBe('/scan');
    expect(cache.name).toMatch(/^citycred-scan-[0-9a-f]{16}$/);
    // Named after the files' contents, not after the moment the verifier started.
    expect((await servedCache()).name).toBe(cache.name);
  });

  it('opened once online, opens again without network from the files it kept and verifies the worker’s QR code with the kept bundle', async () => {
    const browserTime = new Date(scanner.clock.now().getTime() + HOUR_MS);
    const camera = fakeCameraShowing(await scanner.walletQr(['ageOver18'], browserTime));
    const { name } = await servedCache();
    try {
      await scanner.onScanPage(camera.flags, browserTime, async (page, context) => {
        await offlineDataShown(page);
        expect(await controlledByServiceWorker(page)).toBe(`${verifierUrl}/scan/sw.js`);
        // The page's files, and nothing else: no bundle, no API answer.
        expect(await cachesOf(page)).toEqual({ [name]: [...pageFiles].sort() });

        await context.setOffline(true);
        // Playwright's offline mode holds for the service worker's own requests too (Chromium): it cannot reach the verifier
        // (past the browser's HTTP cache, which keeps the hashed assets for a year).
        const [worker] = context.serviceWorkers();
        expect(await worker!.evaluate((path) => fetch(path, { cache: 'no-store' }).then(() => 'reached', () => 'failed'), styleSheet)).toBe('failed');
        const reloaded = await page.reload();
        expect(reloaded?.status()).toBe(200);
        expect(reloaded?.fromServiceWorker()).toBe(true);
        // The kept page carries its Content Security Policy as the verifier sent it.
        expect(reloaded?.headers()['content-security-policy']).toContain("default-src 'none'");
        expect(await page.evaluate(() => navigator.onLine)).toBe(false);
        expect(await background(page)).toBe(PAGE_BACKGROUND);

        // The offline verifier (/scan/offline.js) came from the cache too: the kept data is read and shown.
        await offlineDataShown(page);
        await expect(page.locator('#offline-status').textContent()).resolves.toMatch(/^.+ 기준 오프라인 데이터 \(1시간 전\)$/);
        await page.getByLabel('만 18세 이상').check();
        await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
        const green = await outcomeOn(page);
        expect(green).toMatchObject({ outcome: 'verified', headline: '확인됨', reasons: ['만 18세 이상입니다.'] });
        expect(green.note).toMatch(/^인터넷 연결 없이 .+ 기준 오프라인 데이터로 확인했습니다\.$/);

        // Opened in English from the kept page too (the page reads ?lang itself).
        await page.goto(`${verifierUrl}/scan?lang=en`);
        await page.waitForFunction(() => document.querySelector('#offline-status')?.textContent?.startsWith('Offline data from'));
        expect(await page.locator('h1').textContent()).toBe('Employer check');
      });
    } finally {
      camera.remove();
    }
  });

  it('online, takes the files from the network first and keeps none of what it fetched; a failing or silent network gets the kept files', async () => {
    await scanner.onScanPage([], scanner.clock.now(), async (page, context) => {
      await offlineDataShown(page);
      expect(await controlledByServiceWorker(page)).toBe(`${verifierUrl}/scan/sw.js`);
      const kept = await cachesOf(page);

      // The verifier now serves another look: it shows at once.
      const css = (await send(`${verifierUrl}${styleSheet}`)).text;
      await routeServiceWorker(context, styleSheet, (route) => route.fulfill({ status: 200, contentType: 'text/css; charset=utf-8', body: `${css}\nbody { background: rgb(255, 250, 230); }\n` }));
      await page.reload();
      expect(await background(page)).toBe('rgb(255, 250, 230)');
      expect(await cachesOf(page)).toEqual(kept);
      await context.unrouteAll();

      // The verifier answers an error: the kept file.
      await routeServiceWorker(context, styleSheet, (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'down for maintenance' }));
      await page.reload();
      expect(await background(page)).toBe(PAGE_BACKGROUND);
      await context.unrouteAll();

      // The verifier does not answer at all: the kept file once the worker stops waiting (after a few seconds).
      await routeServiceWorker(context, styleSheet, () => undefined);
      await page.reload();
      expect(await background(page)).toBe(PAGE_BACKGROUND);
      await context.unrouteAll({ behavior: 'ignoreErrors' });
    });
  });

  it('replaces the kept files when the verifier serves a new version: a new worker, a new cache, the old one deleted', async () => {
    const current = await servedCache();
    const earlier = 'citycred-scan-0123456789abcdef';
    await scanner.onScanPage(
      [],
      scanner.clock.now(),
      async (page, context) => {
        await offlineDataShown(page);
        expect(await controlledByServiceWorker(page)).toBe(`${verifierUrl}/scan/sw.js`);
        expect(Object.keys(await cachesOf(page))).toEqual([earlier]);

        // Deployed since: the verifier's own worker names the cache after the files it serves now.
        await context.unrouteAll();
        const replaced = page.evaluate(() => new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true })));
        await page.evaluate(async () => {
          await (await navigator.serviceWorker.getRegistration())!.update();
        });
        await replaced;
        // Once the new worker is activated, it has deleted the earlier cache.
        await page.evaluate(
          () =>
            new Promise<void>((resolve) => {
              const worker = navigator.serviceWorker.controller!;
              if (worker.state === 'activated') resolve();
              worker.addEventListener('statechange', () => worker.state === 'activated' && resolve());
            }),
        );
        expect(await cachesOf(page)).toEqual({ [current.name]: [...pageFiles].sort() });
      },
      {
        // Opened first under an earlier deployment, whose worker named its cache otherwise (Playwright routes a
        // worker's first fetch of its script, not the browser's later update checks).
        beforeLoad: (context) =>
          routeServiceWorker(context, '/scan/sw.js', async (route) => {
            const served = await route.fetch();
            await route.fulfill({ response: served, body: (await served.text()).replace(current.name, earlier) });
          }),
      },
    );
  });

  it('works as before, saying so only in the console, where the worker cannot be registered or the browser has none', async () => {
    // The worker's script cannot be fetched: the page says why in the console (info, beside Chromium's own error) and
    // works on.
    let said: Promise<string> | undefined;
    await scanner.onScanPage(
      [],
      scanner.clock.now(),
      async (page, context) => {
        await offlineDataShown(page);
        expect(await said).toMatch(/^The scanner page will not open offline: its service worker could not be registered\./);
        expect(await page.evaluate(() => navigator.serviceWorker.getRegistrations().then((found) => found.length))).toBe(0);
        expect(context.serviceWorkers()).toEqual([]);
      },
      {
        beforeLoad: async (context) => {
          said = context.waitForEvent('console', { predicate: (message) => message.type() === 'info' }).then((message) => message.text());
          await routeServiceWorker(context, '/scan/sw.js', (route) => route.fulfill({ status: 503, contentType: 'text/plain', body: 'unavailable' }));
        },
        expectedErrors: /^A bad HTTP response code \(503\) was received when fetching the script\.$/,
      },
    );

    // A browser without service workers (as on an insecure origin): nothing is registered, nothing is said.
    const infos: string[] = [];
    await scanner.onScanPage(
      [],
      scanner.clock.now(),
      async (page, context) => {
        await offlineDataShown(page);
        expect(await page.evaluate(() => navigator.serviceWorker)).toBeUndefined();
        expect(context.serviceWorkers()).toEqual([]);
        expect(infos).toEqual([]);
      },
      {
        beforeLoad: async (context) => {
          context.on('console', (message) => {
            if (message.type() === 'info') infos.push(message.text());
          });
          await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'serviceWorker', { get: () => undefined }));
        },
      },
    );
  });
});
