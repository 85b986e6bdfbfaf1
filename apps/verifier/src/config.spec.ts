import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchAllowedOrigins, loadVerifierConfig, workHistoryConfigOf } from './config.js';

/* The fetch guard's allow-list as the verifier's configuration makes it (docs/configuration.md). */

describe('fetchAllowedOrigins', () => {
  it('allows the issuer the verifier reads anchoring from, with its loopback twin, by default', () => {
    expect(fetchAllowedOrigins(loadVerifierConfig({}))).toEqual(['http://127.0.0.1:3001', 'http://localhost:3001']);
  });

  it('adds VERIFIER_FETCH_ALLOWED_ORIGINS, written as origins, to the issuers it already knows (their origins only)', () => {
    const config = loadVerifierConfig({
      VERIFIER_FETCH_ALLOWED_ORIGINS: ' http://status.internal:8080/ , https://lists.example.org:443,http://10.0.4.2:3001',
      ANCHOR_PROOF_URL: 'https://issuer.example.org/city/',
      CHECK_ISSUER_URL: 'http://localhost:3001',
    });
    expect(config.VERIFIER_FETCH_ALLOWED_ORIGINS).toEqual(['http://status.internal:8080', 'https://lists.example.org', 'http://10.0.4.2:3001']);
    expect(fetchAllowedOrigins(config)).toEqual([
      'http://status.internal:8080',
      'https://lists.example.org',
      'http://10.0.4.2:3001',
      'https://issuer.example.org',
      'http://localhost:3001',
      'http://127.0.0.1:3001',
    ]);
  });

  it.each([
    ['a path', 'http://issuer.internal:3001/status-lists'],
    ['a query', 'https://issuer.example.org/?x=1'],
    ['a user name', 'https://admin@issuer.example.org'],
    ['another scheme', 'ftp://issuer.example.org'],
    ['no URL', 'issuer.internal'],
    ['one bad entry among good ones', 'https://a.example.org,,https://b.example.org'],
  ])('stops start-up, naming the variable, on an entry with %s', (_what, value) => {
    expect(() => loadVerifierConfig({ VERIFIER_FETCH_ALLOWED_ORIGINS: value })).toThrow(/VERIFIER_FETCH_ALLOWED_ORIGINS: must be a comma-separated list of http or https origins/);
  });
});

describe('PROGRAMS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'programs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  const programsFile = (content: string): string => {
    const path = join(dir, `programs-${(files += 1)}.json`);
    writeFileSync(path, content);
    return path;
  };

  it('reads config/programs.json by default into the configured programs', () => {
    expect(loadVerifierConfig({}).PROGRAMS_FILE.map((program) => [program.id, program.configVersion])).toEqual([
      ['youth-allowance-2026', '2026.1'],
      ['youth-rent-support-2026', '2026.1'],
    ]);
  });

  it('stops start-up naming the variable and the member at fault', () => {
    expect(() => loadVerifierConfig({ PROGRAMS_FILE: programsFile('{"programs": [{"id": "x"}]}') })).toThrow(/PROGRAMS_FILE: .*programs\.0\.configVersion/s);
    expect(() => loadVerifierConfig({ PROGRAMS_FILE: programsFile('not json') })).toThrow(/PROGRAMS_FILE: .*not JSON/);
    expect(() => loadVerifierConfig({ PROGRAMS_FILE: '/nonexistent/programs.json' })).toThrow(/PROGRAMS_FILE: .*no such file/);
    expect(loadVerifierConfig({ PROGRAMS_FILE: programsFile('{"programs": []}') }).PROGRAMS_FILE).toEqual([]);
  });
});

