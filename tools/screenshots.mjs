// Refreshes the screenshots in docs/screenshots (console-*.png, check-page*.png, check-camera-phone.png, check-pdf-phone.png,
// scan-page-*.png, scan-camera-phone.png, scan-offline-phone.png, apply-page*.png, demo-citizens*.png, wallet-*-phone.png, facility-demo-*-phone.png,
// and the labour journey's wallet-contract-*-phone.png, wallet-attend-*-phone.png, wallet-labor-*-phone.png and scan-page-labor-work-history.png): builds
// (the console's bundle is what the issuer serves), then runs the browser tests that visit every console screen, the
// verifier's check page and the wallet's screens, with SCREENSHOTS_DIR pointing there. Needs Debian's chromium and fonts-noto-cjk.
//
// `node tools/screenshots.mjs` runs them all (minutes); `node tools/screenshots.mjs labor-worker-journey wallet` runs only the
// specs whose file name contains one of the words, so a new screen's shots can be taken without rewriting the others.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** The browser specs that write screenshots when SCREENSHOTS_DIR is set. */
const specs = [
  'test/browser/console-screens.browser.spec.ts',
  'test/browser/check-page.browser.spec.ts',
  'test/browser/check-qr-input.browser.spec.ts',
  'test/browser/scan-page.browser.spec.ts',
  'test/browser/scan-camera.browser.spec.ts',
  'test/browser/scan-offline.browser.spec.ts',
  'test/browser/apply-page.browser.spec.ts',
  'test/browser/demo-citizens.browser.spec.ts',
  'test/browser/wallet.browser.spec.ts',
  'test/browser/wallet-flows.browser.spec.ts',
  'test/browser/facility-sign-in.browser.spec.ts',
  'test/browser/labor-worker-journey.browser.spec.ts',
];
const filters = process.argv.slice(2);
const chosen = filters.length === 0 ? specs : specs.filter((spec) => filters.some((word) => spec.split('/').pop().includes(word)));
if (chosen.length === 0) {
  console.error(`No screenshot spec matches ${filters.join(', ')}; they are:\n  ${specs.join('\n  ')}`);
  process.exit(2);
}
execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...chosen], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOTS_DIR: join(root, 'docs/screenshots') },
});
