import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The scanner's offline verifier runs in the employer's browser (`npm run build` bundles it with Vite): every module
 * it reaches at run time — its own files, the verifier's files it imports (the policies, the nonce rule, the trust
 * policy) and the workspace packages they import, followed file by file — may import only packages known to run in a
 * browser, never a Node built-in, and may not use Node globals. Type-only imports are erased and not followed.
 * (libs/formats/src/browser-safety.spec.ts states the same for the format library alone.)
 */

const REPO = resolve(import.meta.dirname, '../../../../..');
const ENTRY = join(import.meta.dirname, 'index.ts');

/** Packages that run in browsers too (pure JS, no Node APIs). Anything else needs a look before it is added here. */
const BROWSER_PACKAGES = [/^@noble\/(curves|hashes)(\/|$)/, /^fflate$/];

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0]!]));

/** The module specifiers a source imports at run time: static imports and re-exports that are not type-only, `import()`, `require()`. */
function runtimeSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const match of code.matchAll(/\b(import|export)\s+(type\s+)?([^'";]*?)\s*\bfrom\s*['"]([^'"]+)['"]/g)) {
    if (match[2]) continue;
    const names = /^\{([^}]*)\}$/.exec(match[3]!.trim())?.[1];
    if (names !== undefined && names.split(',').every((name) => name.trim() === '' || /^type\s/.test(name.trim()))) continue;
    found.push(match[4]!);
  }
  for (const pattern of [/\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const match of code.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

/** The TypeScript source a workspace package specifier resolves to (its `@citycred/source` export), or undefined. */
function workspaceSource(specifier: string): string | undefined {
  const match = /^(@citycred\/[^/]+)(\/.*)?$/.exec(specifier);
  if (!match) return undefined;
  const packageDir = realpathSync(join(REPO, 'node_modules', match[1]!));
  const exports = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).exports as Record<string, Record<string, string>>;
  const entry = exports[`.${match[2] ?? ''}`]?.['@citycred/source'];
  return entry === undefined ? undefined : resolve(packageDir, entry);
}

/** Why the module graph from `entry` is not browser-safe (empty when it is), and the files it reached. */
function walk(entry: string): { problems: string[]; files: string[] } {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const where = relative(REPO, file);
    for (const specifier of runtimeSpecifiers(source)) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
        if (existsSync(target)) queue.push(target);
        else problems.push(`${where}: imports ${specifier}, which is not a TypeScript source`);
      } else if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]!)) {
        problems.push(`${where}: imports the Node built-in ${specifier}`);
      } else if (workspaceSource(specifier) !== undefined) {
        queue.push(workspaceSource(specifier)!);
      } else if (!BROWSER_PACKAGES.some((allowed) => allowed.test(specifier))) {
        problems.push(`${where}: imports ${specifier}, which is not known to run in a browser`);
      }
    }
    // Comments and string literals are not code: a message may say "process".
    const code = source
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
    for (const global of ['Buffer', 'process', '__dirname', '__filename']) {
      if (new RegExp(`\\b${global}\\b`).test(code)) problems.push(`${where}: uses the Node global ${global}`);
    }
  }
  return { problems, files: [...seen].map((file) => relative(REPO, file)) };
}

describe('the scanner’s offline verifier is browser-safe', () => {
  it('reads which imports run: type-only ones are erased', () => {
    expect(runtimeSpecifiers(`import type { A } from './a.js';\nimport { type B, type C } from './b.js';\nexport type { D } from './d.js';`)).toEqual([]);
    expect(runtimeSpecifiers(`import { type B, c } from './b.js';\nexport { e } from './e.js';\nimport x from 'node:fs';`)).toEqual(['./b.js', './e.js', 'node:fs']);
  });

  it('catches server code reached through the graph (the bundle builder is not browser-safe)', () => {
    const { problems } = walk(join(import.meta.dirname, '../offline-bundle.ts'));
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/imports (ethers|jose|the Node built-in node:fs)/)]));
  });

  it('holds for every module it reaches, its own and the workspace’s', () => {
    const { problems, files } = walk(ENTRY);
    expect(problems).toEqual([]);
    // It does reach the policies and the format library, and so checks them too.
    expect(files).toEqual(expect.arrayContaining(['apps/verifier/src/policies/age-over.ts', 'libs/credentials/src/age.ts', 'libs/formats/src/index.ts', 'libs/status-list/src/index.ts']));
    expect(files).not.toContain('libs/credentials/src/index.ts');
  });
});
