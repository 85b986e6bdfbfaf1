import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import { credentialFormat, didJwkOf, type PublicJwk } from '@citycred/formats';
import { startWallet } from '@citycred/wallet';
import { OID4VCI_MESSAGES, OID4VP_MESSAGES, PRE_AUTHORIZED_CODE_GRANT, PURPOSE_VERIFIER_INFO_FORMAT } from '@citycred/wallet-core';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { fakeCameraShowing } from '../support/fake-camera.js';
import { readQrCode } from '../support/read-qr.js';
import { citizenCardSubject, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { lowContrastText, scrollsSideways, unnamedControls } from './page-checks.js';

const PIN = '246810';
const CARD_LABEL = credentialTypeInfo('SeoulCitizenCard').labels.ko;

/**
 * The citizen wallet's receiving, status, presenting, scanner QR code and sharing history in Chromium against the
 * whole platform (startTestPlatform: a local chain, the issuer and the verifier on SQLite or PostgreSQL) and a wallet
 * server whose CSP lets the app reach them. Each case has a fresh browser context (a new device) and its own offers and
 * requests, so it runs alone. Screenshots at phone size go to a temporary directory or to `SCREENSHOTS_DIR`
 * (docs/screenshots/wallet-*.png).
 */
describe('citizen wallet flows against the platform', { timeout: 180_000 }, () => {
  let p: TestPlatform;
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;
  let tenant: { slug: string; apiKey: string };
  let issuerName: string;
  let otherVendor: { server: Server; url: string; asked: string[] };

  beforeAll(async () => {
    p = await startTestPlatform('wallet-flows');
    tenant = p.tenants.get('seoul-citizen')!;
    otherVendor = await startOtherVendorIssuer();
    wallet = await startWallet(0, '127.0.0.1', {}, undefined, {
      connectOrigins: [new URL(p.issuer.url).origin, new URL(p.verifier.url).origin, new URL(otherVendor.url).origin],
      scannerUrl: p.verifier.url,
      cityIssuerUrl: p.issuer.url,
    });
    browser = await launchChromium();
    const metadata = await send(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/${tenant.slug}`);
    issuerName = (metadata.body.display as Array<{ name: string; locale?: string }>).find((d) => d.locale?.startsWith('ko'))!.name;
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    await new Promise((resolve) => (otherVendor ? otherVendor.server.close(resolve) : resolve(undefined)));
    await p?.stop();
  });

  const newOffer = async (configuration: string): Promise<{ credential_offer_link: string; tx_code: string }> => {
    const created = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims: { ...citizenCardSubject } }, { authorization: `Bearer ${tenant.apiKey}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };

  /**
   * A fresh context (a new device) with the wallet open and its PIN set; fails on script errors, CSP refusals and
   * 4xx/5xx answers other than those `expected` names (a refused transaction code).
   */
  async function onNewDevice(
    run: (page: Page) => Promise<void>,
    options: { expected?: (response: Response) => boolean; on?: Browser; deviceScaleFactor?: number; beforeLoad?: (page: Page) => Promise<void> } = {},
  ): Promise<void> {
    const context = await (options.on ?? browser).newContext({ viewport: PHONE, deviceScaleFactor: options.deviceScaleFactor ?? 1 });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !(options.expected?.(response) ?? false) });
      await options.beforeLoad?.(page);
      await page.goto(wallet.url);
      await page.getByLabel('새 PIN').fill(PIN);
      await page.getByLabel('PIN 다시 입력').fill(PIN);
      await page.getByRole('button', { name: '지갑 만들기' }).click();
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();
      await run(page);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }

  async function screen(page: Page, name: string): Promise<void> {
    expect(await unnamedControls(page), name).toEqual([]);
    expect(await lowContrastText(page), name).toEqual([]);
    expect(await scrollsSideways(page), name).toBe(false);
    await page.screenshot({ path: join(process.env['SCREENSHOTS_DIR'] ?? tmpdir(), `wallet-${name}-phone.png`), fullPage: true });
  }

  /** The credentials the issuer's credential endpoint hands the page, as they pass. */
  function issuedCredentials(page: Page): string[] {
    const seen: string[] = [];
    page.on('response', (response) => {
      if (response.request().method() === 'POST' && /\/oid4vci\/[^/]+\/credential$/.test(response.url()) && response.status() === 200) {
        void response.json().then((body: { credentials: Array<{ credential: string }> }) => seen.push(...body.credentials.map((c) => c.credential)));
      }
    });
    return seen;
  }

  /** Pastes an offer link into Receive and waits for the offer screen. */
  async function openOffer(page: Page, link: string): Promise<void> {
    await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
    await page.getByLabel('또는 링크 붙여 넣기').fill(link);
    await page.getByRole('button', { name: '계속' }).click();
    await page.locator('#offer').waitFor();
  }

  /** Types the transaction code and receives; then opens the card. */
  async function acceptOffer(page: Page, code: string): Promise<void> {
    await page.getByLabel('인증번호').fill(code);
    await page.getByRole('button', { name: '받기', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
  }

  const storedKeys = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('citycred-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const keys = open.result.transaction('records', 'readonly').objectStore('records').getAllKeys();
            keys.onsuccess = () => {
              open.result.close();
              resolve(keys.result.map(String));
            };
          };
        }),
    );

  it('lets the app reach the issuer and verifier: its CSP names their origins, and they answer its cross-origin calls only', async () => {
    const page = await send(`${wallet.url}/`);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ${new URL(p.issuer.url).origin} ${new URL(p.verifier.url).origin} ${new URL(otherVendor.url).origin};`);
    const origin = { origin: wallet.url };
    const preflight = await send(`${p.issuer.url}/oid4vci/${tenant.slug}/credential`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    for (const url of [`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/${tenant.slug}`, `${p.issuer.url}/issuers`]) {
      expect((await send(url, { headers: origin })).headers.get('access-control-allow-origin'), url).toBe('*');
    }
    // From the app itself, a revalidation of the issuer directory (If-None-Match, a preflighted header) is answered.
    const context = await browser.newContext();
    try {
      const app = await context.newPage();
      await app.goto(wallet.url);
      const revalidated = await app.evaluate(async (url) => {
        const first = await fetch(url);
        const etag = first.headers.get('etag');
        const again = await fetch(url, { headers: { 'if-none-match': etag ?? '"none"' }, cache: 'no-store' });
        return { first: first.status, etag, again: again.status };
      }, `${p.issuer.url}/issuers`);
      expect(revalidated.first).toBe(200);
      expect(revalidated.etag).toBeTruthy();
      expect([200, 304]).toContain(revalidated.again);
    } finally {
      await context.close();
    }
    // The tenants' API and the verifier's own API stay same-origin.
    const offers = await send(`${p.issuer.url}/oid4vci/offers`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } });
    expect(offers.headers.get('access-control-allow-origin')).toBeNull();
    const requests = await send(`${p.verifier.url}/presentation-requests`, { method: 'OPTIONS', headers: { ...origin, 'access-control-request-method': 'POST' } });
    expect(requests.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('receives a SeoulCitizenCard by a pasted offer link after a wrong transaction code, then shows it valid, pending and anchored', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const wrong = offer.tx_code === '000000' ? '000001' : '000000';
    await onNewDevice(
      async (page) => {
        // Another kind of code is named for what it is; nothing is fetched for it.
        await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
        await screen(page, 'receive');
        await page.getByLabel('또는 링크 붙여 넣기').fill('openid4vp://?client_id=x&request_uri=https://example.org/r');
        await page.getByRole('button', { name: '계속' }).click();
        expect(await page.locator('#receive-error').textContent()).toBe(OID4VCI_MESSAGES['oid4vci.offer-foreign'].ko);
        await page.getByRole('button', { name: '← 목록으로' }).click();

        await openOffer(page, offer.credential_offer_link);
        expect(await page.locator('#offer-from').textContent()).toBe(`${issuerName}에서 다음 증명서를 보내려고 합니다.`);
        expect(await page.locator('.offered').textContent()).toBe(CARD_LABEL);
        await page.getByLabel('인증번호').fill(wrong);
        await screen(page, 'receive-offer');
        await page.getByRole('button', { name: '받기', exact: true }).click();
        await page.locator('#receive-error').filter({ hasText: OID4VCI_MESSAGES['oid4vci.grant-refused'].ko }).waitFor();
        await screen(page, 'receive-wrong-code');
        expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toEqual([]);

        await acceptOffer(page, offer.tx_code);
        expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toHaveLength(1);
        await page.getByRole('button', { name: '증명서 보기' }).click();
        await page.getByRole('heading', { name: CARD_LABEL }).waitFor();
        await page.locator('#card-status-value[data-status="valid"]').waitFor();
        await page.locator('#card-anchoring[data-state="pending"]').waitFor();
        expect(await page.locator('#card-status-value').textContent()).toBe('유효함');
        // The claims by their labels, the values in words: a flag as 예, a date as a date, the residence opened.
        const claim = (path: string) => page.locator(`.claim[data-claim="${path}"]`);
        const birthDate = new Date(`${citizenCardSubject.birthDate}T00:00:00+09:00`);
        const dateIn = (locale: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'Asia/Seoul' }).format(birthDate);
        expect([await claim('ageOver18').locator('> dt').textContent(), await claim('ageOver18').locator('> dd').textContent()]).toEqual(['만 18세 이상', '예']);
        expect([await claim('birthDate').locator('> dt').textContent(), await claim('birthDate').locator('> dd').textContent()]).toEqual(['생년월일', dateIn('ko-KR')]);
        expect(await claim('residence').locator('> dt').textContent()).toBe('거주지');
        expect([await claim('residence.city').locator('> dt').textContent(), await claim('residence.city').locator('> dd').textContent()]).toEqual(['시·도', '서울특별시']);
        await page.getByRole('button', { name: 'English' }).click();
        expect([await claim('ageOver18').locator('> dt').textContent(), await claim('ageOver18').locator('> dd').textContent()]).toEqual(['Age 18 or over', 'Yes']);
        expect([await claim('birthDate').locator('> dt').textContent(), await claim('birthDate').locator('> dd').textContent()]).toEqual(['Date of birth', dateIn('en-GB')]);
        expect(await claim('residence.district').locator('> dt').textContent()).toBe('District');
        await page.getByRole('button', { name: '한국어' }).click();

        await p.worker.runOnce();
        await page.getByRole('button', { name: '상태 다시 확인' }).click();
        await page.locator('#card-anchoring[data-state="anchored"]').waitFor();
        expect(await page.locator('#card-anchoring').textContent()).toMatch(/^기록됨 \(블록 \d+\)$/);
        await screen(page, 'card-status');

        // The proof is kept in the record: opened again, the card is anchored without asking the issuer.
        const asked: string[] = [];
        page.on('request', (request) => request.url().includes('/anchors/proofs/') && asked.push(request.url()));
        await page.getByRole('button', { name: '← 목록으로' }).click();
        await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).click();
        await page.locator('#card-status-value[data-status="valid"]').waitFor();
        expect(await page.locator('#card-anchoring').getAttribute('data-state')).toBe('anchored');
        expect(asked).toEqual([]);
      },
      { expected: (response) => response.status() === 400 && response.url().endsWith(`/oid4vci/${tenant.slug}/token`) },
    );
  });

  it('receives a card through the camera, presents ageOver18 to a verifier request (the verifier is answered, the history keeps it), and clears the history', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    const camera = fakeCameraShowing(offer.credential_offer_link, { level: 'L' });
    const cameraBrowser = await launchChromium(camera.flags);
    try {
      await onNewDevice(
        async (page) => {
          await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
          await page.getByRole('button', { name: '카메라로 QR 스캔' }).click();
          await page.locator('#offer').waitFor();
          expect(await page.locator('.offered').textContent()).toBe(CARD_LABEL);
          await acceptOffer(page, offer.tx_code);
          await page.getByRole('button', { name: '증명서 보기' }).click();
          await page.getByRole('button', { name: '← 목록으로' }).click();

          const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-18', purpose: '카페 아르바이트 채용: 만 18세 이상 확인' });
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          await page.getByRole('button', { name: '제시하기' }).click();
          await screen(page, 'present');
          await page.getByLabel('또는 링크 붙여 넣기').fill(created.body.deepLink);
          await page.getByRole('button', { name: '계속' }).click();
          await page.locator('#consent').waitFor();
          expect(await page.locator('#consent-verifier').textContent()).toMatch(/^did:jwk:/);
          // Why it asks, as the verifier signed it into the request (verifier_info).
          expect(await page.locator('#consent-purpose').textContent()).toBe('카페 아르바이트 채용: 만 18세 이상 확인');
          // Exactly the claim the verifier asks for, from the card.
          // Each claim by its label, in the citizen's language.
          expect(await page.locator('.disclosed li').allTextContents()).toEqual(['만 18세 이상: 예']);
          expect(await page.locator('#consent legend').textContent()).toBe(`${CARD_LABEL}에서`);
          expect(await page.locator('.discloses-more').count()).toBe(0);
          await screen(page, 'present-consent');
          const responses: Array<{ url: string; body: string }> = [];
          page.on('request', (request) => request.method() === 'POST' && request.url().endsWith('/response') && responses.push({ url: request.url(), body: request.postData() ?? '' }));
          await page.getByRole('button', { name: '보내기' }).click();
          await page.locator('#present-outcome.success').waitFor();
          await screen(page, 'present-sent');
          const state = await send(`${p.verifier.url}/presentation-requests/${created.body.id}`);
          expect(state.body).toMatchObject({ state: 'fulfilled', result: { verified: true, decision: { satisfied: true } } });
          // The same response sent again, byte for byte, is refused.
          expect(responses).toHaveLength(1);
          const replayed = await fetch(responses[0]!.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: responses[0]!.body });
          expect(replayed.status).toBe(400);
          expect(await replayed.json()).toMatchObject({ error: 'invalid_request' });

          // A declined request is told to the verifier at once.
          const declined = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'seoul-resident' });
          await page.getByRole('button', { name: '목록으로', exact: true }).click();
          await page.getByRole('button', { name: '제시하기' }).click();
          await page.getByLabel('또는 링크 붙여 넣기').fill(declined.body.deepLink);
          await page.getByRole('button', { name: '계속' }).click();
          await page.getByRole('button', { name: '거절' }).click();
          await page.locator('#present-outcome').filter({ hasText: '요청을 거절했습니다.' }).waitFor();
          expect((await send(`${p.verifier.url}/presentation-requests/${declined.body.id}`)).body).toMatchObject({ state: 'failed', result: { walletError: { error: 'access_denied' } } });

          await page.getByRole('button', { name: '제출 기록' }).click();
          const entries = page.locator('.history > li');
          await entries.first().waitFor();
          expect(await entries.evaluateAll((items) => items.map((item) => item.getAttribute('data-outcome')))).toEqual(['declined', 'sent']);
          expect(await entries.nth(1).textContent()).toContain(`${CARD_LABEL}: 만 18세 이상`);
          await screen(page, 'history');
          expect((await storedKeys(page)).filter((key) => key.startsWith('sharing/'))).toHaveLength(2);
          await page.getByRole('button', { name: '기록 모두 지우기' }).click();
          await page.getByRole('alertdialog').getByRole('button', { name: '기록 모두 지우기' }).click();
          await page.getByRole('status').filter({ hasText: '제출 기록을 지웠습니다.' }).waitFor();
          expect((await storedKeys(page)).filter((key) => key.startsWith('sharing/'))).toEqual([]);
          expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toHaveLength(1);
        },
        { on: cameraBrowser },
      );
    } finally {
      await cameraBrowser.close();
      camera.remove();
    }
  });

  it('shows everything a nested claim sends: a request for residence.city lists the whole residence and says it is more than asked', async () => {
    // A verifier of its own (a did:jwk key of this test), served on the verifier's origin (which the app's CSP names):
    // the city's policies ask for residence whole, so only such a verifier asks for a part of it.
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const did = didJwkOf((await exportJWK(publicKey)) as PublicJwk);
    const clientId = `decentralized_identifier:${did}`;
    const base = `${p.verifier.url}/presentation-requests/nested-claim-test`;
    const requestObject = await new SignJWT({
      client_id: clientId,
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: `${base}/response`,
      nonce: 'nested-claim-nonce',
      state: 'nested-claim-state',
      dcql_query: { credentials: [{ id: 'SeoulCitizenCard', format: 'dc+sd-jwt', claims: [{ path: ['residence', 'city'] }] }] },
      verifier_info: [{ format: PURPOSE_VERIFIER_INFO_FORMAT, data: { text: '서울 거주 확인' } }],
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: `${did}#0` })
      .setIssuer(clientId)
      .setAudience('https://self-issued.me/v2')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    await onNewDevice(async (page) => {
      const answers: string[] = [];
      await page.route(`${base}/**`, async (route) => {
        const cors = { 'access-control-allow-origin': '*' };
        if (route.request().method() === 'OPTIONS') return route.fulfill({ status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'accept, content-type' } });
        if (route.request().method() === 'GET') return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/oauth-authz-req+jwt' }, body: requestObject });
        answers.push(route.request().postData() ?? '');
        return route.fulfill({ status: 200, headers: { ...cors, 'content-type': 'application/json' }, body: '{}' });
      });
      await openOffer(page, offer.credential_offer_link);
      await acceptOffer(page, offer.tx_code);
      await page.getByRole('button', { name: '증명서 보기' }).click();
      await page.getByRole('button', { name: '← 목록으로' }).click();
      await page.getByRole('button', { name: '제시하기' }).click();
      await page.getByLabel('또는 링크 붙여 넣기').fill(`openid4vp://?${new URLSearchParams({ client_id: clientId, request_uri: `${base}/request` })}`);
      await page.getByRole('button', { name: '계속' }).click();
      await page.locator('#consent').waitFor();
      expect(await page.locator('#consent-purpose').textContent()).toBe('서울 거주 확인');
      expect(await page.locator('.disclosed li').allTextContents()).toEqual(['거주지 › 시·도: 서울특별시', '거주지 › 시·군·구: 마포구']);
      expect(await page.locator('.discloses-more').textContent()).toBe('요청받은 것보다 많은 정보가 함께 전송됩니다: 거주지 › 시·군·구. 이 증명서는 이 정보를 나누어 보낼 수 없습니다.');
      await screen(page, 'present-discloses-more');
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.locator('.disclosed li').allTextContents()).toEqual(['Residence › City or province: 서울특별시', 'Residence › District: 마포구']);
      expect(await page.locator('.discloses-more').textContent()).toBe('More than was asked will be sent: Residence › District. This credential cannot send only part of it.');
      await page.getByRole('button', { name: '한국어' }).click();
      await page.getByRole('button', { name: '보내기' }).click();
      await page.locator('#present-outcome.success').waitFor();
      // What went out is what the screen listed: the residence disclosure, city and district.
      const vpToken = JSON.parse(new URLSearchParams(answers[0]!).get('vp_token')!) as Record<string, string[]>;
      const presented = credentialFormat('dc+sd-jwt').decode(vpToken['SeoulCitizenCard']![0]!);
      expect(presented.claims).toEqual({ residence: { city: '서울특별시', district: '마포구' } });
    });
  });

  it('says an offer from an issuer the city does not list is not a city issuer: stop by default, or go on with a warning', async () => {
    const credentialIssuer = `${otherVendor.url}/oid4vci/other-vendor`;
    const foreignOffer = `openid-credential-offer://?credential_offer=${encodeURIComponent(
      JSON.stringify({
        credential_issuer: credentialIssuer,
        credential_configuration_ids: ['SeoulCitizenCard_dc_sd_jwt'],
        grants: { [PRE_AUTHORIZED_CODE_GRANT]: { 'pre-authorized_code': 'other-vendor-code', tx_code: { length: 6, input_mode: 'numeric' } } },
      }),
    )}`;
    await onNewDevice(
      async (page) => {
        await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
        await page.getByLabel('또는 링크 붙여 넣기').fill(foreignOffer);
        await page.getByRole('button', { name: '계속' }).click();
        const warning = page.getByRole('alertdialog', { name: '서울시 발급 기관이 아닙니다' });
        await warning.waitFor();
        expect(await warning.getAttribute('data-standing')).toBe('unlisted');
        expect(await page.locator('#not-city-issuer-body').textContent()).toContain(credentialIssuer);
        // Stopping is the default: the focused choice; nothing was asked of that issuer yet.
        expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('그만두기');
        expect(otherVendor.asked).toEqual([]);
        await screen(page, 'receive-not-city-issuer');
        await page.getByRole('button', { name: 'English' }).click();
        await page.getByRole('alertdialog', { name: 'Not a city issuer' }).waitFor();
        await page.getByRole('button', { name: '한국어' }).click();
        await page.getByRole('button', { name: '그만두기' }).click();
        await page.getByRole('heading', { name: '내 증명서' }).waitFor();
        expect(otherVendor.asked).toEqual([]);

        // Another vendor's issuer following the same specifications can be used, never silently.
        await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
        await page.getByLabel('또는 링크 붙여 넣기').fill(foreignOffer);
        await page.getByRole('button', { name: '계속' }).click();
        await page.getByRole('button', { name: '그래도 계속하기' }).click();
        await page.locator('#offer').waitFor();
        expect(await page.locator('#offer-not-city-issuer').textContent()).toBe('주의: 시의 발급 기관 목록에 없는 곳입니다.');
        expect(await page.locator('#offer-from').textContent()).toBe('다른 회사 발급기에서 다음 증명서를 보내려고 합니다.');
        await page.getByLabel('인증번호').fill('123456');
        await page.getByRole('button', { name: '받기', exact: true }).click();
        await page.locator('#receive-error').filter({ hasText: OID4VCI_MESSAGES['oid4vci.grant-refused'].ko }).waitFor();
        expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toEqual([]);
        // A city offer is not questioned.
        const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
        await page.getByRole('button', { name: '← 목록으로' }).click();
        await openOffer(page, offer.credential_offer_link);
        expect(await page.locator('#offer-not-city-issuer').count()).toBe(0);
      },
      { expected: (response) => response.status() === 400 && response.url() === `${otherVendor.url}/oid4vci/other-vendor/token` },
    );
  });

  /** Revokes or suspends at the issuer the credential it issued, as its clerk does. */
  async function changeStatus(encoded: string, statusPurpose: 'revocation' | 'suspension'): Promise<void> {
    const credentialId = credentialFormat('jwt_vc').decode(encoded).id;
    const changed = await postJson(`${p.issuer.url}/credentials/status`, { credentialId, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose }, status: true }, { authorization: `Bearer ${tenant.apiKey}` });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  }

  /** The status badge of the one card on the list once it shows `state` (the list is read again after a refresh). */
  async function listBadge(page: Page, state: 'revoked' | 'suspended'): Promise<string | null> {
    const badge = page.locator(`.cards .card-badge[data-status="${state}"]`);
    await badge.waitFor();
    return badge.textContent();
  }

  it('shows a revoked card as revoked: on the list once the wallet is opened again, without opening the card', async () => {
    const offer = await newOffer('SeoulCitizenCard_jwt_vc_json');
    await onNewDevice(async (page) => {
      const issued = issuedCredentials(page);
      await openOffer(page, offer.credential_offer_link);
      await acceptOffer(page, offer.tx_code);
      expect(issued).toHaveLength(1);
      await page.getByRole('button', { name: '← 목록으로' }).click();
      expect(await page.locator('.cards .card-badge').count()).toBe(0);
      await changeStatus(issued[0]!, 'revocation');
      // Opened again (a reload locks it), the wallet reads every card's status lists: the list says it before the card is opened.
      const lists: string[] = [];
      page.on('request', (request) => request.url().includes('/status-lists/') && lists.push(request.url()));
      await page.reload();
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await page.getByRole('button', { name: '열기', exact: true }).click();
      expect(await listBadge(page, 'revoked')).toBe('취소됨');
      // Whole lists only, each once (the card has a revocation and a suspension entry).
      expect(lists.length).toBe(new Set(lists).size);
      expect(lists.every((url) => /\/status-lists\/[^/?#]+$/.test(url))).toBe(true);
      await screen(page, 'cards-revoked');
      await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).click();
      await page.locator('#card-status-value[data-status="revoked"]').waitFor();
      expect(await page.locator('#card-status-value').textContent()).toBe('취소됨');
      await screen(page, 'card-revoked');
      await page.getByRole('button', { name: 'English' }).click();
      expect(await page.locator('#card-status-value').textContent()).toBe('Revoked');
      await page.getByRole('button', { name: '한국어' }).click();
      await page.getByRole('button', { name: '← 목록으로' }).click();
      expect(await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).textContent()).toContain('취소됨');
    });
  });

  it('marks a suspended card on the list when the device comes back online', async () => {
    const offer = await newOffer('SeoulCitizenCard_jwt_vc_json');
    await onNewDevice(async (page) => {
      const issued = issuedCredentials(page);
      await openOffer(page, offer.credential_offer_link);
      await acceptOffer(page, offer.tx_code);
      await page.getByRole('button', { name: '← 목록으로' }).click();
      await changeStatus(issued[0]!, 'suspension');
      await page.context().setOffline(true);
      await page.waitForFunction(() => !navigator.onLine);
      await page.context().setOffline(false);
      expect(await listBadge(page, 'suspended')).toBe('일시 정지됨');
      await page.getByRole('button', { name: 'English' }).click();
      expect(await listBadge(page, 'suspended')).toBe('Suspended');
    });
  });

  it('follows same-device links: a locked wallet asks the PIN first, then receives both offers of one link; a present link opens the consent screen; bad links are told', async () => {
    const offers = [await newOffer('SeoulCitizenCard_dc_sd_jwt'), await newOffer('SeoulCitizenCard_jwt_vc_json')];
    const receiveLink = `${wallet.url}/#receive?${offers.map((offer) => `offer=${encodeURIComponent(offer.credential_offer_link)}`).join('&')}`;
    await onNewDevice(async (page) => {
      // The page of another service sends the citizen to the wallet, which opens locked.
      await page.goto('about:blank');
      await page.goto(receiveLink);
      await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
      expect(await page.locator('#link-waiting').textContent()).toBe('지갑을 열면 링크로 받은 요청을 이어서 진행합니다.');
      // Read once: the fragment is cleared, so a reload would not run it again.
      expect(await page.evaluate(() => location.hash)).toBe('');
      for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await page.getByRole('button', { name: '열기', exact: true }).click();

      // The first offer, then the second, each with its own transaction code.
      await page.locator('#offer').waitFor();
      expect(await page.locator('#receive-progress').getAttribute('data-index')).toBe('1');
      await screen(page, 'receive-link');
      await page.getByLabel('인증번호').fill(offers[0]!.tx_code);
      await page.getByRole('button', { name: '받기', exact: true }).click();
      await page.locator('#receive-progress[data-index="2"][data-received="1"]').waitFor();
      await page.locator('#offer').waitFor();
      expect(await page.locator('#receive-skip').count()).toBe(0);
      await acceptOffer(page, offers[1]!.tx_code);
      expect(await page.locator('#receive-progress').textContent()).toBe('링크로 받은 제안 2개 중 2번째 · 받은 증명서 2개');
      expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toHaveLength(2);
      await page.getByRole('button', { name: '← 목록으로' }).click();
      await page.locator('.cards > li').nth(1).waitFor();
      expect(await page.locator('.cards > li').count()).toBe(2);

      // A present link followed while the wallet is open: the consent screen, with the request read from the link.
      const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-18' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      await page.evaluate((hash) => (location.hash = hash), `#present?request=${encodeURIComponent(created.body.deepLink)}`);
      await page.locator('#consent').waitFor();
      expect(await page.locator('.disclosed li').first().textContent()).toBe('만 18세 이상: 예');
      expect(await page.evaluate(() => location.hash)).toBe('');
      await page.getByRole('button', { name: '보내기' }).click();
      await page.locator('#present-outcome.success').waitFor();
      expect((await send(`${p.verifier.url}/presentation-requests/${created.body.id}`)).body).toMatchObject({ state: 'fulfilled', result: { verified: true } });

      // Bad links: the flows' own messages, never a blank screen; nothing stored is lost.
      await page.evaluate(() => (location.hash = '#receive?offer=garbage'));
      expect(await page.locator('#receive-error').textContent()).toBe(OID4VCI_MESSAGES['oid4vci.offer-foreign'].ko);
      await page.evaluate((hash) => (location.hash = hash), `#receive?offer=${encodeURIComponent('https://evil.example/offer')}`);
      await page.locator('#receive-error').waitFor();
      expect(await page.locator('#receive-error').textContent()).toBe(OID4VCI_MESSAGES['oid4vci.offer-foreign'].ko);
      await page.evaluate((hash) => (location.hash = hash), `#present?request=${encodeURIComponent(offers[0]!.credential_offer_link)}`);
      expect(await page.locator('#present-error').textContent()).toBe(OID4VP_MESSAGES['oid4vp.request-foreign'].ko);
      await page.evaluate(() => (location.hash = '#present?request=%E0%A4%A'));
      await page.locator('#present-error').waitFor();
      expect(await page.locator('#present-error').textContent()).toBe(OID4VP_MESSAGES['oid4vp.request-foreign'].ko);
      // A used offer followed again is told as gone.
      await page.evaluate((hash) => (location.hash = hash), `#receive?offer=${encodeURIComponent(offers[0]!.credential_offer_link)}`);
      await page.locator('#receive-error').filter({ hasText: OID4VCI_MESSAGES['oid4vci.offer-not-found'].ko }).waitFor();
      expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toHaveLength(2);

      // Reloaded, the wallet asks the PIN and opens on the list: the link is not run again.
      await page.reload();
      expect(await page.locator('#link-waiting').count()).toBe(0);
      for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
      await page.getByRole('button', { name: '열기', exact: true }).click();
      await page.getByRole('heading', { name: '내 증명서' }).waitFor();
    }, { expected: (response) => response.status() === 404 && response.url().includes('/oid4vci/offers/') });
  });

  it('a link that reaches the open wallet tab after its inactivity period ran out (before the idle check saw it) asks the PIN, then continues', async () => {
    const offer = await newOffer('SeoulCitizenCard_jwt_vc_json');
    await onNewDevice(
      async (page) => {
        // A page's link to the wallet's tab is a fragment change (hashchange, no reload). Six minutes later (the
        // default auto-lock is five) and before the idle check ran, as in a background tab whose timers are slowed:
        // the clock moves, no timer fires.
        const loaded = await page.evaluate(() => performance.timeOrigin);
        await page.clock.setSystemTime(Date.now() + 6 * 60_000);
        await page.evaluate((link) => (location.hash = `#receive?offer=${encodeURIComponent(link)}`), offer.credential_offer_link);
        await page.getByRole('heading', { name: '지갑 열기' }).waitFor();
        expect(await page.locator('#link-waiting').textContent()).toBe('지갑을 열면 링크로 받은 요청을 이어서 진행합니다.');
        for (const digit of PIN) await page.getByRole('button', { name: `숫자 ${digit}`, exact: true }).click();
        await page.getByRole('button', { name: '열기', exact: true }).click();
        // The link's offer, in the same document: the tab was not reloaded.
        await page.locator('#offer').waitFor();
        expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
        // The page's time back to the services' (the proof's iat), running again (receiving waits on timers): received.
        await page.clock.setSystemTime(Date.now());
        await page.clock.resume();
        await acceptOffer(page, offer.tx_code);
        expect((await storedKeys(page)).filter((key) => key.startsWith('credential/'))).toHaveLength(1);
      },
      { beforeLoad: (page) => page.clock.install() },
    );
  });

  it('draws a short-lived citycred-vp: QR code of the chosen claims that the employer scanner accepts', async () => {
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    await onNewDevice(
      async (page) => {
        await openOffer(page, offer.credential_offer_link);
        await acceptOffer(page, offer.tx_code);
        await page.getByRole('button', { name: '증명서 보기' }).click();
        await page.getByRole('button', { name: '← 목록으로' }).click();
        await page.getByRole('button', { name: 'QR 보여 주기' }).click();
        await page.getByLabel('만 18세 이상').check();
        await screen(page, 'show-qr-choose');
        await page.getByRole('button', { name: 'QR 만들기' }).click();
        const qr = page.locator('#scan-qr');
        await qr.waitFor();
        expect(await page.locator('#scan-qr-countdown').textContent()).toMatch(/^\d+초 뒤 만료/);
        await screen(page, 'show-qr');

        const text = await readQrCode(browser, await qr.screenshot());
        expect(text.startsWith('citycred-vp:')).toBe(true);
        const scanned = await postJson(`${p.verifier.url}/scan/presentations`, { presentation: text, policy: 'age-over-18' });
        expect(scanned.status, JSON.stringify(scanned.body)).toBe(200);
        expect(scanned.body).toMatchObject({ verified: true, decision: { satisfied: true } });
      },
      { deviceScaleFactor: 3 },
    );
  });
});

