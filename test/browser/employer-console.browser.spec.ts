import { systemClock } from '@citycred/config';
import { attendanceEventHash, GENESIS_HASH, signDetached, type AttendanceEvent } from '@citycred/labor';
import { TenantEntity } from '@citycred/persistence';
import { OperatorStore } from '@citycred/tenancy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { readQrCode } from '../support/read-qr.js';
import { walletKey } from '../support/wallet.js';
import { freshContext, launchChromium, type TestOperator } from './console-harness.js';

/** A part-timer's terms as the console API takes them: Monday to Friday 09:00–13:30, a 30-minute break, 20 hours a week. */
const TERMS = {
  worker: { name: '이도윤' },
  workplace: { name: '한강카페', address: '서울특별시 마포구 망원로 1' },
  duties: '음료 제조와 매장 관리',
  role: '바리스타',
  period: { start: '2026-12-01' },
  hourlyWageKrw: 10_320,
  weeklyHours: 20,
  workDays: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, startTime: '09:00', endTime: '13:30' })),
  breaks: [{ startTime: '11:00', endTime: '11:30' }],
  weeklyHolidayAllowance: true,
  weeklyHoliday: 'sun',
  annualLeave: 'statutory',
  wagePayment: { payDay: 10, method: 'bank-transfer' },
  socialInsurance: { nationalPension: false, healthInsurance: false, employmentInsurance: true, industrialAccident: true },
};

/** The demo café's administrator (fictitious). */
const CAFE_ADMIN: TestOperator = { tenant: 'hangang-cafe', username: 'owner', displayName: '사장 한지우', role: 'admin', password: 'cafe-owner-password-for-tests' };

/**
 * The employer console (`/employer`, docs/employer-console.md) in Chromium against a real issuer (local chain, real
 * database): the café's owner drafts a labour contract — refused in the form below the minimum wage, then with the
 * weekly holiday allowance computed — sends it to the worker as a QR code and link, and shows the workplace tablet's
 * rotating check-in QR.
 */
