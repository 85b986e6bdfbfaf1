import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FixedClock } from '@citycred/config';
import { generateHolderKeyPair, holderKeyOf, Oid4vciClient, publicJwkOf, type WalletTransport } from '@citycred/wallet-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { readQrCode } from '../support/read-qr.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/**
 * The demo citizens page `/demo/citizens` in Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole
 * platform whose issuer runs the embedded demo: a citizen's "receive all" opens the wallet's receive link in the wallet's
 * tab, `citycred-wallet` (here a stand-in page at WALLET_URL, whose address the test reads), with every agency's offer,
 * which the wallet core redeems;
 * "show as QR codes" draws each offer as a QR code a phone's wallet reads.
 */
describe('demo citizens page in a browser', () => {
  const clock = new FixedClock(new Date());
  const transport: WalletTransport = { fetch: (input, init) => fetch(input, init), clock };
  let p: TestPlatform;
  let browser: Browser;
  let wallet: Server;
  let walletUrl: string;
  const problems: string[] = [];

  beforeAll(async () => {
    // The wallet's place: a page that only has to load, so the test can read the address the demo page opened.
    wallet = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>wallet</title>'));
    await new Promise<void>((done) => wallet.listen(0, '127.0.0.1', done));
    walletUrl = `http://127.0.0.1:${(wallet.address() as AddressInfo).port}`;
    p = await startTestPlatform('demo_page', { clock, issuerEnv: { DEMO_CITIZENS_FILE: resolve(import.meta.dirname, '../../config/demo-citizens.json'), WALLET_URL: walletUrl } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
    await new Promise((done) => wallet?.close(done));
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE });
    recordFaults(page, problems);
    await page.goto(`${p.issuer.url}/demo/citizens`);
    await page.locator('li.citizen').first().waitFor();
    return page;
  }

  /** Screenshots at phone and desktop size into SCREENSHOTS_DIR (else the temporary directory). */
  async function screenshots(page: Page, name: string): Promise<void> {
    const dir = process.env['SCREENSHOTS_DIR'] ?? tmpdir();
    await page.screenshot({ path: join(dir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    await page.setViewportSize(PHONE);
  }

  const card = (page: Page, id: string) => page.locator(`li.citizen[data-citizen="${id}"]`);

  it('lists the citizens in Korean with their expected outcomes, switches to English, and reads well on a phone', async () => {
    const page = await open();
    expect(await page.locator('h1').textContent()).toBe('데모 시민');
    expect(await page.locator('li.citizen').count()).toBe(10);
    expect(await card(page, 'kim-seoyeon').locator('h2').textContent()).toContain('김서연');
    expect(await card(page, 'kim-seoyeon').locator('[data-outcome]').textContent()).toBe('자격 있음');
    expect(await card(page, 'han-yerin').locator('[data-outcome]').textContent()).toBe('탈락 — 가구소득 기준 초과');
    expect(await unnamedControls(page)).toEqual([]);
    expect(await lowContrastText(page)).toEqual([]);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshots(page, 'demo-citizens');
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('h1').textContent()).toBe('Demo citizens');
    expect(await card(page, 'kim-seoyeon').locator('h2').textContent()).toContain('Kim Seo-yeon');
    expect(await card(page, 'kim-seoyeon').getByRole('button', { name: 'Receive all in the wallet' }).isVisible()).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"지갑으로 모두 받기" opens the wallet with every agency’s offer in the wallet’s tab, which the wallet redeems; a second citizen’s reuses that tab', async () => {
    const page = await open();
    const opened = page.context().waitForEvent('page');
    await card(page, 'kim-seoyeon').getByRole('button', { name: '지갑으로 모두 받기' }).click();
    const walletTab = await opened;
    await walletTab.waitForURL((url) => url.href.startsWith(`${walletUrl}/#receive?`));
    // The shared wallet tab (libs/web-ui WALLET_TAB), opened with its opener (not noopener): the application page,
    // opened in this tab afterwards, finds it by name.
    expect(await walletTab.evaluate(() => [window.name, window.opener !== null])).toEqual(['citycred-wallet', true]);
    // The demo page stays, and says where the wallet went.
    expect(await card(page, 'kim-seoyeon').locator('.opened').textContent()).toBe('지갑이 다른 탭에서 열렸습니다. 거기서 증명서를 받은 뒤 이 탭으로 돌아오세요.');
    expect(await card(page, 'kim-seoyeon').getByRole('button', { name: '지갑으로 모두 받기' }).isEnabled()).toBe(true);
    const links = new URLSearchParams(new URL(walletTab.url()).hash.slice('#receive?'.length)).getAll('offer');
    expect(links).toHaveLength(5);
    const issuing = new Oid4vciClient(transport);
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const types: string[] = [];
    for (const link of links) {
      const [received] = await issuing.receive(await issuing.prepare(link), { holder });
      types.push(received!.decoded.primaryType.split('/').pop()!);
    }
    expect(types).toEqual(['SeoulCitizenCard', 'EnrollmentStatus', 'IncomeBracket', 'EmploymentInsuranceStatus', 'RentalStatus']);

    // Another citizen's button: the same wallet tab, no new one.
    const tabs = page.context().pages().length;
    await card(page, 'han-yerin').getByRole('button', { name: '지갑으로 모두 받기' }).click();
    await card(page, 'han-yerin').locator('.opened').waitFor();
    await walletTab.waitForURL((url) => url.href.startsWith(`${walletUrl}/#receive?`) && !url.href.includes(encodeURIComponent(links[0]!)));
    expect(page.context().pages()).toHaveLength(tabs);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"지갑으로 모두 받기" opens the wallet in this tab where the browser refuses a new one (a popup blocker)', async () => {
    const page = await open();
    // What a popup blocker answers window.open: null.
    await page.evaluate(() => (window.open = () => null));
    await card(page, 'kim-seoyeon').getByRole('button', { name: '지갑으로 모두 받기' }).click();
    await page.waitForURL((url) => url.href.startsWith(`${walletUrl}/#receive?`));
    expect(new URLSearchParams(new URL(page.url()).hash.slice('#receive?'.length)).getAll('offer')).toHaveLength(5);
    expect(page.context().pages()).toHaveLength(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('"QR 코드로 보기" shows each offer as a QR code a phone’s wallet reads and redeems', async () => {
    const page = await open();
    await card(page, 'han-yerin').getByRole('button', { name: 'QR 코드로 보기' }).click();
    const codes = card(page, 'han-yerin').locator('svg.qr');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(4);
    expect(await card(page, 'han-yerin').getByRole('link', { name: '지갑 열기' }).getAttribute('href')).toMatch(new RegExp(`^${walletUrl}/#receive\\?offer=`));
    expect(await card(page, 'han-yerin').getByRole('link', { name: '지갑 열기' }).getAttribute('target')).toBe('citycred-wallet');
    const link = await readQrCode(browser, await codes.nth(2).screenshot());
    expect(link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    const issuing = new Oid4vciClient(transport);
    const keys = await generateHolderKeyPair();
    const [received] = await issuing.receive(await issuing.prepare(link), { holder: holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey)) });
    expect(received!.decoded.claims).toMatchObject({ householdIncomePercentOfMedian: 151 });
    expect(await scrollsSideways(page)).toBe(false);
    await screenshots(page, 'demo-citizens-qr');
    expect(problems).toEqual([]);
    await page.close();
  });
});
