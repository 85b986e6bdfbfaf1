import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './load-config.js';
import { PUBLIC_TEST_KEYS, weakSecretReason } from './secret-strength.js';

const schema = z.object({ KEY_ENCRYPTION_SECRET: env.hexKey() });

function refusal(secret: string): string {
  try {
    loadConfig(schema, { KEY_ENCRYPTION_SECRET: secret });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.join('\n');
  }
  throw new Error('the secret was accepted');
}

describe('env.hexKey refuses weak secrets', () => {
  it.each([
    ['all zeros', '00'.repeat(32), /only 1 different bytes/],
    ['all ones', 'ff'.repeat(32), /only 1 different bytes/],
    ['FF in upper case', 'FF'.repeat(32), /only 1 different bytes/],
    ['a repeated byte pair', 'ab'.repeat(32), /only 1 different bytes/],
    ['0123456789abcdef repeated', '0123456789abcdef'.repeat(4), /only 8 different bytes/],
    ['deadbeef repeated', 'deadbeef'.repeat(8), /only 4 different bytes/],
    ['16 different bytes repeated twice', '00112233445566778899aabbccddeeff'.repeat(2), /repeats every 16 bytes/],
    ['counting bytes', Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0')).join(''), /the one before plus 1/],
    ['counting down by 3', Array.from({ length: 32 }, (_, i) => ((250 - 3 * i + 256) % 256).toString(16).padStart(2, '0')).join(''), /the one before plus 253/],
    ['anvil\'s first account key', 'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', /publicly known test key/],
  ])('%s: refused with a reason naming the variable, never the value', (_, secret, reason) => {
    const issues = refusal(secret);
    expect(issues).toMatch(/^KEY_ENCRYPTION_SECRET: /);
    expect(issues).toMatch(reason);
    expect(issues).toContain('openssl rand -hex 32');
    expect(issues.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it.each(PUBLIC_TEST_KEYS.map((key, i) => [i, key] as const))("refuses anvil's and Hardhat's well-known account key #%i, in either case", (_, key) => {
    expect(refusal(key)).toMatch(/^KEY_ENCRYPTION_SECRET: .*publicly known test key/);
    expect(refusal(key.toUpperCase())).toMatch(/publicly known test key/);
  });

  it('lists the ten well-known keys, distinct and each 32 bytes of hex', () => {
    expect(new Set(PUBLIC_TEST_KEYS).size).toBe(10);
    for (const key of PUBLIC_TEST_KEYS) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('still refuses a value that is not 64 hex characters, with the format message', () => {
    expect(refusal('abc')).toContain('must be 64 hexadecimal characters');
  });

  it('accepts random secrets (1,000 of them, in either case)', () => {
    for (let i = 0; i < 1_000; i += 1) {
      const secret = randomBytes(32).toString('hex');
      expect(weakSecretReason(secret), secret).toBeUndefined();
      expect(loadConfig(schema, { KEY_ENCRYPTION_SECRET: i % 2 ? secret.toUpperCase() : secret }).KEY_ENCRYPTION_SECRET.toLowerCase()).toBe(secret);
    }
  });
});

describe('env.privateKey (CITY_ROOT_KEY) refuses weak and well-known keys', () => {
  const keySchema = z.object({ CITY_ROOT_KEY: env.privateKey() });
  const issuesOf = (value: string): string => {
    try {
      loadConfig(keySchema, { CITY_ROOT_KEY: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).issues.join('\n');
    }
    throw new Error('the key was accepted');
  };

  it.each(PUBLIC_TEST_KEYS.map((key, i) => [i, key] as const))('refuses well-known account key #%i, naming the variable, never the value', (_, key) => {
    const issues = issuesOf(`0x${key}`);
    expect(issues).toMatch(/^CITY_ROOT_KEY: .*publicly known test key/);
    expect(issues).not.toContain(key);
  });

  it('refuses a key without 0x or of the wrong length, and a regular one; accepts a random one', () => {
    expect(issuesOf(randomBytes(32).toString('hex'))).toContain('must be 0x + 64 hexadecimal characters');
    expect(issuesOf(`0x${'11'.repeat(32)}`)).toMatch(/too regular/);
    const key = `0x${randomBytes(32).toString('hex')}`;
    expect(loadConfig(keySchema, { CITY_ROOT_KEY: key }).CITY_ROOT_KEY).toBe(key);
  });
});
