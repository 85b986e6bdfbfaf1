import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import PDFDocument from 'pdfkit';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, filesNamedBy, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { cameraIsOff, FAKE_CAMERA_DENIED_FLAGS, fakeCameraShowing, NO_CAMERA_FLAGS, recordCameraStreams, type CameraRecord } from '../support/fake-camera.js';
import { citizenCardSubject, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

/** Where certificates point their QR code by default (`CERTIFICATE_CHECK_URL`): the page reads the fragment only. */
const CHECK_URL = 'http://localhost:3002/check';

/** The credential with one claim changed and the signature kept: what a forger who edits a certificate produces. */
function tampered(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  claims.vc.credentialSubject.name = '김철수';
  return [header, Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url'), signature].join('.');
}

/**
 * A one-page A4 PDF made here with pdfkit: a line of text and, when `qrText` is given, its QR code drawn as the issuer
 * draws its own (vector modules of 1.4 pt, bottom right) — a forger's certificate, or a PDF with no QR code at all.
 */
function pdfWith(qrText: string | undefined, options: { userPassword?: string } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, ...(options.userPassword ? { userPassword: options.userPassword } : {}) });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.fontSize(20).text('Certificate of residence');
  if (qrText !== undefined) {
    const code = QRCode.create(qrText, { errorCorrectionLevel: 'M' });
    const size = code.modules.size;
    const module = 1.4;
    const left = 595.28 - 56 - (size + 8) * module;
    const top = 841.89 - 56 - (size + 8) * module;
    for (let row = 0; row < size; row += 1) {
      for (let column = 0; column < size; column += 1) {
        if (code.modules.data[row * size + column] === 1) doc.rect(left + (column + 4) * module, top + (row + 4) * module, module, module);
      }
    }
    doc.fillColor('black').fill();
  }
  doc.end();
  return done;
}

/**
 * The check page's other ways in (docs/certificates.md, "The check page"), in Chromium (playwright-core, Debian's
 * /usr/bin/chromium) against a whole platform: a certificate's QR code filmed by a fake camera (a Y4M file Chromium
 * plays as the camera), the certificate PDF the issuer renders, a forged PDF, and every file or camera the page
 * cannot use. Each test starts its own browser, with its own camera or none.
 */
