// Builds every project: compiles the Solidity contracts, then transpiles each project's
// src/**/*.ts to dist/ with SWC (which, unlike esbuild, emits the decorator metadata Nest needs).
// Type checking is a separate step (`npm run typecheck`, part of `npm test`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformFile } from '@swc/core';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// libs/web-ui is browser code (React, .tsx) that only Vite bundles: nothing runs it from a dist/.
const BUNDLED_ONLY = new Set(['libs/web-ui']);
const projects = ['anchors', ...['apps', 'libs'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p)))].filter((p) => !BUNDLED_ONLY.has(p));
const isTest = (f) => /\.(spec|int\.spec|e2e\.spec)\.ts$/.test(f);

execFileSync(process.execPath, [join(root, 'anchors/scripts/compile.mjs')], { stdio: 'inherit' });

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) yield* walk(full);
    else yield full;
  }
}

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: true,
};

let files = 0;
for (const project of projects) {
  const src = join(root, project, 'src');
  if (!existsSync(src)) continue;
  const dist = join(root, project, 'dist');
  rmSync(dist, { recursive: true, force: true });
  for (const file of walk(src)) {
    const rel = relative(src, file);
    const out = join(dist, rel);
    mkdirSync(dirname(out), { recursive: true });
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
      if (isTest(file)) continue;
      const { code, map } = await transformFile(file, { ...swcOptions, filename: file });
      const jsOut = out.replace(/\.ts$/, '.js');
      writeFileSync(jsOut, `${code}\n//# sourceMappingURL=${jsOut.split('/').pop()}.map\n`);
      if (map) writeFileSync(`${jsOut}.map`, map);
      files += 1;
    } else {
      cpSync(file, out);
    }
  }
}
console.log(`build: ${files} TypeScript files transpiled in ${projects.length} projects`);

// The issuer console (apps/issuer/console-ui): a Vite + React app bundled into its own dist/, which the issuer
// serves at /console. Vite resolves everything from node_modules, so this works offline.
const { build: viteBuild } = await import('vite');
const consoleUi = join(root, 'apps/issuer/console-ui');
await viteBuild({ root: consoleUi, configFile: join(consoleUi, 'vite.config.ts'), logLevel: 'warn' });
console.log(`build: issuer console bundled into ${relative(root, join(consoleUi, 'dist'))}`);
// The employer console (same project, `--mode employer`), which the issuer serves at /employer: after the console,
// whose build empties dist/.
await viteBuild({ root: consoleUi, configFile: join(consoleUi, 'vite.config.ts'), mode: 'employer', logLevel: 'warn' });
console.log(`build: employer console bundled into ${relative(root, join(consoleUi, 'dist/employer'))}`);

// The embedded demo's citizens page (apps/issuer/demo-ui): Vite + React into its own dist/, which the issuer serves at
// /demo/citizens only when npm start sets DEMO_CITIZENS_FILE (apps/issuer/src/demo/).
const demoUi = join(root, 'apps/issuer/demo-ui');
await viteBuild({ root: demoUi, configFile: join(demoUi, 'vite.config.ts'), logLevel: 'warn' });
console.log(`build: demo citizens page bundled into ${relative(root, join(demoUi, 'dist'))}`);

// The verifier's public pages (apps/verifier/pages-ui): Vite + React, one build per page — /check, /scan and /apply, each with
// its own base — into pages-ui/dist/<page>/, which the verifier serves (apps/verifier/src/pages/page-build.ts).
const pagesUi = join(root, 'apps/verifier/pages-ui');
for (const page of ['check', 'scan', 'apply', 'sign', 'petitions']) {
  await viteBuild({ root: pagesUi, configFile: join(pagesUi, 'vite.config.ts'), mode: page, logLevel: 'warn' });
}
console.log(`build: verifier pages /check, /scan, /apply, /sign and /petitions bundled into ${relative(root, join(pagesUi, 'dist'))}`);

// The citizen wallet (apps/wallet/web): a Vite + React PWA into web/dist/, which the wallet server serves at / with its
// manifest, icons and service worker (apps/wallet/src/web-files.ts).
const walletWeb = join(root, 'apps/wallet/web');
await viteBuild({ root: walletWeb, configFile: join(walletWeb, 'vite.config.ts'), logLevel: 'warn' });
console.log(`build: citizen wallet bundled into ${relative(root, join(walletWeb, 'dist'))}`);

// The employer scanner's offline verifier (apps/verifier/src/scan/offline): a browser module in Vite's library mode,
// one ES module with its dependencies (@citycred/formats, @citycred/status-list, the policies, @noble/*, fflate)
// inside, which the verifier serves at /scan/offline.js. Workspace packages resolve to their TypeScript sources.
const offlineOut = join(root, 'apps/verifier/dist/scan-offline');
await viteBuild({
  configFile: false,
  root,
  logLevel: 'warn',
  resolve: { conditions: ['@citycred/source', 'module', 'browser', 'production'] },
  build: {
    lib: { entry: join(root, 'apps/verifier/src/scan/offline/index.ts'), formats: ['es'], fileName: () => 'offline.js' },
    outDir: offlineOut,
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    // Served as it is, never bundled again: minified whole (Vite's library mode keeps white space in ES output). It
    // starts with the MIT notices of what is bundled inside (NOTICE lists them too).
    rolldownOptions: {
      output: {
        minify: true,
        postBanner:
          '/*! CityCred scanner offline verifier (Apache-2.0). Bundles @noble/curves and @noble/hashes, Copyright (c) 2022 Paul Miller, MIT License; fflate, Copyright (c) 2026 Arjun Barrett, MIT License. See NOTICE. */',
      },
    },
  },
});
console.log(`build: scanner's offline verifier bundled into ${relative(root, join(offlineOut, 'offline.js'))}`);
