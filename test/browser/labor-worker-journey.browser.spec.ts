import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FixedClock } from '@citycred/config';
import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import { parseMinimumWageTable } from '@citycred/labor';
import { TenantEntity } from '@citycred/persistence';
import { OperatorStore } from '@citycred/tenancy';
import { cafeContractTerms } from '@citycred/testing';
import { startWallet } from '@citycred/wallet';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { distinctFreePorts } from '../support/launcher.js';
import { send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';
import { readQrCode } from '../support/read-qr.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

const PIN = '246810';
const EMPLOYER = 'hangang-cafe';
/** The café's administrator (fictitious), the console operator of the harness. */
const CAFE_ADMIN = { username: 'owner', displayName: '사장 한지우', role: 'admin' as const, password: 'cafe-owner-password-for-tests' };
const LABOR_FILE = resolve(import.meta.dirname, '../../config/labor.json');
const CONTRACT_LABEL = credentialTypeInfo('LaborContract').labels.ko;
const WORK_LABEL = credentialTypeInfo('WorkExperience').labels.ko;
const INSURANCE_LABEL = credentialTypeInfo('SocialInsuranceEnrollment').labels.ko;
/** The workplace QR rotates every 30 s; the issuer's clock is put 1 s into a window so its QR is fresh. */
const WINDOW_MS = 30_000;

/** Contract terms of 15 hours a week (three days of 09:00–14:30 less a 30-minute break), at the 2026 minimum wage. */
const TERMS = cafeContractTerms();

/**
 * Issue 19's worker journey in Chromium on the whole platform (a local chain, the issuer with WALLET_URL, the verifier)
 * and the real wallet with the minimum wage table of config/labor.json, in a phone-sized context: the café's owner
 * drafts a contract over the console API; the worker opens its `#contract` link in the wallet, reads every item in
 * Korean with the wallet's own figures and the hash it recomputed, and signs; the owner countersigns and the wallet,
 * still on the contract screen, finds the LaborContract offer and receives it; the owner's tablet page offers
 * 이 기기의 지갑에서 열기, the very `#attend` link its QR holds, in the wallet's tab; the worker checks in with the
 * workplace QR's `#attend` link and out with a fresh one (a used QR and one older than 30 s refused with their
 * messages); the owner declares the four social insurances and the wallet receives SocialInsuranceEnrollment from the
 * employment-insurance office; the LaborContract card shows the timesheet, the chain verified from the wallet's own
 * copies, the employer's signatures verified against its did:ethr key (resolved through the verifier) and the export;
 * the owner ends the contract and issues work history, and the wallet receives the WorkExperience; a second employer
 * (망원동 빵집) opens the verifier's scanner page, asks for 경력, and the worker presents from the wallet by the QR code
 * read off the scanner's screen: verified, with the hours the attendance chain counted and its root. The issuer's
 * clock is a FixedClock and the browser's a fixed time the test moves together, so a 5½-hour shift and a
 * 40-second-old QR take no waiting.
 */
describe('labour: the worker’s journey in the wallet', { timeout: 300_000 }, () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;
  let cookie = '';
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let contractId = '';

  /** Signs the café's owner in to the console API (again after the test moved the clock past the session's idle time). */
  async function signIn(): Promise<void> {
    const session = await send(`${p.issuer.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
      body: JSON.stringify({ tenant: EMPLOYER, username: CAFE_ADMIN.username, password: CAFE_ADMIN.password }),
    });
    expect(session.status, session.text).toBe(200);
    cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  }

  async function consoleCall(method: string, path: string, body?: unknown): Promise<Answer> {
    const call = () =>
      send(`${p.issuer.url}/console/api${path}`, {
        method,
        headers: { cookie, ...(method === 'GET' ? {} : { 'x-citycred-console': '1' }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const answer = await call();
    if (answer.status !== 401) return answer;
    await signIn();
    return call();
  }

  /** Moves the issuer's clock and the phone's together; `atMs` is put 1 s into a workplace QR window. */
  async function setTime(atMs: number, phoneAheadMs = 2000): Promise<number> {
    const aligned = Math.floor(atMs / WINDOW_MS) * WINDOW_MS + 1000;
    clock.set(new Date(aligned));
    await context.clock.setFixedTime(new Date(aligned + phoneAheadMs));
    return aligned;
  }

  /** The workplace tablet's QR now, as the employer console serves it: the wallet's `#attend?qr=` link. */
  async function workplaceLink(): Promise<string> {
    const answer = await consoleCall('GET', '/labor/workplace-qr');
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.link).toMatch(new RegExp(`^${wallet.url}/#attend\\?qr=`));
    return answer.body.link as string;
  }

  /**
   * Opens a link in the wallet's tab after the phone lay idle for hours: the wallet locked itself meanwhile (its
   * inactivity period, read on the phone's clock), so the link waits behind the PIN.
   */
  async function openAfterIdle(link: string): Promise<void> {
    await page.goto(link);
    await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
    await page.locator('#link-waiting').waitFor();
    for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: '열기', exact: true }).click();
  }

  async function screen(name: string): Promise<void> {
    expect(await unnamedControls(page), name).toEqual([]);
    expect(await lowContrastText(page), name).toEqual([]);
    expect(await scrollsSideways(page), name).toBe(false);
    await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), `wallet-${name}-phone.png`), fullPage: true });
  }

  beforeAll(async () => {
    const [walletPort] = await distinctFreePorts(1);
    const walletUrl = `http://127.0.0.1:${walletPort}`;
    p = await startTestPlatform('labor_worker', { clock, issuerEnv: { WALLET_URL: walletUrl } });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const tenants = p.issuer.runtime.dataSource.getRepository(TenantEntity);
    const employer = (await tenants.findOneBy({ slug: EMPLOYER }))!;
    if (!employer.businessNumber) await tenants.update({ id: employer.id }, { businessNumber: '123-45-67891' });
    await new OperatorStore(p.issuer.runtime.dataSource, clock).create(employer.id, CAFE_ADMIN);
    await signIn();
    const minimumWageKrw = parseMinimumWageTable((JSON.parse(await readFile(LABOR_FILE, 'utf8')) as { minimumWageKrw: unknown }).minimumWageKrw);
    wallet = await startWallet(walletPort!, '127.0.0.1', {}, undefined, {
      connectOrigins: [new URL(p.issuer.url).origin, new URL(p.verifier.url).origin],
      scannerUrl: p.verifier.url,
      cityIssuerUrl: p.issuer.url,
      minimumWageKrw,
    });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, locale: 'ko-KR', timezoneId: 'Asia/Seoul', acceptDownloads: true });
    await context.clock.setFixedTime(clock.now());
    page = await context.newPage();
    recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !/\/labor\/contracts\/[^/]+\/attendance/.test(response.url()) });
    await page.goto(wallet.url);
    await page.getByLabel('새 PIN').fill(PIN);
    await page.getByLabel('PIN 다시 입력').fill(PIN);
    await page.getByRole('button', { name: '지갑 만들기' }).click();
    await page.getByRole('heading', { name: '내 증명서' }).waitFor();
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await wallet?.server.close();
    await p?.stop();
  });

  it('reviews the contract in Korean with the wallet’s own figures and hash, and signs it', async () => {
    const drafted = await consoleCall('POST', '/labor/contracts', TERMS);
    expect(drafted.status, drafted.text).toBe(201);
    contractId = drafted.body.id;
    expect(drafted.body.reviewLink).toBe(`${wallet.url}/#contract?url=${encodeURIComponent(drafted.body.reviewUrl)}`);

    await page.goto(drafted.body.reviewLink);
    await page.getByRole('heading', { name: '근로계약서 확인' }).waitFor();
    const terms = page.locator('#contract-terms');
    await terms.waitFor();
    expect(await terms.locator('[data-item="business-number"]').textContent()).toContain('123-45-67891');
    expect(await terms.locator('[data-item="hourly-wage"]').textContent()).toBe('10,320원');
    expect(await terms.locator('[data-item="work-days"]').textContent()).toContain('월요일 09:00~14:30 (휴게 30분, 근로 5시간)');
    expect(await terms.locator('[data-item="weekly-holiday"]').textContent()).toBe('일요일');
    expect(await terms.locator('[data-item="weekly-holiday-allowance"]').textContent()).toBe('지급 (주 3시간분, 30,960원)');
    expect(await terms.locator('[data-item="annual-leave"]').textContent()).toBe('근로기준법에 따라 부여');
    expect(await terms.locator('[data-item="wage-payment"]').textContent()).toBe('매월 10일, 계좌 이체');
    expect(await terms.locator('[data-item="social-insurance"]').textContent()).toContain('고용보험 적용');
    expect(await page.locator('#contract-figures').textContent()).toContain('185,760원');
    expect(await page.locator('#contract-hash').getAttribute('data-matches')).toBe('true');
    expect(await page.locator('#contract-hash').textContent()).toContain(drafted.body.hash);
    // The fragment is cleared: a reload does not run the link again.
    expect(new URL(page.url()).hash).toBe('');
    await screen('contract-review');

    await page.getByRole('button', { name: '서명하기' }).click();
    await page.getByRole('status').filter({ hasText: '서명했습니다.' }).waitFor();
    await page.locator('#contract-signed[data-state="awaiting-employer"]').waitFor();
    const view = await consoleCall('GET', `/labor/contracts/${contractId}`);
    expect(view.body).toMatchObject({ state: 'awaiting-employer', workerDid: expect.stringMatching(/^did:jwk:/) });
  });

  it('receives the LaborContract the screen waited for once the employer countersigned', async () => {
    const countersigned = await consoleCall('POST', `/labor/contracts/${contractId}/countersign`);
    expect(countersigned.status, countersigned.text).toBe(200);
    // The contract screen reads the review every few seconds: the offer shows without a reload.
    await page.locator('#contract-offers[data-types="LaborContract"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('#contract-offers').textContent()).toContain('새 증명서가 도착했습니다');
    await screen('contract-offer');
    await page.getByRole('button', { name: '증명서 받기' }).click();
    await page.locator('#offer').waitFor();
    await page.getByRole('button', { name: '받기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: new RegExp(CONTRACT_LABEL) }).waitFor();
  });

  it('receives the SocialInsuranceEnrollment the employment-insurance office issues once the employer declared the enrolment', async () => {
    const declared = await consoleCall('POST', `/labor/contracts/${contractId}/social-insurance`, { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true, since: TERMS.period.start });
    expect(declared.status, declared.text).toBe(200);
    expect(declared.body.credentialOffers.map((offer: { type: string }) => offer.type)).toEqual(['LaborContract', 'SocialInsuranceEnrollment']);
    // The LaborContract card reads the review when it opens: the new offer waits there.
    await page.getByRole('button', { name: new RegExp(CONTRACT_LABEL) }).click();
    await page.locator('#contract-offers[data-types="SocialInsuranceEnrollment"]').waitFor();
    await page.getByRole('button', { name: '증명서 받기' }).click();
    await page.locator('#offer').waitFor();
    // Offered by the employment-insurance office, not by the café.
    expect(await page.locator('#offer').textContent()).toContain('서울지방고용노동청 고용보험');
    await page.getByRole('button', { name: '받기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: new RegExp(INSURANCE_LABEL) }).waitFor();
  });

  it('shows the workplace tablet, under an issuer with WALLET_URL, a same-device link to the wallet holding what its QR holds', async () => {
    // The owner's tablet, signed in to the employer console through its form (a context of its own: not the phone).
    const tablet = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul', reducedMotion: 'reduce' });
    const tabletProblems: string[] = [];
    try {
      const board = await tablet.newPage();
      // Signed out at first, the console's `GET /console/api/me` answers 401: the sign-in form, no fault.
      recordFaults(board, tabletProblems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !(response.status() === 401 && response.url().endsWith('/console/api/me')) });
      await board.goto(`${p.issuer.url}/employer/#/workplace`);
      await board.getByLabel('기관 식별자').fill(EMPLOYER);
      await board.getByLabel('사용자 이름').fill(CAFE_ADMIN.username);
      await board.getByLabel('비밀번호').fill(CAFE_ADMIN.password);
      await board.getByRole('button', { name: '로그인' }).click();
      await board.getByRole('heading', { name: /출퇴근 QR/, level: 1 }).waitFor();
      const qr = board.getByRole('img', { name: '출퇴근 QR 코드 / Check-in QR code' });
      await qr.waitFor();
      // The issuer's clock stands still here, so the window and its nonce, hence the code, stay the same throughout.
      const drawn = await readQrCode(browser, await qr.screenshot());
      const link = board.getByRole('link', { name: '이 기기의 지갑에서 열기' });
      const href = (await link.getAttribute('href'))!;
      expect(href).toBe(drawn);
      expect(href.startsWith(`${wallet.url}/#attend?qr=`)).toBe(true);
      const jws = decodeURIComponent(href.slice(`${wallet.url}/#attend?qr=`.length));
      expect(jws).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8')).typ).toBe('citycred-workplace+jwt');
      expect(new URL(href).hash).toBe(new URL(await workplaceLink()).hash);
      // It opens in the wallet's one tab, as every same-device link does.
      expect(await link.getAttribute('target')).toBe('citycred-wallet');
      expect(tabletProblems).toEqual([]);
    } finally {
      await tablet.close();
    }
  });

  it('checks in and out with the workplace QR; a used QR and one older than 30 s are refused with their messages', async () => {
    const start = await setTime(clock.now().getTime() + 60_000);
    await page.goto(await workplaceLink());
    await page.locator('#attend-done[data-kind="check-in"]').waitFor();
    expect(await page.locator('#attend-done').textContent()).toContain('출근을 기록했습니다');
    await screen('attend-check-in');

    // 5½ hours later, the tablet's QR of then: check-out (the wallet locked itself meanwhile).
    await setTime(start + 5.5 * 3600_000);
    const checkOut = await workplaceLink();
    await openAfterIdle(checkOut);
    await page.locator('#attend-done[data-kind="check-out"]').waitFor();

    // The same QR again, its JWS read by the wallet's scanner (pasted where the camera puts it): the scanner sends it to
    // check-in and -out, and the service refuses its nonce, used in this contract.
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
    await page.getByLabel('또는 링크 붙여 넣기').fill(new URL(checkOut).hash.slice('#attend?qr='.length));
    await page.getByRole('button', { name: '계속' }).click();
    await page.getByRole('heading', { name: '출퇴근 기록' }).waitFor();
    expect(await page.locator('#attend-error').textContent()).toBe('이미 사용한 QR입니다. 화면에 새로 나온 QR을 스캔하세요.');
    // A QR photographed and used a minute later.
    await setTime(start + 6 * 3600_000);
    const old = await workplaceLink();
    await setTime(start + 6 * 3600_000 + 60_000, 0);
    await openAfterIdle(old);
    expect(await page.locator('#attend-error').textContent()).toBe('QR이 만료되었습니다. 새 QR을 스캔하세요.');
    await screen('attend-expired');
  });

  it('shows the timesheet from the wallet’s own co-signed copies, the chain verified, and exports them', async () => {
    await page.getByRole('button', { name: '내 증명서' }).click();
    await page.getByRole('button', { name: new RegExp(CONTRACT_LABEL) }).click();
    const records = page.locator('#labor-records');
    await records.waitFor();
    await page.locator('#labor-chain[data-valid="true"]').waitFor();
    expect(await page.locator('#labor-chain').textContent()).toContain('기록 확인됨');
    // The contract's and both events' employer signatures, against the café's did:ethr key the verifier resolved.
    await page.locator('#labor-employer-signature[data-state="verified"]').waitFor();
    expect(await page.locator('#labor-employer-signature').textContent()).toBe('고용주 서명 확인됨 — 계약서와 출퇴근 기록의 사업주 서명 3건을 블록체인에 등록된 사업주의 키로 확인했습니다.');
    expect(await page.locator('#labor-timesheet').getAttribute('data-total-minutes')).toBe('330');
    expect(await page.locator('#labor-total').textContent()).toBe('총 근무 시간: 5시간 30분');
    // 5.5 h × 10,320 KRW (a week under 15 worked hours earns no holiday allowance).
    expect(await page.locator('#labor-months').textContent()).toContain('56,760원');
    await screen('labor-timesheet');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '기록 파일 내려받기 (JSON)' }).click()]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { format: string; events: Array<{ event: { kind: string }; workerSignature: string; employerSignature: string }> };
    expect(exported.format).toBe('citycred-attendance-export');
    expect(exported.events.map((e) => e.event.kind)).toEqual(['check-in', 'check-out']);
    expect(exported.events.every((e) => /^[\w-]+\.\.[\w-]+$/.test(e.workerSignature) && /^[\w-]+\.\.[\w-]+$/.test(e.employerSignature))).toBe(true);
    // The employer's copy agrees with the worker's.
    const employerView = await consoleCall('GET', `/labor/contracts/${contractId}/attendance`);
    expect(employerView.body.totalMinutes).toBe(330);
    expect(employerView.body.events).toEqual(exported.events);
  });

  it('shows a correction the employer proposed, old and new time with the reason, and signs it as a new event', async () => {
    const attendance = await consoleCall('GET', `/labor/contracts/${contractId}/attendance`);
    const checkOut = (attendance.body.events as Array<{ event: { kind: string; at: string } }>).find((e) => e.event.kind === 'check-out')!.event;
    const { attendanceEventHash } = await import('@citycred/labor');
    const corrected = new Date(Date.parse(checkOut.at) - 15 * 60_000).toISOString();
    const proposed = await consoleCall('POST', `/labor/contracts/${contractId}/corrections`, { eventHash: attendanceEventHash(checkOut as never), at: corrected, reason: '퇴근 QR을 마감 정리 뒤에 찍음' });
    expect(proposed.status, proposed.text).toBe(201);
    // The card reads the attendance again when it opens.
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: new RegExp(CONTRACT_LABEL) }).click();
    const corrections = page.locator('#labor-corrections');
    await corrections.waitFor();
    expect(await corrections.textContent()).toContain('사유: 퇴근 QR을 마감 정리 뒤에 찍음');
    await screen('labor-correction');
    await page.getByRole('button', { name: '정정에 서명하기' }).click();
    await page.getByRole('status').filter({ hasText: '정정에 서명했습니다.' }).waitFor();
    expect(await page.locator('#labor-total').textContent()).toBe('총 근무 시간: 5시간 15분');
    await page.locator('#labor-chain[data-valid="true"]').waitFor();
    const after = await consoleCall('GET', `/labor/contracts/${contractId}/attendance`);
    expect(after.body).toMatchObject({ totalMinutes: 315, pendingCorrections: [], check: { valid: true } });
  });

  it('receives the WorkExperience once the employer ended the contract and issued work history', async () => {
    const ended = await consoleCall('POST', `/labor/contracts/${contractId}/end`, { endDate: clock.now().toISOString().slice(0, 10) });
    expect(ended.status, ended.text).toBe(200);
    const history = await consoleCall('POST', `/labor/contracts/${contractId}/work-experience`, { role: '바리스타' });
    expect(history.status, history.text).toBe(200);
    // The LaborContract card reads the review when it opens: the new offer waits there.
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: new RegExp(CONTRACT_LABEL) }).click();
    await page.locator('#contract-offers[data-types="WorkExperience"]').waitFor();
    await page.getByRole('button', { name: '증명서 받기' }).click();
    await page.locator('#offer').waitFor();
    await page.getByRole('button', { name: '받기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
    await page.getByRole('button', { name: '목록으로' }).click();
    await page.getByRole('button', { name: new RegExp(WORK_LABEL) }).waitFor();
    expect(problems).toEqual([]);
  });

  it('a second employer’s scanner (망원동 빵집, /scan, 경력) shows the work history verified, with the hours the attendance counted', async () => {
    const attendance = await consoleCall('GET', `/labor/contracts/${contractId}/attendance`);
    expect(attendance.body.totalMinutes).toBe(315);
    // The anchoring worker's round (every few seconds under `npm start`): the WorkExperience's issuance is on the chain,
    // in a block of the services' time (the test moved their clock hours ahead; the chain's follows).
    await p.provider.send('evm_setNextBlockTimestamp', [Math.floor(clock.now().getTime() / 1000)]);
    await p.worker.runOnce();
    // The bakery's counter PC, on the same time as the phone and the services.
    const bakery = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'ko-KR', timezoneId: 'Asia/Seoul' });
    try {
      await bakery.clock.setFixedTime(clock.now());
      const scan = await bakery.newPage();
      recordFaults(scan, problems, { expectedConsoleError: failedLoad });
      await scan.goto(`${p.verifier.url}/scan`);
      await scan.getByLabel('경력').check();
      const [created] = await Promise.all([
        scan.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/presentation-requests'),
        scan.getByRole('button', { name: '확인용 QR 코드 만들기' }).click(),
      ]);
      const requestId = ((await created.json()) as { id: string }).id;
      const link = scan.locator('#wallet-link');
      await link.waitFor({ state: 'visible' });
      expect(await scan.locator('#asked').textContent()).toBe('확인 항목: 경력');
      // The worker's wallet reads the QR code off the scanner's screen (pasted where the camera puts it).
      const scanned = await readQrCode(browser, await scan.getByRole('img', { name: '지갑 앱으로 스캔할 QR 코드' }).screenshot());
      expect(scanned).toBe(await link.getAttribute('href'));
      expect(scanned).toMatch(/^openid4vp:\/\//);

      await page.getByRole('button', { name: '제시하기' }).click();
      await page.getByLabel('또는 링크 붙여 넣기').fill(scanned);
      await page.getByRole('button', { name: '계속' }).click();
      await page.locator('#consent').waitFor();
      expect(await page.locator('#consent').textContent()).toContain(WORK_LABEL);
      await screen('present-work-history');
      await page.getByRole('button', { name: '보내기' }).click();
      await page.locator('#present-outcome.success').waitFor();

      // The scanner turns green: the checks passed, and the work experience with its hours (5 h 15 min, the corrected
      // shift) and the attendance chain's root, as the café's console counted them.
      const outcome = scan.locator('#outcome');
      await outcome.waitFor();
      expect(await outcome.getAttribute('data-outcome')).toBe('verified');
      expect(await outcome.locator('h2').textContent()).toBe('확인됨');
      expect(await outcome.locator('.reason').allTextContents()).toEqual([expect.stringMatching(/^근무 기간이 모두 \d+일로, 기준인 90일 이상입니다\.$/)]);
      expect(await outcome.locator('.criterion-failed').count()).toBe(0);
      // Every check of the verifier passed: the café's signature, its accreditation by the labour department, status…
      const result = await send(`${p.verifier.url}/presentation-requests/${requestId}`);
      expect(result.body, result.text).toMatchObject({ state: 'fulfilled', result: { verified: true, decision: { satisfied: true } } });
      type Checked = { checks: Array<{ id: string; status: string }> };
      const presentations = result.body.result.presentations as Array<Checked & { credentials: Checked[] }>;
      const checks = presentations.flatMap((presented) => [...presented.checks, ...presented.credentials.flatMap((credential) => credential.checks)]);
      expect(checks.map((c) => c.id)).toEqual(expect.arrayContaining(['holder-binding', 'signature']));
      expect(checks.filter((c) => c.status !== 'passed')).toEqual([]);
      expect(result.body.result.shown).toEqual([expect.objectContaining({ type: 'WorkExperience', claims: expect.objectContaining({ totalHours: 5.25, attendanceRoot: attendance.body.head.hash }) })]);
      const record = scan.locator('#work-history .work-record');
      expect(await record.count()).toBe(1);
      expect(await record.locator('.work-employer').textContent()).toBe('한강카페 (데모 사업장)');
      expect(await record.locator('.work-role').textContent()).toBe('바리스타');
      expect(await record.locator('.work-hours').textContent()).toBe('5.25시간');
      expect(await record.locator('.work-root').getAttribute('title')).toBe(attendance.body.head.hash);
      // Nothing else of the worker: not the name, nor the business registration number.
      const shown = await scan.locator('body').innerText();
      for (const never of [TERMS.worker.name, '123-45-67891']) expect(shown).not.toContain(never);
      await scan.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'scan-page-labor-work-history.png'), fullPage: true });
    } finally {
      await bakery.close();
    }
    expect(problems).toEqual([]);
  });
});
