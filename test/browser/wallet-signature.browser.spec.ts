import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialTypeInfo } from '@citycred/credentials/catalogue';
import { startWallet } from '@citycred/wallet';
import { OID4VCI_MESSAGES, OID4VP_MESSAGES } from '@citycred/wallet-core';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from '../support/browser.js';
import { citizenCardSubject, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PIN = '135790';
const CARD_LABEL = credentialTypeInfo('SeoulCitizenCard').labels.ko;

/**
 * A real HTTP relay: forwards every request to `target()` as it came, and hands each answer to `rewrite` (by method and
 * path) before it goes back, or answers `down()`'s status without asking the target.
 */
async function startRelay(target: () => string, options: { rewrite?: (method: string, path: string, body: Buffer) => Buffer; down?: () => number | undefined } = {}): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const refused = options.down?.();
    if (refused !== undefined) {
      response.writeHead(refused, { 'content-type': 'application/problem+json', 'access-control-allow-origin': '*' }).end(JSON.stringify({ status: refused, code: 'service.unavailable' }));
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => name !== 'host' && name !== 'content-length' && name !== 'connection')) as Record<string, string>;
      const method = request.method ?? 'GET';
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target()}${request.url}`, { method, headers, ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}), redirect: 'manual' })
        .then(async (answer) => {
          const received = Buffer.from(await answer.arrayBuffer());
          const payload = options.rewrite ? options.rewrite(method, request.url ?? '', received) : received;
          const out: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) out[name] = value;
          });
          response.writeHead(answer.status, { ...out, 'content-length': String(payload.length) }).end(payload);
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One character of the issuer's signature on the credential (the JWT before the first `~`) changed: still base64url, same length. */
function flipSignatureByte(encoded: string): string {
  const [jwt, ...rest] = encoded.split('~');
  const [header, payload, signature] = jwt!.split('.') as [string, string, string];
  const at = Math.floor(signature.length / 2);
  const flipped = `${signature.slice(0, at)}${signature[at] === 'A' ? 'B' : 'A'}${signature.slice(at + 1)}`;
  return [[header, payload, flipped].join('.'), ...rest].join('~');
}

/**
 * The wallet checks the issuer's signature of what it receives (docs/wallet.md), in Chromium against the whole
 * platform: the issuer behind a real HTTP relay (its `ISSUER_PUBLIC_URL`) that can change a byte of each credential it
 * hands out, and the verifier's DID resolution behind another, which can be down (503) — the wallet's settings name
 * that relay as the verifier.
 */
describe("the wallet checks the issuer's signature of what it receives", { timeout: 180_000 }, () => {
  let p: TestPlatform;
  let issuerRelay: { server: Server; url: string };
  let verifierRelay: { server: Server; url: string };
  let wallet: { server: FastifyInstance; url: string };
  let browser: Browser;
  let tenant: { slug: string; apiKey: string };
  let issuerUrl = '';
  let tamper = false;
  let resolverDown = false;

  beforeAll(async () => {
    issuerRelay = await startRelay(() => issuerUrl, {
      rewrite: (method, path, body) => {
        if (!tamper || method !== 'POST' || !/^\/oid4vci\/[^/]+\/credential$/.test(path)) return body;
        const answer = JSON.parse(body.toString('utf8')) as { credentials?: Array<{ credential: string }> };
        for (const entry of answer.credentials ?? []) entry.credential = flipSignatureByte(entry.credential);
        return Buffer.from(JSON.stringify(answer));
      },
    });
    p = await startTestPlatform('wallet_signature', { issuerEnv: { ISSUER_PUBLIC_URL: issuerRelay.url } });
    issuerUrl = p.issuer.url;
    verifierRelay = await startRelay(() => p.verifier.url, { down: () => (resolverDown ? 503 : undefined) });
    tenant = p.tenants.get('seoul-citizen')!;
    wallet = await startWallet(0, '127.0.0.1', {}, undefined, {
      connectOrigins: [issuerRelay.url, p.verifier.url, verifierRelay.url],
      scannerUrl: verifierRelay.url,
      cityIssuerUrl: issuerRelay.url,
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await wallet?.server.close();
    for (const relay of [issuerRelay, verifierRelay]) {
      relay?.server.closeAllConnections();
      await new Promise((resolve) => (relay ? relay.server.close(resolve) : resolve(undefined)));
    }
    await p?.stop();
  });

  const newOffer = async (configuration: string): Promise<{ credential_offer_link: string; tx_code: string }> => {
    const created = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: configuration, claims: { ...citizenCardSubject } }, { authorization: `Bearer ${tenant.apiKey}` });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };

  /** A new device with the wallet set up; fails on script errors, CSP refusals and 4xx/5xx other than `expected`. */
  async function onNewDevice(run: (page: Page) => Promise<void>, expected: (response: Response) => boolean = () => false): Promise<void> {
    const context = await browser.newContext({ viewport: PHONE });
    const problems: string[] = [];
    try {
      const page = await context.newPage();
      recordFaults(page, problems, { expectedConsoleError: failedLoad, faultyResponse: (response) => response.status() >= 400 && !expected(response) });
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

  async function receive(page: Page, offer: { credential_offer_link: string; tx_code: string }): Promise<void> {
    await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
    await page.getByLabel('또는 링크 붙여 넣기').fill(offer.credential_offer_link);
    await page.getByRole('button', { name: '계속' }).click();
    await page.locator('#offer').waitFor();
    expect(await page.locator('#offer-not-city-issuer').count()).toBe(0);
    await page.getByLabel('인증번호').fill(offer.tx_code);
    await page.getByRole('button', { name: '받기', exact: true }).click();
  }

  const storedCredentials = (page: Page) =>
    page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open('citycred-wallet');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const keys = open.result.transaction('records', 'readonly').objectStore('records').getAllKeys();
            keys.onsuccess = () => {
              open.result.close();
              resolve(keys.result.map(String).filter((key) => key.startsWith('credential/')));
            };
          };
        }),
    );

  it('checks the signature of a credential as it arrives and says so on its card', async () => {
    tamper = false;
    resolverDown = false;
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    await onNewDevice(async (page) => {
      const asked: string[] = [];
      page.on('request', (request) => request.url().startsWith(`${verifierRelay.url}/check/dids/`) && asked.push(request.url()));
      await receive(page, offer);
      await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
      expect(await page.locator('#receive-signature-unchecked').count()).toBe(0);
      await page.getByRole('button', { name: '증명서 보기' }).click();
      await page.locator('#card-signature[data-state="verified"]').waitFor();
      expect(await page.locator('#card-signature').textContent()).toBe('확인됨');
      // The verifier was asked about the issuer's DID, and nothing else.
      expect(asked.length).toBeGreaterThan(0);
      expect(new Set(asked)).toEqual(new Set([`${verifierRelay.url}/check/dids/${encodeURIComponent((p.tenants.get('seoul-citizen') as { did: string }).did)}`]));
    });
  });

  it('refuses a credential changed on its way (a byte of its signature flipped by the relay): a clear message, nothing stored', async () => {
    tamper = true;
    resolverDown = false;
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    try {
      await onNewDevice(async (page) => {
        await receive(page, offer);
        const alert = page.locator('#receive-error');
        await alert.waitFor();
        expect(await alert.textContent()).toBe(OID4VCI_MESSAGES['oid4vci.issuer-signature-invalid'].ko);
        expect(await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).count()).toBe(0);
        expect(await storedCredentials(page)).toEqual([]);
        await page.getByRole('button', { name: '← 목록으로' }).first().click();
        await page.getByRole('heading', { name: '내 증명서' }).waitFor();
        expect(await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).count()).toBe(0);
      });
    } finally {
      tamper = false;
    }
  });

  it('keeps a credential "signature not checked yet" when the verifier is down, and checks it when its card opens later', async () => {
    resolverDown = true;
    const offer = await newOffer('SeoulCitizenCard_jwt_vc_json');
    await onNewDevice(
      async (page) => {
        await receive(page, offer);
        await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
        expect(await page.locator('#receive-signature-unchecked').textContent()).toContain('서명 미확인');
        await page.getByRole('button', { name: '증명서 보기' }).click();
        await page.locator('#card-signature[data-state="unchecked"]').waitFor();
        expect(await page.locator('#card-signature').textContent()).toBe('서명 미확인');
        await page.getByRole('button', { name: '← 목록으로' }).click();

        resolverDown = false;
        await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).click();
        await page.locator('#card-signature[data-state="verified"]').waitFor();
        expect(await page.locator('#card-signature').textContent()).toBe('확인됨');
      },
      (response) => response.status() === 503 && response.url().startsWith(`${verifierRelay.url}/check/dids/`),
    );
  });

  it('keeps a changed credential unchecked while the verifier is down; the verifier then refuses its presentation, and its card says the signature does not match', async () => {
    resolverDown = true;
    tamper = true;
    const offer = await newOffer('SeoulCitizenCard_dc_sd_jwt');
    try {
      await onNewDevice(
        async (page) => {
          await receive(page, offer);
          await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
          expect(await page.locator('#receive-signature-unchecked').count()).toBe(1);
          await page.getByRole('button', { name: '← 목록으로' }).click();

          const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'age-over-18' });
          await page.getByRole('button', { name: '제시하기' }).click();
          await page.getByLabel('또는 링크 붙여 넣기').fill(created.body.deepLink);
          await page.getByRole('button', { name: '계속' }).click();
          await page.getByRole('button', { name: '보내기' }).click();
          const alert = page.getByRole('alert').filter({ hasText: OID4VP_MESSAGES['oid4vp.response-refused'].ko });
          await alert.waitFor();
          expect(await alert.textContent()).toMatch(/확인하는 곳이 밝힌 이유: .*signature did not verify/);
          await page.getByRole('button', { name: '← 목록으로' }).first().click();

          resolverDown = false;
          await page.getByRole('button', { name: new RegExp(CARD_LABEL) }).click();
          await page.locator('#card-signature[data-state="invalid"]').waitFor();
          expect(await page.locator('#card-signature').textContent()).toContain('서명이 맞지 않습니다');
        },
        (response) =>
          (response.status() === 503 && response.url().startsWith(`${verifierRelay.url}/check/dids/`)) ||
          (response.status() === 400 && response.url().endsWith('/response')) ||
          // The issuer never issued the changed bytes: it has no anchor proof for them.
          (response.status() === 404 && response.url().includes('/anchors/proofs/')),
      );
    } finally {
      tamper = false;
      resolverDown = false;
    }
  });
});
