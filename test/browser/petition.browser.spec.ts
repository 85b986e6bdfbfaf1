import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { distinctFreePorts } from '../support/launcher.js';
import { getJson, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { demoCitizens, startPlatformWallet, walletWithCitizenCard, type DemoCitizen } from '../support/wallet-browser.js';

const PIN = '271828';
const ADMIN_KEY = randomBytes(32).toString('base64url');

/**
 * Issue 20's resident audit claim in Chromium, on the whole platform and the real wallet: the petition's public page
 * `/petitions/{id}` → 시민카드로 서명하기 → its same-device link opens the wallet in its own tab, which asks the PIN and
 * shows what the petition asks (never the name or birth date) → 보내기 → the page says it was signed and the count went up. The same
 * citizen trying again is refused "already signed" — the wallet ends on the verifier's refusal and its reason, the page
 * on its refusal — and the count stays.
 */
describe('petition: sign a resident audit claim with the citizen card from its page', { timeout: 300_000 }, () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;
  let person: DemoCitizen;

  beforeAll(async () => {
    person = demoCitizens().find((c) => c.id === 'kim-seoyeon')!;
    const [walletPort] = await distinctFreePorts(1);
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    p = await startTestPlatform('petition_browser', { verifierEnv: { WALLET_URL: walletUrl, PETITION_ADMIN_KEYS: `demo-official=${ADMIN_KEY}` } });
    wallet = await startPlatformWallet(walletPort!, p);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    await p?.stop();
  });

  /** The wallet in a tab of its own, with the citizen's card (see {@link walletWithCitizenCard}). */
  const walletWithCard = (phone: BrowserContext): Promise<Page> => walletWithCitizenCard(p, phone, { walletUrl: wallet.url, pin: PIN, card: person.credentials.SeoulCitizenCard });

  /**
   * On the petition page, 시민카드로 서명하기, then its same-device link: the wallet opens in its own tab
   * (`citycred-wallet`) — a new one asks the PIN first; the open one, unlocked, shows the request at once — at its
   * consent screen. The petition page's tab stays, waiting for the answer.
   */
  async function signFromPage(phone: BrowserContext, tab: Page, walletTab?: Page): Promise<Page> {
    await tab.getByRole('button', { name: '시민카드로 서명하기' }).click();
    await tab.locator('#petition-qr svg').waitFor();
    const link = tab.getByRole('link', { name: '이 기기의 지갑에서 열기' });
    expect((await link.getAttribute('href'))!.startsWith(`${wallet.url}/#present?request=`)).toBe(true);
    expect(await link.getAttribute('target')).toBe('citycred-wallet');
    const opened = walletTab ? undefined : phone.waitForEvent('page');
    await link.click();
    const inWallet = walletTab ?? (await opened!);
    if (!walletTab) {
      await inWallet.getByRole('heading', { name: '지갑 열기' }).waitFor();
      for (const digit of PIN) await inWallet.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await inWallet.getByRole('button', { name: '열기', exact: true }).click();
    }
    await inWallet.locator('#consent, #present-error').first().waitFor();
    expect(await inWallet.locator('#present-error').count(), await inWallet.locator('body').innerText()).toBe(0);
    return inWallet;
  }

  it('signs the petition from its page through the wallet, the count goes up, and a second signature by the same citizen is refused', async () => {
    const opened = await postJson(
      `${p.verifier.url}/petitions`,
      { title: '한강공원 야간 조명 개선 주민감사청구', description: '한강공원 산책로의 야간 조명 개선 사업 집행을 감사해 주십시오.', threshold: 3, deadline: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString() },
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const id = opened.body.id as string;

    const problems: string[] = [];
    const phone = await browser.newContext({ viewport: PHONE, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    phone.on('page', (page) => recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') }));
    try {
      await walletWithCard(phone);
      const tab = await phone.newPage();
      const response = await tab.goto(`${p.verifier.url}/petitions/${id}`);
      expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(await tab.locator('#petition-title').textContent()).toBe('한강공원 야간 조명 개선 주민감사청구');
      expect(await tab.locator('#petition-count').textContent()).toBe('0');
      expect(await tab.locator('#petition-threshold').textContent()).toBe('3');

      const walletTab = await signFromPage(phone, tab);
      // What the petition asks: the age flag and the residence, and the person identifier that counts each person once;
      // never the name or the birth date.
      const consent = await walletTab.locator('#consent').innerText();
      for (const value of [person.name, person.credentials.SeoulCitizenCard.birthDate, '생년월일']) expect(consent).not.toContain(value);
      await walletTab.getByRole('button', { name: '보내기' }).click();
      await walletTab.locator('#present-outcome.success').waitFor();

      // The page, polling, says it was signed and shows the count gone up.
      await tab.locator('#petition-signed').waitFor({ timeout: 30_000 });
      expect(await tab.locator('#petition-signed h2').textContent()).toBe('서명했습니다');
      await tab.locator('#petition-count').filter({ hasText: /^1$/ }).waitFor();
      expect((await getJson(`${p.verifier.url}/petitions/${id}`)).body).toMatchObject({ count: 1, state: 'open' });

      // The same citizen again, from a reloaded page: refused "already signed", without naming anyone; the count stays.
      await tab.reload();
      await tab.locator('#petition-count').filter({ hasText: /^1$/ }).waitFor();
      const again = await signFromPage(phone, tab, walletTab);
      await again.getByRole('button', { name: '보내기' }).click();
      // The wallet ends on the verifier's refusal, its reason in the citizen's language — not on "sent".
      const walletOutcome = again.locator('#present-outcome[data-outcome="refused"]');
      await walletOutcome.waitFor({ timeout: 30_000 });
      expect(await again.locator('#present-outcome.success').count()).toBe(0);
      expect(await walletOutcome.getAttribute('role')).toBe('alert');
      expect(await walletOutcome.textContent()).toBe('요청한 곳에서 거절했습니다: 이미 이 청구에 서명했습니다. 한 사람은 한 번만 서명할 수 있습니다.');
      expect(await walletOutcome.textContent()).not.toContain(person.name);
      await tab.locator('#petition-refused[data-code="petition.already-signed"]').waitFor({ timeout: 30_000 });
      expect(await tab.locator('#petition-refused h2').textContent()).toBe('서명할 수 없습니다');
      const refusal = await tab.locator('#petition-refused').innerText();
      expect(refusal).toMatch(/이미/);
      expect(refusal).not.toContain(person.name);
      expect(await tab.locator('#petition-count').textContent()).toBe('1');
      expect((await getJson(`${p.verifier.url}/petitions/${id}`)).body.count).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
