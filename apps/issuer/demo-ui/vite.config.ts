import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The embedded demo's citizens page: a static Vite + React page the issuer serves at `/demo/citizens` when
 * `DEMO_CITIZENS_FILE` is set (apps/issuer/src/demo/). Built by `npm run build` (tools/build.mjs) into `dist/`, offline;
 * hashed assets and no inline script, so it runs under the page's strict Content Security Policy. `@citycred/web-ui` is
 * the shared browser library (language switch).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/demo/citizens/',
  plugins: [react()],
  resolve: {
    conditions: ['@citycred/source', 'module', 'browser', 'production'],
    alias: { '@citycred/web-ui': fileURLToPath(new URL('../../../libs/web-ui/src/index.ts', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Every browser the city supports preloads modules natively: no polyfill code (and no inline script) in the page.
    modulePreload: { polyfill: false },
    sourcemap: false,
    // The notices of what is bundled inside (NOTICE lists them too), after minification so they stay.
    rolldownOptions: {
      output: {
        postBanner:
          '/*! CityCred demo citizens page (Apache-2.0). Bundles React, React DOM and scheduler, Copyright (c) Meta Platforms, Inc. and affiliates, MIT License; node-qrcode 1.5.4, Copyright (c) 2012 Ryan Day, MIT License; dijkstrajs 1.0.3, Copyright (C) 2008 Wyatt Baldwin, MIT License. See NOTICE. */',
      },
    },
  },
  // `npx vite apps/issuer/demo-ui` for development, against an issuer running on :3001 with DEMO_CITIZENS_FILE set.
  server: { proxy: { '/demo/citizens.json': 'http://127.0.0.1:3001', '^/demo/citizens/[^/]+/offers$': 'http://127.0.0.1:3001' } },
  logLevel: 'warn',
});
