import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The issuer console: a static single-page app served by the issuer at `/console` (see
 * `apps/issuer/src/console-ui-static.ts`). Built by `npm run build` (tools/build.mjs) into `dist/`, offline.
 * Hashed asset names let the issuer cache them for a year; no inline script, so the page runs under a strict CSP.
 * `@citycred/web-ui` is the shared browser library (the QR code).
 *
 * `--mode employer` builds the employer console instead (`employer.html`, `src/employer/`): the same project, sign-in,
 * API client and messages, served by the issuer at `/employer` from `dist/employer/` (built after the console, whose
 * build empties `dist/`).
 */
export default defineConfig(({ mode }) => {
  const employer = mode === 'employer';
  return {
    root: fileURLToPath(new URL('.', import.meta.url)),
    base: employer ? '/employer/' : '/console/',
    plugins: [react()],
    resolve: {
      conditions: ['@citycred/source', 'module', 'browser', 'production'],
      alias: { '@citycred/web-ui': fileURLToPath(new URL('../../../libs/web-ui/src/index.ts', import.meta.url)) },
    },
    build: {
      outDir: employer ? 'dist/employer' : 'dist',
      emptyOutDir: true,
      assetsInlineLimit: 0,
      // Every browser the city supports preloads modules natively: no polyfill code in the bundle.
      modulePreload: { polyfill: false },
      sourcemap: false,
      ...(employer ? { rolldownOptions: { input: fileURLToPath(new URL('./employer.html', import.meta.url)) } } : {}),
    },
    // `npx vite apps/issuer/console-ui` for development: the API of an issuer running on :3001, same origin for the cookie.
    server: { proxy: { '/console/api': 'http://127.0.0.1:3001' } },
    logLevel: 'warn',
  };
});
