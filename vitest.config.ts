import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

/**
 * One vitest run covers every tier: unit (`*.spec.ts`), integration against the real local chain
 * and database (`*.int.spec.ts`) and cross-app end-to-end (`test/**\/*.e2e.spec.ts`).
 * SWC transpiles the TypeScript so Nest's decorator metadata is emitted (esbuild does not).
 * The `@citycred/source` condition makes workspace packages resolve to their TypeScript sources.
 */
export default defineConfig({
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
    }),
  ],
  resolve: { conditions: ['@citycred/source'] },
  ssr: { resolve: { conditions: ['@citycred/source'] } },
  test: {
    include: ['{apps,libs}/*/src/**/*.spec.ts', 'apps/*/console-ui/src/**/*.spec.ts', 'apps/*/pages-ui/src/**/*.spec.ts', 'apps/*/web/src/**/*.spec.ts', 'anchors/test/**/*.spec.ts', 'test/**/*.spec.ts', 'tools/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
