import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoFacilitySecret, demoPetitionAdminKey } from './demo-facility.js';

describe('demoFacilitySecret', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-facility-'));
    dirs.push(dir);
    return join(dir, 'oidc-clients');
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('makes the secret once (mode 0600), reads it at every later start, and gives the verifier the same one', () => {
    const dir = newDir();
    const first = demoFacilitySecret(dir, undefined, () => undefined);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifierSecrets).toBe(`facility-booking-demo=${first.secret}`);
    const file = join(dir, 'facility-booking-demo.secret');
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);
    expect(demoFacilitySecret(dir, 'other-site=' + 'b'.repeat(40), () => undefined)).toEqual({ secret: first.secret, verifierSecrets: `other-site=${'b'.repeat(40)},facility-booking-demo=${first.secret}` });
  });

  it("uses the operator's own entry for the client, and writes no file", () => {
    const dir = newDir();
    const configured = `facility-booking-demo=${'c'.repeat(40)},other-site=${'d'.repeat(40)}`;
    expect(demoFacilitySecret(dir, configured, () => undefined)).toEqual({ secret: 'c'.repeat(40), verifierSecrets: configured });
    expect(() => statSync(dir)).toThrow();
  });

  it('refuses a secret file that holds too short a secret', () => {
    const dir = newDir();
    demoFacilitySecret(dir, undefined, () => undefined);
    writeFileSync(join(dir, 'facility-booking-demo.secret'), 'short\n');
    expect(() => demoFacilitySecret(dir, undefined, () => undefined)).toThrow(/at least 32 characters/);
  });
});

describe('demoPetitionAdminKey', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-petitions-'));
    dirs.push(dir);
    return join(dir, 'petition-admins');
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("makes the demo official's key once (mode 0600, private directory) and keeps the operator's other keys", () => {
    const dir = newDir();
    const first = demoPetitionAdminKey(dir, undefined, () => undefined);
    const file = join(dir, 'demo-official.key');
    expect(first).toEqual({ key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), verifierKeys: `demo-official=${first.key}`, file });
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect(demoPetitionAdminKey(dir, `clerk=${'k'.repeat(40)}`, () => undefined)).toEqual({ key: first.key, verifierKeys: `clerk=${'k'.repeat(40)},demo-official=${first.key}`, file });
  });

  it("uses the operator's own demo-official entry, and writes no file", () => {
    const dir = newDir();
    const configured = `demo-official=${'e'.repeat(40)}`;
    expect(demoPetitionAdminKey(dir, configured, () => undefined)).toEqual({ key: 'e'.repeat(40), verifierKeys: configured, file: null });
    expect(() => statSync(dir)).toThrow();
  });

  it('refuses a key file that holds too short a key', () => {
    const dir = newDir();
    demoPetitionAdminKey(dir, undefined, () => undefined);
    writeFileSync(join(dir, 'demo-official.key'), 'short\n');
    expect(() => demoPetitionAdminKey(dir, undefined, () => undefined)).toThrow(/petition administrator key of at least 32 characters/);
  });
});
