import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWallet } from '@citycred/wallet';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { repo } from './launcher.js';
import { postJson, type TestPlatform } from './platform.js';

/** A demo citizen as config/demo-citizens.json holds them (the members the tests read). */
export interface DemoCitizen {
  id: string;
  name: string;
  credentials: { SeoulCitizenCard: Record<string, unknown> & { personId: string; birthDate: string; residence: { city: string; district: string } } };
}

/** The demo citizens of config/demo-citizens.json, in its order. */
export function demoCitizens(): DemoCitizen[] {
  return (JSON.parse(readFileSync(join(repo, 'config/demo-citizens.json'), 'utf8')) as { citizens: DemoCitizen[] }).citizens;
}

/**
 * Serves the real citizen wallet on 127.0.0.1:`port`, allowed to connect to the platform's issuer and verifier, with
 * the verifier's scanner and the city's issuer as its defaults.
 */
export function startPlatformWallet(port: number, p: TestPlatform): Promise<{ server: FastifyInstance; url: string }> {
  return startWallet(port, '127.0.0.1', {}, undefined, {
    connectOrigins: [new URL(p.issuer.url).origin, new URL(p.verifier.url).origin],
    scannerUrl: p.verifier.url,
    cityIssuerUrl: p.issuer.url,
  });
}

/**
 * The real citizen wallet (served at `walletUrl`) in a new tab of `phone`: created with a new `pin`, then the citizen's
 * card received by the offer link the city's clerk gives (`seoul-citizen` offers a SeoulCitizenCard with `card`'s
 * claims; its transaction code typed); with `backToList`, back on the list once the card is shown. The card is then
 * anchored (the issuer's worker runs once).
 * @returns the wallet's tab
 */
export async function walletWithCitizenCard(
  p: TestPlatform,
  phone: BrowserContext,
  { walletUrl, pin, card, backToList = false }: { walletUrl: string; pin: string; card: unknown; backToList?: boolean },
): Promise<Page> {
  const city = p.tenants.get('seoul-citizen')!;
  const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: 'SeoulCitizenCard_dc_sd_jwt', claims: card }, { authorization: `Bearer ${city.apiKey}` });
  expect(offer.status, JSON.stringify(offer.body)).toBe(201);
  const page = await phone.newPage();
  await page.goto(walletUrl);
  await page.getByLabel('새 PIN').fill(pin);
  await page.getByLabel('PIN 다시 입력').fill(pin);
  await page.getByRole('button', { name: '지갑 만들기' }).click();
  await page.getByRole('heading', { name: '내 증명서' }).waitFor();
  await page.getByRole('button', { name: '받기 (QR 스캔)' }).click();
  await page.getByLabel('또는 링크 붙여 넣기').fill(offer.body.credential_offer_link);
  await page.getByRole('button', { name: '계속' }).click();
  await page.locator('#offer').waitFor();
  await page.getByLabel('인증번호').fill(offer.body.tx_code);
  await page.getByRole('button', { name: '받기', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '증명서를 받아 지갑에 보관했습니다.' }).waitFor();
  if (backToList) {
    await page.getByRole('button', { name: '← 목록으로' }).click();
    await page.locator('.cards > li').first().waitFor();
  }
  await p.worker.runOnce();
  return page;
}
