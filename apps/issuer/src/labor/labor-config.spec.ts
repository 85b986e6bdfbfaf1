import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadIssuerConfig } from '../config.js';
import { readLaborConfig } from './labor-config.js';

const dir = mkdtempSync(join(tmpdir(), 'labor-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('LABOR_CONFIG_FILE', () => {
  it('reads the repository\'s config/labor.json by default', () => {
    const config = loadIssuerConfig({ KEY_ENCRYPTION_SECRET: randomBytes(32).toString('hex') });
    expect(config.LABOR_CONFIG_FILE.minimumWageKrw).toEqual({ 2025: 10030, 2026: 10320 });
  });

  it('refuses a missing file, a file that is not JSON and a bad table, naming the file', () => {
    expect(readLaborConfig(join(dir, 'none.json'))).toEqual({ ok: false, problem: expect.stringContaining('no such file') });
    expect(readLaborConfig(file('bad.json', '{'))).toEqual({ ok: false, problem: expect.stringContaining('not JSON') });
    expect(readLaborConfig(file('table.json', '{"minimumWageKrw": {"2026": -1}}'))).toEqual({ ok: false, problem: expect.stringMatching(/table\.json: minimumWageKrw: .*positive whole number/) });
    expect(() => loadIssuerConfig({ KEY_ENCRYPTION_SECRET: randomBytes(32).toString('hex'), LABOR_CONFIG_FILE: join(dir, 'none.json') })).toThrow(/LABOR_CONFIG_FILE/);
  });
});
