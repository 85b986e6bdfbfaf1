import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { checkBoundaries } from './boundaries.mjs';

const repo = resolve(import.meta.dirname, '..');
const check = checkBoundaries as (root: string) => string[];

function project(root: string, dir: string, name: string, tags: string[], source: string): void {
  mkdirSync(join(root, dir, 'src'), { recursive: true });
  writeFileSync(join(root, dir, 'project.json'), JSON.stringify({ name, tags }));
  writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name: `@citycred/${name}` }));
  writeFileSync(join(root, dir, 'src', 'index.ts'), source);
}

describe('module boundaries', () => {
  let tmp: string | undefined;
  afterEach(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('hold in this workspace', () => {
    expect(check(repo)).toEqual([]);
  });

  it('catch a lib importing an app, a util importing a lib, a cross-scope import and a relative escape', () => {
    tmp = mkdtempSync(join(tmpdir(), 'boundaries-'));
    project(tmp, 'apps/issuer', 'issuer', ['scope:issuer', 'type:app'], `import { x } from '@citycred/errors';\n`);
    project(tmp, 'apps/verifier', 'verifier', ['scope:verifier', 'type:app'], `import { t } from '@citycred/tenancy';\n`);
    project(tmp, 'libs/errors', 'errors', ['scope:shared', 'type:util'], `import { y } from '@citycred/chain';\n`);
    project(tmp, 'libs/chain', 'chain', ['scope:shared', 'type:data-access'], `export { z } from '@citycred/issuer';\nimport '../../errors/src/index.js';\n`);
    project(tmp, 'libs/tenancy', 'tenancy', ['scope:issuer', 'type:feature'], `import { a } from '@citycred/chain';\n`);
    const violations = check(tmp).join('\n');
    expect(violations).toMatch(/libs\/errors\/src\/index\.ts: imports @citycred\/chain — type:util may not depend on type:data-access/);
    expect(violations).toMatch(/libs\/chain\/src\/index\.ts: imports @citycred\/issuer — a lib may not import the app issuer/);
    expect(violations).toMatch(/libs\/chain\/src\/index\.ts: imports \.\.\/\.\.\/errors\/src\/index\.js — reaches outside chain/);
    expect(violations).toMatch(/apps\/verifier\/src\/index\.ts: imports @citycred\/tenancy — scope:verifier may not depend on scope:issuer/);
    expect(violations).not.toMatch(/apps\/issuer/);
    expect(violations).not.toMatch(/libs\/tenancy/);
  });

  it('keep a ui library to browser code: util and ui only, no Node built-in; apps may use it', () => {
    tmp = mkdtempSync(join(tmpdir(), 'boundaries-'));
    project(tmp, 'apps/verifier', 'verifier', ['scope:verifier', 'type:app'], `import { LanguageSwitch } from '@citycred/web-ui';\n`);
    project(tmp, 'libs/web-ui', 'web-ui', ['scope:shared', 'type:ui'], `import { readFileSync } from 'node:fs';\nimport { x } from '@citycred/errors';\nimport { c } from '@citycred/chain';\n`);
    project(tmp, 'libs/errors', 'errors', ['scope:shared', 'type:util'], '');
    project(tmp, 'libs/chain', 'chain', ['scope:shared', 'type:data-access'], '');
    const violations = check(tmp);
    expect(violations).toEqual([
      expect.stringMatching(/libs\/web-ui\/src\/index\.ts: imports node:fs — type:ui is browser code and may not import a Node built-in/),
      expect.stringMatching(/libs\/web-ui\/src\/index\.ts: imports @citycred\/chain — type:ui may not depend on type:data-access/),
    ]);
  });

  it('require tags on every project', () => {
    tmp = mkdtempSync(join(tmpdir(), 'boundaries-'));
    project(tmp, 'libs/untagged', 'untagged', [], '');
    expect(check(tmp)).toEqual([expect.stringContaining('needs a scope:* tag and a type:* tag')]);
  });
});
