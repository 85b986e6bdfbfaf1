import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFormatVector } from '@citycred/testing';
import { startWallet } from '@citycred/wallet';
import { credentialRecordOf, readBackup, writeBackup } from '@citycred/wallet-core';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { send } from '../support/platform.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

const PIN = '246810';
/** What the wallet's server tells its app (no origins to call: the CSP stays `connect-src 'self'`). */
const SETTINGS = { connectOrigins: [], scannerUrl: 'https://jobs.seoul.example', cityIssuerUrl: 'https://issuer.seoul.example' };
const PASSPHRASE = 'seoul wallet backup';
/** A frozen signed credential (libs/testing/fixtures/formats): an EnrollmentStatus bound to another holder's DID. */
const enrollment = loadFormatVector('jwt_vc');
/** Text of the credential that must never stand in the browser's storage unencrypted. */
const SECRETS = [enrollment.encoded.split('.')[1]!, '김데모', '서울가상대학교', 'EnrollmentStatus'];

/**
 * The citizen wallet (docs/wallet.md) in Chromium (playwright-core, Debian's /usr/bin/chromium), served by the wallet
 * server from its build: first run, the PIN lock across reloads, the wrong-PIN wait, the card list, encrypted storage
 * in IndexedDB, backup export and import, the wipe, and opening without network through the service worker. Each case
 * runs in a browser context of its own (its own IndexedDB, caches and service workers). The wallet keeps nothing on a
 * server, so no database is involved: the run is the same on SQLite and PostgreSQL. Screenshots at phone size go to a
 * temporary directory, or to `SCREENSHOTS_DIR` (`node tools/screenshots.mjs`: docs/screenshots/wallet-*.png).
 */
