import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { presentSdJwt, signCompactJws } from '@citycred/formats';
import { decodeJwt } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesNamedBy, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/**
 * The employer scanner `/scan` in Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole platform,
 * with this test playing the applicant's wallet as a script (as test/e2e/oid4vp.e2e.spec.ts does): the page makes an
 * OpenID4VP request, the script reads the deep link off the page, fetches the request object, presents its SD-JWT VC
 * with key binding over the nonce and client_id and posts the form; the page turns green or red with the reasons.
 */
describe('employer scanner page in a browser', () => {
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let p: TestPlatform;
  let browser: Browser;
  let card: string;
  /** A WorkExperience JWT the demo employer hangang-cafe issued (accredited by the labour department). */
  let workExperience: string;
  const attendanceRoot = `0x${'5e'.repeat(32)}`;
  const problems: string[] = [];

  beforeAll(async () => {
    p = await startTestPlatform('scan_page', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    const cafe = p.tenants.get('hangang-cafe')!;
    const work = {
      id: holder.did,
      employer: { id: cafe.did, name: '한강카페 (데모 사업장)', businessRegistrationNumber: '123-45-67891' },
      role: '바리스타',
      period: { start: '2025-09-01', end: '2025-12-31' },
      totalHours: 1312.5,
      attendanceRoot,
    };
    const issued = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(cafe.did, 'WorkExperience', work), { authorization: `Bearer ${cafe.apiKey}` });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    workExperience = issued.body.verifiableCredential.proof.jwt;
    await p.worker.runOnce();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  /** Opens a page that records script errors, CSP refusals and missing files, so a test also fails on those. */
  /**
   * The screen at phone size (`<name>-phone.png`, as the page opened) and at desktop size (`<name>.png`), into
   * docs/screenshots only when `node tools/screenshots.mjs` asks (SCREENSHOTS_DIR); a test run writes elsewhere.
   */
  async function screenshots(page: Page, name: string): Promise<void> {
    const dir = process.env['SCREENSHOTS_DIR'] ?? tmpdir();
    await page.screenshot({ path: join(dir, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    await page.setViewportSize(PHONE);
  }

  async function open(url: string, viewport: { width: number; height: number } = PHONE): Promise<Page> {
    const page = await browser.newPage({ viewport });
    recordFaults(page, problems);
    await page.goto(url);
    return page;
  }

  /** Chooses a check by its Korean label, presses the button and reads the deep link the page offers. */
  async function startCheck(page: Page, label: string): Promise<string> {
    await page.getByLabel(label).check();
    await page.locator('#start').click();
    const link = page.locator('#wallet-link');
    await link.waitFor({ state: 'visible' });
    await expect(page.locator('#qr svg').count()).resolves.toBe(1);
    return (await link.getAttribute('href'))!;
  }

  /** The scripted wallet: reads the request object the deep link names, presents `disclose`, posts the form. */
  async function walletAnswers(deepLink: string, disclose: string[]): Promise<void> {
    const link = new URL(deepLink);
    expect(link.protocol).toBe('openid4vp:');
    const clientId = link.searchParams.get('client_id')!;
    const fetched = await send(link.searchParams.get('request_uri')!, { headers: { accept: 'application/oauth-authz-req+jwt' } });
    expect(fetched.status, fetched.text).toBe(200);
    const request = decodeJwt(fetched.text) as Record<string, any>;
    expect(request['client_id']).toBe(clientId);
    const vp = await presentSdJwt(card, { disclose, kb: { signer: holder.signer, nonce: String(request['nonce']), aud: clientId, iat: clock.now() } });
    const posted = await send(String(request['response_uri']), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ [request['dcql_query'].credentials[0].id]: [vp] }), state: String(request['state']) }).toString(),
    });
    expect(posted.status, posted.text).toBe(200);
  }

  /** The scripted wallet answering a work-history request: its WorkExperience in a JWT VP over the nonce, for the client_id. */
  async function walletAnswersWork(deepLink: string): Promise<void> {
    const link = new URL(deepLink);
    const clientId = link.searchParams.get('client_id')!;
    const request = decodeJwt((await send(link.searchParams.get('request_uri')!, { headers: { accept: 'application/oauth-authz-req+jwt' } })).text) as Record<string, any>;
    const vp = await signCompactJws(
      { alg: 'ES256', typ: 'JWT', kid: holder.signer.kid },
      {
        iss: holder.did,
        aud: clientId,
        nonce: String(request['nonce']),
        iat: Math.floor(clock.now().getTime() / 1000),
        vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], verifiableCredential: [workExperience] },
      },
      holder.signer,
    );
    const posted = await send(String(request['response_uri']), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ vp_token: JSON.stringify({ WorkExperience: [vp] }), state: String(request['state']) }).toString(),
    });
    expect(posted.status, posted.text).toBe(200);
  }

  /** The work experiences on screen: each one's terms and values, in order. */
  const workOn = async (page: Page) =>
    page.locator('#work-history .work-record').evaluateAll((records) =>
      records.map((record) => [...record.querySelectorAll('dt')].map((term) => [term.textContent, term.nextElementSibling?.textContent])),
    );

  const outcomeOn = async (page: Page) => {
    const panel = page.locator('#outcome');
    await panel.waitFor();
    return { outcome: await panel.getAttribute('data-outcome'), headline: await panel.locator('h2').textContent(), reasons: await panel.locator('.reason, .plain-reason').allTextContents() };
  };

  const pageChecks = async (page: Page, step: string) => {
    expect(await unnamedControls(page), `${step}: unnamed controls`).toEqual([]);
    expect(await lowContrastText(page), `${step}: low contrast`).toEqual([]);
    expect(await scrollsSideways(page), `${step}: sideways scrolling on a phone`).toBe(false);
  };

  it('asks for age over 19, shows the QR code, turns green with the reason in Korean and English, and resets', async () => {
    const page = await open(`${p.verifier.url}/scan`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
    await pageChecks(page, 'choose');
    const deepLink = await startCheck(page, '만 19세 이상');
    await expect(page.locator('#wallet-link').textContent()).resolves.toBe('지갑 앱에서 열기');
    await expect(page.locator('#qr svg').getAttribute('aria-label')).resolves.toBe('지갑 앱으로 스캔할 QR 코드');
    await expect(page.locator('#asked').textContent()).resolves.toBe('확인 항목: 만 19세 이상');
    await pageChecks(page, 'waiting');
    await screenshots(page, 'scan-page-request');

    await walletAnswers(deepLink, ['ageOver19']);
    expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: '확인됨', reasons: ['만 19세 이상입니다.'] });
    expect(await page.locator('#result').getAttribute('role')).toBe('status');
    expect(await page.locator('#wallet-link').isVisible()).toBe(false);
    const shown = await page.locator('body').innerText();
    for (const personal of [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district]) expect(shown).not.toContain(personal);
    await pageChecks(page, 'verified');
    await screenshots(page, 'scan-page-verified');

    await page.locator('#language').click();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: 'Verified', reasons: ['The holder is 19 or older.'] });
    await expect(page.locator('#next').textContent()).resolves.toBe('Check the next person');

    await page.locator('#next').click();
    expect(await page.locator('#outcome').count()).toBe(0);
    expect(await page.locator('#choose').isVisible()).toBe(true);
    expect(await page.locator('#qr svg').count()).toBe(0);
    await expect(page.locator('legend').textContent()).resolves.toBe('What do you want to check?');
    await page.close();
    expect(problems).toEqual([]);
  });

  it('turns red with the policy’s reason for a wallet that discloses nothing useful', async () => {
    const page = await open(`${p.verifier.url}/scan`);
    const deepLink = await startCheck(page, '만 19세 이상');
    await walletAnswers(deepLink, []);
    expect(await outcomeOn(page)).toEqual({ outcome: 'not-verified', headline: '확인 안 됨', reasons: ['만 19세 이상 여부와 생년월일이 모두 공개되지 않았습니다.'] });
    await pageChecks(page, 'not verified');
    await page.locator('#language').click();
    expect(await outcomeOn(page)).toEqual({
      outcome: 'not-verified',
      headline: 'Not verified',
      reasons: ['Neither whether the holder is 19 or older nor the birth date was disclosed.'],
    });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('goes back on cancel, and turns red with a plain reason when the applicant declines in the wallet', async () => {
    const page = await open(`${p.verifier.url}/scan?lang=en`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByLabel('Lives in Seoul').check();
    await page.locator('#start').click();
    await page.locator('#wallet-link').waitFor({ state: 'visible' });
    // Cancel goes back to the choice; a new request gets a new QR code.
    const abandoned = await page.locator('#wallet-link').getAttribute('href');
    await page.locator('#cancel').click();
    expect([await page.locator('#choose').isVisible(), await page.locator('#qr svg').count()]).toEqual([true, 0]);
    await page.locator('#start').click();
    await page.locator('#wallet-link').waitFor({ state: 'visible' });
    expect(await page.locator('#wallet-link').getAttribute('href')).not.toBe(abandoned);
    const link = new URL((await page.locator('#wallet-link').getAttribute('href'))!);
    const request = decodeJwt((await send(link.searchParams.get('request_uri')!)).text) as Record<string, any>;
    const declined = await send(String(request['response_uri']), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ error: 'access_denied', state: String(request['state']) }).toString(),
    });
    expect(declined.status).toBe(200);
    expect(await outcomeOn(page)).toEqual({ outcome: 'not-verified', headline: 'Not verified', reasons: ['The applicant declined in their wallet.'] });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('checks work history: green with the hours — employer, role, period, total hours and the attendance root — in Korean and English', async () => {
    const page = await open(`${p.verifier.url}/scan`);
    const deepLink = await startCheck(page, '경력');
    await expect(page.locator('#asked').textContent()).resolves.toBe('확인 항목: 경력');
    await walletAnswersWork(deepLink);
    expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: '확인됨', reasons: ['근무 기간이 모두 122일로, 기준인 90일 이상입니다.'] });
    await expect(page.locator('#work-title').textContent()).resolves.toBe('제출된 경력');
    expect(await workOn(page)).toEqual([
      [
        ['사업장', '한강카페 (데모 사업장)'],
        ['담당 업무', '바리스타'],
        ['근무 기간', '2025. 9. 1. ~ 2025. 12. 31.'],
        ['총 근로시간', '1,312.5시간'],
        ['출퇴근 기록 해시', '0x5e5e5e5e…5e5e'],
      ],
    ]);
    await expect(page.locator('.work-root').getAttribute('title')).resolves.toBe(attendanceRoot);
    // Nothing else of the credential: not the business registration number, nor the worker's DID.
    const shown = await page.locator('body').innerText();
    for (const never of ['123-45-67891', holder.did]) expect(shown).not.toContain(never);
    await pageChecks(page, 'work history');
    await screenshots(page, 'scan-page-work-history');

    await page.locator('#language').click();
    expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: 'Verified', reasons: ['The work periods cover 122 days, at least the 90 days required.'] });
    expect(await workOn(page)).toEqual([
      [
        ['Employer', '한강카페 (데모 사업장)'],
        ['Role', '바리스타'],
        ['Period', '1 Sept 2025 – 31 Dec 2025'],
        ['Total hours', '1,312.5 h'],
        ['Attendance record hash', '0x5e5e5e5e…5e5e'],
      ],
    ]);
    await page.locator('#next').click();
    expect(await page.locator('#work-history').count()).toBe(0);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('is served with a strict Content Security Policy', async () => {
    const named = await filesNamedBy(`${p.verifier.url}/scan`, '/scan/');
    expect(named.some((path) => path.endsWith('.js')) && named.some((path) => path.endsWith('.css')), 'the page’s script and style sheet').toBe(true);
    for (const path of ['/scan', ...named]) {
      const res = await fetch(`${p.verifier.url}${path}`);
      expect(res.status, path).toBe(200);
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("default-src 'none'");
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).toContain("connect-src 'self';");
      expect(policy, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    expect((await fetch(`${p.verifier.url}/scan`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
  });
});