describe('check page: a QR code from the camera or a certificate PDF', { timeout: 120_000 }, () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('check_qr_input', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  /** Issues a citizen card as `seoul-citizen` and anchors it: its compact JWT and id. */
  async function issue(): Promise<{ jwt: string; id: string }> {
    const { did, apiKey } = p.tenants.get('seoul-citizen')!;
    const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    expect(res.status).toBe(201);
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 1 });
    return { jwt: res.body.verifiableCredential.proof.jwt, id: res.body.verifiableCredential.id };
  }

  /** The certificate PDF of a credential, as its tenant downloads it from the issuer. */
  async function certificatePdf(id: string): Promise<Buffer> {
    const res = await fetch(`${p.issuer.url}/credentials/${id}/certificate.pdf`, { headers: { authorization: `Bearer ${p.tenants.get('seoul-citizen')!.apiKey}` } });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  }

  /**
   * Runs `test` with a browser of its own started with `flags`, and a page on /check at phone size that records script
   * errors, CSP refusals and missing files; the test fails on any of those too. (The browser also logs the verifier's
   * 400 for a credential that fails: that answer is expected, not a fault.)
   */
  async function onCheckPage(flags: readonly string[], test: (page: Page) => Promise<void>): Promise<void> {
    const browser = await launchChromium(flags);
    const problems: string[] = [];
    try {
      const page = await browser.newPage({ viewport: PHONE });
      recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() === 404 || response.status() >= 500 });
      await page.addInitScript(recordCameraStreams);
      await page.goto(`${p.verifier.url}/check`);
      await test(page);
    } finally {
      await browser.close();
    }
    expect(problems).toEqual([]);
  }

  const verdictOn = async (page: Page) => {
    const banner = page.locator('#verdict');
    await banner.waitFor();
    return { verdict: await banner.getAttribute('data-verdict'), headline: await banner.locator('h2').textContent() };
  };

  /** Waits until the page's message is `text` (messages in between, such as the page count, pass by). */
  const messageBecomes = (page: Page, text: string) => page.waitForFunction((expected) => document.querySelector('#result .message')?.textContent === expected, text);

  const pageChecks = async (page: Page, step: string) => {
    expect(await unnamedControls(page), `${step}: unnamed controls`).toEqual([]);
    expect(await lowContrastText(page), `${step}: low contrast`).toEqual([]);
    expect(await scrollsSideways(page), `${step}: sideways scrolling on a phone`).toBe(false);
  };

  /** Whether the camera is off: the preview hidden and empty, and every track the page was given ended. */
  const cameraOff = (page: Page) => page.evaluate(cameraIsOff, '#camera');

  /** Waits until the preview plays. */
  const previewPlays = (page: Page) =>
    page.waitForFunction(() => {
      const video = document.querySelector<HTMLVideoElement>('#camera-preview')!;
      return video.srcObject instanceof MediaStream && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0;
    });

  it('reads a genuine certificate’s QR code with the camera: 진본, and the camera is turned off', async () => {
    const { jwt } = await issue();
    const camera = fakeCameraShowing(`${CHECK_URL}#vc=${jwt}`);
    try {
      await onCheckPage(camera.flags, async (page) => {
        await pageChecks(page, 'start');
        await page.getByRole('button', { name: '카메라로 QR 코드 스캔' }).click();
        expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
        expect(await page.locator('table.claims').innerText()).toContain(citizenCardSubject.name);
        expect(await page.evaluate(() => (window as unknown as CameraRecord).cameraStreams.length)).toBe(1);
        expect(await cameraOff(page)).toBe(true);
        expect(await page.locator('#camera-start').isEnabled()).toBe(true);
      });
    } finally {
      camera.remove();
    }
  });

  it('shows the camera preview with its controls named, and turns the camera off when cancelled', async () => {
    const { jwt } = await issue();
    // The QR code a third out of the picture, as before the camera is aimed: seen, not readable.
    const camera = fakeCameraShowing(`${CHECK_URL}#vc=${jwt}`, { offside: 0.3 });
    try {
      await onCheckPage(camera.flags, async (page) => {
        await page.locator('#camera-start').click();
        await previewPlays(page);
        expect(await page.locator('#camera-start').isDisabled()).toBe(true);
        await expect(page.locator('#camera-preview').getAttribute('aria-label')).resolves.toBe('카메라 미리보기');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('camera-stop');
        await pageChecks(page, 'camera');
        // Into docs/screenshots only when `node tools/screenshots.mjs` asks (SCREENSHOTS_DIR); a test run writes elsewhere.
        await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'check-camera-phone.png'), fullPage: true });

        await page.locator('#language').click();
        await expect(page.locator('#camera-stop').textContent()).resolves.toBe('Turn the camera off');
        await expect(page.locator('#camera-preview').getAttribute('aria-label')).resolves.toBe('Camera preview');
        await page.locator('#camera-stop').click();
        expect(await cameraOff(page)).toBe(true);
        expect(await page.locator('#verdict').count()).toBe(0);
      });
    } finally {
      camera.remove();
    }
  });

  it('turns the camera off, and says so, when the page is left', async () => {
    const camera = fakeCameraShowing('not a certificate', { offside: 0.3 });
    try {
      await onCheckPage(camera.flags, async (page) => {
        await page.locator('#camera-start').click();
        await previewPlays(page);
        // Headless Chromium never hides a page, so the event a browser sends when the person leaves is sent here.
        await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
        await messageBecomes(page, '화면을 벗어나 카메라를 껐습니다. 다시 스캔하려면 버튼을 누르세요.');
        expect(await cameraOff(page)).toBe(true);
      });
    } finally {
      camera.remove();
    }
  });

  it('says so, in Korean and English, when the camera is refused or there is none', async () => {
    for (const [flags, ko, en] of [
      [FAKE_CAMERA_DENIED_FLAGS, '카메라 사용이 허용되지 않았습니다.', 'The camera was not allowed.'],
      [NO_CAMERA_FLAGS, '사용할 수 있는 카메라가 없습니다.', 'No camera is available.'],
    ] as const) {
      await onCheckPage(flags, async (page) => {
        await page.locator('#camera-start').click();
        await page.waitForFunction((start) => document.querySelector('#result .message')?.textContent?.startsWith(start), ko);
        expect(await cameraOff(page)).toBe(true);
        await page.locator('#language').click();
        expect(await page.locator('#result .message').textContent()).toMatch(new RegExp(`^${en}`));
      });
    }
  });

  it('reads the QR code of the certificate PDF the issuer renders: 진본', async () => {
    const { id } = await issue();
    const pdf = await certificatePdf(id);
    await onCheckPage([], async (page) => {
      await page.getByLabel('증명서 PDF 파일로 확인').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: pdf });
      expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
      const claims = await page.locator('table.claims').innerText();
      expect(claims).toContain(citizenCardSubject.name);
      expect(claims).toContain(citizenCardSubject.residence.district);
      await pageChecks(page, 'verdict from a PDF');
      await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'check-pdf-phone.png'), fullPage: true });
    });
  });

  it('shows 변조됨 for a PDF whose QR code carries the credential with a claim changed', async () => {
    const { jwt } = await issue();
    const forged = await pdfWith(`${CHECK_URL}#vc=${tampered(jwt)}`);
    await onCheckPage([], async (page) => {
      await page.locator('#pdf-file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: forged });
      expect(await verdictOn(page)).toEqual({ verdict: 'altered', headline: '변조됨' });
      expect(await page.locator('body').innerText()).not.toContain('김철수');
    });
  });

  it('says why, in Korean and English, for a file that is no PDF, a damaged, locked or too large PDF, or one without a QR code', async () => {
    const { id } = await issue();
    const genuine = await certificatePdf(id);
    const png = await QRCode.toBuffer('hello', { scale: 4 });
    // The large file goes by path: Chromium reads it from disk rather than over the DevTools protocol.
    const dir = mkdtempSync(join(tmpdir(), 'citycred-pdf-'));
    const large = join(dir, 'large.pdf');
    writeFileSync(large, Buffer.concat([genuine, Buffer.alloc(10 * 1024 * 1024 + 1 - genuine.length, 0x20)]));
    const cases: Array<[string, Buffer | string, string, string]> = [
      ['notes.txt', Buffer.from('not a certificate\n'), 'PDF 파일이 아니거나 손상된 파일이라 읽을 수 없습니다.', 'This file is not a PDF, or it is damaged and cannot be read.'],
      ['qr.png', png, 'PDF 파일이 아니거나 손상된 파일이라 읽을 수 없습니다.', 'This file is not a PDF, or it is damaged and cannot be read.'],
      ['damaged.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(4096, 0x41)]), 'PDF 파일이 아니거나 손상된 파일이라 읽을 수 없습니다.', 'This file is not a PDF, or it is damaged and cannot be read.'],
      ['truncated.pdf', genuine.subarray(0, 1024), 'PDF 파일이 아니거나 손상된 파일이라 읽을 수 없습니다.', 'This file is not a PDF, or it is damaged and cannot be read.'],
      ['locked.pdf', await pdfWith('http://localhost:3002/check#vc=x', { userPassword: 'secret' }), '암호가 걸린 PDF는 읽을 수 없습니다. 암호가 없는 증명서 파일을 올려 주세요.', 'This PDF is password-protected and cannot be read. Upload the certificate file without a password.'],
      ['large.pdf', large, '파일이 너무 큽니다. 10 MB 이하의 PDF 파일만 확인할 수 있습니다.', 'The file is too large: the page reads PDF files of up to 10 MB.'],
      ['letter.pdf', await pdfWith(undefined), 'PDF에서 QR 코드를 찾지 못했습니다. (앞에서부터 10쪽까지 찾습니다)', 'No QR code was found in the PDF (the page searches its first 10 pages).'],
    ];
    await onCheckPage([], async (page) => {
      for (const [name, file, ko, en] of cases) {
        await page.locator('#pdf-file').setInputFiles(typeof file === 'string' ? file : { name, mimeType: name.endsWith('.pdf') ? 'application/pdf' : 'application/octet-stream', buffer: file });
        await messageBecomes(page, ko);
        expect(await page.locator('#verdict').count(), name).toBe(0);
        await page.locator('#language').click();
        expect(await page.locator('#result .message').textContent(), name).toBe(en);
        await page.locator('#language').click();
      }
      // The page still reads a good PDF after all that.
      await page.locator('#pdf-file').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: genuine });
      expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
    }).finally(() => rmSync(dir, { recursive: true, force: true }));
  }, 180_000);

  it('serves the page’s scripts (the QR reader with jsQR inside), PDF.js and its module worker from this origin under the strict policy', async () => {
    const named = await filesNamedBy(`${p.verifier.url}/check`, '/check/');
    expect(named.filter((path) => path.endsWith('.js')).length, 'the page’s script').toBeGreaterThan(0);
    for (const path of ['/check', ...named, '/check/pdf.min.mjs', '/check/pdf.worker.min.mjs']) {
      const res = await fetch(`${p.verifier.url}${path}`);
      expect(res.status, path).toBe(200);
      if (/\.m?js$/.test(path)) expect(res.headers.get('content-type'), path).toBe('text/javascript; charset=utf-8');
      const policy = res.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("default-src 'none'");
      expect(policy, path).toContain("script-src 'self';");
      expect(policy, path).toContain("worker-src 'self';");
      expect(policy, path).not.toMatch(/unsafe-(inline|eval)/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  it('keeps the page’s hashed assets for a year and revalidates the page; an asset it does not have is a 404 problem', async () => {
    const [asset] = await filesNamedBy(`${p.verifier.url}/check`, '/check/assets/');
    expect((await fetch(`${p.verifier.url}${asset}`)).headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${p.verifier.url}/check`)).headers.get('cache-control')).toBe('no-cache');
    const missing = await fetch(`${p.verifier.url}/check/assets/check-0000000.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { code: string }).code).toBe('request.not-found');
  });
});
