import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * libs/formats runs in the wallet's browser as well as in Node: its non-test sources may import only packages known
 * to run in both, never a Node built-in, and may not use Node globals. Cryptography that needs Node enters through
 * the JwsSigner / SignatureCrypto ports, implemented in libs/did.
 */

const SOURCE_ROOT = import.meta.dirname;

/** Packages that run in browsers too (pure JS, no Node APIs). Anything else needs a look before it is added here. */
const BROWSER_PACKAGES = [/^@noble\/(curves|hashes)(\/|$)/, /^@sd-jwt\/(core|sd-jwt-vc|decode|present|jwt-status-list|types|utils)(\/|$)/, /^fflate$/, /^zod(\/|$)/];

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

/** Every module specifier a TypeScript source names: static imports and re-exports, `import()`, `require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Why a source is not browser-safe; empty when it is. */
function violations(source: string): string[] {
  const problems: string[] = [];
  for (const specifier of specifiers(source)) {
    if (specifier.startsWith('.')) continue;
    if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!)) problems.push(`imports the Node built-in ${specifier}`);
    else if (!BROWSER_PACKAGES.some((allowed) => allowed.test(specifier))) problems.push(`imports ${specifier}, which is not known to run in a browser`);
  }
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const global of ['Buffer', 'process', '__dirname', '__filename']) {
    if (new RegExp(`\\b${global}\\b`).test(code)) problems.push(`uses the Node global ${global}`);
  }
  return problems;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('libs/formats is browser-safe', () => {
  it('catches Node built-ins, Node-only packages and Node globals', () => {
    expect(violations(`import { hash } from 'node:crypto';`)).toEqual(['imports the Node built-in node:crypto']);
    expect(violations(`import { readFileSync } from 'fs';`)).toEqual(['imports the Node built-in fs']);
    expect(violations(`export { x } from 'secp256k1';`)).toEqual(['imports secp256k1, which is not known to run in a browser']);
    expect(violations(`const m = await import('node:path');`)).toEqual(['imports the Node built-in node:path']);
    expect(violations(`import type { A } from '@citycred/credentials';`)).toEqual(['imports @citycred/credentials, which is not known to run in a browser']);
    expect(violations(`const b = Buffer.from('a');`)).toEqual(['uses the Node global Buffer']);
    expect(violations(`import { sha256 } from '@noble/hashes/sha2.js';\nimport { x } from './x.js';\n// Buffer is not used here`)).toEqual([]);
  });

  it('holds for every non-test source under libs/formats/src', () => {
    const files = sourceFiles(SOURCE_ROOT);
    expect(files.length).toBeGreaterThan(5);
    const problems = files.flatMap((file) => violations(readFileSync(file, 'utf8')).map((problem) => `${relative(SOURCE_ROOT, file)}: ${problem}`));
    expect(problems).toEqual([]);
  });
});
