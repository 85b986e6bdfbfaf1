// Refreshes the screenshots in docs/screenshots (console-*.png, check-page*.png, check-camera-phone.png, check-pdf-phone.png,
// scan-page-*.png, scan-camera-phone.png, scan-offline-phone.png, apply-page*.png, demo-citizens*.png, wallet-*-phone.png, facility-demo-*-phone.png): builds (the console's bundle is
// what the issuer serves), then runs the browser tests that visit every console screen and the verifier's check
// page, with SCREENSHOTS_DIR pointing there. Needs Debian's chromium and fonts-noto-cjk.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/browser/console-screens.browser.spec.ts', 'test/browser/check-page.browser.spec.ts', 'test/browser/check-qr-input.browser.spec.ts', 'test/browser/scan-page.browser.spec.ts', 'test/browser/scan-camera.browser.spec.ts', 'test/browser/scan-offline.browser.spec.ts', 'test/browser/apply-page.browser.spec.ts', 'test/browser/demo-citizens.browser.spec.ts', 'test/browser/wallet.browser.spec.ts', 'test/browser/wallet-flows.browser.spec.ts', 'test/browser/facility-sign-in.browser.spec.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, SCREENSHOTS_DIR: join(root, 'docs/screenshots') },
});
