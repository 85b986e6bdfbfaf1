import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE_CSP, SITE_SCOPE, startFacilityDemo } from '../../apps/facility-demo/src/index.js';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { distinctFreePorts } from '../support/launcher.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { readQrCode } from '../support/read-qr.js';
import { demoCitizens, startPlatformWallet, walletWithCitizenCard, type DemoCitizen } from '../support/wallet-browser.js';

const REPO = resolve(import.meta.dirname, '../..');
const PIN = '258013';
const CLIENT_ID = 'facility-booking-demo';

/**
 * Issue 20's sign-in for relying parties, as a citizen does it on a phone, in Chromium: the demo facility booking site
 * (apps/facility-demo, with openid-client) → 시민카드로 로그인 → the verifier's sign-in page (its OpenID Provider) → the
 * citizen wallet presents the card → back on the site, signed in with the name and the two flags it asked for, and
 * a slot booked. A demo citizen under 19 is refused: the verifier's page says why, and the site shows the refusal.
 *
 * The platform runs as `npm start` runs it, on free ports: the site's redirect URI is registered (as
 * config/oidc-clients.json registers it on port 3004) and its client secret given to both the verifier and the site.
 */
describe('demo facility site: sign in with the citizen card through the verifier (OpenID Provider)', { timeout: 300_000 }, () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let site: Awaited<ReturnType<typeof startFacilityDemo>>;
  let siteUrl: string;
  let browser: Browser;
  let citizens: DemoCitizen[];
  let dir: string;

  beforeAll(async () => {
    citizens = demoCitizens();
    const [walletPort, sitePort] = await distinctFreePorts(2);
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    siteUrl = `http://127.0.0.1:${sitePort}`;
    // The shipped registration of the demo site, with its redirect URI on this test's port.
    const shipped = JSON.parse(readFileSync(join(REPO, 'config/oidc-clients.json'), 'utf8')) as { clients: Array<Record<string, unknown>> };
    const client = shipped.clients.find((c) => c['clientId'] === CLIENT_ID)!;
    expect(client['redirectUris']).toEqual(['http://127.0.0.1:3004/callback']);
    dir = mkdtempSync(join(tmpdir(), 'facility-sign-in-'));
    writeFileSync(join(dir, 'clients.json'), JSON.stringify({ clients: [{ ...client, redirectUris: [`${siteUrl}/callback`] }] }));
    const secret = randomBytes(32).toString('base64url');
    p = await startTestPlatform('facility_sign_in', {
      verifierEnv: {
        WALLET_URL: walletUrl,
        OIDC_CLIENTS_FILE: join(dir, 'clients.json'),
        OIDC_CLIENT_SECRETS: `${CLIENT_ID}=${secret}`,
        OIDC_CLIENT_SECRETS_DIR: join(dir, 'secrets'),
      },
    });
    wallet = await startPlatformWallet(walletPort!, p);
    site = await startFacilityDemo(sitePort!, '127.0.0.1', {
      publicUrl: siteUrl,
      relyingParty: { issuer: `${p.verifier.url}/oidc`, clientId: CLIENT_ID, clientSecret: secret, scope: SITE_SCOPE },
    });
    expect(site.url).toBe(siteUrl);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.server.close();
    await wallet?.server.close();
    await p?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A phone-sized screenshot, to a temporary directory or `SCREENSHOTS_DIR` (docs/screenshots/facility-demo-*.png). */
  const screenshot = (page: Page, name: string) => page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), `${name}-phone.png`), fullPage: true });

  const citizen = (id: string): DemoCitizen => citizens.find((c) => c.id === id)!;

  /** A new phone: its own storage (a wallet never set up), Korean, Seoul time; every tab's faults go to `problems`. */
  async function newPhone(problems: string[]): Promise<BrowserContext> {
    const phone = await browser.newContext({ viewport: PHONE, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    phone.on('page', (page) =>
      recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') }),
    );
    return phone;
  }

  /** The wallet in a tab of its own, with the citizen's card, back on its list (see {@link walletWithCitizenCard}). */
  const walletWithCard = (phone: BrowserContext, person: DemoCitizen): Promise<Page> =>
    walletWithCitizenCard(p, phone, { walletUrl: wallet.url, pin: PIN, card: person.credentials.SeoulCitizenCard, backToList: true });

  /** On the site, 시민카드로 로그인: the browser lands on the verifier's sign-in page, which names the site and what it asks. */
  async function signInFromSite(tab: Page): Promise<void> {
    const home = await tab.goto(siteUrl);
    expect(home!.headers()['content-security-policy']).toBe(SITE_CSP);
    expect(await tab.locator('h1').textContent()).toBe('서울시 공공시설 예약 (데모) · Seoul public facility booking (demo)');
    expect(await tab.locator('#memory-note').textContent()).toContain('메모리에만');
    // Signed out, the facilities are listed without a booking button.
    expect(await tab.locator('li.facility').count()).toBe(3);
    expect(await tab.getByRole('button', { name: /예약 · Book/ }).count()).toBe(0);
    await tab.getByRole('link', { name: '시민카드로 로그인 · Sign in with citizen card' }).click();
    await tab.waitForURL((url) => url.origin === new URL(p.verifier.url).origin && url.pathname.startsWith('/sign-in/'));
    expect(await tab.locator('#sign-in h1').textContent()).toContain('서울시민카드로 로그인');
    expect(await tab.locator('#sign-in').innerText()).toContain('서울시 공공시설 예약 (데모)');
    expect(await tab.locator('#asked li').allTextContents()).toEqual([
      '서울시민카드 확인 (누리집별로 다른 식별자) · Your citizen card (an identifier of its own for this site)',
      '만 19세 이상 여부 · Whether you are 19 or older',
      '서울시 거주 여부 · Whether you live in Seoul',
      '이름 · Your name',
    ]);
  }

  /** The same-device link's request, and the QR code the page shows (read off the screen): the same request. */
  async function requestOnPage(tab: Page): Promise<{ link: string; scanned: string }> {
    const link = (await tab.locator('#wallet-link').getAttribute('href'))!;
    expect(link.startsWith(`${wallet.url}/#present?request=`)).toBe(true);
    const scanned = await readQrCode(browser, await tab.locator('#qr').screenshot());
    expect(scanned).toMatch(/^openid4vp:\/\//);
    expect(new URLSearchParams(new URL(link).hash.replace(/^#present\?/, '')).get('request')).toBe(scanned);
    return { link, scanned };
  }

  /** What the wallet's consent screen says it will disclose, one line per claim. */
  async function consentLines(walletTab: Page): Promise<string[]> {
    await walletTab.locator('#consent').waitFor();
    return walletTab.locator('#consent ul.disclosed li').allTextContents();
  }

  it('signs 이도윤 in by the same-device link: the wallet presents, the sign-in tab returns to the site with the name and both flags; a slot is booked', async () => {
    const person = citizen('lee-doyun');
    const problems: string[] = [];
    const phone = await newPhone(problems);
    try {
      await walletWithCard(phone, person);
      const tab = await phone.newPage();
      await signInFromSite(tab);
      await requestOnPage(tab);

      // The same-device link opens the wallet in its own tab (citycred-wallet): this one stays, waiting for the answer.
      expect(await tab.locator('#wallet-link').getAttribute('target')).toBe('citycred-wallet');
      const opened = phone.waitForEvent('page');
      await tab.locator('#wallet-link').click();
      const walletTab = await opened;
      await walletTab.waitForURL((url) => url.origin === new URL(wallet.url).origin);
      // A wallet tab the citizen did not open from a page asks the PIN first, then shows the request.
      await walletTab.getByRole('heading', { name: '지갑 열기' }).waitFor();
      for (const digit of PIN) await walletTab.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await walletTab.getByRole('button', { name: '열기', exact: true }).click();
      const lines = await consentLines(walletTab);
      console.log(`consent screen (facility sign-in): ${lines.join(' | ')}`);
      expect(await walletTab.locator('#consent-purpose').textContent()).toContain('서울시 공공시설 예약 (데모) 로그인');
      // Only what the scopes need: the person identifier, the name, the age flag (not the birth date), the residence.
      const consent = await walletTab.locator('#consent').innerText();
      expect(consent).not.toContain('생년월일');
      expect(consent).not.toContain(person.credentials.SeoulCitizenCard.birthDate);
      await walletTab.getByRole('button', { name: '보내기' }).click();
      await walletTab.locator('#present-outcome.success').waitFor();

      // The sign-in tab, polling, went on by itself: the provider sent it back to the site, which shows what it received.
      await tab.waitForURL((url) => url.href === `${siteUrl}/`);
      await tab.locator('#profile').waitFor();
      expect(await tab.locator('#claim-name').textContent()).toBe(person.name);
      expect(await tab.locator('#claim-age-over-19').textContent()).toBe('예 (확인됨) · Yes (verified)');
      expect(await tab.locator('#claim-seoul-resident').textContent()).toBe('예 (확인됨) · Yes (verified)');
      const shown = `${await tab.locator('body').innerText()}\n${await tab.content()}`;
      for (const value of [person.credentials.SeoulCitizenCard.personId, person.credentials.SeoulCitizenCard.birthDate, person.credentials.SeoulCitizenCard.residence.district]) {
        expect(shown, 'the site received no more than it asked for').not.toContain(value);
      }
      expect(await tab.locator('#refused').count()).toBe(0);
      await screenshot(tab, 'facility-demo-signed-in');

      // A verified resident books a free slot; it shows as theirs (in the demo's memory), and can be cancelled.
      await tab.getByRole('button', { name: '예약 · Book: Mapo Sports Centre pool Saturday 10:00–11:00' }).click();
      await tab.locator('#notice').filter({ hasText: '예약했습니다.' }).waitFor();
      expect(await tab.locator('li.slot[data-slot="mapo-pool/sat-10"] .state').textContent()).toBe('내 예약 · Booked by you');
      expect(site.bookings.view(undefined).find((f) => f.facility.id === 'mapo-pool')!.slots[0]!.state).toBe('taken');
      await tab.getByRole('button', { name: '취소 · Cancel: Mapo Sports Centre pool Saturday 10:00–11:00' }).click();
      await tab.locator('#notice').filter({ hasText: '예약을 취소했습니다.' }).waitFor();
      await tab.getByRole('button', { name: '예약 · Book: Hangang Park tennis court Sunday 08:00–10:00' }).click();
      await tab.locator('#notice').filter({ hasText: '예약했습니다.' }).waitFor();
      // Signing out ends the session: the booking stays, the buttons go.
      await tab.getByRole('button', { name: '로그아웃 · Sign out' }).click();
      await tab.locator('#notice').filter({ hasText: '로그아웃했습니다.' }).waitFor();
      expect(await tab.locator('#profile').count()).toBe(0);
      expect(await tab.locator('li.slot[data-slot="hangang-tennis/sun-08"] .state').textContent()).toBe('예약됨 · Booked');
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('refuses 박지호 (under 19), who presents by the QR code: the sign-in page says why, and the site shows the refusal', async () => {
    const person = citizen('park-jiho');
    expect(person.credentials.SeoulCitizenCard['ageOver19']).toBe(false);
    const problems: string[] = [];
    const phone = await newPhone(problems);
    try {
      const walletTab = await walletWithCard(phone, person);
      const tab = await phone.newPage();
      await signInFromSite(tab);
      // This time the wallet reads the page's QR code (pasted here, where its camera would put it).
      const { scanned } = await requestOnPage(tab);
      await walletTab.bringToFront();
      await walletTab.getByRole('button', { name: '제시하기' }).click();
      await walletTab.getByLabel('또는 링크 붙여 넣기').fill(scanned);
      await walletTab.getByRole('button', { name: '계속' }).click();
      await consentLines(walletTab);
      await walletTab.getByRole('button', { name: '보내기' }).click();
      await walletTab.locator('#present-outcome').waitFor();

      // The sign-in page names the reason, in Korean and English, and offers the way back to the site.
      await tab.bringToFront();
      await tab.locator('#status').filter({ hasText: '19세 미만' }).waitFor();
      const reason = (await tab.locator('#status').textContent())!;
      expect(reason).toMatch(/under 19/);
      console.log(`sign-in page's refusal: ${reason}`);
      const back = tab.getByRole('link', { name: '누리집으로 돌아가기 · Go back to the site' });
      await back.click();

      // The site was told access_denied with the reason: it shows the refusal, and no one is signed in.
      await tab.waitForURL((url) => url.href === `${siteUrl}/`);
      await tab.locator('#refused').waitFor();
      expect(await tab.locator('#refused h2').textContent()).toBe('로그인이 거절되었습니다 · Sign-in was refused');
      expect(await tab.locator('#refused-reason').textContent()).toMatch(/under 19/);
      expect(await tab.locator('#profile').count()).toBe(0);
      expect(await tab.getByRole('button', { name: /예약 · Book/ }).count()).toBe(0);
      expect(await tab.getByRole('link', { name: '시민카드로 로그인 · Sign in with citizen card' }).count()).toBe(1);
      const shown = `${await tab.locator('body').innerText()}\n${await tab.content()}`;
      expect(shown).not.toContain(person.name);
      expect(shown).not.toContain(person.credentials.SeoulCitizenCard.birthDate);
      await screenshot(tab, 'facility-demo-refused');
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