describe('employer console (Chromium)', { timeout: 120_000 }, () => {
  let platform: TestPlatform;
  let browser: Browser;
  let employerUrl: string;
  beforeAll(async () => {
    [platform, browser] = await Promise.all([startTestPlatform('employer-console-browser'), launchChromium()]);
    const dataSource = platform.issuer.runtime.dataSource;
    const tenant = await dataSource.getRepository(TenantEntity).findOneByOrFail({ slug: CAFE_ADMIN.tenant });
    await new OperatorStore(dataSource, systemClock).create(tenant.id, { username: CAFE_ADMIN.username, displayName: CAFE_ADMIN.displayName, role: CAFE_ADMIN.role, password: CAFE_ADMIN.password });
    employerUrl = `${platform.issuer.url}/employer`;
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** Signs in through the form; `path` is the fragment to open (`#/workplace`: the tablet page, without the menu). */
  async function signedIn(path = ''): Promise<Page> {
    const page = await (await freshContext(browser)).newPage();
    await page.goto(`${employerUrl}/${path}`);
    await page.getByLabel('기관 식별자').fill(CAFE_ADMIN.tenant);
    await page.getByLabel('사용자 이름').fill(CAFE_ADMIN.username);
    await page.getByLabel('비밀번호').fill(CAFE_ADMIN.password);
    await page.getByRole('button', { name: '로그인' }).click();
    if (path === '#/workplace') await page.getByRole('heading', { name: /출퇴근 QR/, level: 1 }).waitFor();
    else await page.getByRole('navigation', { name: '사업장 메뉴' }).waitFor();
    return page;
  }

  it('is served under the console’s strict CSP', async () => {
    const res = await fetch(employerUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('/employer/assets/');
  });

  it('drafts a contract: below the minimum wage refused in the form, then the allowance shown, sent, and the worker’s QR and link', async () => {
    const page = await signedIn();
    await page.getByRole('heading', { name: '근로계약', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: '사업장 메뉴' }).getByRole('link', { name: '새 계약서' }).click();
    await page.getByRole('heading', { name: '근로계약서 작성', level: 1 }).waitFor();

    await page.getByLabel('근로자 성명').fill('김민지');
    expect(await page.getByLabel('근무 장소 명칭').inputValue()).toContain('한강카페');
    await page.getByLabel('근무 장소 주소').fill('서울특별시 마포구 망원로 1');
    await page.getByLabel('업무 내용').fill('음료 제조와 매장 관리');
    await page.getByLabel('직무 (선택)').fill('바리스타');
    await page.getByLabel('계약 시작일').fill('2026-12-01');
    // Monday to Friday, 10:00–14:00 with no break: 20 hours a week.
    for (const day of ['월요일', '화요일', '수요일', '목요일', '금요일']) {
      await page.getByRole('checkbox', { name: `${day} 근무` }).check();
      await page.getByLabel(`${day} 시업 시각`).fill('10:00');
      await page.getByLabel(`${day} 종업 시각`).fill('14:00');
    }
    await page.getByLabel('주 소정근로시간').fill('20');
    await page.getByRole('checkbox', { name: '주휴수당 지급' }).check();
    await page.getByRole('combobox', { name: '주휴일' }).selectOption('sun');
    await page.getByRole('combobox', { name: '연차 유급휴가' }).selectOption('statutory');
    await page.getByRole('checkbox', { name: '고용보험' }).check();
    await page.getByRole('checkbox', { name: '산재보험' }).check();
    await page.getByLabel('시급 (원)').fill('10000');

    // The 2026 minimum is 10,320 KRW: the form says so and will not send.
    await page.getByText('2026년 최저임금: 시간당 10,320원').waitFor();
    await page.getByRole('button', { name: '작성 완료 · 근로자에게 보내기' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: '보낼 수 없습니다' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('시급이 2026년 최저임금 10,320원보다 낮습니다.');
    expect(await page.getByLabel('시급 (원)').getAttribute('aria-invalid')).toBe('true');
    // Nothing was sent.
    const none = await page.request.get(`${platform.issuer.url}/console/api/labor/contracts`);
    expect((await none.json()).items.filter((c: { document: { worker: { name: string } } }) => c.document.worker.name === '김민지')).toEqual([]);

    // At the minimum: no error, and the weekly holiday allowance of 20 h a week (4 paid hours) is shown; 4 hours
    // without a break is warned of (30 minutes are due), which does not stop the contract.
    await page.getByLabel('시급 (원)').fill('10320');
    const assessment = page.getByRole('complementary', { name: '법정 기준 확인' });
    await assessment.getByText('41,280원').waitFor();
    expect(await assessment.textContent()).toContain('주휴시간 4시간');
    expect(await assessment.getByRole('heading', { name: '고쳐야 할 항목' }).count()).toBe(0);
    await assessment.getByRole('heading', { name: '주의' }).waitFor();
    expect(await assessment.textContent()).toContain('월요일: 근로시간 4시간에 30분 이상의 휴게시간이 필요합니다');

    await page.getByRole('button', { name: '작성 완료 · 근로자에게 보내기' }).click();
    await page.getByRole('heading', { name: '김민지 근로계약', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/employer\/#\/contracts\/[0-9a-f-]{36}$/);
    expect(await page.getByText('근로자 서명 대기').first().isVisible()).toBe(true);
    const qr = page.getByRole('img', { name: '김민지 근로계약서 확인 QR 코드' });
    await qr.waitFor();
    const link = await page.getByRole('textbox', { name: '계약서 확인 링크' }).inputValue();
    expect(link).toMatch(/\/labor\/contracts\/[0-9a-f-]{36}\?t=/);
    // The QR code says the link.
    expect(await readQrCode(browser, await qr.screenshot())).toBe(link);

    // The list shows it with its state.
    await page.getByRole('navigation', { name: '사업장 메뉴' }).getByRole('link', { name: '근로계약' }).click();
    const row = page.getByRole('row').filter({ hasText: '김민지' });
    await row.waitFor();
    expect(await row.textContent()).toContain('근로자 서명 대기');
    expect(await row.textContent()).toContain('10,320원');
    await page.context().close();
  });

  it('is backed by the issuer, which refuses the same terms itself (422 labor.terms-refused with the findings the form shows)', async () => {
    const page = await signedIn();
    const res = await page.request.post(`${platform.issuer.url}/console/api/labor/contracts`, {
      headers: { 'x-citycred-console': '1' },
      data: {
        worker: { name: '이도윤' },
        workplace: { name: '한강카페', address: '서울특별시 마포구 망원로 1' },
        duties: '매장 관리',
        period: { start: '2026-12-01' },
        hourlyWageKrw: 9000,
        weeklyHours: 8,
        workDays: [{ day: 'sat', startTime: '10:00', endTime: '18:00' }],
        breaks: [],
        weeklyHolidayAllowance: false,
        weeklyHoliday: 'not-applicable',
        annualLeave: 'not-applicable',
        wagePayment: { payDay: 10, method: 'cash' },
        socialInsurance: { nationalPension: false, healthInsurance: false, employmentInsurance: false, industrialAccident: true },
      },
    });
    expect(res.status()).toBe(422);
    const problem = await res.json();
    expect(problem.code).toBe('labor.terms-refused');
    expect(problem.findings.map((f: { code: string }) => f.code)).toContain('labor.wage-below-minimum');
    await page.context().close();
  });

  it('countersigns once the worker has signed, then shows the timesheet, a correction, social insurance, work history, a revision and the end', async () => {
    const page = await signedIn();
    const api = (method: 'GET' | 'POST', path: string, data?: unknown) =>
      page.request.fetch(`${platform.issuer.url}/console/api${path}`, { method, headers: method === 'POST' ? { 'x-citycred-console': '1' } : {}, ...(data === undefined ? {} : { data }) });
    const drafted = await (await api('POST', '/labor/contracts', TERMS)).json();
    expect(drafted.state).toBe('awaiting-worker');
    const reviewUrl = new URL(drafted.reviewLink);
    const token = reviewUrl.searchParams.get('t')!;
    const workerUrl = (path: string) => `${platform.issuer.url}/labor/contracts/${drafted.id}${path}?t=${encodeURIComponent(token)}`;

    await page.goto(`${employerUrl}/#/contracts/${drafted.id}`);
    await page.getByRole('heading', { name: '이도윤 근로계약', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: '근로자의 서명을 기다리는 중입니다.' }).waitFor();

    // The worker signs the hash in the wallet (here: the same request a wallet makes); the page sees it by itself.
    const worker = walletKey();
    const jws = await signDetached({ alg: 'ES256', kid: worker.signer.kid }, drafted.hash, (input) => worker.signer.sign(input) as Uint8Array);
    const signedByWorker = await page.request.post(workerUrl('/worker-signature'), { data: { jws } });
    expect(signedByWorker.status(), await signedByWorker.text()).toBe(200);
    const countersign = page.getByRole('button', { name: '사업주 서명 (계약 체결)' });
    await countersign.waitFor({ timeout: 20_000 });
    await countersign.click();
    await page.getByRole('status').filter({ hasText: '서명했습니다. 계약이 체결되었습니다.' }).waitFor();
    await page.locator('.title-row .badge').filter({ hasText: '체결됨' }).waitFor();
    await page.getByRole('cell', { name: '전자 근로계약서' }).waitFor();
    await page.getByRole('status').filter({ hasText: '기록 검증: 해시 체인과 서명이 모두 맞습니다.' }).waitFor();
    await page.getByText('아직 출퇴근 기록이 없습니다.').waitFor();

    // The worker checks in and, with the next window's QR (a nonce serves once a contract), out.
    const events: Array<{ event: AttendanceEvent }> = [];
    const punch = async (kind: 'check-in' | 'check-out', qr: { jws: string; issuedAt: string }) => {
      const last = events[events.length - 1]?.event;
      const nonce = JSON.parse(Buffer.from(qr.jws.split('.')[1]!, 'base64url').toString('utf8')).nonce as string;
      const event: AttendanceEvent = { v: 1, contractId: drafted.document.contractId, seq: events.length, kind, at: new Date().toISOString(), workplaceNonce: { nonce, issuedAt: qr.issuedAt }, prevHash: last ? attendanceEventHash(last) : GENESIS_HASH };
      const workerSignature = await signDetached({ alg: 'ES256', kid: worker.signer.kid }, attendanceEventHash(event), (input) => worker.signer.sign(input) as Uint8Array);
      const answer = await page.request.post(workerUrl('/attendance'), { data: { event, workerSignature, qr: qr.jws } });
      expect(answer.status(), await answer.text()).toBe(201);
      events.push((await answer.json()).signed);
    };
    const firstQr = await (await api('GET', '/labor/workplace-qr')).json();
    await punch('check-in', firstQr);
    let nextQr = firstQr;
    await expect.poll(async () => (nextQr = await (await api('GET', '/labor/workplace-qr')).json()).jws, { timeout: 40_000, interval: 1000 }).not.toBe(firstQr.jws);
    await punch('check-out', nextQr);

    await page.reload();
    await page.getByRole('status').filter({ hasText: '기록 검증: 해시 체인과 서명이 모두 맞습니다.' }).waitFor();
    const shifts = page.getByRole('region', { name: '근무 기록' });
    await shifts.waitFor();
    expect(await shifts.getByRole('row').count()).toBe(2);
    await page.getByRole('region', { name: '월별 근로시간과 예상 급여' }).waitFor();

    // A correction is proposed, never an edit: the worker is to sign it.
    await page.getByRole('button', { name: '정정 제안' }).click();
    await page.getByRole('alert').filter({ hasText: '필수 항목입니다.' }).waitFor();
    const eventSelect = page.getByRole('combobox', { name: '정정할 기록' });
    await eventSelect.selectOption({ index: 1 });
    expect(await page.getByLabel('바른 시각').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    await page.getByLabel('사유', { exact: true }).fill('출근 태블릿 고장으로 늦게 찍힘');
    await page.getByRole('button', { name: '정정 제안' }).click();
    await page.getByRole('status').filter({ hasText: '정정을 제안했습니다.' }).waitFor();
    await page.getByText('근로자 서명을 기다리는 정정 1건').waitFor();

    // Social insurance: the employment-insurance office offers the enrolment to the worker.
    await page.getByRole('button', { name: '가입 신고' }).click();
    await page.getByRole('status').filter({ hasText: '신고했습니다.' }).waitFor();
    await page.getByRole('cell', { name: '4대보험 가입 확인' }).waitFor();

    // Work history from the chain, then the end.
    await page.getByRole('button', { name: '경력증명서 발급' }).click();
    await page.getByRole('status').filter({ hasText: '발급했습니다.' }).waitFor();
    await page.getByRole('cell', { name: '경력증명서' }).waitFor();

    // A revision is a new version, drafted from the signed terms, that both sign again.
    await page.getByRole('link', { name: '계약 변경 (새 버전)' }).click();
    await page.getByRole('heading', { name: '근로계약 변경 (버전 2)', level: 1 }).waitFor();
    expect(await page.getByLabel('근로자 성명').inputValue()).toBe('이도윤');
    expect(await page.getByLabel('시급 (원)').inputValue()).toBe('10320');
    await page.getByLabel('시급 (원)').fill('10500');
    await page.getByRole('button', { name: '변경 계약 보내기' }).click();
    await page.getByRole('heading', { name: '이도윤 근로계약', level: 1 }).waitFor();
    await page.locator('.title-row .badge').filter({ hasText: '근로자 서명 대기' }).waitFor();
    expect(page.url()).not.toContain(drafted.id);
    await page.getByRole('link', { name: '이전 버전' }).click();
    await page.locator('.title-row .badge').filter({ hasText: '체결됨' }).waitFor();
    expect(page.url()).toContain(drafted.id);

    await page.getByRole('button', { name: '계약 종료' }).click();
    await page.getByRole('group').filter({ hasText: '계약을 종료합니다' }).waitFor();
    await page.getByRole('button', { name: '종료 확정' }).click();
    await page.getByRole('status').filter({ hasText: '계약을 종료했습니다.' }).waitFor();
    await page.locator('.title-row .badge').filter({ hasText: '종료됨' }).waitFor();
    expect(await page.getByRole('button', { name: '가입 신고' }).count()).toBe(0);
    await page.context().close();
  });

  it('switches to English', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Labour contracts', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Employer menu' }).getByRole('link', { name: 'New contract' }).click();
    await page.getByLabel("Worker's name").waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.title])).toEqual(['en', 'CityCred employer console']);
    await page.context().close();
  });

  it('shows the workplace tablet a full-screen QR that changes before it expires', async () => {
    const page = await signedIn('#/workplace');
    const qr = page.getByRole('img', { name: '출퇴근 QR 코드 / Check-in QR code' });
    await qr.waitFor();
    // The tablet page has no console menu, and speaks both languages.
    expect(await page.getByRole('navigation', { name: '사업장 메뉴' }).count()).toBe(0);
    await page.getByText('Scan this QR code with your wallet to check in or out.').waitFor();
    await page.getByText(/초 후 새 코드 \/ New code in \d+ s/).waitFor();

    const first = await readQrCode(browser, await qr.screenshot());
    // Without WALLET_URL the code is the employer-signed JWS itself (typ citycred-workplace+jwt).
    const header = JSON.parse(Buffer.from(first.split('.')[0]!, 'base64url').toString('utf8'));
    expect(header.typ).toBe('citycred-workplace+jwt');
    // …which is no link: the same-device button needs the wallet's URL (with it, see labor-worker-journey.browser.spec.ts).
    expect(await page.getByRole('link', { name: /이 기기의 지갑에서 열기/ }).count()).toBe(0);
    // A new 30-second window brings a new nonce: the drawn code changes by itself.
    const drawn = await page.locator('#workplace-qr path').getAttribute('d');
    await page.waitForFunction((before) => document.querySelector('#workplace-qr path')?.getAttribute('d') !== before, drawn, { timeout: 45_000, polling: 500 });
    const second = await readQrCode(browser, await qr.screenshot());
    expect(second).not.toBe(first);
    const payload = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
    expect(payload(second).nonce).not.toBe(payload(first).nonce);
    expect(payload(second).iat).toBeGreaterThan(payload(first).iat);
    await page.context().close();
  });
});