describe('the application pages’ settings', () => {
  const key = `ccd_${'A1b2_C3d4-'.repeat(4)}`;

  it('reads the eligibility issuers’ keys by tenant, and the wallet and issuer URLs', () => {
    const config = loadVerifierConfig({ PROGRAM_ISSUER_API_KEYS: ` youth-policy=${key} , housing=${key}x`, WALLET_URL: 'http://127.0.0.1:3003', PROGRAM_ISSUER_URL: 'http://127.0.0.1:3001' });
    expect(config.PROGRAM_ISSUER_API_KEYS).toEqual({ 'youth-policy': key, housing: `${key}x` });
    expect([config.WALLET_URL, config.PROGRAM_ISSUER_URL]).toEqual(['http://127.0.0.1:3003', 'http://127.0.0.1:3001']);
    expect(loadVerifierConfig({}).PROGRAM_ISSUER_API_KEYS).toEqual({});
  });

  it.each([['no tenant', key], ['not an API key', 'youth-policy=secret'], ['a tenant twice', `youth-policy=${key},youth-policy=${key}`]])('refuses %s, without repeating the secret', (_, value) => {
    let message = '';
    try {
      loadVerifierConfig({ PROGRAM_ISSUER_API_KEYS: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PROGRAM_ISSUER_API_KEYS: must be comma-separated/);
    expect(message).not.toContain(key);
    expect(message).not.toContain('secret');
  });

  it('refuses a wallet URL that is no web address', () => {
    expect(() => loadVerifierConfig({ WALLET_URL: 'ftp://wallet.example' })).toThrow(/WALLET_URL/);
  });
});

describe('the <label>=<secret> lists', () => {
  it('reads OIDC_CLIENT_SECRETS by client, a secret holding `=` included, and refuses a bad one without repeating it', () => {
    const secret = `${'s'.repeat(30)}=+`;
    expect(loadVerifierConfig({ OIDC_CLIENT_SECRETS: ` gym-booking=${secret} ,pool=${'p'.repeat(32)}` }).OIDC_CLIENT_SECRETS).toEqual({ 'gym-booking': secret, pool: 'p'.repeat(32) });
    for (const bad of [`gym=${'s'.repeat(31)}`, `gym=${'s'.repeat(31)} `.repeat(2), `gym=${'s'.repeat(32)},gym=${'s'.repeat(33)}`, `=${'s'.repeat(32)}`]) {
      expect(() => loadVerifierConfig({ OIDC_CLIENT_SECRETS: bad }), bad).toThrow(/OIDC_CLIENT_SECRETS: must be comma-separated <client_id>=/);
    }
  });

  it('refuses a petition admin label longer than 64 characters', () => {
    expect(Object.keys(loadVerifierConfig({ PETITION_ADMIN_KEYS: `${'a'.repeat(64)}=${'k'.repeat(32)}` }).PETITION_ADMIN_KEYS)).toEqual(['a'.repeat(64)]);
    expect(() => loadVerifierConfig({ PETITION_ADMIN_KEYS: `${'a'.repeat(65)}=${'k'.repeat(32)}` })).toThrow(/PETITION_ADMIN_KEYS: must be comma-separated/);
  });
});

describe('the work-history thresholds', () => {
  it('asks 90 days and no hours by default', () => {
    const config = loadVerifierConfig({});
    expect([config.WORK_HISTORY_MINIMUM_DAYS, config.WORK_HISTORY_MINIMUM_HOURS]).toEqual([90, undefined]);
    expect(workHistoryConfigOf(config)).toEqual({ minimumDays: 90 });
    expect(workHistoryConfigOf(loadVerifierConfig({ WORK_HISTORY_MINIMUM_HOURS: ' ' }))).toEqual({ minimumDays: 90 });
  });

  it('reads a deployment’s own days and hours', () => {
    expect(workHistoryConfigOf(loadVerifierConfig({ WORK_HISTORY_MINIMUM_DAYS: ' 7 ', WORK_HISTORY_MINIMUM_HOURS: '120.5' }))).toEqual({ minimumDays: 7, minimumHours: 120.5 });
    expect(workHistoryConfigOf(loadVerifierConfig({ WORK_HISTORY_MINIMUM_DAYS: '0', WORK_HISTORY_MINIMUM_HOURS: '0' }))).toEqual({ minimumDays: 0, minimumHours: 0 });
    expect(loadVerifierConfig({ WORK_HISTORY_MINIMUM_DAYS: '36500', WORK_HISTORY_MINIMUM_HOURS: '1000000' }).WORK_HISTORY_MINIMUM_HOURS).toBe(1_000_000);
  });

  it.each(['', '-1', '1.5', '7d', 'ninety', '36501', '1e2', '0x10'])('stops start-up on WORK_HISTORY_MINIMUM_DAYS=%j, naming the variable', (value) => {
    expect(() => loadVerifierConfig({ WORK_HISTORY_MINIMUM_DAYS: value })).toThrow(/WORK_HISTORY_MINIMUM_DAYS: must be a whole number of days from 0 to 36500/);
  });

  it.each(['-1', '120.555', '1000000.01', '12h', '1e3', 'NaN', '.5'])('stops start-up on WORK_HISTORY_MINIMUM_HOURS=%j, naming the variable', (value) => {
    expect(() => loadVerifierConfig({ WORK_HISTORY_MINIMUM_HOURS: value })).toThrow(/WORK_HISTORY_MINIMUM_HOURS: must be a number of hours from 0 to 1000000 with at most two decimals/);
  });
});
