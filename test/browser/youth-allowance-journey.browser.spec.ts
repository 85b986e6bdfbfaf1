import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import { startWallet } from '@citycred/wallet';
import type { FastifyInstance } from 'fastify';
import { importJWK, jwtVerify, type JWK } from 'jose';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { distinctFreePorts } from '../support/launcher.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { readQrCode } from '../support/read-qr.js';

const DEMO_CITIZENS_FILE = resolve(import.meta.dirname, '../../config/demo-citizens.json');
const PIN = '135790';
const ELIGIBILITY_LABEL = credentialTypeInfo('YouthAllowanceEligibility').labels.ko;
/** The wallet's tab, which every page's same-device links open (WALLET_TAB of @citycred/web-ui, docs/wallet-protocols.md). */
const WALLET_TAB = 'citycred-wallet';

/** A demo citizen as config/demo-citizens.json holds them (the members this test reads). */
interface DemoCitizen {
  id: string;
  name: string;
  nameEn: string;
  youthAllowance: string;
  credentials: Record<string, Record<string, unknown>>;
}

/**
 * What a user does, counted as they do it: a click or tap is one action, a character typed is one keystroke, an
 * address typed into the browser is one visit. The journey asserts the counts stay small and prints them.
 */
class UserActions {
  clicks = 0;
  keystrokes = 0;
  visits = 0;
  readonly log: string[] = [];

  async visit(page: Page, url: string): Promise<void> {
    await page.goto(url);
    this.visits += 1;
    this.log.push(`visit ${new URL(url).pathname}`);
  }
  async click(target: Locator, what: string): Promise<void> {
    await target.click();
    this.clicks += 1;
    this.log.push(`click ${what}`);
  }
  async type(target: Locator, text: string, what: string): Promise<void> {
    await target.fill(text);
    this.keystrokes += text.length;
    this.log.push(`type ${what} (${text.length})`);
  }
  /** A QR code read with the wallet's camera (here its text pasted where the camera would put it): one tap. */
  async scan(target: Locator, text: string): Promise<void> {
    await target.fill(text);
    this.clicks += 1;
    this.log.push('scan the QR code');
  }
  /** Another tab of the phone's browser, chosen in its tab switcher: one tap. */
  async switchTo(page: Page, what: string): Promise<void> {
    await page.bringToFront();
    this.clicks += 1;
    this.log.push(`switch to ${what}`);
  }
  summary(): string {
    return `${this.visits} visits, ${this.clicks} clicks, ${this.keystrokes} keystrokes — ${this.log.join(' → ')}`;
  }
}

/**
 * Issue 18's closing test, README's walk-through "a demo citizen applies for the Youth Allowance" as a new user does it,
 * in Chromium on the whole platform: the issuer with the embedded demo (DEMO_CITIZENS_FILE, WALLET_URL), the verifier
 * with WALLET_URL and youth-policy's key, and the real citizen wallet, in a phone-sized context.
 *
 * 김서연 (eligible): the demo page's 지갑으로 모두 받기 opens the wallet in its tab (`citycred-wallet`, first run: a PIN),
 * which receives every agency's offer; the application page, opened in the demo page's tab, has its 신청하기 and its
 * same-device link open the wallet's consent screen in that same wallet tab, still unlocked (no second PIN: the link
 * changes the tab's fragment only), the page shows 지원 대상입니다 with every criterion, and its offer link leaves a
 * 청년수당 수급 자격 card in the wallet. The user's actions from the demo page to that card are counted and printed.
 * 한예린 (refused for income), on a fresh phone, presents by the QR code read off the page: the page names
 * income.household-median and why, downloads the receipt (a JWT that verifies with GET /programs/receipt-key), and
 * makes no offer. The application page never shows, nor receives from its API, any of the citizen's claim values.
 */
