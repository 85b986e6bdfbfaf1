import { resolve } from 'node:path';
import { FixedClock } from '@citycred/config';
import { generateHolderKeyPair, holderKeyOf, Oid4vciClient, Oid4vpClient, publicJwkOf, type HolderKey, type WalletCredential, type WalletTransport } from '@citycred/wallet-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

/*
 * The embedded demo's citizens over HTTP (issue 18): the issuer started with DEMO_CITIZENS_FILE and WALLET_URL, as
 * npm start starts it, serves the demo page and has every agency offer a demo citizen their credentials in one
 * request; the offers are redeemed by the wallet core as the wallet does it from the receive link, and the credentials
 * answer the Youth Allowance's OpenID4VP request with the outcome the citizen is made for. Without DEMO_CITIZENS_FILE
 * (production) no demo route exists. Needs `npm run build` (the page's build).
 */

const DEMO_CITIZENS_FILE = resolve(import.meta.dirname, '../../config/demo-citizens.json');
const WALLET_URL = 'http://127.0.0.1:3003';

describe('the demo citizens page, where npm start sets DEMO_CITIZENS_FILE', () => {
  let p: TestPlatform;
  // Never advances: the rate limit's bucket is not refilled while the test runs (the last case empties it).
  const clock = new FixedClock(new Date());

  beforeAll(async () => {
    p = await startTestPlatform('demo_citizens', {
      clock,
      issuerEnv: { DEMO_CITIZENS_FILE, WALLET_URL, RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '80' },
    });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
  });
  afterAll(async () => p?.stop());

  it('serves the page under its own strict policy, with its script', async () => {
    const page = await send(`${p.issuer.url}/demo/citizens`);
    expect(page.status).toBe(200);
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('<title>데모 시민</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const script = /src="(\/demo\/citizens\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await send(`${p.issuer.url}${script}`);
    expect([asset.status, asset.type, asset.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect((await send(`${p.issuer.url}/demo/citizens/assets/nothing.js`)).status).toBe(404);
  });

  it('lists the citizens with their expected outcomes and the wallet it opens, not their claims', async () => {
    const list = await getJson(`${p.issuer.url}/demo/citizens.json`);
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    expect(list.body.walletUrl).toBe(WALLET_URL);
    expect(list.body.citizens.find((citizen: { id: string }) => citizen.id === 'kim-seoyeon')).toMatchObject({ name: '김서연', youthAllowance: 'eligible' });
    expect(list.body.citizens.find((citizen: { id: string }) => citizen.id === 'han-yerin')).toMatchObject({ youthAllowance: 'income.household-median' });
    expect(JSON.stringify(list.body)).not.toContain('personId');
  });

  /** Receives every offer of a wallet link as the wallet does: one after another, with one holder key. */
  async function receiveAll(walletLink: string, holder: HolderKey, transport: WalletTransport): Promise<WalletCredential[]> {
    expect(walletLink.startsWith(`${WALLET_URL}/#receive?`)).toBe(true);
    const links = new URLSearchParams(new URL(walletLink).hash.slice('#receive?'.length)).getAll('offer');
    const issuing = new Oid4vciClient(transport);
    const held: WalletCredential[] = [];
    for (const link of links) {
      const [received] = await issuing.receive(await issuing.prepare(link), { holder });
      held.push(received!.record);
    }
    return held;
  }

  /** Applies for the Youth Allowance with the held credentials over OpenID4VP; the verifier's decision. */
  async function apply(held: WalletCredential[], holder: HolderKey, transport: WalletTransport) {
    const created = await postJson(`${p.verifier.url}/presentation-requests`, { policy: 'youth-allowance-2026' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const presenting = new Oid4vpClient(transport);
    const request = await presenting.open(created.body.deepLink);
    const match = presenting.match(request, held);
    expect(match.satisfiable).toBe(true);
    const choice = Object.fromEntries(match.queries.map((query) => [query.query.id, [query.candidates[0]!.credential.id]]));
    await presenting.present(request, match, choice, holder);
    const state = (await getJson(`${p.verifier.url}/presentation-requests/${created.body.id}`)).body;
    // A refusal is a decision too: the request is then `failed`, its errors naming the failed criteria.
    expect(state.state, JSON.stringify(state.result?.errors)).toBe(state.result?.decision?.satisfied ? 'fulfilled' : 'failed');
    return state.result.decision as { satisfied: boolean; criteria: Array<{ id: string; result: string }> };
  }

  it.each([
    ['kim-seoyeon', 5, []],
    ['han-yerin', 4, ['income.household-median']],
  ] as const)('has every agency offer %s their credentials (no transaction code), which the wallet redeems and which decide as expected', async (id, count, failed) => {
    // As the page asks: a POST without a body.
    const res = await send(`${p.issuer.url}/demo/citizens/${id}/offers`, { method: 'POST' });
    expect(res.status, res.text).toBe(201);
    expect(res.cacheControl).toBe('no-store');
    expect(res.body.offers).toHaveLength(count);
    for (const offer of res.body.offers) {
      expect(offer.tx_code).toBeUndefined();
      expect(offer.credential_offer_link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    }
    expect(res.body.offers[0]).toMatchObject({ type: 'SeoulCitizenCard', tenant: 'seoul-citizen', labels: { ko: '서울시민카드' } });

    const clockTransport: WalletTransport = { fetch: (input, init) => fetch(input, init), clock };
    const keys = await generateHolderKeyPair();
    const holder = holderKeyOf(keys.privateKey, await publicJwkOf(keys.publicKey));
    const held = await receiveAll(res.body.walletLink, holder, clockTransport);
    expect(held).toHaveLength(count);
    // Each offer is single-use: its link no longer answers once redeemed.
    expect((await getJson(`${p.issuer.url}/oid4vci/offers/${res.body.offers[0].offerId}`)).status).toBe(404);

    const decision = await apply(held, holder, clockTransport);
    expect(decision.criteria.filter((criterion) => criterion.result === 'failed').map((criterion) => criterion.id)).toEqual(failed);
    expect(decision.satisfied).toBe(failed.length === 0);
  });

  it('answers an unknown citizen 404 demo.citizen-not-found, as problem+json', async () => {
    const res = await postJson(`${p.issuer.url}/demo/citizens/hong-gildong/offers`, {});
    expect([res.status, res.body.code]).toEqual([404, 'demo.citizen-not-found']);
    expect(res.type).toMatch(/^application\/problem\+json/);
  });

  it('limits how fast one client makes offers: 429 problem', async () => {
    let last: Awaited<ReturnType<typeof postJson>> | undefined;
    for (let i = 0; i < 100 && last?.status !== 429; i += 1) last = await postJson(`${p.issuer.url}/demo/citizens/hong-gildong/offers`, {});
    expect([last!.status, last!.body.code]).toEqual([429, 'request.rate-limited']);
    expect(last!.type).toMatch(/^application\/problem\+json/);
  });
});

describe('the issuer without DEMO_CITIZENS_FILE (production)', () => {
  let p: TestPlatform;

  beforeAll(async () => {
    p = await startTestPlatform('demo_citizens_off', { issuerEnv: { WALLET_URL } });
  });
  afterAll(async () => p?.stop());

  it('has no demo route: the page, the list and the offers all answer 404 problem+json', async () => {
    for (const res of [
      await send(`${p.issuer.url}/demo/citizens`),
      await send(`${p.issuer.url}/demo/citizens.json`),
      await send(`${p.issuer.url}/demo/citizens/kim-seoyeon/offers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text).code).toBe('request.not-found');
    }
  });
});
