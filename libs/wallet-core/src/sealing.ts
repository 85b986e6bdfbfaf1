import { decodeBase64url, encodeBase64url, utf8Bytes, utf8Text } from '@citycred/formats';
import { z } from 'zod';

/**
 * PBKDF2-SHA-256 iterations for a key derived from a PIN or a backup passphrase (OWASP's 2023 figure for SHA-256).
 * This slows offline guessing, it does not stop it: anything sealed under the key (the vault's check value, every
 * record, a backup) lets whoever holds a copy test a guess, and a GPU runs some 10^4 such derivations a second — a
 * 6-digit PIN falls in minutes (docs/wallet.md, security model). Only a long secret resists that.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** Fewer iterations are refused in stored data and backups, so a changed file cannot weaken the derivation. */
export const MIN_PBKDF2_ITERATIONS = 600_000;

/** Data encrypted with AES-256-GCM: its 96-bit random IV and the ciphertext with the tag, both base64url. */
export interface Sealed {
  readonly iv: string;
  readonly ciphertext: string;
}

/** The shape of {@link Sealed} when it is read back from storage or from a file. */
export const sealedSchema = z.object({ iv: z.string().regex(/^[\w-]{16}$/), ciphertext: z.string().regex(/^[\w-]+$/) });

/** How a key was derived: PBKDF2-SHA-256 over a secret with this salt (base64url) and this many iterations. */
export interface KeyDerivation {
  readonly name: 'PBKDF2-SHA-256';
  readonly salt: string;
  readonly iterations: number;
}

/** The shape of {@link KeyDerivation} when it is read back. */
export const keyDerivationSchema = z.object({
  name: z.literal('PBKDF2-SHA-256'),
  salt: z.string().regex(/^[\w-]{22,}$/),
  iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(10_000_000),
});

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** `length` random bytes from the platform's CSPRNG. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** A new derivation: a random 128-bit salt and {@link PBKDF2_ITERATIONS}. */
export function newDerivation(): KeyDerivation {
  return { name: 'PBKDF2-SHA-256', salt: encodeBase64url(randomBytes(16)), iterations: PBKDF2_ITERATIONS };
}

/**
 * The AES-256-GCM key a secret (PIN or passphrase) gives under a derivation. The key is not extractable: it lives in
 * memory as long as the caller holds it and is never written anywhere.
 */
export async function deriveKey(secret: string, derivation: KeyDerivation): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', copy(utf8Bytes(secret)), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: copy(decodeBase64url(derivation.salt)), iterations: derivation.iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Encrypts JSON with a fresh random IV; `context` (a record's key, a backup's header) is authenticated with it, so a
 * ciphertext moved under another key or header does not decrypt.
 */
export async function seal(key: CryptoKey, context: string, value: unknown): Promise<Sealed> {
  const iv = randomBytes(12);
  const ciphertext = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: copy(utf8Bytes(context)) }, key, copy(utf8Bytes(JSON.stringify(value))));
  return { iv: encodeBase64url(iv), ciphertext: encodeBase64url(new Uint8Array(ciphertext)) };
}

/**
 * Decrypts what {@link seal} wrote under the same key and context.
 * @returns the JSON value, not yet validated
 * @throws Error (the platform's `OperationError`) for another key, another context or changed bytes
 */
export async function unseal(key: CryptoKey, context: string, sealed: Sealed): Promise<unknown> {
  const plaintext = await subtle().decrypt(
    { name: 'AES-GCM', iv: copy(decodeBase64url(sealed.iv)), additionalData: copy(utf8Bytes(context)) },
    key,
    copy(decodeBase64url(sealed.ciphertext)),
  );
  return JSON.parse(utf8Text(new Uint8Array(plaintext)));
}

/** The bytes in a buffer of their own, as WebCrypto's typings want (`BufferSource` over an `ArrayBuffer`). */
function copy(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}
