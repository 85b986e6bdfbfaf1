import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { distinctFreePorts } from '../support/launcher.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { demoCitizens, startPlatformWallet, walletWithCitizenCard } from '../support/wallet-browser.js';

const PIN = '314159';

/**
 * Issue 20's electronic signature in Chromium, on the whole platform and the real wallet: the verifier's `/sign` page
 * hashes a file in the browser and shows the request; the wallet (its same-device link) shows "문서에 서명 / Sign a
 * document" with the file name and hash, and signs; the page offers the receipt; `/signatures/check` says the document
 * and receipt are valid, and an altered document is not; once the receipt's hash is anchored (the verifier's digest
 * outbox hands it to the city issuer, whose worker anchors it), the check shows the anchor's block and time.
 */
describe('e-signature: sign a document with the citizen card and check it', { timeout: 300_000 }, () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;

  beforeAll(async () => {
    const [walletPort] = await distinctFreePorts(1);
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    p = await startTestPlatform('e_signature_browser', { verifierEnv: { WALLET_URL: walletUrl } });
    wallet = await startPlatformWallet(walletPort!, p);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    await p?.stop();
  });

  /** The wallet in a tab of its own, with the first demo citizen's card (see {@link walletWithCitizenCard}). */
  const walletWithCard = (phone: BrowserContext): Promise<Page> => walletWithCitizenCard(p, phone, { walletUrl: wallet.url, pin: PIN, card: demoCitizens()[0]!.credentials.SeoulCitizenCard });

  it('signs a file from /sign in the wallet, downloads the receipt, and /signatures/check tells the document from an altered one', async () => {
    const problems: string[] = [];
    const phone = await browser.newContext({ viewport: PHONE, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true });
    phone.on('page', (page) => recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') }));
    const document = Buffer.from('%PDF-1.7\n전세 계약서 — 서명 시험\n');
    const hash = `0x${createHash('sha256').update(document).digest('hex')}`;
    try {
      await walletWithCard(phone);
      const tab = await phone.newPage();
      const response = await tab.goto(`${p.verifier.url}/sign`);
      expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
      await tab.locator('#sign-file').setInputFiles({ name: '전세계약서.pdf', mimeType: 'application/pdf', buffer: document });
      await tab.locator('#sign-hash').filter({ hasText: hash }).waitFor();
      await tab.locator('#sign-request').click();
      await tab.locator('#sign-qr svg').waitFor();
      const link = (await tab.locator('#sign-wallet-link').getAttribute('href'))!;
      expect(link.startsWith(`${wallet.url}/#present?request=`)).toBe(true);

      const walletTab = await phone.newPage();
      await walletTab.goto(link);
      await walletTab.getByRole('heading', { name: '지갑 열기' }).waitFor();
      for (const digit of PIN) await walletTab.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await walletTab.getByRole('button', { name: '열기', exact: true }).click();
      await walletTab.locator('#consent, #present-error').first().waitFor();
      expect(await walletTab.locator('#present-error').count(), await walletTab.locator('body').innerText()).toBe(0);
      expect(await walletTab.locator('#sign-document-title').textContent()).toBe('문서에 서명 / Sign a document');
      expect(await walletTab.locator('.sign-document-file').textContent()).toBe('전세계약서.pdf');
      expect(await walletTab.locator('.sign-document-hash').getAttribute('data-hash')).toBe(hash);
      // Nothing of the card is disclosed: no claim line.
      expect(await walletTab.locator('#consent ul.disclosed li').count()).toBe(0);
      await walletTab.getByRole('button', { name: '서명하기' }).click();
      await walletTab.locator('#present-outcome.success').waitFor();

      await tab.locator('#sign-done').waitFor({ timeout: 30_000 });
      const download = tab.waitForEvent('download');
      await tab.locator('#sign-receipt').click();
      const receiptPath = await (await download).path();
      const receipt = (await readFile(receiptPath!, 'utf8')).trim();
      expect(receipt.split('.')).toHaveLength(3);

      const check = await phone.newPage();
      await check.goto(`${p.verifier.url}/signatures/check`);
      await check.locator('#check-document').setInputFiles({ name: '전세계약서.pdf', mimeType: 'application/pdf', buffer: document });
      await check.locator('#check-hash').filter({ hasText: hash }).waitFor();
      await check.locator('#check-receipt').fill(receipt);
      await check.locator('#check-submit').click();
      await check.locator('#check-verdict[data-valid="true"]').waitFor();
      expect(await check.locator('#check-verdict h2').textContent()).toBe('유효한 서명');

      const altered = Buffer.from(document);
      altered[10] ^= 1;
      await check.locator('#check-document').setInputFiles({ name: '전세계약서.pdf', mimeType: 'application/pdf', buffer: altered });
      await check.locator('#check-hash').filter({ hasText: `0x${createHash('sha256').update(altered).digest('hex')}` }).waitFor();
      await check.locator('#check-submit').click();
      await check.locator('#check-verdict[data-valid="false"]').waitFor();
      expect(await check.locator('[data-check="document-hash"]').getAttribute('class')).toContain('check-failed');

      // Not anchored yet: the status label says so, and no block is shown.
      await check.locator('#check-document').setInputFiles({ name: '전세계약서.pdf', mimeType: 'application/pdf', buffer: document });
      await check.locator('#check-hash').filter({ hasText: hash }).waitFor();
      await check.locator('#check-submit').click();
      await check.locator('#check-verdict[data-valid="true"]').waitFor();
      expect(await check.locator('[data-check="receipt-anchored"]').getAttribute('class')).toContain('check-pending');
      expect(await check.locator('#check-anchor').count()).toBe(0);
      // Anchored through the city issuer (ADR 0015): the check shows the block and its time.
      await p.verifier.runtime.digestAnchoring.runOnce();
      await p.worker.runOnce();
      const receiptHash = `0x${createHash('sha256').update(receipt, 'utf8').digest('hex')}` as `0x${string}`;
      const anchored = await p.verifier.runtime.digestAnchoring.status(receiptHash);
      expect(anchored.state).toBe('anchored');
      const block = (anchored as { block: number }).block;
      await check.locator('#check-submit').click();
      await check.locator('[data-check="receipt-anchored"].check-passed').waitFor();
      expect(await check.locator('#check-anchor').getAttribute('data-block')).toBe(String(block));
      expect(await check.locator('#check-anchor').textContent()).toMatch(new RegExp(`^블록 #${block} · 기록 시각 \\S`));
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
