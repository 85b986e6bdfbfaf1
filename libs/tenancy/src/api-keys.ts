import { createHash, randomBytes } from 'node:crypto';

/** Every CityCred API key starts with this, so leaked keys are easy to scan for. */
export const API_KEY_PREFIX = 'ccd_';

/**
 * Creates a new API key: 32 random bytes, base64url, behind {@link API_KEY_PREFIX}.
 * @param random - randomness source (injected in tests)
 */
export function generateApiKey(random: (size: number) => Buffer = randomBytes): string {
  return `${API_KEY_PREFIX}${random(32).toString('base64url')}`;
}

/** Hex SHA-256 of an API key: the only form stored. Keys carry 256 bits of entropy, so no slow hash is needed. */
export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** Whether a string has the shape of one of our API keys (checked before touching the database). */
export function looksLikeApiKey(value: string): boolean {
  return /^ccd_[A-Za-z0-9_-]{43}$/.test(value);
}