describe('citizen wallet in a browser', { timeout: 120_000 }, () => {
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;

  beforeAll(async () => {
    wallet = await startWallet(0, '127.0.0.1', {}, undefined, SETTINGS);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
  });

  /** A fresh context (as a new device) with the wallet open; the test fails on script errors, CSP refusals, 4xx/5xx. */
  async function openWallet(run: (page: Page, context: BrowserContext) => Promise<void>, expected: RegExp[] = []): Promise<void> {
    const context = await browser.newContext({ viewport: PHONE, acceptDownloads: true, serviceWorkers: 'allow' });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      recordFaults(page, problems, { expectedConsoleError: (text) => expected.some((pattern) => pattern.test(text)) });
      await page.goto(wallet.url);
      await run(page, context);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }

  /** Checks what the screen offers to assistive technology and low-vision users, then takes its screenshot. */
  async function screen(page: Page, name: string): Promise<void> {
    expect(await unnamedControls(page), name).toEqual([]);
    expect(await lowContrastText(page), name).toEqual([]);
    expect(await scrollsSideways(page), name).toBe(false);
    await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), `wallet-${name}-phone.png`), fullPage: true });
  }

  const heading = (page: Page) => page.locator('h1').textContent();

  async function setUpWallet(page: Page): Promise<void> {
    await page.getByLabel('새 PIN').fill(PIN);
    await page.getByLabel('PIN 다시 입력').fill(PIN);
    await page.getByRole('button', { name: '지갑 만들기' }).click();
    await page.getByRole('heading', { name: '내 증명서' }).waitFor();
  }

  /** Taps a PIN on the keypad, key by key as a screen reader names them, and presses Open. */
  async function tapPin(page: Page, pin: string, open = '열기'): Promise<void> {
    for (const digit of pin) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
    await page.getByRole('button', { name: open, exact: true }).click();
  }

  /** Every value in the wallet's IndexedDB as JSON (a CryptoKey shows as `{}`), by key. */
  const storedRecords = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<Record<string, string>>((resolve, reject) => {
          const open = indexedDB.open('citycred-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('records', 'readonly').objectStore('records');
            const keys = store.getAllKeys();
            const values = store.getAll();
            values.onsuccess = () => {
              const out: Record<string, string> = {};
              keys.result.forEach((key, i) => (out[String(key)] = JSON.stringify(values.result[i])));
              open.result.close();
              resolve(out);
            };
          };
        }),
    );

  async function importBackup(page: Page, file: { name: string; text: string }, passphrase: string, mode: '지금 있는 증명서에 더하기' | '지금 있는 증명서를 지우고 바꾸기' = '지금 있는 증명서에 더하기'): Promise<string> {
    await page.getByRole('button', { name: '설정' }).click();
    await page.getByLabel('백업 파일', { exact: true }).setInputFiles({ name: file.name, mimeType: 'application/json', buffer: Buffer.from(file.text) });
    await page.locator('#import-passphrase').fill(passphrase);
    await page.getByLabel(mode).check();
    const status = page.locator('form:has(#import-file) [role="status"]');
    const answers = Number(await status.getAttribute('data-answer'));
    await page.getByRole('button', { name: '가져오기' }).click();
    const answered = page.locator(`form:has(#import-file) [role="status"][data-answer="${answers + 1}"]`);
    await answered.waitFor();
    return (await answered.textContent()) ?? '';
  }

  it('serves the app, its manifest, icons and service worker under a strict Content Security Policy', async () => {
    const page = await send(`${wallet.url}/`);
    expect(page.status).toBe(200);
    expect(page.cacheControl).toBe('no-cache');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toContain('unsafe-inline');
    // Started without WALLET_CONNECT_ORIGINS' origins, the app may call its own origin only.
    expect(policy).toContain("connect-src 'self';");
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    const [, script] = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)!;
    const asset = await send(`${wallet.url}${script}`);
    expect(asset.cacheControl).toBe('public, max-age=31536000, immutable');

    const manifest = await send(`${wallet.url}/manifest.webmanifest`);
    expect(manifest.type).toBe('application/manifest+json; charset=utf-8');
    const app = JSON.parse(manifest.text) as { lang: string; display: string; start_url: string; icons: Array<{ src: string; sizes: string; type: string }> };
    expect(app).toMatchObject({ lang: 'ko', display: 'standalone', start_url: '/' });
    for (const icon of app.icons) {
      const res = await fetch(`${wallet.url}${icon.src}`);
      expect(res.headers.get('content-type')).toBe(icon.type);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (icon.type === 'image/png') {
        // The PNG's own header says the size the manifest claims.
        const view = new DataView(bytes.buffer);
        expect(`${view.getUint32(16)}x${view.getUint32(20)}`).toBe(icon.sizes);
      }
    }
    const worker = await send(`${wallet.url}/sw.js`);
    const cache = JSON.parse(/^const APP_CACHE = (\{.*\});\n/.exec(worker.text)![1]!) as { files: string[] };
    expect(cache.files).toEqual(expect.arrayContaining(['/', script, '/manifest.webmanifest', '/icons/icon-192.png', '/settings.json']));
    expect((await send(`${wallet.url}/assets/missing.js`)).status).toBe(404);
  });

  it('first run sets a PIN twice; reloaded it is locked, a wrong PIN is refused, and after 5 in a row the next try waits, across a reload', async () => {
    await openWallet(async (page) => {
      expect(await heading(page)).toBe('시민 지갑에 오신 것을 환영합니다');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
      await screen(page, 'first-run');
      await page.getByLabel('새 PIN').fill(PIN);
      await page.getByLabel('PIN 다시 입력').fill('135791');
      await page.getByRole('button', { name: '지갑 만들기' }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toBe('두 PIN이 다릅니다. 다시 입력해 주세요.');
      await setUpWallet(page);
      expect(await page.locator('.empty-title').textContent()).toBe('아직 받은 증명서가 없습니다.');
      expect(await page.getByRole('button', { name: '받기 (QR 스캔)' }).isEnabled()).toBe(true);
      expect(await page.getByRole('button', { name: '제시하기' }).isEnabled()).toBe(true);
      await screen(page, 'cards-empty');

      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      await screen(page, 'unlock');
      await tapPin(page, '111111');
      await page.getByRole('alert').filter({ hasText: '1번 틀림' }).waitFor();
      await tapPin(page, PIN);
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();

      // In English, and the choice is kept for the lock screen.
      await page.getByRole('button', { name: 'English' }).first().click();
      expect(await heading(page)).toBe('My credentials');
      await page.getByRole('button', { name: 'Lock now' }).click();
      await page.getByRole('heading', { name: 'Open the wallet' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await page.reload();
      await page.getByRole('heading', { name: 'Open the wallet' }).waitFor();
      await page.getByRole('button', { name: '한국어' }).click();

      for (let i = 1; i <= 4; i += 1) {
        await page.locator('#pin').fill('000000');
        await page.getByRole('button', { name: '열기', exact: true }).click();
        await page.getByRole('alert').filter({ hasText: `${i}번 틀림` }).waitFor();
      }
      await page.locator('#pin').fill('000000');
      await page.getByRole('button', { name: '열기', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: /^PIN이 5번 틀렸습니다\. \d+초 뒤에 다시 시도할 수 있습니다\.$/ }).waitFor();
      expect(await page.locator('#pin').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: '숫자 1', exact: true }).isDisabled()).toBe(true);
      await screen(page, 'unlock-wait');
      // The wait is kept in the wallet's storage: a reload does not end it.
      await page.reload();
      await page.getByRole('alert').filter({ hasText: /^PIN이 5번 틀렸습니다\. \d+초 뒤에/ }).waitFor();
      expect(await page.locator('#pin').isDisabled()).toBe(true);
    });
  });

  /** Deletes one record of the wallet's IndexedDB, as someone with the browser's developer tools could. */
  const deleteRecord = (page: Page, key: string) =>
    page.evaluate(
      (name) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('citycred-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const transaction = open.result.transaction('records', 'readwrite');
            transaction.objectStore('records').delete(name);
            transaction.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        }),
      key,
    );

  it('takes a long passcode with letters and rates it; the lock screen then shows a text field instead of the keypad', async () => {
    await openWallet(async (page) => {
      await page.getByText('숫자 6자리 PIN은 몇 분 만에 풀립니다', { exact: false }).waitFor();
      await page.getByLabel('새 PIN').fill(PIN);
      expect(await page.locator('#pin-strength').textContent()).toMatch(/^강도: 약함/);
      // Six characters with a letter are too short; spaces inside are fine.
      await page.getByLabel('새 PIN').fill('24681a');
      await page.getByLabel('PIN 다시 입력').fill('24681a');
      await page.getByRole('button', { name: '지갑 만들기' }).click();
      await page.getByRole('alert').filter({ hasText: 'PIN은 숫자 6~32자리, 또는 글자를 섞은 8~32자입니다.' }).waitFor();
      const passcode = 'Hangang bridge 7';
      await page.getByLabel('새 PIN').fill(passcode);
      expect(await page.locator('#pin-strength').textContent()).toMatch(/^강도: 강함/);
      await page.getByLabel('PIN 다시 입력').fill(passcode);
      await screen(page, 'first-run-passcode');
      await page.getByRole('button', { name: '지갑 만들기' }).click();
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();

      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      // The form appears once the vault said which kind of passcode it has: then, a text field and no keypad.
      expect(await page.locator('#pin').getAttribute('inputmode')).toBe('text');
      expect(await page.getByRole('button', { name: '숫자 1', exact: true }).count()).toBe(0);
      await page.locator('#pin').fill(passcode);
      await page.getByRole('button', { name: '열기', exact: true }).click();
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();
    });
  });

  it('is set up by one tab when two set it up at once: the other is told to reload, and the first PIN opens it', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    try {
      const [first, second] = [await context.newPage(), await context.newPage()];
      for (const page of [first, second]) {
        await page.goto(wallet.url);
        await page.getByLabel('새 PIN').fill(page === first ? PIN : '135791');
        await page.getByLabel('PIN 다시 입력').fill(page === first ? PIN : '135791');
      }
      await Promise.all([first, second].map((page) => page.getByRole('button', { name: '지갑 만들기' }).click()));
      const opened = async (page: Page) =>
        Promise.race([
          page.getByRole('heading', { name: '내 증명서' }).waitFor().then(() => 'opened'),
          page.getByRole('alert').filter({ hasText: '다른 탭에서 이미 지갑을 만들었습니다.' }).waitFor().then(() => 'told to reload'),
        ]);
      const outcomes = await Promise.all([opened(first), opened(second)]);
      expect([...outcomes].sort()).toEqual(['opened', 'told to reload']);
      const loser = outcomes[0] === 'opened' ? second : first;
      await loser.reload();
      await loser.getByRole('heading', { name: '지갑 열기' }).waitFor();
      await tapPin(loser, outcomes[0] === 'opened' ? PIN : '135791');
      await loser.getByRole('heading', { name: '내 증명서' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('fails closed when the wrong-PIN record is deleted, and does not stay stuck when the holder key cannot be read', async () => {
    await openWallet(async (page) => {
      await setUpWallet(page);
      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      // Deleting the count does not reset it: even the right PIN now waits the longest wait.
      await deleteRecord(page, 'pin-throttle');
      await page.reload();
      await tapPin(page, PIN);
      await page.getByRole('alert').filter({ hasText: /^PIN 오류 기록이 지워졌거나 손상되어, 안전을 위해 \d+초 뒤에/ }).waitFor();
      expect(await page.locator('#pin').isDisabled()).toBe(true);
      await page.reload();
      await page.getByRole('alert').filter({ hasText: /^PIN 오류 기록이 지워졌거나 손상되어/ }).waitFor();
      expect(await page.locator('#pin').isDisabled()).toBe(true);
    });
    await openWallet(async (page) => {
      await setUpWallet(page);
      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      await deleteRecord(page, 'holder-key');
      await tapPin(page, PIN);
      await page.getByRole('alert').filter({ hasText: '지갑에 저장된 정보가 손상되어 열 수 없습니다.' }).waitFor();
      // The screen is usable again and the wallet stayed locked: no open-wallet controls behind the lock screen.
      expect(await page.getByRole('button', { name: '열기', exact: true }).textContent()).toBe('열기');
      expect(await page.getByRole('button', { name: '지금 잠그기' }).count()).toBe(0);
      await page.getByRole('button', { name: '숫자 1', exact: true }).click();
      expect(await page.getByRole('button', { name: '열기', exact: true }).isEnabled()).toBe(true);
    });
  });

  it('keeps credentials encrypted in IndexedDB, shows them, exports and imports an encrypted backup, deletes one and wipes', async () => {
    const record = credentialRecordOf(enrollment.encoded, new Date('2026-11-01T09:00:00Z'));
    const made = { name: 'backup.json', text: await writeBackup({ exportedAt: '2026-11-01T09:00:00Z', credentials: [record] }, PASSPHRASE) };
    await openWallet(async (page) => {
      await setUpWallet(page);
      // A wrong passphrase and a changed file are refused and change nothing.
      expect(await importBackup(page, made, 'not the passphrase')).toBe('백업을 열 수 없습니다. 비밀번호가 틀렸거나 파일이 바뀌었습니다. 아무것도 바뀌지 않았습니다.');
      const json = JSON.parse(made.text) as { ciphertext: string };
      const changed = { name: 'changed.json', text: JSON.stringify({ ...json, ciphertext: `${json.ciphertext.slice(0, -2)}AA` }) };
      expect(await importBackup(page, changed, PASSPHRASE)).toMatch(/^백업을 열 수 없습니다\./);
      expect(await importBackup(page, { name: 'other.json', text: '{"hello":1}' }, PASSPHRASE)).toBe('시민 지갑 백업 파일이 아닙니다. 아무것도 바뀌지 않았습니다.');
      expect(Object.keys(await storedRecords(page)).filter((key) => key.startsWith('credential/'))).toEqual([]);

      expect(await importBackup(page, made, PASSPHRASE)).toBe('1개를 가져왔습니다. (이미 있던 0개는 건너뜀, 0개 삭제)');
      await screen(page, 'settings');
      await page.getByRole('button', { name: '내 증명서' }).click();
      const card = page.getByRole('button', { name: /재학·휴학·졸업 증명/ });
      await card.waitFor();
      expect(await card.textContent()).toContain(`발급자: ${record.issuer}`);
      expect(await card.textContent()).toContain('다른 기기의 열쇠에 묶인 증명서입니다.');
      await screen(page, 'cards');

      // Without the PIN nothing in IndexedDB can be read: each credential is a sealed record, the holder key a CryptoKey.
      const stored = await storedRecords(page);
      expect(Object.keys(stored).sort()).toEqual(['credential/' + record.id, 'holder-key', 'pin-throttle', 'vault'].sort());
      expect(JSON.parse(stored['credential/' + record.id]!)).toEqual({ iv: expect.stringMatching(/^[\w-]{16}$/), ciphertext: expect.stringMatching(/^[\w-]{100,}$/) });
      for (const secret of SECRETS) expect(Object.values(stored).join('\n')).not.toContain(secret);

      await card.click();
      await page.getByRole('heading', { name: '재학·휴학·졸업 증명' }).waitFor();
      expect(await page.locator('.claims').first().textContent()).toContain('김데모');
      // Claims the catalogue's EnrollmentStatus does not have (this frozen test credential's) go by their own names; a flag in words.
      expect(await page.locator('.claim[data-claim="studentName"] > dt').textContent()).toBe('studentName');
      expect(await page.locator('.claim[data-claim="enrolled"] > dd').textContent()).toBe('예');
      await screen(page, 'card');
      await page.getByRole('button', { name: '목록으로' }).click();

      // Exported, the backup opens with its passphrase in Node too, and carries the credential.
      await page.getByRole('button', { name: '설정' }).click();
      await page.locator('#export-passphrase').fill(PASSPHRASE);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '백업 파일 만들기' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^citycred-wallet-backup-\d{4}-\d{2}-\d{2}\.json$/);
      const exported = readFileSync((await download.path())!, 'utf8');
      for (const secret of SECRETS) expect(exported).not.toContain(secret);
      expect((await readBackup(exported, PASSPHRASE)).credentials).toEqual([record]);

      // Deleted after a confirmation, the card is gone; imported again from the exported file, it is back.
      await page.getByRole('button', { name: '내 증명서' }).click();
      await card.click();
      await page.getByRole('button', { name: '이 증명서 삭제' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: '삭제' }).click();
      await page.getByRole('status').filter({ hasText: '증명서를 삭제했습니다.' }).waitFor();
      expect(await page.locator('.empty-title').textContent()).toBe('아직 받은 증명서가 없습니다.');
      expect(await importBackup(page, { name: 'exported.json', text: exported }, PASSPHRASE, '지금 있는 증명서를 지우고 바꾸기')).toBe('1개를 가져왔습니다. (이미 있던 0개는 건너뜀, 0개 삭제)');

      // Wiped after a confirmation: nothing is left, and the wallet starts from its first run.
      await page.getByRole('button', { name: '지갑 초기화' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: '모두 지우기' }).click();
      await page.getByRole('heading', { name: '시민 지갑에 오신 것을 환영합니다' }).waitFor();
      expect(await storedRecords(page)).toEqual({});
      await page.reload();
      await page.getByRole('heading', { name: '시민 지갑에 오신 것을 환영합니다' }).waitFor();
    });
  });

  it('opened once online, opens again without network from the files its service worker kept, and unlocks', async () => {
    await openWallet(async (page, context) => {
      await setUpWallet(page);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${wallet.url}/sw.js`);

      await context.setOffline(true);
      const reloaded = await page.reload();
      expect(reloaded?.fromServiceWorker()).toBe(true);
      expect(reloaded?.headers()['content-security-policy']).toContain("default-src 'none'");
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);
      await tapPin(page, PIN);
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();
      expect(await page.locator('.empty-title').textContent()).toBe('아직 받은 증명서가 없습니다.');
      // The server's settings were kept too: offline, the app still knows its scanner and city issuer.
      expect(await page.evaluate(async () => (await fetch('/settings.json')).json())).toEqual(SETTINGS);
      await screen(page, 'offline');
    });
  });
});
