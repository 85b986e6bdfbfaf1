import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCameraShowing } from '../support/fake-camera.js';
import { citizenCardSubject, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const PHONE = { width: 390, height: 844 };
const HOUR_MS = 3600_000;

/**
 * The employer scanner offline (docs/presentations.md, "Offline scanning"): the page, opened online, keeps the
 * verifier's signed offline bundle; the network goes (`context.setOffline(true)`), the fake camera films the worker's
 * QR code, and the page verifies it itself with /scan/offline.js — green, marked as checked offline with the data's
 * time and age shown. Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole platform. The browser's
 * clock is set (Playwright's clock) to a few hours after the bundle was built, so the age it shows is known.
 */
describe('employer scanner offline', { timeout: 120_000 }, () => {
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let p: TestPlatform;
  let card: string;

  beforeAll(async () => {
    p = await startTestPlatform('scan_offline', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
    // One scan online first: the verifier learns the card's status list, which the bundle then carries.
    const online = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: await walletQr(['ageOver18'], clock.now()), policy: 'age-over-18' });
    expect(online.status, JSON.stringify(online.body)).toBe(200);
  });
  afterAll(async () => p?.stop());

  /** The QR code's text the wallet shows at `at`: the card with `disclose`, key-bound to this scanner over a fresh nonce. */
  async function walletQr(disclose: string[], at: Date): Promise<string> {
    return `citycred-vp:${await presentSdJwt(card, {
      disclose,
      kb: { signer: holder.signer, nonce: randomBytes(16).toString('base64url'), aud: `${p.verifier.url}/scan`, iat: at },
    })}`;
  }

  /**
   * Runs `test` on /scan at phone size in a browser of its own (started with `flags`) whose clock reads `browserTime`,
   * recording script errors, CSP refusals and failed requests (but the fetches that fail because the test took the
   * network away).
   */
  async function onScanPage(
    flags: readonly string[],
    browserTime: Date,
    test: (page: Page, context: BrowserContext) => Promise<void>,
    beforeLoad: (context: BrowserContext) => Promise<unknown> = async () => undefined,
  ): Promise<void> {
    const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...flags] });
    const problems: string[] = [];
    try {
      const context = await browser.newContext({ viewport: PHONE });
      const page = await context.newPage();
      await page.clock.setFixedTime(browserTime);
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
      });
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      await beforeLoad(context);
      await page.goto(`${p.verifier.url}/scan`);
      await test(page, context);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  }

  const outcomeOn = async (page: Page) => {
    const panel = page.locator('#outcome');
    await panel.waitFor();
    return {
      outcome: await panel.getAttribute('data-outcome'),
      headline: await panel.locator('h2').textContent(),
      reasons: await panel.locator('.reason, .plain-reason').allTextContents(),
      note: await panel.locator('.offline-note').textContent(),
    };
  };

  /** Waits until the page shows the offline data it fetched on load. */
  const offlineDataShown = (page: Page) => page.waitForFunction(() => document.querySelector('#offline-status')?.textContent?.includes('기준 오프라인 데이터'));

  it('verifies the worker’s QR code without network with the bundle it kept: green, with the data’s time and age; the same code again is red', async () => {
    const browserTime = new Date(clock.now().getTime() + 3 * HOUR_MS);
    const camera = fakeCameraShowing(await walletQr(['ageOver18'], browserTime));
    try {
      await onScanPage(camera.flags, browserTime, async (page, context) => {
        await offlineDataShown(page);
        const status = await page.locator('#offline-status').textContent();
        expect(status).toMatch(/^.+ 기준 오프라인 데이터 \(3시간 전\)$/);
        expect(await page.locator('#offline-warning').isVisible()).toBe(false);
        const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('citycred.scan.offline-bundle') ?? 'null'));
        expect(kept.jws.split('.')).toHaveLength(3);
        expect(kept.jwk).toMatchObject({ kty: 'EC', crv: 'P-256' });

        await context.setOffline(true);
        expect(await page.evaluate(() => navigator.onLine)).toBe(false);
        await page.getByLabel('만 18세 이상').check();
        await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
        const green = await outcomeOn(page);
        expect(green).toMatchObject({ outcome: 'verified', headline: '확인됨', reasons: ['만 18세 이상입니다.'] });
        expect(green.note).toMatch(/^인터넷 연결 없이 .+ 기준 오프라인 데이터로 확인했습니다\.$/);
        expect(green.note).toContain(status!.replace(/ 기준 오프라인 데이터 \(3시간 전\)$/, ''));
        const shown = await page.locator('body').innerText();
        for (const personal of [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district]) expect(shown).not.toContain(personal);
        expect(await unnamedControls(page)).toEqual([]);
        expect(await lowContrastText(page)).toEqual([]);
        expect(await scrollsSideways(page)).toBe(false);
        await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'scan-offline-phone.png'), fullPage: true });
        await page.locator('#language').click();
        expect((await outcomeOn(page)).note).toMatch(/^Verified offline with data from .+\.$/);
        expect(await page.locator('#offline-status').textContent()).toMatch(/^Offline data from .+ \(3 h old\)$/);
        await page.locator('#language').click();

        // The same code shown again on this device: a replay, refused offline too.
        await page.locator('#next').click();
        await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
        const red = await outcomeOn(page);
        expect(red).toMatchObject({ outcome: 'not-verified', headline: '확인 안 됨', reasons: ['이 기기에서 이미 확인한 QR 코드입니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.'] });
        expect(red.note).toMatch(/^인터넷 연결 없이 .+ 기준 오프라인 데이터로 확인한 결과입니다\.$/);
      });
    } finally {
      camera.remove();
    }
  });

  it('warns when the kept data is more than 12 hours old, and refuses with expired data; the button fetches it anew once online', async () => {
    const start = new Date(clock.now().getTime() + 13 * HOUR_MS);
    const dayLater = new Date(clock.now().getTime() + 25 * HOUR_MS);
    const camera = fakeCameraShowing(await walletQr(['ageOver18'], dayLater));
    try {
      await onScanPage(camera.flags, start, async (page, context) => {
        await offlineDataShown(page);
        await expect(page.locator('#offline-status').textContent()).resolves.toMatch(/\(13시간 전\)$/);
        await expect(page.locator('#offline-warning').textContent()).resolves.toBe('오프라인 데이터가 12시간보다 오래되었습니다. 인터넷에 연결되면 갱신하세요.');

        // A day and more after it was built, offline: the kept data has expired and checks nothing.
        await context.setOffline(true);
        await page.clock.setFixedTime(dayLater);
        await page.getByLabel('만 18세 이상').check();
        await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
        const red = await outcomeOn(page);
        expect(red).toMatchObject({ outcome: 'not-verified', reasons: ['오프라인 데이터의 사용 기한이 지났습니다. 인터넷에 연결된 상태에서 오프라인 데이터를 갱신하세요.'] });
        await expect(page.locator('#offline-warning').textContent()).resolves.toBe('오프라인 데이터의 사용 기한이 지났습니다. 인터넷에 연결해 갱신하기 전에는 오프라인으로 확인할 수 없습니다.');

        // Online again, the button fetches a new bundle (built now, by the verifier's clock).
        await context.setOffline(false);
        await page.clock.setFixedTime(clock.now());
        await page.getByRole('button', { name: '오프라인 데이터 갱신' }).click();
        await page.waitForFunction(() => document.querySelector('#offline-status')?.textContent?.endsWith('(0분 전)'));
        expect(await page.locator('#offline-warning').isVisible()).toBe(false);
      });
    } finally {
      camera.remove();
    }
  });

  it('says so when it could not fetch the offline data, and offline without any it checks nothing', async () => {
    const camera = fakeCameraShowing(await walletQr(['ageOver18'], clock.now()));
    try {
      // The bundle cannot be fetched when the page loads (its fetch fails as without network).
      const noBundle = (context: BrowserContext) => context.route('**/scan/offline-bundle', (route) => route.abort('connectionfailed'));
      await onScanPage(camera.flags, clock.now(), async (page, context) => {
        await page.waitForFunction(() => document.querySelector('#offline-warning')?.textContent !== '');
        await expect(page.locator('#offline-status').textContent()).resolves.toBe('오프라인 데이터가 없습니다. 인터넷에 연결된 상태에서 갱신하세요.');
        await expect(page.locator('#offline-warning').textContent()).resolves.toBe('오프라인 데이터를 받지 못했습니다. 잠시 후 다시 시도하세요.');
        await context.setOffline(true);
        await page.getByLabel('만 18세 이상').check();
        await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
        await page.waitForFunction(() => document.querySelector('#result .message') !== null);
        await expect(page.locator('#result .message').textContent()).resolves.toBe('인터넷에 연결되어 있지 않고 오프라인 데이터도 없어 확인할 수 없습니다.');
        await page.locator('#language').click();
        await expect(page.locator('#result .message').textContent()).resolves.toBe('There is no connection, and no offline data to check with.');
        expect(await page.evaluate(() => localStorage.getItem('citycred.scan.offline-bundle'))).toBeNull();
      }, noBundle);
    } finally {
      camera.remove();
    }
  });
});
