import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * libs/wallet-core runs in the citizen's browser (the wallet's Vite bundle): its non-test sources may import only
 * packages known to run there, never a Node built-in, and may not use Node globals. WebCrypto comes through
 * `globalThis.crypto`, storage through the IndexedDB adapter.
 */
const BROWSER_PACKAGES = [/^@citycred\/formats$/, /^@citycred\/labor$/, /^@citycred\/anchoring\/browser$/, /^@noble\/(curves|hashes)(\/|$)/, /^@citycred\/credentials\/catalogue$/, /^@citycred\/status-list$/, /^zod(\/|$)/];
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

function problemsOf(source: string): string[] {
  const problems: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) {
    for (const [, specifier] of source.matchAll(pattern)) {
      if (specifier!.startsWith('.')) continue;
      if (specifier!.startsWith('node:') || NODE_BUILTINS.has(specifier!.split('/')[0]!)) problems.push(`imports the Node built-in ${specifier}`);
      else if (!BROWSER_PACKAGES.some((allowed) => allowed.test(specifier!))) problems.push(`imports ${specifier}, which is not known to run in a browser`);
    }
  }
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const global of ['Buffer', 'process', '__dirname', '__filename']) if (new RegExp(`\\b${global}\\b`).test(code)) problems.push(`uses the Node global ${global}`);
  return problems;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('libs/wallet-core is browser-safe', () => {
  it('catches Node built-ins, unknown packages and Node globals', () => {
    expect(problemsOf(`import { webcrypto } from 'node:crypto';`)).toEqual(['imports the Node built-in node:crypto']);
    expect(problemsOf(`import { z } from 'zod';\nimport { x } from './x.js';`)).toEqual([]);
    expect(problemsOf(`import { readJsonAsset } from '@citycred/credentials';`)).toEqual(['imports @citycred/credentials, which is not known to run in a browser']);
    expect(problemsOf(`const bytes = Buffer.from('a');`)).toEqual(['uses the Node global Buffer']);
  });

  it('has no source that would not run in a browser', () => {
    const found = sources(import.meta.dirname).flatMap((file) => problemsOf(readFileSync(file, 'utf8')).map((problem) => `${relative(import.meta.dirname, file)}: ${problem}`));
    expect(found).toEqual([]);
  });
});
