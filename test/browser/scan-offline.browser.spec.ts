import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCameraShowing } from '../support/fake-camera.js';
import { offlineDataShown, outcomeOn, startOfflineScanner, type OfflineScanner } from '../support/offline-scanner.js';
import { citizenCardSubject } from '../support/platform.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

const HOUR_MS = 3600_000;

/**
 * The employer scanner offline (docs/presentations.md, "Offline scanning"): the page, opened online, keeps the
 * verifier's signed offline bundle; the network goes (`context.setOffline(true)`), the fake camera films the worker's
 * QR code, and the page verifies it itself with /scan/offline.js — green, marked as checked offline with the data's
 * time and age shown. Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole platform
 * (test/support/offline-scanner.ts). The browser's clock is set (Playwright's clock) to a few hours after the bundle
 * was built, so the age it shows is known.
 */
describe('employer scanner offline', { timeout: 120_000 }, () => {
  let scanner: OfflineScanner;
  let clock: OfflineScanner['clock'];
  const walletQr = (disclose: string[], at: Date, options?: { anchorProof?: boolean }) => scanner.walletQr(disclose, at, options);
  const onScanPage: OfflineScanner['onScanPage'] = (...args) => scanner.onScanPage(...args);

  beforeAll(async () => {
    scanner = await startOfflineScanner('scan_offline');
    clock = scanner.clock;
  });
  afterAll(async () => scanner?.stop());

  it('verifies the worker’s QR code without network with the bundle it kept: green, with the data’s time and age and the anchoring checked; the same code again is red', async () => {
    const browserTime = new Date(clock.now().getTime() + 3 * HOUR_MS);
    // The wallet holds the card's anchor proof and shows it in the code: the page checks it against the bundle's roots.
    const camera = fakeCameraShowing(await walletQr(['ageOver18'], browserTime, { anchorProof: true }));
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
        // Who issued the card, by the name the offline data gives the city's demo issuer (seoul-citizen).
        expect(await page.locator('#outcome .issuer-name').textContent()).toBe('서울특별시 주민등록과');
        expect(await page.locator('#outcome .issuer-did').textContent()).toMatch(/^did:ethr:citycred:0x/);
        expect(await page.locator('#outcome .anchoring-note').textContent()).toBe('발급기관이 블록체인에 남긴 발급 기록도 오프라인 데이터로 확인했습니다.');
        const shown = await page.locator('body').innerText();
        for (const personal of [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district]) expect(shown).not.toContain(personal);
        expect(await unnamedControls(page)).toEqual([]);
        expect(await lowContrastText(page)).toEqual([]);
        expect(await scrollsSideways(page)).toBe(false);
        await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'scan-offline-phone.png'), fullPage: true });
        await page.locator('#language').click();
        expect((await outcomeOn(page)).note).toMatch(/^Verified offline with data from .+\.$/);
        expect(await page.locator('#outcome .issuer-name').textContent()).toBe('Seoul Metropolitan Government — Resident Registration');
        expect(await page.locator('#outcome .issuer').textContent()).toMatch(/^Issuer: Seoul Metropolitan Government — Resident Registration did:ethr:citycred:0x/);
        expect(await page.locator('#offline-status').textContent()).toMatch(/^Offline data from .+ \(3 h old\)$/);
        expect(await page.locator('#outcome .anchoring-note').textContent()).toBe('The issuer’s record of it on the city chain was checked too, with the offline data.');
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
      }, { beforeLoad: noBundle });
    } finally {
      camera.remove();
    }
  });
});
