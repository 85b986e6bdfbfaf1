import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARD_FORM, fillCardForm, freshContext, issueCardThroughApi, launchChromium, OPERATORS, signIn, startConsolePlatform, type ConsolePlatform } from './console-harness.js';

/**
 * The issuer console in Chromium against a real issuer (local chain, real database): what an operator sees and does.
 * Each case has its own browser context (cookies, storage) and makes the credentials it needs, so any case runs alone.
 */
describe('issuer console (Chromium)', { timeout: 90_000 }, () => {
  let city: ConsolePlatform;
  let browser: Browser;
  beforeAll(async () => {
    [city, browser] = await Promise.all([startConsolePlatform('console-browser'), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await city?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await freshContext(browser);
    return context.newPage();
  }


  it('refuses a wrong password with a message, then signs in', async () => {
    const page = await newPage();
    await page.goto(city.consoleUrl);
    await page.getByLabel('기관 식별자').fill('seoul-citizen');
    await page.getByLabel('사용자 이름').fill(OPERATORS.issuer.username);
    await page.getByLabel('비밀번호').fill('not-the-password');
    await page.getByRole('button', { name: '로그인' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('올바르지 않습니다');

    await page.getByLabel('비밀번호').fill(OPERATORS.issuer.password);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('heading', { name: '증명서 발급', level: 1 }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain(OPERATORS.issuer.displayName);
    await page.context().close();
  });

  it('issues a SeoulCitizenCard through the form generated from its schema and lists it', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer);
    // The tenant issues one type: it is chosen, and its form is drawn (the types load after sign-in, so the form
    // appearing is what says the choice has been made).
    await page.getByRole('textbox', { name: '성명', exact: true }).waitFor();
    expect(await page.getByLabel('증명서 종류').inputValue()).toBe('SeoulCitizenCard');

    // An empty form is refused in the browser, the fields named.
    await page.getByRole('button', { name: '발급', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: '입력값' });
    await summary.waitFor();
    expect(await page.getByRole('textbox', { name: '성명', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('checkbox', { name: '만 18세 이상', exact: true }).getAttribute('aria-invalid')).toBeNull();

    await fillCardForm(page);
    await page.getByRole('button', { name: '발급', exact: true }).click();
    await page.getByRole('heading', { name: '발급되었습니다' }).waitFor();
    const id = (await page.getByText(/^urn:uuid:/).textContent())!;
    expect(id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: '지갑으로 제안 (QR)' }).waitFor();
    const pdfHref = (await page.getByRole('link', { name: '증명서 인쇄 (PDF)' }).getAttribute('href'))!;
    expect(pdfHref).toBe(`/console/api/credentials/${encodeURIComponent(id)}/certificate.pdf`);
    const pdf = await page.request.get(new URL(pdfHref, city.consoleUrl).href);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '발급 내역' }).click();
    const row = page.getByRole('row').filter({ hasText: id });
    await row.waitFor();
    expect(await row.textContent()).toContain('유효');
    expect(await row.textContent()).toContain('서울시민카드');
    // The list shows what an operator needs, never the claims.
    expect(await page.getByRole('table').textContent()).not.toContain(CARD_FORM.name);
    expect(page.url()).toBe(`${city.consoleUrl}/credentials`);
    await page.context().close();
  });

  it("shows the server's refusal next to the fields it names (age flags that disagree with the birth date)", async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer);
    await fillCardForm(page);
    // Valid for the schema, so the browser sends it; only the issuer knows the flags must follow the birth date.
    await page.getByRole('textbox', { name: '생년월일', exact: true }).fill('2015-06-01');
    await page.getByRole('button', { name: '발급', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '입력값이 증명서 스키마와 맞지 않습니다.' }).waitFor();
    const flag = page.getByRole('checkbox', { name: '만 18세 이상', exact: true });
    expect(await flag.getAttribute('aria-invalid')).toBe('true');
    const described = (await flag.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${described}"]`).textContent()).not.toBe('');
    expect(await page.getByRole('checkbox', { name: '만 15세 이상', exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('textbox', { name: '성명', exact: true }).getAttribute('aria-invalid')).toBeNull();
    await page.context().close();
  });

  it('revokes a credential with a reason after a confirmation step; the status and the audit log show it', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/credentials');
    const id = await issueCardThroughApi(page, city.consoleUrl);
    await page.getByLabel('ID 또는 소지자 ID').fill(id);
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByRole('button', { name: `${id} 상세 보기` }).click();
    const drawer = page.getByRole('dialog', { name: '증명서 상세' });
    await drawer.getByRole('heading', { name: '이력' }).waitFor();

    await drawer.getByRole('button', { name: '폐기' }).click();
    // A reason is required before the confirmation step.
    await drawer.getByRole('button', { name: '다음' }).click();
    await drawer.getByText('필수 항목입니다.').waitFor();
    await drawer.getByLabel('사유').fill('분실 신고에 따른 폐기');
    await drawer.getByRole('button', { name: '다음' }).click();
    await drawer.getByRole('group', { name: '확인' }).waitFor();
    expect(await drawer.getByRole('group', { name: '확인' }).textContent()).toContain(id);
    await drawer.getByRole('button', { name: '폐기 확정' }).click();

    await drawer.getByRole('status').filter({ hasText: '상태가 "폐기"(으)로 바뀌었습니다.' }).waitFor();
    const history = drawer.getByRole('row').filter({ hasText: '분실 신고에 따른 폐기' });
    await history.waitFor();
    expect(await history.textContent()).toContain(OPERATORS.issuer.username);
    // A revoked credential offers no further status change.
    expect(await drawer.getByRole('button', { name: '정지 해제' }).count()).toBe(0);
    await drawer.getByRole('button', { name: '닫기' }).click();

    const row = page.getByRole('row').filter({ hasText: id });
    await row.filter({ hasText: '폐기' }).waitFor();

    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '감사 로그' }).click();
    const entry = page.getByRole('row').filter({ hasText: id }).filter({ hasText: /revok/ });
    await entry.waitFor();
    expect(await entry.textContent()).toContain(OPERATORS.issuer.username);
    await page.getByRole('heading', { name: '체인 헤드' }).waitFor();
    await page.context().close();
  });

  it('switches to English and remembers the choice', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'Issue a credential', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Issued credentials' }).count()).toBe(1);
    // The form's labels: the schemas' Korean titles in Korean, the claims' names as words in English.
    await page.getByRole('textbox', { name: 'Birth date', exact: true }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: 'Issue a credential', level: 1 }).waitFor();
    await page.getByRole('button', { name: /Switch to Korean/ }).click();
    await page.getByRole('heading', { name: '증명서 발급', level: 1 }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('ko');
    await page.getByRole('textbox', { name: '생년월일', exact: true }).waitFor();
    await page.context().close();
  });

  it('offers a credential to a wallet with a QR code, the transaction code and the time left', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer);
    await fillCardForm(page);
    // The type offers an SD-JWT VC: the form starts with it (what the city's verifiers ask wallets for); JWT VC stays a choice.
    const format = page.getByLabel('형식', { exact: true });
    expect(await format.inputValue()).toBe('dc+sd-jwt');
    expect(await format.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual(['jwt_vc', 'vc+jwt', 'dc+sd-jwt']);
    await page.getByRole('button', { name: '지갑으로 제안 (QR)' }).click();
    const dialog = page.getByRole('dialog', { name: '지갑으로 제안: 서울시민카드' });
    await dialog.getByRole('img', { name: '서울시민카드 발급 제안 QR 코드' }).waitFor();
    expect(await dialog.getByRole('term').filter({ hasText: '인증번호' }).count()).toBe(1);
    expect(await dialog.getByRole('definition').first().textContent()).toMatch(/\d{4,}/);
    expect(await dialog.getByText('남은 시간').count()).toBe(1);
    expect(await dialog.getByLabel('제안 링크').inputValue()).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    await page.context().close();
  });

  it('shows anchoring: nothing pending once the worker anchored, the batch with its transaction', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/anchoring');
    await issueCardThroughApi(page, city.consoleUrl);
    await city.platform.worker.runOnce();
    await page.getByRole('button', { name: '새로 고침' }).click();
    const pending = page.getByRole('definition').first();
    await page.getByRole('row').filter({ hasText: '완료' }).first().waitFor();
    expect(await pending.textContent()).toBe('0');
    expect(await page.getByRole('row').filter({ hasText: '완료' }).first().textContent()).toMatch(/0x[0-9a-f]{10}/);
    await page.context().close();
  });

  it('lets an administrator add an operator; an issuer does not see operators, an auditor cannot issue', async () => {
    const admin = await newPage();
    await signIn(admin, city.consoleUrl, OPERATORS.admin, '/operators');
    await admin.getByRole('heading', { name: '운영자', level: 1 }).waitFor();
    await admin.getByRole('row').filter({ hasText: OPERATORS.issuer.username }).waitFor();
    await admin.getByLabel('사용자 이름').fill('window-clerk');
    await admin.getByLabel('표시 이름').fill('창구 담당 최유진');
    await admin.getByLabel('역할').selectOption('issuer');
    await admin.getByLabel('초기 비밀번호').fill('window-clerk-password');
    await admin.getByRole('button', { name: '추가', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'window-clerk' }).waitFor();
    await admin.getByRole('row').filter({ hasText: '창구 담당 최유진' }).waitFor();
    await admin.context().close();

    const issuer = await newPage();
    await signIn(issuer, city.consoleUrl, OPERATORS.issuer);
    expect(await issuer.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '운영자' }).count()).toBe(0);
    await issuer.context().close();

    const auditor = await newPage();
    await signIn(auditor, city.consoleUrl, OPERATORS.auditor, '/issue');
    const menu = auditor.getByRole('navigation', { name: '주 메뉴' });
    expect(await menu.getByRole('link', { name: '발급', exact: true }).count()).toBe(0);
    await auditor.getByRole('heading', { name: '발급 내역', level: 1 }).waitFor();
    await auditor.context().close();
  });
});