/**
 * Another vendor's OpenID4VCI issuer on localhost (a real HTTP server): metadata for a SeoulCitizenCard SD-JWT VC with
 * its own display name, and a token endpoint that refuses every code. Not in the city's directory. `asked` lists the
 * paths it was asked for.
 */
async function startOtherVendorIssuer(): Promise<{ server: Server; url: string; asked: string[] }> {
  const asked: string[] = [];
  let url = '';
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    const headers = { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type, authorization' };
    const issuer = `${url}/oid4vci/other-vendor`;
    const answer = (status: number, body?: unknown) => response.writeHead(status, headers).end(body === undefined ? undefined : JSON.stringify(body));
    if (request.method === 'OPTIONS') return answer(204);
    switch (request.url) {
      case '/.well-known/openid-credential-issuer/oid4vci/other-vendor':
        return answer(200, {
          credential_issuer: issuer,
          credential_endpoint: `${issuer}/credential`,
          display: [{ name: '다른 회사 발급기', locale: 'ko' }, { name: 'Other vendor issuer', locale: 'en' }],
          credential_configurations_supported: {
            SeoulCitizenCard_dc_sd_jwt: { format: 'dc+sd-jwt', vct: `${url}/vct/SeoulCitizenCard`, proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } } },
          },
        });
      case '/.well-known/oauth-authorization-server/oid4vci/other-vendor':
        return answer(200, { issuer, token_endpoint: `${issuer}/token` });
      case '/oid4vci/other-vendor/token':
        return answer(400, { error: 'invalid_grant' });
      default:
        return answer(404, { error: 'not_found' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, asked };
}
