import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The verifier's public pages, each built on its own (`--mode check`, `--mode scan`, `--mode apply`). */
const PAGES = ['check', 'scan', 'apply', 'sign', 'petitions'] as const;
type PageName = (typeof PAGES)[number];

/**
 * The verifier's public pages, Vite + React: the certificate check `/check`, the employer scanner `/scan` and the
 * programs' application pages `/apply/<page>` (one build for every program), served by
 * the verifier (`apps/verifier/src/pages/page-build.ts`). Built by `npm run build` (tools/build.mjs) once per page, with
 * the page's path as base, into `dist/<page>/`: `<page>.html`, and hashed assets under `assets/` that the verifier
 * serves for a year under the page's own Content Security Policy (no inline script or style). The scanner's build has
 * a manifest (`.vite/manifest.json`), from which the verifier lists the files its service worker keeps.
 * Workspace packages resolve to their TypeScript sources (`@citycred/source`); `@citycred/web-ui` is the shared
 * browser library (libs/web-ui).
 */
export default defineConfig(({ mode }) => {
  const page: PageName = (PAGES as readonly string[]).includes(mode) ? (mode as PageName) : 'check';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: `/${page}/`,
    plugins: [react()],
    resolve: {
      conditions: ['@citycred/source', 'module', 'browser', 'production'],
      alias: { '@citycred/web-ui': fileURLToPath(new URL('../../../libs/web-ui/src/index.ts', import.meta.url)) },
    },
    build: {
      outDir: `dist/${page}`,
      emptyOutDir: true,
      assetsInlineLimit: 0,
      // Every browser the city supports preloads modules natively: no polyfill code (and no inline script) in the page.
      modulePreload: { polyfill: false },
      manifest: page === 'scan',
      sourcemap: false,
      rolldownOptions: {
        input: fileURLToPath(new URL(`./${page}.html`, import.meta.url)),
        // The notices of what is bundled inside (NOTICE lists them too), after minification so they stay.
        output: {
          postBanner: `/*! CityCred verifier pages (Apache-2.0). Bundles React, React DOM and scheduler, Copyright (c) Meta Platforms, Inc. and affiliates, MIT License; jsQR 1.4.0, Apache License 2.0${
            // The check page finds the address a did:ethr names (@citycred/formats' didEthrAddress).
            page === 'check' ? '; @noble/curves 1.9.7 and @noble/hashes 1.8.0, Copyright (c) 2022 Paul Miller, MIT License' : ''
          }${
            // The scanner and the application pages draw their QR codes (@citycred/web-ui's QrSvg).
            page === 'check' ? '' : '; node-qrcode 1.5.4, Copyright (c) 2012 Ryan Day, MIT License; dijkstrajs 1.0.3, Copyright (C) 2008 Wyatt Baldwin, MIT License'
          }. See NOTICE. */`,
        },
      },
    },
    // `npx vite apps/verifier/pages-ui --mode check` for development, against a verifier running on :3002.
    server: { proxy: { '/credentials': 'http://127.0.0.1:3002', '/check/settings.json': 'http://127.0.0.1:3002', '/check/issuers': 'http://127.0.0.1:3002', '/presentation-requests': 'http://127.0.0.1:3002', '/apply/api': 'http://127.0.0.1:3002', '/petitions': 'http://127.0.0.1:3002' } },
    logLevel: 'warn',
  };
});
