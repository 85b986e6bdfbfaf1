import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { generateHolderKeyPair, holderKeyOf, Oid4vciClient, Oid4vpClient, publicJwkOf, type HolderKey, type WalletCredential, type WalletTransport } from '@citycred/wallet-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesNamedBy, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { createServer } from 'node:net';
import { startVerifier, type VerifierServer } from '@citycred/verifier';
import { failedLoad } from '../support/browser.js';
import { citizenCardSubject, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/**
 * The Youth Allowance application page `/apply/youth-allowance` in Chromium (playwright-core, Debian's
 * /usr/bin/chromium) against a whole platform, with this test playing the applicant's wallet with the wallet core
 * (libs/wallet-core): it reads the request from the page's "open in the wallet" link (`<WALLET_URL>/#present?request=`),
 * presents what four agencies offered it, and, when eligible, receives the eligibility credential from the offer link
 * and transaction code the page shows.
 */
describe('application page in a browser', () => {
  const clock = new FixedClock(new Date());
  const WALLET_URL = 'http://127.0.0.1:3003';
  const transport: WalletTransport = { fetch: (input, init) => fetch(input, init), clock };
  let p: TestPlatform;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    p = await startTestPlatform('apply_page', { clock, verifierEnv: { WALLET_URL } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  async function screenshots(page: Page, name: string): Promise<void> {
    const dir = process.env['SCREENSHOTS_DIR'] ?? tmpdir();
    await page.screenshot({ path: join(dir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    await page.setViewportSize(PHONE);
  }

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: PHONE });
    recordFaults(page, problems);
    await page.goto(url);
    return page;
  }

  const pageChecks = async (page: Page, step: string) => {
    expect(await unnamedControls(page), `${step}: unnamed controls`).toEqual([]);
    expect(await lowContrastText(page), `${step}: low contrast`).toEqual([]);
    expect(await scrollsSideways(page), `${step}: sideways scrolling on a phone`).toBe(false);
  };

  /** A wallet holding the four credentials the youth allowance asks for, offered by the agencies. */
  async function wallet(incomePercent: number): Promise<{ holder: HolderKey; held: WalletCredential[] }> {
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const issuing = new Oid4vciClient(transport);
    const receive = async (tenant: string, configuration: string, claims: Record<string, unknown>) => {
      const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims }, { authorization: `Bearer ${p.tenants.get(tenant)!.apiKey}` });
      const [received] = await issuing.receive(await issuing.prepare(offer.body.credential_offer_link), { holder, txCode: offer.body.tx_code });
      return received!.record;
    };
    return {
      holder,
      held: [
        await receive('seoul-citizen', 'SeoulCitizenCard_dc_sd_jwt', { ...citizenCardSubject, personId: randomUUID() }),
        await receive('education-office', 'EnrollmentStatus_jwt_vc_json', { status: 'graduated', institution: { name: '서울시립대학교', kind: 'university' }, since: '2025-02-21' }),
        await receive('health-insurance', 'IncomeBracket_dc_sd_jwt', { householdIncomePercentOfMedian: incomePercent, basisMonth: '2026-01', basicLivelihoodRecipient: false }),
        await receive('employment-insurance', 'EmploymentInsuranceStatus_dc_sd_jwt', { insured: false, since: '2025-09-01' }),
      ],
    };
  }

  /** Presses "신청하기", reads the request off the page's wallet link, and answers it with the wallet core. */
  async function applyOnPage(page: Page, applicant: { holder: HolderKey; held: WalletCredential[] }): Promise<void> {
    await page.locator('#apply').click();
    const link = page.locator('#wallet-link');
    await link.waitFor({ state: 'visible' });
    await expect(page.locator('#qr svg').count()).resolves.toBe(1);
    const href = (await link.getAttribute('href'))!;
    expect(href.startsWith(`${WALLET_URL}/#present?request=`)).toBe(true);
    const deepLink = new URLSearchParams(new URL(href).hash.slice('#present?'.length)).get('request')!;
    const presenting = new Oid4vpClient(transport);
    const request = await presenting.open(deepLink);
    const match = presenting.match(request, applicant.held);
    await presenting.present(request, match, Object.fromEntries(match.queries.map((q) => [q.query.id, [q.candidates[0]!.credential.id]])), applicant.holder);
  }

  it('shows the program from its configuration, the request QR, then the decision with reasons and the eligibility offer', async () => {
    const page = await open(`${p.verifier.url}/apply/youth-allowance`);
    await page.locator('#apply').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await expect(page.locator('h1').textContent()).resolves.toBe('2026 서울시 청년수당');
    await expect(page.locator('#benefit').textContent()).resolves.toBe('월 500,000원, 최대 6개월');
    expect(await page.locator('#criteria li').allTextContents()).toContain('신청일 기준 만 19세 이상 34세 이하');
    await expect(page.locator('#apply').textContent()).resolves.toBe('신청하기');
    await pageChecks(page, 'program');
    await screenshots(page, 'apply-page');

    const applicant = await wallet(87);
    await applyOnPage(page, applicant);
    const outcome = page.locator('#outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('eligible');
    await expect(page.locator('#outcome-title').textContent()).resolves.toBe('지원 대상입니다');
    const reasons = await page.locator('#decision-criteria .reason').allTextContents();
    expect(reasons).toHaveLength(8);
    expect(reasons).toContain('가구 소득이 기준 중위소득의 150% 이하입니다.');
    await page.locator('#tx-code').waitFor();
    const txCode = (await page.locator('#tx-code').textContent())!;
    expect(txCode).toMatch(/^\d{6}$/);
    // The wallet asks for it as 인증번호 ("Code" in English): the page names it the same.
    await expect(page.locator('.tx-code').textContent()).resolves.toMatch(/^인증번호: \d{6}지갑 앱이 물으면 이 인증번호를 입력하세요\.$/);
    await expect(page.locator('#offer-qr svg').count()).resolves.toBe(1);
    const shown = await page.locator('body').innerText();
    for (const personal of [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district]) expect(shown).not.toContain(personal);
    await pageChecks(page, 'eligible');
    await screenshots(page, 'apply-page-eligible');

    // The wallet on this device receives the eligibility credential from the page's link, with the code it shows.
    const offerHref = (await page.locator('#offer-link').getAttribute('href'))!;
    expect(offerHref.startsWith(`${WALLET_URL}/#receive?offer=`)).toBe(true);
    const offerLink = new URLSearchParams(new URL(offerHref).hash.slice('#receive?'.length)).get('offer')!;
    const issuing = new Oid4vciClient(transport);
    const [received] = await issuing.receive(await issuing.prepare(offerLink), { holder: applicant.holder, txCode });
    expect(received!.record.type).toBe('YouthAllowanceEligibility');

    await page.locator('#language').click();
    await expect(page.locator('#outcome-title').textContent()).resolves.toBe('You are eligible');
    await expect(page.locator('.tx-code').textContent()).resolves.toMatch(/^Code: \d{6}Enter this code when your wallet asks for it\.$/);
    expect(await page.locator('#decision-criteria .reason').allTextContents()).toContain('The household income is at most 150 % of the median.');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows a refused applicant the failed criterion and why, with the receipt to download and no offer', async () => {
    const page = await open(`${p.verifier.url}/apply/youth-allowance`);
    await page.locator('#apply').waitFor();
    await applyOnPage(page, await wallet(151));
    const outcome = page.locator('#outcome');
    await outcome.waitFor();
    expect(await outcome.getAttribute('data-outcome')).toBe('not-eligible');
    await expect(page.locator('#outcome-title').textContent()).resolves.toBe('지원 대상이 아닙니다');
    expect(await page.locator('#failed li').allTextContents()).toEqual(['가구 소득이 기준 중위소득의 150%를 넘습니다.']);
    expect(await page.locator('#decision-criteria li.criterion-failed').getAttribute('data-criterion')).toBe('income.household-median');
    const download = page.waitForEvent('download');
    await page.locator('#receipt').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^youth-allowance-2026-decision-[0-9a-f]{8}\.jwt$/);
    expect(await page.locator('#offer').count()).toBe(0);
    await pageChecks(page, 'refused');
    await screenshots(page, 'apply-page-refused');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('keeps the decision on screen and offers a retry when the issuer cannot make the offer', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    let cut: VerifierServer | undefined;
    const expected: string[] = [];
    try {
      cut = await startVerifier({ ...p.verifier.runtime.config, PROGRAM_ISSUER_URL: `http://127.0.0.1:${closedPort}` }, clock, 0);
      const page = await browser.newPage({ viewport: PHONE });
      // The offer's 503 is the answer under test; anything else is a fault.
      recordFaults(page, expected, { expectedConsoleError: failedLoad, faultyResponse: (res) => res.status() >= 400 && !(res.status() === 503 && res.url().endsWith('/eligibility-offer')) });
      await page.goto(`${cut.url}/apply/youth-allowance`);
      await page.locator('#apply').waitFor();
      await applyOnPage(page, await wallet(87));
      await page.locator('#offer-problem').waitFor();
      await expect(page.locator('#offer-problem').textContent()).resolves.toBe('지금은 증명서를 발급할 수 없습니다. 판정 결과는 그대로 유지됩니다. 잠시 후 다시 시도하세요.');
      expect(await page.locator('#outcome').getAttribute('data-outcome')).toBe('eligible');
      await page.locator('#offer-retry').click();
      await page.locator('#offer-problem').waitFor();
      expect(await page.locator('#offer-qr svg').count()).toBe(0);
      await pageChecks(page, 'issuer down');
      await page.close();
    } finally {
      await cut?.close();
    }
    expect(expected).toEqual([]);
  });

  it('says so for an address no program has, and is served with a strict Content Security Policy', async () => {
    const named = await filesNamedBy(`${p.verifier.url}/apply/youth-rent-support`, '/apply/');
    expect(named.some((path) => path.endsWith('.js')) && named.some((path) => path.endsWith('.css'))).toBe(true);
    for (const path of ['/apply/youth-rent-support', ...named]) {
      const res = await fetch(`${p.verifier.url}${path}`);
      expect(res.status, path).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("default-src 'none'");
      expect(policy, path).toContain("connect-src 'self';");
      expect(policy, path).not.toContain('unsafe-inline');
    }
    const missing = await fetch(`${p.verifier.url}/apply/no-such-program`);
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/problem+json; charset=utf-8']);
    const page = await open(`${p.verifier.url}/apply/youth-rent-support?lang=en`);
    await page.locator('#benefit').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('Seoul Youth Monthly Rent Support 2026');
    await expect(page.locator('#benefit').textContent()).resolves.toBe('KRW 200,000 a month, for up to 12 months');
    await page.close();
    expect(problems).toEqual([]);
  });
  // Last: it moves the shared clock (and the page's) past two offers' expiry.
  it('says when the offer expired, gets a new one on 새로 받기, and says so once the credential was received', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    // The 409 program.offer-received is the answer under test; anything else is a fault.
    recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (res) => res.status() >= 400 && !(res.status() === 409 && res.url().endsWith('/eligibility-offer')) });
    await page.clock.install();
    await page.goto(`${p.verifier.url}/apply/youth-allowance`);
    await page.locator('#apply').waitFor();
    const applicant = await wallet(87);
    await applyOnPage(page, applicant);
    await page.locator('#tx-code').waitFor();
    const offerLinkOnPage = async () => new URLSearchParams(new URL((await page.locator('#offer-link').getAttribute('href'))!).hash.slice('#receive?'.length)).get('offer')!;
    const first = await offerLinkOnPage();
    const pastExpiry = async () => {
      clock.advance(11 * 60_000);
      await page.clock.fastForward('11:00');
      await page.locator('#offer-again').waitFor();
    };

    await pastExpiry();
    await expect(page.locator('#offer-expiry').textContent()).resolves.toMatch(/^받을 수 있는 시간\(.+\)이 지났습니다\. 아직 받지 않았다면 새로 받으세요\.$/);
    expect(await page.locator('#offer-qr svg').count()).toBe(0);
    await pageChecks(page, 'offer expired');
    await page.locator('#offer-again').click();
    await page.locator('#tx-code').waitFor();
    const second = await offerLinkOnPage();
    expect(second).not.toBe(first);

    const issuing = new Oid4vciClient(transport);
    const [received] = await issuing.receive(await issuing.prepare(second), { holder: applicant.holder, txCode: (await page.locator('#tx-code').textContent())! });
    expect(received!.record.type).toBe('YouthAllowanceEligibility');
    await pastExpiry();
    await page.locator('#offer-again').click();
    await page.locator('#offer-problem').waitFor();
    await expect(page.locator('#offer-problem').textContent()).resolves.toBe('증명서를 이미 지갑으로 받았습니다. 받은 지갑에서 확인하세요.');
    expect(await page.locator('#offer-retry').count()).toBe(0);
    expect(await page.locator('#outcome').getAttribute('data-outcome')).toBe('eligible');
    await pageChecks(page, 'offer received');
    await page.close();
    expect(problems).toEqual([]);
  });
});