describe('README walk-through: demo citizens → wallet → /apply/youth-allowance', { timeout: 300_000 }, () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;
  let citizens: DemoCitizen[];

  beforeAll(async () => {
    citizens = (JSON.parse(await readFile(DEMO_CITIZENS_FILE, 'utf8')) as { citizens: DemoCitizen[] }).citizens;
    // The wallet's address is chosen first: the issuer's demo page and the verifier's page link to it, and the wallet
    // lets its app reach them.
    const [walletPort] = await distinctFreePorts(1);
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    p = await startTestPlatform('ya_journey', { issuerEnv: { DEMO_CITIZENS_FILE, WALLET_URL: walletUrl }, verifierEnv: { WALLET_URL: walletUrl } });
    wallet = await startWallet(walletPort!, '127.0.0.1', {}, undefined, {
      connectOrigins: [new URL(p.issuer.url).origin, new URL(p.verifier.url).origin],
      scannerUrl: p.verifier.url,
      cityIssuerUrl: p.issuer.url,
    });
    expect(wallet.url).toBe(walletUrl);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    await p?.stop();
  });

  const citizen = (outcome: string): DemoCitizen => citizens.find((c) => c.youthAllowance === outcome)!;

  /** A new phone (a 3× screen, as most are: the QR codes are read off it): its own storage (a wallet never set up), Korean, Seoul time. */
  const newPhone = (): Promise<BrowserContext> => browser.newContext({ viewport: PHONE, deviceScaleFactor: 3, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true });

  /**
   * The citizen's claim values as they could be written on a page: every string and number of every credential the
   * demo gives them (dates also as Korean dates), the names; not the flags and small counts that any page holds
   * (true, 6 months…), nor the program's own figures.
   */
  function claimValues(person: DemoCitizen): string[] {
    const values = new Set<string>([person.name, person.nameEn]);
    const walk = (value: unknown): void => {
      if (typeof value === 'string') {
        values.add(value);
        const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
        if (date) values.add(`${date[1]}. ${Number(date[2])}. ${Number(date[3])}.`).add(`${date[1]}년 ${Number(date[2])}월 ${Number(date[3])}일`);
      } else if (typeof value === 'number' && value > 31) {
        values.add(`${value}%`).add(`${value} %`);
        if (value >= 1000) values.add(value.toLocaleString('ko-KR'));
      } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    // The program's criteria are written with the city name and 'graduated'-like words the page may show in its own
    // right: only what identifies or measures the person is checked.
    for (const [type, claims] of Object.entries(person.credentials)) {
      if (type === 'EnrollmentStatus') walk({ institution: (claims['institution'] as { name: string }).name, since: claims['since'] });
      else walk({ ...claims, residence: (claims['residence'] as { district?: string } | undefined)?.district, address: undefined, tenure: undefined, city: undefined });
    }
    return [...values].filter((value) => value.length > 0 && value !== '서울특별시');
  }

  /**
   * Whether `text` shows `value`. A value starting with a digit (a date, a percent, an amount) counts only on its own,
   * not inside a longer run of letters and digits or as the start of a URL escape: an id or a link's `%2F` may hold
   * "87%" by chance (it did, once in CI). Names and words count anywhere (김서연님 shows 김서연).
   */
  function shows(text: string, value: string): boolean {
    if (!/^[0-9]/.test(value)) return text.includes(value);
    const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9]${value.endsWith('%') ? '|[0-9A-Fa-f]{2}' : ''})`).test(text);
  }

  /** Fails naming the claim values of `person` that `text` (a page's text or HTML, an API's answers) contains. */
  function expectNoClaimValues(person: DemoCitizen, text: string, where: string): void {
    expect(
      claimValues(person).filter((value) => shows(text, value)),
      `${where}: claim values of ${person.id}`,
    ).toEqual([]);
  }

  /** Everything the application page's API answers the page (JSON bodies), as they pass. */
  function apiAnswers(page: Page): string[] {
    const seen: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/apply/api/') && !response.url().endsWith('/receipt')) void response.text().then((body) => seen.push(body), () => undefined);
    });
    return seen;
  }

  /** The application page's text and markup, without the transaction code (six random digits). */
  async function pageShows(page: Page): Promise<string> {
    const code = (await page.locator('#tx-code').count()) ? ((await page.locator('#tx-code').textContent()) ?? '') : '';
    const text = `${await page.locator('body').innerText()}\n${await page.content()}`;
    return code ? text.replaceAll(code, '') : text;
  }

  /** The request link inside a same-device wallet link (`<wallet>/#present?request=…` or `#receive?offer=…`). */
  const inside = (walletLink: string, parameter: 'request' | 'offer') => new URLSearchParams(new URL(walletLink).hash.replace(/^#[a-z]+\?/, '')).getAll(parameter);

  /**
   * On the demo page (`demo`), 지갑으로 모두 받기 for `person`: the wallet opens in a tab of its own, the shared
   * `citycred-wallet` (first run: a new PIN), and receives every offer; the demo page stays in its tab.
   * @returns the wallet's tab and how many credentials it received
   */
  async function receiveAllFromDemoPage(demo: Page, person: DemoCitizen, user: UserActions): Promise<{ page: Page; total: number }> {
    await user.visit(demo, `${p.issuer.url}/demo/citizens`);
    const card = demo.locator(`li.citizen[data-citizen="${person.id}"]`);
    await card.waitFor();
    expect(await card.locator('h2').textContent()).toContain(person.name);
    const opened = demo.context().waitForEvent('page');
    await user.click(card.getByRole('button', { name: '지갑으로 모두 받기' }), '지갑으로 모두 받기');
    const page = await opened;
    await page.waitForURL((url) => url.origin === new URL(wallet.url).origin);
    expect(await page.evaluate(() => window.name)).toBe(WALLET_TAB);
    await card.locator('.opened').waitFor();
    await page.getByLabel('새 PIN').waitFor();
    await user.type(page.getByLabel('새 PIN'), PIN, '새 PIN');
    await user.type(page.getByLabel('PIN 다시 입력'), PIN, 'PIN 다시 입력');
    await user.click(page.getByRole('button', { name: '지갑 만들기' }), '지갑 만들기');
    // The link's offers open one after another: each names its department and card, and 받기 stores it.
    await page.locator('#offer').waitFor();
    const total = Number(/ (\d+)개 중/.exec((await page.locator('#receive-progress').textContent()) ?? '')?.[1]);
    expect(total).toBe(Object.keys(person.credentials).length);
    for (let index = 1; index <= total; index += 1) {
      await page.locator(`#receive-progress[data-index="${index}"][data-received="${index - 1}"]`).waitFor();
      await page.locator('#offer').waitFor();
      expect(await page.locator('#offer-not-city-issuer').count()).toBe(0);
      expect(await page.locator('#tx-code').count(), 'the demo offers have no transaction code').toBe(0);
      await user.click(page.getByRole('button', { name: '받기', exact: true }), `받기 ${index}/${total}`);
    }
    await page.locator(`#receive-progress[data-received="${total}"]`).waitFor();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
    return { page, total };
  }

  /**
   * A new phone whose first tab shows the demo page, which opens the wallet in its own tab; the wallet receives every
   * offer of `person` and shows its list. Faults of every tab go to `problems`.
   */
  async function phoneWithCredentials(phone: BrowserContext, person: DemoCitizen, user: UserActions, problems: string[]): Promise<{ demo: Page; walletTab: Page }> {
    phone.on('page', (page) => recordFaults(page, problems, { expectedConsoleError: failedLoad }));
    const demo = await phone.newPage();
    const { page: walletTab, total } = await receiveAllFromDemoPage(demo, person, user);
    await user.click(walletTab.getByRole('button', { name: '← 목록으로' }), '← 목록으로');
    await walletTab.locator('.cards > li').nth(total - 1).waitFor();
    expect(await walletTab.locator('.cards > li').count()).toBe(total);
    return { demo, walletTab };
  }

  /**
   * The application page, typed into the demo page's tab (the demo page says so): the tab that opened the wallet, so the
   * page's links find the wallet's tab by its name. With what its API answers it.
   */
  async function openApplicationPage(demo: Page, user: UserActions): Promise<{ apply: Page; answers: string[] }> {
    await user.switchTo(demo, 'the demo page');
    const answers = apiAnswers(demo);
    await user.visit(demo, `${p.verifier.url}/apply/youth-allowance`);
    await demo.locator('#apply').waitFor();
    return { apply: demo, answers };
  }

  /**
   * Taps a same-device link of the application page (`target=citycred-wallet`): it lands in the wallet's tab, already
   * open — no new tab, no reload (a fragment-only navigation: the wallet reads it on hashchange), no PIN. The page
   * stays, waiting for the wallet's answer.
   */
  async function followWalletLink(page: Page, walletTab: Page, link: Locator, what: string, user: UserActions): Promise<void> {
    expect((await link.getAttribute('href'))!.startsWith(`${wallet.url}/#`)).toBe(true);
    expect(await link.getAttribute('target')).toBe(WALLET_TAB);
    expect(await link.getAttribute('rel')).toBeNull();
    const tabs = page.context().pages().length;
    const loaded = await walletTab.evaluate(() => performance.timeOrigin);
    await user.click(link, what);
    await walletTab.getByRole('heading', { name: '지갑 열기' }).or(walletTab.locator('#consent, #offer')).first().waitFor();
    expect(page.context().pages()).toHaveLength(tabs);
    expect(await walletTab.evaluate(() => performance.timeOrigin), 'the wallet tab was not reloaded').toBe(loaded);
    expect(await walletTab.getByRole('heading', { name: '지갑 열기' }).count(), 'no second PIN').toBe(0);
  }

  it('김서연, eligible: demo page → wallet (every offer) → apply by the same-device link → 지원 대상입니다 → 청년수당 수급 자격 in the wallet', async () => {
    const person = citizen('eligible');
    expect(person.id).toBe('kim-seoyeon');
    const user = new UserActions();
    const phone = await newPhone();
    const problems: string[] = [];
    try {
      // 1. The demo page: 지갑으로 모두 받기; the wallet opens in its own tab and receives every agency's offer.
      const { demo, walletTab } = await phoneWithCredentials(phone, person, user, problems);

      // 2. The application page, in the demo page's tab: 신청하기 shows the request's QR code and the same-device link.
      const { apply, answers } = await openApplicationPage(demo, user);
      expectNoClaimValues(person, await pageShows(apply), 'the program');
      await user.click(apply.locator('#apply'), '신청하기');
      const walletLink = apply.getByRole('link', { name: '이 기기의 지갑 앱에서 열기' });
      await walletLink.waitFor();
      // The QR code a phone's wallet would scan says the same request as the link (read off the screen).
      const requestQr = apply.getByRole('img', { name: '지갑 앱으로 스캔할 신청용 QR 코드' });
      const scanned = await readQrCode(browser, await requestQr.screenshot());
      expect(scanned).toMatch(/^openid4vp:\/\//);
      expect(inside((await walletLink.getAttribute('href'))!, 'request')).toEqual([scanned]);

      // 3. The wallet's consent screen: the program's purpose, and only the claims the policy reads.
      // The link lands in the wallet's tab, still open from step 1: no new tab, no PIN.
      await followWalletLink(apply, walletTab, walletLink, '이 기기의 지갑 앱에서 열기', user);
      const presenting = walletTab;
      await presenting.locator('#consent').waitFor();
      const lists = await presenting.locator('ul.disclosed').evaluateAll((uls) => uls.map((ul) => [...ul.querySelectorAll('li')].map((li) => li.textContent ?? '')));
      console.log(`consent screen: ${lists.map((lines) => lines.join(' | ')).join(' ‖ ')}`);
      // The SD-JWT VCs disclose exactly the claims the criteria read: the card's birth date, residence (one disclosure:
      // the district travels with the city, docs/youth-allowance.md) and personId — no name, no age flags, no
      // 전입일 —, the income percent and basic-livelihood flag, the employment status's three claims.
      const selective = lists.filter((lines) => lines[0] !== '증명서 전체').flat();
      expect(selective.map((line) => line.slice(0, line.indexOf(':'))).sort()).toEqual(
        ['생년월일', '거주지 › 시·도', '거주지 › 시·군·구', '개인 식별번호', '가구소득(중위소득 대비 %)', '기초생활수급자 여부', '가입 여부', '주 근로시간', '계약 기간(개월)'].sort(),
      );
      // The enrolment status is a JWT VC (docs/youth-allowance.md: shown whole, said so), its claims by their labels.
      const whole = lists.filter((lines) => lines[0] === '증명서 전체');
      expect(whole).toHaveLength(1);
      expect(whole[0]).toContain('학적 상태: 졸업');
      expect(whole[0]!.filter((line) => line.startsWith('credentialSubject'))).toEqual([]);
      expect(await presenting.locator('#consent').innerText()).not.toContain(person.name);
      await user.click(presenting.getByRole('button', { name: '보내기' }), '보내기');
      await presenting.locator('#present-outcome.success').waitFor();

      // 4. Back on the page (still open, it was waiting): 지원 대상입니다, every criterion with its reason, and the offer.
      await user.switchTo(apply, 'the application page');
      const outcome = apply.locator('#outcome');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-outcome')).toBe('eligible');
      expect(await apply.locator('#outcome-title').textContent()).toBe('지원 대상입니다');
      const criteria = apply.locator('#decision-criteria li');
      expect(await criteria.evaluateAll((items) => items.map((item) => [item.getAttribute('data-criterion'), item.className]))).toEqual(
        ['holder.same', 'age-range', 'seoul-resident', 'enrollment.not-enrolled', 'income.household-median', 'income.not-basic-livelihood', 'employment.limited', 'participation.first-time'].map((id) => [id, 'criterion-passed']),
      );
      expect((await apply.locator('#decision-criteria .reason').allTextContents()).every((reason) => reason.length > 5)).toBe(true);
      const offerLink = apply.getByRole('link', { name: '이 기기의 지갑 앱에서 받기' });
      await offerLink.waitFor();
      const txCode = (await apply.locator('#tx-code').textContent())!;
      expect(txCode).toMatch(/^\d{6}$/);
      // The offer's QR code says the same offer as the link.
      const offerQr = apply.getByRole('img', { name: '지갑 앱으로 스캔할 증명서 발급 QR 코드' });
      expect(inside((await offerLink.getAttribute('href'))!, 'offer')).toEqual([await readQrCode(browser, await offerQr.screenshot())]);
      expectNoClaimValues(person, await pageShows(apply), 'the decision');

      // 5. The offer's link: the wallet receives 청년수당 수급 자격 with the code the page shows.
      // The link lands in the same wallet tab, still open: the wallet reads the new link at once, no PIN.
      await followWalletLink(apply, walletTab, offerLink, '이 기기의 지갑 앱에서 받기', user);
      const receiving = walletTab;
      await receiving.locator('#offer').waitFor();
      expect(await receiving.locator('.offered').textContent()).toBe(ELIGIBILITY_LABEL);
      await user.type(receiving.getByLabel('인증번호'), txCode, '인증번호');
      await user.click(receiving.getByRole('button', { name: '받기', exact: true }), '받기');
      await receiving.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
      await user.click(receiving.getByRole('button', { name: '증명서 보기' }), '증명서 보기');
      await receiving.getByRole('heading', { name: ELIGIBILITY_LABEL }).waitFor();
      await receiving.locator('#card-status-value[data-status="valid"]').waitFor();

      console.log(`김서연, demo page → ${ELIGIBILITY_LABEL} card: ${user.summary()}`);
      // Two addresses, a PIN set (typed twice) and the offer's 6-digit code; 16 taps: receive all, create, one 받기 per
      // credential (5), the list, back to the demo page's tab, apply, the link, send, back to the page, the offer's
      // link, 받기, the card. The wallet is unlocked once, at its first run: the application page's links land in the
      // wallet's open tab (before the shared tab, the second link opened a new, locked tab: 22 taps, 7 of them the PIN).
      expect(user.visits).toBe(2);
      expect(user.clicks).toBeLessThanOrEqual(16);
      expect(user.keystrokes).toBeLessThanOrEqual(2 * PIN.length + 6);

      await apply.bringToFront();
      expectNoClaimValues(person, await pageShows(apply), 'the page at the end');
      expect(await apply.locator('#outcome').getAttribute('data-outcome')).toBe('eligible');
      expectNoClaimValues(person, answers.join('\n'), "the page's API answers");
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('한예린, refused for income: a fresh wallet presents by the QR code; the page names income.household-median and why, gives the receipt, and no offer', async () => {
    const person = citizen('income.household-median');
    expect(person.id).toBe('han-yerin');
    const user = new UserActions();
    const phone = await newPhone();
    const problems: string[] = [];
    try {
      const { demo, walletTab } = await phoneWithCredentials(phone, person, user, problems);
      const { apply, answers } = await openApplicationPage(demo, user);
      const offersAsked: string[] = [];
      apply.on('request', (request) => request.url().endsWith('/eligibility-offer') && offersAsked.push(request.url()));
      await user.click(apply.locator('#apply'), '신청하기');
      // This time the QR path: the wallet's 제시하기 reads the code off the page (pasted here, as a camera would read it).
      const requestQr = apply.getByRole('img', { name: '지갑 앱으로 스캔할 신청용 QR 코드' });
      await requestQr.waitFor();
      const scanned = await readQrCode(browser, await requestQr.screenshot());
      await user.switchTo(walletTab, 'the wallet');
      await user.click(walletTab.getByRole('button', { name: '제시하기' }), '제시하기');
      await user.scan(walletTab.getByLabel('또는 링크 붙여 넣기'), scanned);
      await user.click(walletTab.getByRole('button', { name: '계속' }), '계속');
      await walletTab.locator('#consent').waitFor();
      expect(await walletTab.locator('#consent').innerText()).not.toContain(person.name);
      await user.click(walletTab.getByRole('button', { name: '보내기' }), '보내기');
      await walletTab.locator('#present-outcome.success').waitFor();

      await user.switchTo(apply, 'the application page');
      const outcome = apply.locator('#outcome');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-outcome')).toBe('not-eligible');
      expect(await apply.locator('#outcome-title').textContent()).toBe('지원 대상이 아닙니다');
      expect(await apply.locator('#decision-criteria li.criterion-failed').evaluateAll((items) => items.map((item) => item.getAttribute('data-criterion')))).toEqual(['income.household-median']);
      expect(await apply.locator('#failed li').allTextContents()).toEqual(['가구 소득이 기준 중위소득의 150%를 넘습니다.']);

      // The receipt: a JWT the verifier signed, which verifies with GET /programs/receipt-key.
      const download = apply.waitForEvent('download');
      await user.click(apply.getByRole('link', { name: '결정 확인서 내려받기' }), '결정 확인서 내려받기');
      const receipt = (await readFile((await (await download).path())!, 'utf8')).trim();
      expect(receipt.split('.')).toHaveLength(3);
      const { did } = (await (await fetch(`${p.verifier.url}/programs/receipt-key`)).json()) as { did: string };
      const key = await importJWK(JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString()) as JWK, 'ES256');
      const { payload } = await jwtVerify(receipt, key, { algorithms: ['ES256'], typ: 'citycred-decision+jwt', issuer: did });
      expect(payload).toMatchObject({ satisfied: false, policy: { id: 'youth-allowance-2026' } });
      expect((payload['criteria'] as Array<{ id: string; result: string }>).filter((criterion) => criterion.result !== 'passed').map((criterion) => criterion.id)).toEqual(['income.household-median']);
      expect(JSON.stringify(payload)).not.toContain(person.name);

      // No eligibility offer: neither shown nor asked for.
      expect(await apply.locator('#offer').count()).toBe(0);
      expect(await apply.getByRole('link', { name: '이 기기의 지갑 앱에서 받기' }).count()).toBe(0);
      expect(offersAsked).toEqual([]);
      expectNoClaimValues(person, await pageShows(apply), 'the refusal');
      expectNoClaimValues(person, answers.join('\n'), "the page's API answers");
      console.log(`한예린, demo page → refusal and receipt: ${user.summary()}`);
      expect(problems).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
