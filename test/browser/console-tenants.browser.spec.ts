import { systemClock } from '@citycred/config';
import { TenantEntity } from '@citycred/persistence';
import { OperatorStore } from '@citycred/tenancy';
import type { Browser, Page } from 'playwright-core';
import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshContext, launchChromium, OPERATORS, signIn, startConsolePlatform, type ConsolePlatform, type TestOperator } from './console-harness.js';

/** An admin of another tenant: an administrator of its own tenant, not of the city. */
const OTHER_ADMIN: TestOperator = { tenant: 'education-office', username: 'edu-admin', displayName: '교육청 관리자 최유진', role: 'admin', password: 'edu-admin-password-for-tests' };

/**
 * The console's Tenants screen (기관 관리) in Chromium against a real issuer whose seoul-citizen admins are the city's
 * administrators (local chain, real database): only they see it; they create a tenant (accredited on chain, its first
 * API key shown once), accredit it for another type, rotate its key after a confirmation, add a delegate, and issue
 * and revoke its API keys. Each case has its own browser context and its own tenant, so any case runs alone.
 */
describe('issuer console: tenants (Chromium)', { timeout: 120_000 }, () => {
  let city: ConsolePlatform;
  let browser: Browser;
  let made = 0;
  beforeAll(async () => {
    [city, browser] = await Promise.all([startConsolePlatform('console-tenants', { cityAdmin: true }), launchChromium()]);
    const dataSource = city.platform.issuer.runtime.dataSource;
    const tenant = await dataSource.getRepository(TenantEntity).findOneByOrFail({ slug: OTHER_ADMIN.tenant });
    await new OperatorStore(dataSource, systemClock).create(tenant.id, { username: OTHER_ADMIN.username, displayName: OTHER_ADMIN.displayName, role: OTHER_ADMIN.role, password: OTHER_ADMIN.password });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await city?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await freshContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(city.consoleUrl).origin });
    return context.newPage();
  }
  const nav = (page: Page) => page.getByRole('navigation', { name: '주 메뉴' });
  const adminApi = (page: Page, path: string) => page.request.get(`${city.consoleUrl}/api/admin${path}`);

  /** Creates a department through the screen's form; answers its slug once the screen says it was made. */
  async function createDepartment(page: Page): Promise<string> {
    made += 1;
    const slug = `mapo-welfare-${made}`;
    await page.getByLabel('기관 식별자').fill(slug);
    await page.getByLabel('이름 (한국어)').fill(`마포구 복지정책과 ${made}`);
    await page.getByLabel('이름 (영어)').fill(`Mapo-gu Welfare Policy Division ${made}`);
    await page.getByRole('checkbox', { name: /SeoulCitizenCard/ }).check();
    await page.getByRole('button', { name: '만들기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `기관 ${slug}을(를) 만들고` }).waitFor();
    return slug;
  }

  it('is in the menu of the city\'s administrators only', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OTHER_ADMIN);
    expect(await nav(page).getByRole('link', { name: '운영자' }).count()).toBe(1);
    expect(await nav(page).getByRole('link', { name: '기관 관리' }).count()).toBe(0);
    // A deep link to the screen shows the operator's first screen instead.
    await page.goto(`${city.consoleUrl}/tenants`);
    await page.getByRole('heading', { name: '증명서 발급', level: 1 }).waitFor();
    expect(await page.getByRole('heading', { name: '기관 관리' }).count()).toBe(0);
    await page.context().close();

    const cityPage = await newPage();
    await signIn(cityPage, city.consoleUrl, OPERATORS.admin);
    await nav(cityPage).getByRole('link', { name: '기관 관리' }).click();
    await cityPage.getByRole('heading', { name: '기관 관리', level: 1 }).waitFor();
    const row = cityPage.getByRole('row').filter({ hasText: 'education-office' });
    await row.waitFor();
    expect(await row.textContent()).toContain('인가됨');
    await cityPage.getByRole('button', { name: 'Switch to English' }).click();
    await cityPage.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Tenants' }).waitFor();
    await cityPage.getByRole('heading', { name: 'Tenants', level: 1 }).waitFor();
    await cityPage.context().close();
  });

  it('creates a tenant accredited on chain and shows its first API key once; bad input is shown at its field and creates nothing', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.admin, '/tenants');
    await page.getByRole('heading', { name: '기관 만들기' }).waitFor();

    // The browser asks for what is missing; the server's rule on the slug is shown under the slug.
    await page.getByRole('button', { name: '만들기', exact: true }).click();
    expect(await page.getByLabel('이름 (한국어)').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('기관 식별자').fill('Mapo_Welfare');
    await page.getByLabel('이름 (한국어)').fill('마포구 복지정책과');
    await page.getByRole('checkbox', { name: /SeoulCitizenCard/ }).check();
    await page.getByRole('button', { name: '만들기', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '입력값을 확인하세요' }).waitFor();
    const slugField = page.getByLabel('기관 식별자');
    expect(await slugField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await slugField.getAttribute('id')}-error`).textContent()).toContain('lowercase letters');
    expect((await adminApi(page, '/tenants')).ok()).toBe(true);
    expect(JSON.stringify(await (await adminApi(page, '/tenants')).json())).not.toContain('Mapo_Welfare');

    const slug = await createDepartment(page);
    const key = page.getByLabel('API 키 (지금 한 번만 표시)');
    const apiKey = await key.inputValue();
    expect(apiKey).toMatch(/^ccd_/);
    await page.getByRole('button', { name: '키 복사' }).click();
    await page.getByRole('status').filter({ hasText: '복사했습니다' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(apiKey);
    await page.getByRole('button', { name: '확인했습니다 (키 숨기기)' }).click();
    expect(await key.count()).toBe(0);
    expect(await page.content()).not.toContain(apiKey);

    // Listed with both names, its DID and its type accredited on chain.
    const row = page.getByRole('row').filter({ hasText: slug });
    await row.waitFor();
    const text = (await row.textContent())!;
    for (const expected of [`마포구 복지정책과 ${made}`, `Mapo-gu Welfare Policy Division ${made}`, '서울시민카드 (인가)', '인가됨']) expect(text).toContain(expected);
    const tenant = (await (await adminApi(page, `/tenants/${slug}`)).json()) as { did: string; accreditation: { accredited: string[] } };
    expect(tenant.accreditation.accredited).toEqual(['SeoulCitizenCard']);
    expect(text).toContain(tenant.did.slice(0, 20));
    await page.context().close();
  });

  it('says when a creation stopped at a chain step and sends the same request again', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.admin, '/tenants');
    await page.getByRole('heading', { name: '기관 만들기' }).waitFor();
    // The first creation request meets a chain that does not answer (as the issuer says it then); the retry reaches it.
    const sent: string[] = [];
    await page.route('**/console/api/admin/tenants', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      sent.push(route.request().postData() ?? '');
      if (sent.length > 1) return route.continue();
      return route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, code: 'service.unavailable', detail: 'Not answering: chain' }),
      });
    });
    made += 1;
    const slug = `retried-office-${made}`;
    await page.getByLabel('기관 식별자').fill(slug);
    await page.getByLabel('이름 (한국어)').fill('재시도 복지과');
    await page.getByRole('checkbox', { name: /EnrollmentStatus/ }).check();
    await page.getByRole('button', { name: '만들기', exact: true }).click();
    const stopped = page.getByRole('alert').filter({ hasText: '블록체인 단계에서 멈췄습니다' });
    await stopped.waitFor();
    expect((await adminApi(page, `/tenants/${slug}`)).status()).toBe(404);

    await stopped.getByRole('button', { name: '같은 요청 다시 보내기' }).click();
    await page.getByRole('status').filter({ hasText: `기관 ${slug}을(를) 만들고` }).waitFor();
    expect(sent).toHaveLength(2);
    expect(JSON.parse(sent[1]!)).toEqual(JSON.parse(sent[0]!));
    expect(await stopped.count()).toBe(0);
    expect((await adminApi(page, `/tenants/${slug}`)).status()).toBe(200);
    await page.context().close();
  });

  it('accredits a tenant for another type, rotates its key after a confirmation and adds a delegate', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.admin, '/tenants');
    const slug = await createDepartment(page);
    await page.getByRole('button', { name: `${slug} 관리` }).click();
    const dialog = page.getByRole('dialog', { name: `기관: ${slug}` });

    await dialog.getByRole('checkbox', { name: /IncomeBracket/ }).check();
    await dialog.getByRole('button', { name: '인가 종류 저장' }).click();
    await dialog.getByRole('status').filter({ hasText: '새로 인가' }).waitFor();
    expect(await dialog.getByRole('status').filter({ hasText: '새로 인가' }).textContent()).toContain('인가 종류를 바꿨습니다.');
    const after = (await (await adminApi(page, `/tenants/${slug}`)).json()) as { types: string[]; accreditation: { accredited: string[]; state: string }; address: string };
    expect(after.types).toEqual(['SeoulCitizenCard', 'IncomeBracket']);
    expect(after.accreditation).toMatchObject({ state: 'accredited', accredited: ['SeoulCitizenCard', 'IncomeBracket'] });
    // The list follows: the dialog's facts are read again after the change.
    await dialog.getByRole('listitem').filter({ hasText: /\(인가\)/ }).nth(1).waitFor();

    // Rotating needs a second, explicit step; cancelling it changes nothing.
    await dialog.getByRole('button', { name: '키 교체…' }).click();
    const confirm = dialog.getByRole('group', { name: '키 교체 확인' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '취소' }).click();
    expect(await confirm.count()).toBe(0);
    await dialog.getByRole('button', { name: '키 교체…' }).click();
    await confirm.getByRole('button', { name: '교체 확정' }).click();
    await dialog.getByRole('status').filter({ hasText: '키를 교체했습니다' }).waitFor();
    const owner = /새 소유 키: (0x[0-9a-fA-F]{40})/.exec((await dialog.getByRole('status').filter({ hasText: '키를 교체했습니다' }).textContent())!)![1]!;
    expect(owner.toLowerCase()).not.toBe(after.address.toLowerCase());

    const delegate = Wallet.createRandom().address;
    await dialog.getByLabel('위임 키 주소 또는 did:ethr').fill(delegate);
    await dialog.getByLabel('유효 기간 (일)').fill('30');
    await dialog.getByRole('button', { name: '위임 키 추가' }).click();
    await dialog.getByRole('status').filter({ hasText: `위임 키 ${delegate}을(를) 30일 동안 등록했습니다.` }).waitFor();
    // The server's rule on a field is shown at that field.
    await dialog.getByLabel('위임 키 주소 또는 did:ethr').fill('not an address');
    await dialog.getByRole('button', { name: '위임 키 추가' }).click();
    await dialog.getByRole('alert').filter({ hasText: '입력값을 확인하세요' }).waitFor();
    expect(await dialog.getByLabel('위임 키 주소 또는 did:ethr').getAttribute('aria-invalid')).toBe('true');
    await page.context().close();
  });

  it('issues an API key shown once and revokes it after a confirmation; the revoked key is refused', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.admin, '/tenants');
    const slug = await createDepartment(page);
    await page.getByRole('button', { name: '확인했습니다 (키 숨기기)' }).click();
    await page.getByRole('button', { name: `${slug} 관리` }).click();
    const dialog = page.getByRole('dialog', { name: `기관: ${slug}` });
    // The first key, made with the tenant, is listed without the key itself.
    await dialog.getByRole('row').filter({ hasText: 'onboarding' }).waitFor();

    await dialog.getByLabel('이름표').fill('district system');
    await dialog.getByRole('button', { name: 'API 키 발급' }).click();
    const shown = dialog.getByLabel('API 키 (지금 한 번만 표시)');
    await shown.waitFor();
    const apiKey = await shown.inputValue();
    expect(apiKey).toMatch(/^ccd_/);
    const row = dialog.getByRole('row').filter({ hasText: 'district system' });
    await row.waitFor();
    const prefix = apiKey.slice(0, 12);
    expect(await row.textContent()).toContain(prefix);
    expect(await row.textContent()).toContain('사용 중');
    const issue = () => page.request.post(`${city.platform.issuer.url}/credentials/issue`, { headers: { authorization: `Bearer ${apiKey}` }, data: {} });
    // A live key gets past authentication (the empty body is then refused), a revoked one does not.
    expect((await issue()).status()).toBe(400);

    await row.getByRole('button', { name: `API 키 ${prefix} 폐기` }).click();
    await row.getByRole('group', { name: `API 키 ${prefix} 폐기` }).getByRole('button', { name: '폐기 확정' }).click();
    await dialog.getByRole('status').filter({ hasText: `API 키 ${prefix}을(를) 폐기했습니다.` }).waitFor();
    await row.filter({ hasText: '폐기됨' }).waitFor();
    const refused = await issue();
    expect([refused.status(), ((await refused.json()) as { code: string }).code]).toEqual([401, 'auth.invalid-api-key']);
    await page.context().close();
  });
});
