import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformFileSync } from '@swc/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets, type EmbeddedSecrets } from './secrets.js';

const storedSecret = randomBytes(32).toString('hex');
const validSecrets = `${JSON.stringify({ keyEncryptionSecret: storedSecret, cityRootKey: `0x${randomBytes(32).toString('hex')}` })}\n`;

describe('embedded-mode secrets', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('are generated once, readable by the owner only, and reused', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'var', 'secrets.json');
    const first = loadOrCreateSecrets(file, {});
    expect(first.keyEncryptionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.cityRootKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSecrets(file, {})).toEqual(first);
    expect(readdirSync(join(dir, 'var')), 'no temporary file is left behind').toEqual(['secrets.json']);
  });

  it('give way to secrets from the operator', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    const secret = randomBytes(32).toString('hex');
    expect(loadOrCreateSecrets(file, { keyEncryptionSecret: secret }).keyEncryptionSecret).toBe(secret);
    expect(JSON.parse(readFileSync(file, 'utf8')).keyEncryptionSecret).not.toBe(secret);
  });

  it('are never silently replaced when the file is damaged', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    for (const damaged of ['{"keyEncryptionSecret":"short"}', '{not json']) {
      writeFileSync(file, damaged, { mode: 0o600 });
      expect(() => loadOrCreateSecrets(file, {})).toThrow(/malformed/);
      expect(readFileSync(file, 'utf8')).toBe(damaged);
    }
  });

  it.runIf(process.platform !== 'win32')('are refused, with the chmod to run, when group or others may read or write the file', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    writeFileSync(file, validSecrets);
    for (const mode of [0o644, 0o640, 0o604, 0o620, 0o602]) {
      chmodSync(file, mode);
      expect(() => loadOrCreateSecrets(file, {})).toThrow(`Run: chmod 600 ${file}`);
      expect(readFileSync(file, 'utf8'), 'the file is left as it was').toBe(validSecrets);
    }
    chmodSync(file, 0o600);
    expect(loadOrCreateSecrets(file, {}).keyEncryptionSecret).toBe(storedSecret);
  });

  it.runIf(process.platform !== 'win32')('are refused when the file belongs to another user', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    // Only root can give a file away; as another user, a root-owned file stands in for "someone else's".
    const file = process.getuid!() === 0 ? join(dir, 'secrets.json') : '/etc/passwd';
    if (process.getuid!() === 0) {
      writeFileSync(file, validSecrets, { mode: 0o600 });
      chownSync(file, 65534, 65534);
    }
    expect(() => loadOrCreateSecrets(file, {})).toThrow(/is owned by uid \d+, not by the user running CityCred/);
  });

  it.runIf(process.platform !== 'win32')('are not read through a symbolic link', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const target = join(dir, 'elsewhere.json');
    writeFileSync(target, validSecrets, { mode: 0o600 });
    symlinkSync(target, join(dir, 'secrets.json'));
    expect(() => loadOrCreateSecrets(join(dir!, 'secrets.json'), {})).toThrow(/symbolic link/);
  });
});

/**
 * Two `npm start`s at once on a fresh var/: two real node processes call the real `loadOrCreateSecrets`
 * (transpiled from this source with SWC, as the build does) on the same paths at the same instants, round
 * after round, and must come out with identical secrets every time. The processes agree on a start time once
 * both are ready and then spin to each round's instant, so their calls overlap; the assertion does not depend
 * on how well they overlap (a late process simply finds the file).
 */
describe('embedded-mode secrets, two first starts racing', () => {
  const rounds = 150;
  let work: string | undefined;
  afterEach(() => work && rmSync(work, { recursive: true, force: true }));

  const childScript = `
import { join } from 'node:path';
import { createInterface } from 'node:readline';
const [moduleUrl, dir, rounds, stepMs] = process.argv.slice(2);
const { loadOrCreateSecrets } = await import(moduleUrl);
process.stdout.write('ready\\n');
const startAt = Number(await new Promise((done) => createInterface({ input: process.stdin }).once('line', done)));
const results = [];
for (let i = 0; i < Number(rounds); i += 1) {
  const at = startAt + i * Number(stepMs);
  while (Date.now() < at) { /* spin: both processes leave this loop in the same millisecond */ }
  try {
    results.push(loadOrCreateSecrets(join(dir, 'r' + i, 'secrets.json'), {}));
  } catch (error) {
    results.push({ error: String(error && error.message) });
  }
}
process.stdout.write(JSON.stringify(results) + '\\n');
`;

  /** Transpiles secrets.ts to an ES module whose `zod` import points at the workspace's zod. */
  function compiledSecretsModule(into: string): string {
    const require = createRequire(import.meta.url);
    const zodPackage = require.resolve('zod/package.json');
    const zodEntry = (JSON.parse(readFileSync(zodPackage, 'utf8')) as { exports: { '.': { import: string } } }).exports['.'].import;
    const zodUrl = pathToFileURL(join(dirname(zodPackage), zodEntry)).href;
    const { code } = transformFileSync(join(import.meta.dirname, 'secrets.ts'), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
    });
    const rewritten = code.replace(/from\s+["']zod["']/, `from ${JSON.stringify(zodUrl)}`);
    expect(rewritten).not.toBe(code);
    const file = join(into, 'secrets.mjs');
    writeFileSync(file, rewritten);
    return pathToFileURL(file).href;
  }

  function startRacer(script: string, moduleUrl: string, dir: string) {
    const child = spawn(process.execPath, [script, moduleUrl, dir, String(rounds), '4'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const ready = new Promise<void>((done, fail) => {
      const check = () => (out.startsWith('ready\n') ? done() : undefined);
      child.stdout.on('data', check);
      child.once('exit', (code) => fail(new Error(`racer exited with ${code} before it was ready: ${err}`)));
    });
    const results = new Promise<Array<EmbeddedSecrets | { error: string }>>((done, fail) =>
      child.once('exit', (code) => (code === 0 ? done(JSON.parse(out.slice('ready\n'.length))) : fail(new Error(`racer exited with ${code}: ${err}`)))),
    );
    return { child, ready, results };
  }

  it('end with one set of secrets, used by both processes', async () => {
    work = mkdtempSync(join(tmpdir(), 'secrets-race-'));
    const moduleUrl = compiledSecretsModule(work);
    const script = join(work, 'racer.mjs');
    writeFileSync(script, childScript);
    const dir = join(work, 'var');
    const a = startRacer(script, moduleUrl, dir);
    const b = startRacer(script, moduleUrl, dir);
    await Promise.all([a.ready, b.ready]);
    const startAt = String(Date.now() + 50);
    a.child.stdin.end(`${startAt}\n`);
    b.child.stdin.end(`${startAt}\n`);
    const [fromA, fromB] = await Promise.all([a.results, b.results]);
    expect(fromA).toHaveLength(rounds);
    for (let i = 0; i < rounds; i += 1) {
      expect(fromA[i], `round ${i}`).not.toHaveProperty('error');
      expect(fromB[i], `round ${i}: both processes use the same secrets`).toEqual(fromA[i]);
      const file = join(dir, `r${i}`, 'secrets.json');
      expect(JSON.parse(readFileSync(file, 'utf8')), `round ${i}: the file holds them`).toEqual(fromA[i]);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readdirSync(join(dir, `r${i}`)), `round ${i}: no temporary file is left`).toEqual(['secrets.json']);
    }
  });
});
