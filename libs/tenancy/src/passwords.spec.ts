import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordWeakness, SCRYPT_PARAMETERS, verifyPassword } from './passwords.js';

describe('operator passwords (scrypt)', () => {
  it('stores a self-describing scrypt$N$r$p$salt$hash string that verifies the password and nothing else', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(SCRYPT_PARAMETERS).toEqual({ N: 32768, r: 8, p: 1 });
  });

  it('salts every hash: the same password twice gives two different strings', async () => {
    const [a, b] = await Promise.all([hashPassword('the same password'), hashPassword('the same password')]);
    expect(a).not.toBe(b);
  });

  it('verifies with the parameters the hash names (a hash made with other costs still checks)', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('an older password', salt, 32, { N: 1024, r: 8, p: 1 });
    const older = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('an older password', older)).toBe(true);
    expect(await verifyPassword('another password', older)).toBe(false);
  });

  it('matches nothing against a value that is not one of its hashes or names absurd costs', async () => {
    for (const stored of ['', 'plain-text-password', 'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', `scrypt$${2 ** 24}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`]) {
      expect(await verifyPassword('plain-text-password', stored)).toBe(false);
    }
  });

  it('asks for at least 12 characters (counted as characters, not UTF-16 units) and at most 256', () => {
    expect(passwordWeakness('elevenchars')).toMatch(/at least 12/);
    expect(passwordWeakness('twelve chars')).toBeNull();
    expect(passwordWeakness('서울시청비밀번호열한자')).toMatch(/at least 12/);
    expect(passwordWeakness('x'.repeat(257))).toMatch(/at most 256/);
  });

  it('generates passwords long enough to be accepted, different every time', () => {
    const a = generatePassword();
    expect(passwordWeakness(a)).toBeNull();
    expect(a).not.toBe(generatePassword());
  });
});
