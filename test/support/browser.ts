import { chromium, type Browser, type Page, type Response } from 'playwright-core';

/** Debian's Chromium, which the browser tests drive with playwright-core. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, sandbox off (containers), and nothing Chromium would fetch on its own. */
export const CHROMIUM_FLAGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** A phone's viewport (CSS pixels), as the pages are mostly used. */
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Starts Chromium for a test.
 * @param flags - added to {@link CHROMIUM_FLAGS}, e.g. a fake camera's (test/support/fake-camera.ts)
 */
export function launchChromium(flags: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...flags] });
}

/** Which of a page's events {@link recordFaults} takes for faults. */
export interface FaultFilter {
  /** Console errors that are expected, not faults (default: none is). */
  expectedConsoleError?: (text: string) => boolean;
  /** Whether an answer is a fault (default: any status from 400). */
  faultyResponse?: (response: Response) => boolean;
}

/**
 * Chromium's own console line for a request answered with an error, which the page may expect (the verifier's 400 for
 * a credential that fails, a fetch the test made fail): the response itself is judged by `faultyResponse`.
 */
export const failedLoad = (text: string): boolean => text.startsWith('Failed to load resource');

/**
 * Records on `page` script errors, console errors (a refused Content Security Policy among them) and faulty answers
 * (a missing file) into `problems`, so that a test can fail on them too.
 */
export function recordFaults(page: Page, problems: string[], { expectedConsoleError = () => false, faultyResponse = (response) => response.status() >= 400 }: FaultFilter = {}): void {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedConsoleError(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (faultyResponse(response)) problems.push(`${response.status()} ${response.url()}`);
  });
}

/**
 * The same-origin files a page's HTML names (`src` and `href` under `prefix`: its entry script, its style sheet, the
 * modules it preloads), as the verifier serves the page now.
 * @param pageUrl - e.g. `http://127.0.0.1:3002/scan`
 * @param prefix - the page's own folder, e.g. `/scan/`
 */
export async function filesNamedBy(pageUrl: string, prefix: string): Promise<string[]> {
  const html = await (await fetch(pageUrl)).text();
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, path]) => path!).filter((path) => path.startsWith(prefix));
}
