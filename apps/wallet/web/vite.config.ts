import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The citizen wallet's web app (docs/wallet.md), Vite + React, served by the wallet server (`apps/wallet/src/server.ts`)
 * at `/`. Built by `npm run build` (tools/build.mjs) into `dist/`: `index.html` and hashed assets under `assets/`,
 * which the server serves for a year under its Content Security Policy (no inline script or style) and the service
 * worker keeps for offline use. Workspace packages resolve to their TypeScript sources (`@citycred/source`):
 * `@citycred/wallet-core` (vault, keys, storage), `@citycred/formats` (decoding), `@citycred/credentials/catalogue`
 * (type labels) and `@citycred/web-ui` (language switch).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
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
    // One bundle of about 725 KB (React, the format library with @sd-jwt and @noble, zod, jsQR, qrcode, the labour rules
    // and screens): the service worker keeps it.
    chunkSizeWarningLimit: 760,
    rolldownOptions: {
      input: fileURLToPath(new URL('./index.html', import.meta.url)),
      output: {
        postBanner:
          '/*! CityCred citizen wallet (Apache-2.0). Bundles React, React DOM and scheduler, Copyright (c) Meta Platforms, Inc. and affiliates, MIT License; @noble/curves and @noble/hashes, Copyright (c) 2022 Paul Miller, MIT License; zod, Copyright (c) 2025 Colin McDonnell, MIT License; @sd-jwt (OpenWallet Foundation), Apache License 2.0; jsQR, Apache License 2.0; qrcode, Copyright (c) 2012 Ryan Day, and dijkstrajs, Copyright (C) 2008 Wyatt Baldwin, MIT License. See NOTICE. */',
      },
    },
  },
  // `npx vite apps/wallet/web` for development.
  logLevel: 'warn',
});
