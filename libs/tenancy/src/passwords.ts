import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Shortest password an operator may have. */
export const MIN_PASSWORD_LENGTH = 12;

/** Longest password accepted (scrypt reads all of it: an unbounded one would be a cheap way to burn CPU). */
export const MAX_PASSWORD_LENGTH = 256;

/** scrypt cost parameters of new hashes: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of milliseconds per hash). */
export const SCRYPT_PARAMETERS = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

const SALT_BYTES = 16;
const KEY_BYTES = 32;
const HASH_FORMAT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{16,128})$/;

function derive(password: string, salt: Buffer, parameters: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  // Node's default memory cap (32 MiB) is exactly 128·N·r for N = 2^15, r = 8, and scrypt needs a little more.
  const maxmem = 256 * parameters.N * parameters.r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...parameters, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password with scrypt and a random 16-byte salt.
 * @returns the self-describing string `scrypt$N$r$p$<salt>$<hash>` (salt and hash in base64url), which
 *   {@link verifyPassword} reads back with the parameters it was made with
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const { N, r, p } = SCRYPT_PARAMETERS;
  const key = await derive(password, salt, SCRYPT_PARAMETERS, KEY_BYTES);
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Whether `password` is the one `stored` was made from, compared in constant time. A stored value that is not a
 * hash of ours, or whose parameters are out of bounds, matches nothing.
 * @param stored - a value of {@link hashPassword}
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = HASH_FORMAT.exec(stored);
  if (!match) return false;
  const [N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (N < 2 || N > 2 ** 20 || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const expected = Buffer.from(match[5]!, 'base64url');
  const actual = await derive(password, Buffer.from(match[4]!, 'base64url'), { N, r, p }, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * Why a password cannot be an operator's, or null when it can: between {@link MIN_PASSWORD_LENGTH} and
 * {@link MAX_PASSWORD_LENGTH} characters.
 */
export function passwordWeakness(password: string): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `a password has at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `a password has at most ${MAX_PASSWORD_LENGTH} characters`;
  return null;
}

/** A random password for an operator: 20 base64url characters (120 bits), shown once by whoever asked for it. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
