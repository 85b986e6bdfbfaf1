import { randomBytes } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { presentSdJwt } from '@citycred/formats';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { failedLoad, launchChromium, PHONE, recordFaults } from './browser.js';
import { postJson, startTestPlatform, type TestPlatform } from './platform.js';
import { anchorCodeOf, issueSdJwtCitizenCard, walletKey } from './wallet.js';


/**
 * The employer scanner offline, as the browser tests drive it (docs/presentations.md, "Offline scanning"): a whole
 * platform whose verifier already scanned the worker's SD-JWT citizen card online once, so it knows the card's status
 * list and the offline bundle carries it.
 */
export interface OfflineScanner {
  readonly platform: TestPlatform;
  /** The platform's clock, set to the chain's latest block when it started. */
  readonly clock: FixedClock;
  /**
   * The QR code's text the wallet shows at `at`: the card with `disclose`, key-bound to this scanner over a fresh nonce;
   * with `{anchorProof: true}`, followed by the card's anchor code (`#…`), as a wallet that holds the proof shows it.
   */
  walletQr(disclose: string[], at: Date, options?: { anchorProof?: boolean }): Promise<string>;
  /**
   * Runs `test` on /scan at phone size in a browser of its own (started with `flags`: a fake camera's) whose clock
   * reads `browserTime`, and fails when the page had script errors, CSP refusals or failed requests (but the fetches
   * that fail because the test took the network away, and the console errors `options.expectedErrors` matches).
   * `options.beforeLoad` runs on the context before the page is opened.
   */
  onScanPage(flags: readonly string[], browserTime: Date, test: (page: Page, context: BrowserContext) => Promise<void>, options?: ScanPageOptions): Promise<void>;
  stop(): Promise<void>;
}

/** What a test changes of {@link OfflineScanner.onScanPage}'s browser. */
export interface ScanPageOptions {
  /** Runs on the browser's context before /scan is opened (routes, init scripts, listeners). */
  beforeLoad?: (context: BrowserContext) => Promise<unknown>;
  /** Console errors the test causes on purpose, which the browser itself writes. */
  expectedErrors?: RegExp;
}

/**
 * Starts the platform (database named after `label`), issues the worker's card and scans it online once.
 * @throws when issuing or the online scan fails (an assertion)
 */
export async function startOfflineScanner(label: string): Promise<OfflineScanner> {
  const clock = new FixedClock(new Date());
  const holder = walletKey();
  const platform = await startTestPlatform(label, { clock });
  try {
    clock.set(new Date(Number((await platform.provider.getBlock('latest'))!.timestamp) * 1000));
    const card = await issueSdJwtCitizenCard(platform, holder.jwk);
    await platform.worker.runOnce();
    const { suffix } = await anchorCodeOf(platform, card);
    const walletQr = async (disclose: string[], at: Date, options: { anchorProof?: boolean } = {}) =>
      `citycred-vp:${await presentSdJwt(card, {
        disclose,
        kb: { signer: holder.signer, nonce: randomBytes(16).toString('base64url'), aud: `${platform.verifier.url}/scan`, iat: at },
      })}${options.anchorProof ? suffix : ''}`;
    const online = await postJson(`${platform.verifier.url}/scan/presentations`, { presentation: await walletQr(['ageOver18'], clock.now()), policy: 'age-over-18' });
    expect(online.status, JSON.stringify(online.body)).toBe(200);
    return { platform, clock, walletQr, onScanPage: (...args) => onScanPage(platform.verifier.url, ...args), stop: () => platform.stop() };
  } catch (error) {
    await platform.stop();
    throw error;
  }
}

async function onScanPage(
  verifierUrl: string,
  flags: readonly string[],
  browserTime: Date,
  test: (page: Page, context: BrowserContext) => Promise<void>,
  { beforeLoad, expectedErrors }: ScanPageOptions = {},
): Promise<void> {
  const browser = await launchChromium(flags);
  const problems: string[] = [];
  try {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.clock.setFixedTime(browserTime);
    recordFaults(page, problems, { expectedConsoleError: (text) => failedLoad(text) || expectedErrors?.test(text) === true });
    await beforeLoad?.(context);
    await page.goto(`${verifierUrl}/scan`);
    await test(page, context);
  } finally {
    await browser.close();
  }
  expect(problems).toEqual([]);
}

/** The outcome panel once shown: green or red, its headline, its reasons and its offline note. */
export async function outcomeOn(page: Page): Promise<{ outcome: string | null; headline: string | null; reasons: string[]; note: string | null }> {
  const panel = page.locator('#outcome');
  await panel.waitFor();
  return {
    outcome: await panel.getAttribute('data-outcome'),
    headline: await panel.locator('h2').textContent(),
    reasons: await panel.locator('.reason, .plain-reason').allTextContents(),
    note: await panel.locator('.offline-note').textContent(),
  };
}

/** Waits until the page shows the offline data it keeps (in Korean: "… 기준 오프라인 데이터 (…)"). */
export async function offlineDataShown(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('#offline-status')?.textContent?.includes('기준 오프라인 데이터'));
}
