import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import { startWallet } from '@citycred/wallet';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE } from '../support/browser.js';
import { readQrCode } from '../support/read-qr.js';
import { fillCardForm, freshContext, OPERATORS, signIn, startConsolePlatform, type ConsolePlatform } from './console-harness.js';

const PIN = '246810';
const CARD_LABEL = credentialTypeInfo('SeoulCitizenCard').labels.ko;

/**
 * README's walk-through of the citizen wallet, step by step as a new user does it, on the whole platform (SQLite or
 * PostgreSQL): a clerk offers a SeoulCitizenCard from the console's QR code; the citizen's wallet (a phone-sized
 * context) sets a PIN and receives it with the transaction code; the employer scanner page asks for age over 18 with
 * its QR code, the wallet presents and the scanner turns green; the wallet reloaded, then offline, still holds the card.
 * The QR codes are read from the screen with jsQR and their text pasted where a phone would scan them (the camera
 * path is wallet-flows.browser.spec.ts's).
 */
describe('README walk-through: console QR → wallet → scanner green, then reload and offline', { timeout: 180_000 }, () => {
  let city: ConsolePlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;

  beforeAll(async () => {
    city = await startConsolePlatform('wallet-walkthrough');
    const { issuer, verifier } = city.platform;
    wallet = await startWallet(0, '127.0.0.1', {}, undefined, {
      connectOrigins: [new URL(issuer.url).origin, new URL(verifier.url).origin],
      scannerUrl: verifier.url,
      cityIssuerUrl: issuer.url,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    await city?.stop();
  });

  const openCards = async (page: Page) => {
    await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
    for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '열기', exact: true }).click();
    await page.getByRole('heading', { name: '내 증명서' }).waitFor();
  };

  it('receives a citizen card from the console QR, shows age over 18 to the scanner (green), and keeps it across a reload and offline', async () => {
    // 1. The clerk offers a card from the console: a QR code and a transaction code.
    const desk = await (await freshContext(browser)).newPage();
    await signIn(desk, city.consoleUrl, OPERATORS.issuer);
    await fillCardForm(desk);
    // The scanner asks for a SeoulCitizenCard as an SD-JWT VC (only the claim asked for is sent): the form starts with that format.
    expect(await desk.getByLabel('형식', { exact: true }).inputValue()).toBe('dc+sd-jwt');
    await desk.getByRole('button', { name: '지갑으로 제안 (QR)' }).click();
    const offerDialog = desk.getByRole('dialog', { name: '지갑으로 제안: 서울시민카드' });
    const offerQr = offerDialog.getByRole('img', { name: '서울시민카드 발급 제안 QR 코드' });
    await offerQr.waitFor();
    const offerLink = await readQrCode(browser, await offerQr.screenshot());
    expect(offerLink).toMatch(/^openid-credential-offer:\/\//);
    const txCode = (await offerDialog.locator('.tx-code-digits [aria-hidden="true"]').textContent())!;

    // 2. The citizen opens the wallet, sets a PIN and receives the card.
    const phone = await browser.newContext({ viewport: PHONE, serviceWorkers: 'allow' });
    const page = await phone.newPage();
    await page.goto(wallet.url);
    await page.getByLabel('새 PIN').fill(PIN);
    await page.getByLabel('PIN 다시 입력').fill(PIN);
    await page.getByRole('button', { name: '지갑 만들기' }).click();
    await page.getByRole('heading', { name: '내 증명서' }).waitFor();
    await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
    await page.getByLabel('또는 링크 붙여 넣기').fill(offerLink);
    await page.getByRole('button', { name: '계속' }).click();
    await page.locator('#offer').waitFor();
    expect(await page.locator('#offer-not-city-issuer').count()).toBe(0);
    await page.getByLabel('인증번호').fill(txCode);
    await page.getByRole('button', { name: '받기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
    await page.getByRole('button', { name: '증명서 보기' }).click();
    await page.locator('#card-status-value[data-status="valid"]').waitFor();
    await page.getByRole('button', { name: '← 목록으로' }).click();

    // 3. The employer's scanner page asks for age over 18; the wallet presents; the scanner turns green.
    const scanner = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 })).newPage();
    await scanner.goto(`${city.platform.verifier.url}/scan`);
    await scanner.getByLabel('만 18세 이상').check();
    await scanner.locator('#start').click();
    const requestQr = scanner.locator('#qr svg');
    await requestQr.waitFor();
    const requestLink = await readQrCode(browser, await requestQr.screenshot());
    await page.getByRole('button', { name: '제시하기' }).click();
    await page.getByLabel('또는 링크 붙여 넣기').fill(requestLink);
    await page.getByRole('button', { name: '계속' }).click();
    await page.locator('#consent').waitFor();
    expect(await page.locator('.disclosed li').allTextContents()).toEqual(['만 18세 이상: 예']);
    await page.getByRole('button', { name: '보내기' }).click();
    await page.locator('#present-outcome.success').waitFor();
    const outcome = scanner.locator('#outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('verified');
    expect(await outcome.locator('h2').textContent()).toBe('확인됨');

    // 4. Reloaded, the wallet asks for the PIN and the card is there; offline, the same.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await openCards(page);
    expect(await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).count()).toBe(1);
    await phone.setOffline(true);
    const offline = await page.reload();
    expect(offline?.fromServiceWorker()).toBe(true);
    await openCards(page);
    await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).click();
    await page.getByRole('heading', { name: CARD_LABEL }).waitFor();
    expect(await page.locator('body').innerText()).toContain('만 18세 이상');

    await Promise.all([phone.close(), desk.context().close(), scanner.context().close()]);
  });
});
