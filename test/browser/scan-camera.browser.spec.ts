import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, filesNamedBy, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { cameraIsOff, FAKE_CAMERA_DENIED_FLAGS, fakeCameraShowing, NO_CAMERA_FLAGS, recordCameraStreams, type CameraRecord } from '../support/fake-camera.js';
import { citizenCardSubject, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { issueSdJwtCitizenCard, walletKey } from '../support/wallet.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/**
 * The employer scanner's second way (docs/oid4vp.md, "The employer scanner"): the worker's wallet shows its
 * presentation as a QR code (`citycred-vp:<SD-JWT VC with key binding>`, made here by a scripted wallet for
 * `<verifier>/scan` over a nonce of its own), a fake camera (a Y4M file Chromium plays as the camera) films it, and the
 * page has `POST /scan/presentations` decide. Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole
 * platform; each test starts its own browser with its own camera or none.
 */
describe('employer scanner: the worker’s QR code read with the camera', { timeout: 120_000 }, () => {
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  let p: TestPlatform;
  let card: string;

  beforeAll(async () => {
    p = await startTestPlatform('scan_camera', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    card = await issueSdJwtCitizenCard(p, holder.jwk);
    await p.worker.runOnce();
  });
  afterAll(async () => p?.stop());

  /** The QR code's text the wallet shows: the card with `disclose`, key-bound to this scanner over a fresh nonce. */
  const walletQr = async (disclose: string[]) =>
    `citycred-vp:${await presentSdJwt(card, {
      disclose,
      kb: { signer: holder.signer, nonce: randomBytes(16).toString('base64url'), aud: `${p.verifier.url}/scan`, iat: clock.now() },
    })}`;

  /**
   * Runs `test` with a browser of its own started with `flags`, and a page on /scan at phone size that records script
   * errors, CSP refusals and failed requests — but the verifier's 400 for a presentation that does not verify, which
   * is its answer, not a fault.
   */
  async function onScanPage(flags: readonly string[], test: (page: Page) => Promise<void>): Promise<void> {
    const browser = await launchChromium(flags);
    const problems: string[] = [];
    try {
      const page = await browser.newPage({ viewport: PHONE });
      recordFaults(page, problems, {
        expectedConsoleError: failedLoad,
        faultyResponse: (response) => response.status() >= 400 && !(response.status() === 400 && new URL(response.url()).pathname === '/scan/presentations'),
      });
      await page.addInitScript(recordCameraStreams);
      await page.goto(`${p.verifier.url}/scan`);
      await test(page);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  }

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

  const cameraOff = (page: Page) => page.evaluate(cameraIsOff, '#camera');
  const streamsOpened = (page: Page) => page.evaluate(() => (window as unknown as CameraRecord).cameraStreams.length);
  const previewPlays = (page: Page) =>
    page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#camera-preview')!;
      return video.srcObject instanceof MediaStream && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0;
    });

  /** Chooses a check by its Korean label and turns the camera on. */
  async function scanFor(page: Page, label: string): Promise<void> {
    await page.getByLabel(label).check();
    await page.getByRole('button', { name: '지원자의 QR 코드 스캔' }).click();
  }

  it('turns green with the reason for the worker’s QR code, turns the camera off, and red when the same code is shown again', async () => {
    const camera = fakeCameraShowing(await walletQr(['ageOver19']));
    try {
      await onScanPage(camera.flags, async (page) => {
        await pageChecks(page, 'choose');
        await scanFor(page, '만 19세 이상');
        expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: '확인됨', reasons: ['만 19세 이상입니다.'] });
        expect(await cameraOff(page)).toBe(true);
        expect(await streamsOpened(page)).toBe(1);
        const shown = await page.locator('body').innerText();
        for (const personal of [citizenCardSubject.name, citizenCardSubject.birthDate, citizenCardSubject.residence.district]) expect(shown).not.toContain(personal);
        expect(await page.locator('#result').getAttribute('role')).toBe('status');
        await pageChecks(page, 'verified');
        await page.locator('#language').click();
        expect(await outcomeOn(page)).toEqual({ outcome: 'verified', headline: 'Verified', reasons: ['The holder is 19 or older.'] });
        await page.locator('#language').click();

        // The next applicant shows the very same code (a copy of someone else's screen): it was used, so it is refused.
        await page.locator('#next').click();
        await scanFor(page, '만 19세 이상');
        expect(await outcomeOn(page)).toEqual({
          outcome: 'not-verified',
          headline: '확인 안 됨',
          reasons: ['이 QR 코드는 받을 수 없습니다. 이미 사용했거나, 오래되었거나, 다른 곳에 제출하려고 만든 QR 코드입니다. 지원자에게 새 QR 코드를 띄워 달라고 하세요.'],
        });
        expect(await cameraOff(page)).toBe(true);
        await pageChecks(page, 'replayed');
        await page.locator('#language').click();
        expect((await outcomeOn(page)).reasons).toEqual(['This QR code cannot be accepted: it was used already, is too old, or was made for somewhere else. Ask the applicant to show a new QR code.']);
      });
    } finally {
      camera.remove();
    }
  });

  it('turns red with the policy’s reason when the worker’s code does not disclose what was asked', async () => {
    const camera = fakeCameraShowing(await walletQr(['residence']));
    try {
      await onScanPage(camera.flags, async (page) => {
        await scanFor(page, '만 19세 이상');
        expect(await outcomeOn(page)).toEqual({ outcome: 'not-verified', headline: '확인 안 됨', reasons: ['만 19세 이상 여부와 생년월일이 모두 공개되지 않았습니다.'] });
        expect(await cameraOff(page)).toBe(true);
      });
    } finally {
      camera.remove();
    }
  });

  it('shows the camera with what is checked, its controls named, and turns it off on cancel', async () => {
    // The code a third out of the picture, as before the camera is aimed: seen, not readable.
    const camera = fakeCameraShowing(await walletQr(['ageOver19']), { offside: 0.3 });
    try {
      await onScanPage(camera.flags, async (page) => {
        await scanFor(page, '서울 거주');
        await previewPlays(page);
        await expect(page.locator('#camera-asked').textContent()).resolves.toBe('확인 항목: 서울 거주');
        await expect(page.locator('#camera-preview').getAttribute('aria-label')).resolves.toBe('카메라 미리보기');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('camera-cancel');
        expect(await page.locator('#choose').isVisible()).toBe(false);
        await pageChecks(page, 'camera');
        // Into docs/screenshots only when `node tools/screenshots.mjs` asks (SCREENSHOTS_DIR); a test run writes elsewhere.
        await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'scan-camera-phone.png'), fullPage: true });

        await page.locator('#language').click();
        await expect(page.locator('#camera-asked').textContent()).resolves.toBe('Checking: Lives in Seoul');
        await page.locator('#camera-cancel').click();
        expect(await cameraOff(page)).toBe(true);
        expect(await page.locator('#choose').isVisible()).toBe(true);
        expect(await page.locator('#outcome').count()).toBe(0);
      });
    } finally {
      camera.remove();
    }
  });

  it('keeps looking, with a hint, at a QR code that is no presentation; a broken presentation is red with a plain reason', async () => {
    const certificate = fakeCameraShowing(`${p.verifier.url}/check#vc=eyJhbGciOiJFUzI1NksifQ.e30.c2ln`);
    try {
      await onScanPage(certificate.flags, async (page) => {
        await scanFor(page, '만 19세 이상');
        await page.waitForFunction(() => document.querySelector('#camera-hint')?.textContent !== '');
        await expect(page.locator('#camera-hint').textContent()).resolves.toBe('지갑 앱의 제출용 QR 코드가 아닙니다. 지원자에게 지갑 앱에서 제출용 QR 코드를 띄워 달라고 하세요.');
        expect(await page.locator('#camera').isVisible()).toBe(true);
        expect(await page.evaluate(() => (document.querySelector('#camera-preview') as HTMLVideoElement).srcObject !== null)).toBe(true);
        await page.locator('#camera-cancel').click();
        expect(await cameraOff(page)).toBe(true);
      });
    } finally {
      certificate.remove();
    }
    const broken = fakeCameraShowing('citycred-vp:eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln~');
    try {
      await onScanPage(broken.flags, async (page) => {
        await scanFor(page, '만 19세 이상');
        expect(await outcomeOn(page)).toEqual({ outcome: 'not-verified', headline: '확인 안 됨', reasons: ['제출된 증명서를 검증하지 못했습니다.'] });
        expect(await cameraOff(page)).toBe(true);
      });
    } finally {
      broken.remove();
    }
  });

  it('says so, in Korean and English, when the camera is refused or there is none', async () => {
    for (const [flags, ko, en] of [
      [FAKE_CAMERA_DENIED_FLAGS, '카메라 사용이 허용되지 않았습니다.', 'The camera was not allowed.'],
      [NO_CAMERA_FLAGS, '사용할 수 있는 카메라가 없습니다.', 'No camera is available.'],
    ] as const) {
      await onScanPage(flags, async (page) => {
        await scanFor(page, '만 19세 이상');
        await page.waitForFunction((start) => document.querySelector('#result .message')?.textContent?.startsWith(start), ko);
        expect(await cameraOff(page)).toBe(true);
        expect(await page.locator('#next').isVisible()).toBe(true);
        await page.locator('#language').click();
        expect(await page.locator('#result .message').textContent()).toMatch(new RegExp(`^${en}`));
        await page.locator('#next').click();
        expect(await page.locator('#choose').isVisible()).toBe(true);
      });
    }
  });

  it('serves the page’s scripts (the QR reader with jsQR inside) under the scanner’s strict policy', async () => {
    const scripts = (await filesNamedBy(`${p.verifier.url}/scan`, '/scan/')).filter((path) => path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of scripts) {
      const res = await fetch(`${p.verifier.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).toContain("connect-src 'self';");
      expect(policy, path).not.toMatch(/unsafe-(inline|eval)/);
    }
  });
});
