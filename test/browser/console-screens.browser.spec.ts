import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_CSV, fillCardForm, freshContext, issueCardThroughApi, launchChromium, OPERATORS, signIn, startConsolePlatform, type ConsolePlatform } from './console-harness.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/**
 * Every screen of the console, in Korean, at desktop and phone width: each control has a name, text meets AA
 * contrast, nothing scrolls sideways on a phone — and a screenshot of each. The screenshots go to a temporary
 * directory, or to `SCREENSHOTS_DIR` (`node tools/screenshots.mjs` sets it to docs/screenshots).
 */
const fromEnv = process.env['SCREENSHOTS_DIR'];
const outDir = fromEnv ? resolve(fromEnv) : mkdtempSync(join(tmpdir(), 'console-screens-'));

describe('issuer console screens (Chromium)', { timeout: 120_000 }, () => {
  let city: ConsolePlatform;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(outDir, { recursive: true });
    // seoul-citizen's admin is the city's administrator, as in `npm start`: the Tenants screen is in its menu.
    [city, browser] = await Promise.all([startConsolePlatform('console-screens', { cityAdmin: true }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await city?.stop();
    if (!fromEnv) rmSync(outDir, { recursive: true, force: true });
  });

  /** Checks what a screen shows to assistive technology and low-vision users, then takes its screenshot. */
  async function capture(page: Page, name: string, phone = false, { fullPage = true } = {}): Promise<void> {
    expect(await unnamedControls(page), `${name}: controls without a name`).toEqual([]);
    expect(await lowContrastText(page), `${name}: text below AA contrast`).toEqual([]);
    if (phone) expect(await scrollsSideways(page), `${name}: scrolls sideways`).toBe(false);
    // A drawer over a long page is pictured as the viewport shows it: a full page would cut the overlay off.
    await page.screenshot({ path: join(outDir, `console-${name}.png`), fullPage });
  }


  async function changeStatus(page: Page, id: string, action: 'revoke' | 'suspend', reason: string): Promise<void> {
    const response = await page.request.post(`${city.consoleUrl}/api/credentials/${encodeURIComponent(id)}/status`, { headers: { 'x-citycred-console': '1' }, data: { action, reason } });
    expect(response.status()).toBe(200);
  }

  const menu = (page: Page, name: string) => page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name, exact: true }).click();

  /** What the browser reports as broken: script errors and Content-Security-Policy violations. */
  function watchFaults(page: Page): string[] {
    const faults: string[] = [];
    page.on('pageerror', (error) => faults.push(error.message));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) faults.push(message.text());
    });
    return faults;
  }

  it('shows every screen at desktop width, each control named and its text legible', async () => {
    const context = await freshContext(browser);
    const page = await context.newPage();
    const faults = watchFaults(page);
    await page.goto(city.consoleUrl);
    await page.getByRole('heading', { name: '운영자 로그인' }).waitFor();
    await capture(page, 'sign-in');

    await signIn(page, city.consoleUrl, OPERATORS.admin);
    // Some history to show: anchored, revoked, suspended and pending credentials.
    const revoked = await issueCardThroughApi(page, city.consoleUrl);
    const suspended = await issueCardThroughApi(page, city.consoleUrl);
    await issueCardThroughApi(page, city.consoleUrl);
    await city.platform.worker.runOnce();
    await changeStatus(page, revoked, 'revoke', '분실 신고에 따른 폐기');
    await changeStatus(page, suspended, 'suspend', '주소 확인 중 일시 정지');
    await issueCardThroughApi(page, city.consoleUrl);

    await page.getByRole('button', { name: '발급', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '입력값' }).waitFor();
    await capture(page, 'issue-errors');
    await fillCardForm(page);
    await capture(page, 'issue');
    await page.getByRole('button', { name: '발급', exact: true }).click();
    await page.getByRole('heading', { name: '발급되었습니다' }).waitFor();
    await capture(page, 'issued');
    await page.getByRole('button', { name: '지갑으로 제안 (QR)' }).click();
    await page.getByRole('img', { name: '서울시민카드 발급 제안 QR 코드' }).waitFor();
    await capture(page, 'offer');
    await page.getByRole('dialog').getByRole('button', { name: '닫기' }).click();

    await menu(page, '일괄 발급');
    await page.getByLabel('CSV 파일').setInputFiles({ name: 'citizens.csv', mimeType: 'text/csv', buffer: Buffer.from(BULK_CSV) });
    await page.getByText('열 9개가 모두 이 종류의 항목입니다.').waitFor();
    await capture(page, 'bulk');
    await page.getByRole('button', { name: '제안 3건 만들기' }).click();
    await page.getByText('제안 2건을 만들었습니다. 오류 1건.').waitFor();
    await capture(page, 'bulk-results');
    // Leaving results not downloaded asks first.
    page.once('dialog', (dialog) => void dialog.accept());

    await menu(page, '발급 내역');
    await page.getByRole('row').filter({ hasText: revoked }).waitFor();
    await capture(page, 'credentials');
    await page.getByRole('button', { name: `${revoked} 상세 보기` }).click();
    await page.getByRole('dialog').getByRole('row').filter({ hasText: '분실 신고에 따른 폐기' }).waitFor();
    await capture(page, 'credential-detail');
    await page.getByRole('dialog').getByRole('button', { name: '닫기' }).click();
    await page.getByRole('button', { name: `${suspended} 상세 보기` }).click();
    const drawer = page.getByRole('dialog', { name: '증명서 상세' });
    await drawer.getByRole('button', { name: '정지 해제' }).click();
    await drawer.getByLabel('사유').fill('주소 확인 완료');
    await drawer.getByRole('button', { name: '다음' }).click();
    await drawer.getByRole('group', { name: '확인' }).waitFor();
    await capture(page, 'status-confirm');
    await drawer.getByRole('button', { name: '닫기' }).click();

    await menu(page, '앵커링');
    await page.getByRole('row').filter({ hasText: '완료' }).first().waitFor();
    await capture(page, 'anchoring');
    await menu(page, '감사 로그');
    await page.getByRole('heading', { name: '체인 헤드' }).waitFor();
    await capture(page, 'audit');
    await menu(page, '운영자');
    await page.getByRole('row').filter({ hasText: OPERATORS.issuer.username }).waitFor();
    await capture(page, 'operators');
    // A tenant with a Korean and an English name, made through the admin API.
    const made = await page.request.post(`${city.consoleUrl}/api/admin/tenants`, {
      headers: { 'x-citycred-console': '1' },
      data: { slug: 'mapo-welfare', name: '마포구 복지정책과', nameEn: 'Mapo-gu Welfare Policy Division', kind: 'department', types: ['YouthAllowanceEligibility'] },
    });
    expect(made.status()).toBe(201);
    await menu(page, '기관 관리');
    await page.getByRole('row').filter({ hasText: 'mapo-welfare' }).waitFor();
    await capture(page, 'tenants');
    await page.getByRole('button', { name: 'mapo-welfare 관리' }).click();
    await page.getByRole('dialog', { name: '기관: mapo-welfare' }).getByRole('table', { name: 'API 키 목록' }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: '키 교체…' }).click();
    await page.getByRole('dialog').getByRole('group', { name: '키 교체 확인' }).waitFor();
    await capture(page, 'tenant-detail', false, { fullPage: false });
    await page.getByRole('dialog').getByRole('button', { name: '닫기' }).click();
    expect(faults).toEqual([]);
    await context.close();
  });

  it('fits a phone: no sideways scrolling, tables as cards, every control named', async () => {
    const context = await freshContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    const faults = watchFaults(page);
    await page.goto(city.consoleUrl);
    await page.getByRole('heading', { name: '운영자 로그인' }).waitFor();
    await capture(page, 'sign-in-phone', true);
    await signIn(page, city.consoleUrl, OPERATORS.admin);
    const id = await issueCardThroughApi(page, city.consoleUrl);
    await fillCardForm(page);
    await capture(page, 'issue-phone', true);
    await page.getByRole('button', { name: '발급', exact: true }).click();
    await page.getByRole('heading', { name: '발급되었습니다' }).waitFor();
    await page.getByRole('button', { name: '지갑으로 제안 (QR)' }).click();
    await page.getByRole('img', { name: '서울시민카드 발급 제안 QR 코드' }).waitFor();
    await capture(page, 'offer-phone', true);
    await page.getByRole('dialog').getByRole('button', { name: '닫기' }).click();
    await menu(page, '일괄 발급');
    await page.getByLabel('CSV 파일').setInputFiles({ name: 'citizens.csv', mimeType: 'text/csv', buffer: Buffer.from(BULK_CSV) });
    await page.getByRole('button', { name: '제안 3건 만들기' }).click();
    await page.getByText('제안 2건을 만들었습니다. 오류 1건.').waitFor();
    await capture(page, 'bulk-results-phone', true);
    page.once('dialog', (dialog) => void dialog.accept());
    await menu(page, '발급 내역');
    await page.getByRole('row').filter({ hasText: id }).waitFor();
    await capture(page, 'credentials-phone', true);
    await page.getByRole('button', { name: `${id} 상세 보기` }).click();
    await page.getByRole('dialog', { name: '증명서 상세' }).getByRole('heading', { name: '이력' }).waitFor();
    await capture(page, 'credential-detail-phone', true);
    await page.getByRole('dialog').getByRole('button', { name: '닫기' }).click();
    await city.platform.worker.runOnce();
    await menu(page, '앵커링');
    await page.getByRole('row').filter({ hasText: '완료' }).first().waitFor();
    await capture(page, 'anchoring-phone', true);
    await menu(page, '감사 로그');
    await page.getByRole('heading', { name: '체인 헤드' }).waitFor();
    await capture(page, 'audit-phone', true);
    await menu(page, '운영자');
    await page.getByRole('row').filter({ hasText: OPERATORS.issuer.username }).waitFor();
    await capture(page, 'operators-phone', true);
    await menu(page, '기관 관리');
    await page.getByRole('row').filter({ hasText: 'education-office' }).waitFor();
    await capture(page, 'tenants-phone', true);
    expect(faults).toEqual([]);
    await context.close();
  });
});
