import { readFile } from 'node:fs/promises';
import { deviceClock, generateHolderKeyPair, holderKeyOf, Oid4vciClient, publicJwkOf } from '@citycred/wallet-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../apps/issuer/console-ui/src/csv.js';
import { BULK_CSV, freshContext, launchChromium, OPERATORS, signIn, startConsolePlatform, type ConsolePlatform } from './console-harness.js';

/**
 * The console's bulk offers in Chromium against a real issuer (local chain, real database): a clerk uploads a CSV,
 * checks its columns and first rows, sends it, sees the offers and the refused row with the claim at fault, downloads
 * the results, and a wallet (the citizen wallet's OpenID4VCI client) redeems one of the offers with its code.
 */
describe('issuer console bulk offers (Chromium)', { timeout: 90_000 }, () => {
  let city: ConsolePlatform;
  let browser: Browser;
  beforeAll(async () => {
    [city, browser] = await Promise.all([startConsolePlatform('console-bulk'), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await city?.stop();
  });

  async function newPage(): Promise<Page> {
    const context = await freshContext(browser);
    return context.newPage();
  }

  it('offers to each good row of a CSV, names the bad row’s claim, and the downloaded offers are real', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/bulk');
    await page.getByRole('heading', { name: '일괄 발급', level: 1 }).waitFor();
    // The tenant's one type is chosen, with the selectively disclosable format by default.
    await page.getByLabel('CSV 파일').waitFor();
    expect(await page.getByLabel('증명서 종류').inputValue()).toBe('SeoulCitizenCard');
    expect(await page.getByLabel('형식').inputValue()).toBe('dc+sd-jwt');

    await page.getByLabel('CSV 파일').setInputFiles({ name: 'citizens.csv', mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${BULK_CSV}`, 'utf8') });
    await page.getByRole('status').filter({ hasText: 'citizens.csv: 3행을 읽었습니다.' }).waitFor();
    // The columns are checked against the type's claims, and the first rows previewed, before anything is sent.
    await page.getByText('열 9개가 모두 이 종류의 항목입니다.').waitFor();
    const district = page.getByRole('region', { name: '열 확인' }).getByRole('row').filter({ hasText: 'residence.district' });
    expect(await district.textContent()).toContain('시·군·구');
    expect(await district.textContent()).toContain('항목과 일치');
    const preview = page.getByRole('region', { name: /미리 보기/ });
    expect(await preview.getByRole('row').count()).toBe(4);
    expect(await preview.getByRole('row').nth(2).textContent()).toContain('이도윤');
    expect(await page.getByLabel('결과 파일의 식별 열').inputValue()).toBe('name');

    await page.getByRole('button', { name: '제안 3건 만들기' }).click();
    await page.getByRole('heading', { name: '결과' }).waitFor();
    await page.getByText('제안 2건을 만들었습니다. 오류 1건.').waitFor();
    const offers = page.getByRole('region', { name: '만든 제안' });
    expect(await offers.getByRole('row').count()).toBe(3);
    // The refused row: its spreadsheet row number (the header is row 1), who, the claim and the problem in words.
    const refused = page.getByRole('region', { name: '오류가 난 행' }).getByRole('row').filter({ hasText: '이도윤' });
    const refusal = (await refused.textContent())!;
    expect(refusal).toContain('3');
    expect(refusal).toContain('birthDate (생년월일)');
    expect(refusal).toContain('YYYY-MM-DD 형식의 날짜를 입력하세요.');
    await page.getByText(/한 번만 표시됩니다/).waitFor();

    // The QR on demand, with the transaction code and the link.
    await offers.getByRole('button', { name: '김서연 QR과 링크 보기' }).click();
    const dialog = page.getByRole('dialog', { name: '지갑으로 제안: 김서연' });
    await dialog.getByRole('img', { name: '서울시민카드 발급 제안 QR 코드' }).waitFor();
    const shownLink = await dialog.getByLabel('제안 링크').inputValue();
    expect(shownLink).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The codes are shown this once: leaving for another screen before downloading them asks first.
    const asked = new Promise<string>((resolve) => page.once('dialog', (dialog) => void dialog.dismiss().then(() => resolve(dialog.message()))));
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '발급 내역' }).click();
    expect(await asked).toContain('인증번호를 다시 볼 수 없습니다');
    expect(await offers.getByRole('row').count()).toBe(3);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '결과 CSV 내려받기' }).click()]);
    await page.getByRole('status').filter({ hasText: '결과를 내려받았습니다.' }).waitFor();
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const results = readCsv(text);
    if (!results.ok) throw new Error(`the results file should read: ${JSON.stringify(results.problem)}`);
    expect(results.header).toEqual(['row', 'name', 'offer_link', 'tx_code', 'valid_for', 'expires_at', 'error']);
    const [seoyeon, doyun, haeun] = results.rows;
    expect(seoyeon).toEqual(['2', '김서연', shownLink, expect.stringMatching(/^\d{6}$/), '7일', expect.stringMatching(/^\d{4}-\d\d-\d\dT/), '']);
    expect(doyun).toEqual(['3', '이도윤', '', '', '', '', 'birthDate (생년월일): YYYY-MM-DD 형식의 날짜를 입력하세요.']);
    expect(haeun!.slice(0, 2)).toEqual(['4', '박하은']);
    expect(haeun![2]).toMatch(/^openid-credential-offer:/);
    // A week by default: the offers are handed out over days.
    expect(new Date(seoyeon![5]!).getTime()).toBeGreaterThan(Date.now() + 6.9 * 86_400_000);
    // Once downloaded, the clerk moves on without being asked (an unexpected question would be dismissed and keep the screen).
    await page.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '발급 내역' }).click();
    await page.getByRole('heading', { name: '발급 내역', level: 1 }).waitFor();

    // The citizen's wallet redeems the downloaded offer with its code: the offers are real.
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const wallet = new Oid4vciClient({ fetch: (input, init) => fetch(input, init), clock: deviceClock });
    const prepared = await wallet.prepare(seoyeon![2]!);
    const [card] = await wallet.receive(prepared, { holder, txCode: seoyeon![3]! });
    expect(card!.record).toMatchObject({ format: 'dc+sd-jwt', issuer: city.platform.tenants.get('seoul-citizen')!.did });
    expect(card!.decoded.claims).toMatchObject({ name: '김서연', birthDate: '2001-04-12', residence: { district: '마포구' } });
    await page.context().close();
  });

  it('lets the clerk choose the offers’ lifetime up to the issuer’s ceiling, a week by default, and shows it in the results and the file', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/bulk');
    const lifetime = page.getByLabel('제안 유효 기간');
    await lifetime.waitFor();
    // The choices stop at the ceiling the issuer announces (OID4VCI_BULK_OFFER_TTL_SECONDS, 7 days here).
    expect(await lifetime.locator('option').allTextContents()).toEqual(['10분', '1시간', '1일', '3일', '7일']);
    expect(await lifetime.inputValue()).toBe(String(7 * 86_400));
    expect(await page.getByText(/최대 7일/).textContent()).toContain('코드를 5번 틀리면');
    await lifetime.selectOption({ label: '1일' });

    await page.getByLabel('또는 CSV 붙여넣기').fill(BULK_CSV.split('\r\n').slice(0, 2).join('\n'));
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/console/api/offers/bulk')) requests.push(request.postData() ?? '');
    });
    await page.getByRole('button', { name: '제안 1건 만들기' }).click();
    await page.getByText('제안 1건을 만들었습니다. 오류 0건.').waitFor();
    expect(JSON.parse(requests[0]!)).toMatchObject({ expiresIn: 86_400 });
    await page.getByText(/제안은 1일 동안, .+까지 유효합니다/).waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '결과 CSV 내려받기' }).click()]);
    const results = readCsv(await readFile((await download.path())!, 'utf8'));
    if (!results.ok) throw new Error('the results file should read');
    const [row] = results.rows;
    expect(row![4]).toBe('1일');
    const expiresIn = new Date(row![5]!).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(86_400_000 - 120_000);
    expect(expiresIn).toBeLessThanOrEqual(86_400_000);

    // In English the lifetimes are written as words too.
    await page.getByRole('button', { name: '새로 가져오기' }).click();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    expect(await page.getByLabel('Offers valid for').locator('option').allTextContents()).toEqual(['10 minutes', '1 hour', '1 day', '3 days', '7 days']);
    await page.context().close();
  });

  it('sends a large import in steps of 100 rows, showing progress, and lists every row once', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/bulk');
    const [header] = BULK_CSV.split('\r\n');
    const rows = Array.from({ length: 250 }, (_, i) => `0b7e6a52-6f0e-4c55-9d54-${String(i).padStart(12, '0')},시민${i},2001-04-12,true,true,true,서울특별시,마포구,2019-03-01`);
    await page.getByLabel('CSV 파일').setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n')) });
    await page.getByRole('status').filter({ hasText: 'many.csv: 250행을 읽었습니다.' }).waitFor();
    const requests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/console/api/offers/bulk')) requests.push(request.postData() ?? '');
    });
    // Every state the progress bar shows, with the label it is announced by (each step may pass faster than a poll).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress');
        const status = document.getElementById('bulk-progress-status')?.textContent ?? '';
        if (bar) seen.push(`${bar.labels[0]?.textContent}: ${bar.value}/${bar.max} ${status}`);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByRole('button', { name: '제안 250건 만들기' }).click();
    await page.getByText('제안 250건을 만들었습니다. 오류 0건.').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen).toContain('진행 상황: 100/250 250행 중 100행 처리함');
    expect(seen).toContain('진행 상황: 200/250 250행 중 200행 처리함');
    expect(requests.map((body) => (JSON.parse(body) as { csv: string }).csv.trim().split('\r\n').length)).toEqual([101, 101, 51]);
    const offers = page.getByRole('region', { name: '만든 제안' });
    expect(await offers.getByRole('row').count()).toBe(251);
    expect(await offers.getByRole('row').last().textContent()).toContain('시민249');
    expect(await offers.getByRole('row').last().textContent()).toContain('251');
    await page.context().close();
  });

  it('stops a CSV whose columns are not the type’s claims before sending, saying which', async () => {
    const page = await newPage();
    await signIn(page, city.consoleUrl, OPERATORS.issuer, '/bulk');
    await page.getByLabel('또는 CSV 붙여넣기').waitFor();
    await page.getByLabel('또는 CSV 붙여넣기').fill('name,birthdate,id\n김서연,2001-04-12,did:key:z6Mk\n');
    const alert = page.getByRole('alert').filter({ hasText: '필수 항목의 열이 없습니다' });
    await alert.waitFor();
    const said = (await alert.textContent())!;
    expect(said).toContain('birthDate (생년월일)');
    expect(said).toContain('birthdate: 이 종류에 없는 항목입니다');
    expect(said).toContain('id: 소지자 DID는 지갑이 정합니다');
    expect(await page.getByRole('button', { name: '제안 1건 만들기' }).isDisabled()).toBe(true);

    // A row with another number of cells is named by its spreadsheet row.
    await page.getByLabel('또는 CSV 붙여넣기').fill('name,birthDate\n김서연,2001-04-12\n이도윤\n');
    await page.getByRole('alert').filter({ hasText: '3행의 칸이 1개입니다. 열 이름은 2개입니다.' }).waitFor();
    expect(await page.getByLabel('또는 CSV 붙여넣기').getAttribute('aria-invalid')).toBe('true');

    // The same in English, claims named as words.
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('alert').filter({ hasText: 'Row 3 has 1 cell(s) for 2 column names.' }).waitFor();
    await page.getByLabel('Or paste CSV').fill('name,birthdate\n김서연,2001-04-12\n');
    const english = page.getByRole('alert').filter({ hasText: 'Required claims without a column' });
    expect(await english.textContent()).toContain('birthDate (Birth date)');
    expect(await english.textContent()).toContain('birthdate: Not a claim of this type');
    await page.context().close();
  });
});
