import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialHash } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import type { Browser, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, recordFaults } from '../support/browser.js';
import { citizenCardSubject, getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/** The credential with one claim changed and the signature kept: what a forger who edits a certificate produces. */
function tampered(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  claims.vc.credentialSubject.name = '김철수';
  return [header, Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url'), signature].join('.');
}

/** docs/certificates.md: `<issuer>/certificates/<credential hash hex>/<base64url SHA-256(label ‖ credential)>`. */
function referenceUrl(issuerUrl: string, encoded: string): string {
  const secret = createHash('sha256').update('citycred/certificate-reference/v1\n').update(encoded).digest('base64url');
  return `${issuerUrl}/certificates/${credentialHash(encoded).slice(2)}/${secret}`;
}

/** The demo issuer `seoul-citizen`'s names, as the city's issuer directory gives them (libs/tenancy's demo tenants). */
const ISSUER_KO = '서울특별시 주민등록과';
const ISSUER_EN = 'Seoul Metropolitan Government — Resident Registration';

/**
 * The public check page in Chromium (playwright-core, Debian's /usr/bin/chromium) against a whole platform: a
 * certificate's QR URL shows 확인 중 before anchoring and 진본 after (with the issuer's name and the anchoring block),
 * an edited credential 변조됨 (with no name).
 */
describe('check page in a browser', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  let browser: Browser;
  let issue: () => Promise<string>;
  const problems: string[] = [];

  beforeAll(async () => {
    p = await startTestPlatform('check_page', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    const { did, apiKey } = p.tenants.get('seoul-citizen')!;
    issue = async () => {
      const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
      expect(res.status).toBe(201);
      return res.body.verifiableCredential.proof.jwt as string;
    };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await p?.stop();
  });

  /**
   * Opens a page that records script errors, CSP refusals and missing files, so a test also fails on those. (The
   * browser also logs the verifier's 400 for a credential that fails: that answer is expected, not a fault.)
   */
  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() === 404 || response.status() >= 500 });
    await page.goto(url);
    return page;
  }

  const verdictOn = async (page: Page) => {
    const banner = page.locator('#verdict');
    await banner.waitFor();
    return { verdict: await banner.getAttribute('data-verdict'), headline: await banner.locator('h2').textContent() };
  };

  it('shows 확인 중 before the credential is anchored, then 진본 with its claims, and switches to English', async () => {
    const jwt = await issue();
    const before = await open(`${p.verifier.url}/check#vc=${jwt}`);
    expect(await verdictOn(before)).toEqual({ verdict: 'pending', headline: '확인 중' });
    // The signature holds, so the issuer is named; nothing is anchored yet, so no block is shown.
    await before.locator('.credential .issuer-name').waitFor();
    expect(await before.locator('.credential .issuer-name').textContent()).toBe(ISSUER_KO);
    expect(await before.locator('.credential .anchoring').count()).toBe(0);
    await before.close();

    expect(await p.worker.runOnce()).toMatchObject({ anchored: 1 });
    const proof = (await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(jwt)}`)).body;
    const page = await open(`${p.verifier.url}/check#vc=${jwt}`);
    expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
    await expect(page.locator('.credential h3').textContent()).resolves.toBe('서울시민카드');
    // The issuer's name (GET /check/issuers) beside its DID, and the block the city chain holds the credential in.
    await page.locator('.credential .issuer-name').waitFor();
    expect(await page.locator('.credential .issuer-name').textContent()).toBe(ISSUER_KO);
    expect(await page.locator('.credential .issuer-did').textContent()).toBe(p.tenants.get('seoul-citizen')!.did);
    expect(await page.locator('.credential .anchoring').textContent()).toMatch(new RegExp(`^${proof.blockNumber}번 블록 \\(.+ \\(KST\\)\\), 체인 ID ${p.chain.chainId}$`));
    const claims = await page.locator('table.claims').innerText();
    expect(claims).toContain('김서연');
    expect(claims).toContain('마포구');
    expect(await page.locator('.check-passed').count()).toBeGreaterThanOrEqual(5);
    // Each check says in Korean what it means; the verifier's English detail is folded away under it.
    const signature = page.locator('.check', { hasText: '전자서명' });
    expect(await signature.locator(':scope > small').textContent()).toBe('발급기관의 전자서명이 맞습니다.');
    expect(await signature.locator('details.detail summary').textContent()).toBe('자세한 내용 (영문)');
    expect(await signature.locator('details.detail').getAttribute('open')).toBeNull();
    // Into docs/screenshots only when `node tools/screenshots.mjs` asks (SCREENSHOTS_DIR); a test run writes elsewhere.
    await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'check-page.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling on a phone').toBe(true);
    await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), 'check-page-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 1100 });

    await page.locator('#language').click();
    expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: 'Genuine' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.locator('.credential .issuer-name').textContent()).toBe(ISSUER_EN);
    expect(await page.locator('.credential .anchoring').textContent()).toMatch(new RegExp(`^block ${proof.blockNumber} \\(.+ \\(KST\\)\\), chain ID ${p.chain.chainId}$`));
    // In English the verifier's own detail is the explanation, shown as it is.
    const signatureEn = page.locator('.check', { hasText: 'Signature' });
    expect(await signatureEn.locator('details').count()).toBe(0);
    expect(await signatureEn.locator(':scope > small').textContent()).toMatch(/signed|signature/i);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('shows 변조됨 for a credential whose claims were edited, and hides what the forger wrote and any issuer name', async () => {
    const jwt = await issue();
    await p.worker.runOnce();
    const namesAsked: string[] = [];
    const page = await browser.newPage({ viewport: { width: 900, height: 1100 } });
    recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() === 404 || response.status() >= 500 });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/check/issuers') namesAsked.push(request.url());
    });
    // The genuine credential first, so that the page has the names when the forged one is shown.
    await page.goto(`${p.verifier.url}/check#vc=${jwt}`);
    expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
    await page.locator('.credential .issuer-name').waitFor();
    await page.evaluate((hash) => {
      location.hash = hash;
    }, `vc=${tampered(jwt)}`);
    await page.locator('#verdict[data-verdict="altered"]').waitFor();
    expect(await verdictOn(page)).toEqual({ verdict: 'altered', headline: '변조됨' });
    expect(await page.locator('table.claims').count()).toBe(0);
    const shown = await page.locator('body').innerText();
    expect(shown).not.toContain('김철수');
    expect(shown).not.toContain(ISSUER_KO);
    expect(await page.locator('.issuer-name, .anchoring').count()).toBe(0);
    // The names were asked for once, when the page loaded, not per credential checked.
    expect(namesAsked).toHaveLength(1);
    await page.close();
    expect(problems).toEqual([]);
  });

  it('fetches a #ref= credential from the configured issuer only', async () => {
    const jwt = await issue();
    await p.worker.runOnce();
    const page = await open(`${p.verifier.url}/check#ref=${referenceUrl(p.issuer.url, jwt)}`);
    expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
    await page.close();

    const elsewhere = await open(`${p.verifier.url}/check#ref=${referenceUrl('http://127.0.0.1:9', jwt)}`);
    await elsewhere.locator('.message').waitFor();
    expect(await elsewhere.locator('.message').textContent()).toContain('등록된 발급기관의 주소가 아닙니다');
    expect(await elsewhere.locator('#verdict').count()).toBe(0);
    await elsewhere.close();
    expect(problems).toEqual([]);
  });

  it('reads an uploaded QR image of a certificate', async () => {
    const jwt = await issue();
    await p.worker.runOnce();
    const png = await QRCode.toBuffer(`http://localhost:3002/check#vc=${jwt}`, { errorCorrectionLevel: 'M', scale: 4 });
    const page = await open(`${p.verifier.url}/check`);
    await page.locator('#qr-image').setInputFiles({ name: 'certificate-qr.png', mimeType: 'image/png', buffer: png });
    expect(await verdictOn(page)).toEqual({ verdict: 'genuine', headline: '진본' });
    await page.close();
    expect(problems).toEqual([]);
  });

  it('is served with a strict Content Security Policy', async () => {
    const res = await fetch(`${p.verifier.url}/check`);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    // The platform's issuer listens on 127.0.0.1: its localhost twin is allowed too, nothing else.
    expect(policy).toContain(`connect-src 'self' ${new URL(p.issuer.url).origin} ${new URL(p.issuer.url).origin.replace('127.0.0.1', 'localhost')};`);
    expect(policy).not.toContain('unsafe-inline');
  });
});
