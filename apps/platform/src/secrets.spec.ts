import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSecrets } from './secrets.js';

describe('embedded-mode secrets', () => {
  let dir: string | undefined;
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('are generated once, readable by the owner only, and reused', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'var', 'secrets.json');
    const first = loadOrCreateSecrets(file, {});
    expect(first.keyEncryptionSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(first.cityRootKey).toMatch(/^0x[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(loadOrCreateSecrets(file, {})).toEqual(first);
  });

  it('give way to secrets from the operator', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    const secret = 'ab'.repeat(32);
    expect(loadOrCreateSecrets(file, { keyEncryptionSecret: secret }).keyEncryptionSecret).toBe(secret);
    expect(JSON.parse(readFileSync(file, 'utf8')).keyEncryptionSecret).not.toBe(secret);
  });

  it('are never silently replaced when the file is damaged', () => {
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const file = join(dir, 'secrets.json');
    for (const damaged of ['{"keyEncryptionSecret":"short"}', '{not json']) {
      writeFileSync(file, damaged);
      expect(() => loadOrCreateSecrets(file, {})).toThrow(/malformed/);
      expect(readFileSync(file, 'utf8')).toBe(damaged);
    }
  });
});
