import { systemClock } from '@citycred/config';
import { TenantEntity } from '@citycred/persistence';
import { OperatorStore, type NewOperator } from '@citycred/tenancy';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

/** Debian's Chromium (playwright cannot download browsers here), headless, without sandbox, GPU or background networking. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Starts headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** A console operator the harness created (fictitious names only). */
export interface TestOperator extends NewOperator {
  readonly tenant: string;
}

/** The seoul-citizen tenant's operators, one per role. */
export const OPERATORS = {
  admin: { tenant: 'seoul-citizen', username: 'admin', displayName: '관리자 박지훈', role: 'admin', password: 'admin-password-for-tests' },
  issuer: { tenant: 'seoul-citizen', username: 'clerk', displayName: '민원담당 이수민', role: 'issuer', password: 'clerk-password-for-tests' },
  auditor: { tenant: 'seoul-citizen', username: 'auditor', displayName: '감사관 정하늘', role: 'auditor', password: 'auditor-password-for-tests' },
} as const satisfies Record<string, TestOperator>;

/** A platform (real chain, real database) whose seoul-citizen tenant has the {@link OPERATORS}. */
export interface ConsolePlatform {
  platform: TestPlatform;
  /** `…/console` on the issuer. */
  consoleUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the platform through {@link startTestPlatform} and creates the console operators through the operator
 * store the console and the platform CLI use.
 * @param options.cityAdmin - make seoul-citizen's admins the city's administrators (`CITY_ADMIN_TENANT`), with the
 *   city root's key and funding of new tenants, as `npm start` does: the Tenants screen and the admin API's city routes
 */
export async function startConsolePlatform(label: string, options: { cityAdmin?: boolean } = {}): Promise<ConsolePlatform> {
  const platform = await startTestPlatform(
    label,
    options.cityAdmin ? { issuerEnv: (city) => ({ CITY_ROOT_KEY: city.root.privateKey, CITY_ADMIN_TENANT: OPERATORS.admin.tenant, FUND_NEW_TENANTS: 'true' }) } : {},
  );
  try {
    const dataSource = platform.issuer.runtime.dataSource;
    const store = new OperatorStore(dataSource, systemClock);
    for (const operator of Object.values(OPERATORS)) {
      const tenant = await dataSource.getRepository(TenantEntity).findOneByOrFail({ slug: operator.tenant });
      await store.create(tenant.id, { username: operator.username, displayName: operator.displayName, role: operator.role, password: operator.password });
    }
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return { platform, consoleUrl: `${platform.issuer.url}/console`, stop: () => platform.stop() };
}

/** A fresh browser context (its own cookies and localStorage) at a given viewport. */
export function freshContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'ko-KR', timezoneId: 'Asia/Seoul', reducedMotion: 'reduce' });
}

/** Opens the console and signs in through its form, as a user would. */
export async function signIn(page: Page, consoleUrl: string, operator: TestOperator, path = ''): Promise<void> {
  await page.goto(`${consoleUrl}${path}`);
  await page.getByLabel('기관 식별자').fill(operator.tenant);
  await page.getByLabel('사용자 이름').fill(operator.username);
  await page.getByLabel('비밀번호').fill(operator.password);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('navigation', { name: '주 메뉴' }).waitFor();
}

/** A SeoulCitizenCard subject for the form (fictitious person; personId is an opaque UUID). */
export const CARD_FORM = {
  personId: '6b1f3c2e-8a4d-4f7e-9c1b-2d3e4f5a6b7c',
  name: '김서연',
  birthDate: '2001-04-12',
  city: '서울특별시',
  district: '마포구',
  residentSince: '2019-03-01',
};

/** Fills the SeoulCitizenCard form generated from the type's JSON Schema, by the names its fields are announced with. */
export async function fillCardForm(page: Page): Promise<void> {
  const text = (name: string) => page.getByRole('textbox', { name, exact: true });
  await text('개인 식별번호').fill(CARD_FORM.personId);
  await text('성명').fill(CARD_FORM.name);
  await text('생년월일').fill(CARD_FORM.birthDate);
  for (const flag of ['만 15세 이상', '만 18세 이상', '만 19세 이상']) await page.getByRole('checkbox', { name: flag, exact: true }).check();
  await page.getByRole('combobox', { name: '시·도', exact: true }).selectOption(CARD_FORM.city);
  // The schema's if/then makes the district a choice of Seoul's districts once the city is Seoul.
  await page.getByRole('combobox', { name: '시·군·구', exact: true }).selectOption(CARD_FORM.district);
  await text('전입일').fill(CARD_FORM.residentSince);
}

/**
 * Issues a SeoulCitizenCard through the console's API with the page's session (for tests about what happens after
 * issuing, so they need not depend on the issue form's test).
 * @returns the credential id
 */
export async function issueCardThroughApi(page: Page, consoleUrl: string): Promise<string> {
  const response = await page.request.post(`${consoleUrl}/api/credentials`, {
    headers: { 'x-citycred-console': '1' },
    data: {
      type: 'SeoulCitizenCard',
      subject: {
        personId: CARD_FORM.personId,
        name: CARD_FORM.name,
        birthDate: CARD_FORM.birthDate,
        ageOver15: true,
        ageOver18: true,
        ageOver19: true,
        residence: { city: CARD_FORM.city, district: CARD_FORM.district },
        residentSince: CARD_FORM.residentSince,
      },
    },
  });
  if (response.status() !== 201) throw new Error(`issuing through the console API answered ${response.status()}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Three fictitious citizens for seoul-citizen's SeoulCitizenCard, as a bulk-offer CSV; the second one's birth date is not a date. */
export const BULK_CSV = [
  'personId,name,birthDate,ageOver15,ageOver18,ageOver19,residence.city,residence.district,residentSince',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a01,김서연,2001-04-12,true,true,true,서울특별시,마포구,2019-03-01',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a02,이도윤,2001-13-45,true,true,true,서울특별시,은평구,2020-07-15',
  '0b7e6a52-6f0e-4c55-9d54-2f3f8c1e9a03,박하은,1998-11-02,true,true,true,서울특별시,관악구,2018-01-20',
].join('\r\n');
