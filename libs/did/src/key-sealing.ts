import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { weakSecretReason } from '@citycred/config';

/** Why the key store refused: branch on this, not on the message. */
export type KeyStoreErrorCode =
  /** The secret is not 64 hex characters, or is weak (see `weakSecretReason` in `@citycred/config`). */
  | 'KEY_SECRET_WEAK'
  /** The secret is not the one the issuer database's keys are sealed with (the check value disagrees). */
  | 'KEY_SECRET_MISMATCH'
  /** A sealed key does not open: it was moved from another row or owner, or altered. */
  | 'KEY_SEAL_BROKEN'
  /** A key is claimed by a DID other than the one it is sealed to. */
  | 'KEY_OWNER_MISMATCH'
  /** No private key with this id. */
  | 'KEY_NOT_FOUND'
  /** A rotation was asked from a secret to itself. */
  | 'KEY_SECRET_UNCHANGED';

/**
 * A fault of the issuer's key store: a wrong or weak `KEY_ENCRYPTION_SECRET`, or a sealed key that does not open
 * where it is. Never carries key material or the secret. A service maps it to `service.internal` (it is our fault,
 * not the client's) and logs the message.
 */
export class KeyStoreError extends Error {
  /** Stable code. */
  readonly code: KeyStoreErrorCode;

  constructor(code: KeyStoreErrorCode, message: string) {
    super(message);
    this.name = 'KeyStoreError';
    this.code = code;
  }
}

/** What a sealed private key is bound to: its associated data. Moving the sealed value to another binding fails. */
export interface SealBinding {
  /** Veramo's key id. */
  alias: string;
  /** Veramo's key type. */
  type: string;
  /** The DID the key belongs to, or null for a key not (yet) part of a DID. */
  ownerDid: string | null;
}

const FORMAT = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'citycred/key-encryption-secret';
const SEAL_PURPOSE = 'citycred/issuer/private-keys/aes-256-gcm/v1';
const CHECK_PURPOSE = 'citycred/issuer/private-keys/check/v1';
const CHECK_LABEL = 'CityCred: this is the KEY_ENCRYPTION_SECRET of this issuer database';

/**
 * Seals and opens the issuer's private keys with AES-256-GCM under a key derived from `KEY_ENCRYPTION_SECRET` by
 * HKDF-SHA256 with a purpose label, and computes the secret's check value (HMAC-SHA256 of a fixed label under a
 * second derived key). The associated data of each seal is its {@link SealBinding}, so a sealed value opens only
 * in the row, for the key type and for the owner it was sealed for. Nonces are random (96 bits): a key is
 * sealed a handful of times in its life, far below the bound where random GCM nonces could collide.
 */
export class KeySealer {
  private readonly sealKey: Buffer;
  private readonly checkKey: Buffer;

  /**
   * @param secretHex - the key-encryption secret, 64 hex characters
   * @param variable - the setting it came from, named in error messages
   * @throws KeyStoreError `KEY_SECRET_WEAK` when the secret is malformed or weak
   */
  constructor(secretHex: string, variable = 'KEY_ENCRYPTION_SECRET') {
    if (!/^[0-9a-fA-F]{64}$/.test(secretHex)) throw new KeyStoreError('KEY_SECRET_WEAK', `${variable} must be 64 hexadecimal characters (32 bytes)`);
    const weakness = weakSecretReason(secretHex);
    if (weakness) throw new KeyStoreError('KEY_SECRET_WEAK', `${variable} ${weakness}`);
    const secret = Buffer.from(secretHex, 'hex');
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, SEAL_PURPOSE, 32));
    this.checkKey = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, CHECK_PURPOSE, 32));
  }

  /** The check value of this secret (hex), to store beside the keys; it reveals nothing about the sealing key. */
  checkValue(): string {
    return createHmac('sha256', this.checkKey).update(CHECK_LABEL).digest('hex');
  }

  /** Whether a stored check value is this secret's (compared in constant time). */
  matchesCheck(stored: string): boolean {
    const mine = Buffer.from(this.checkValue(), 'hex');
    const theirs = Buffer.from(stored, 'hex');
    return theirs.length === mine.length && timingSafeEqual(mine, theirs);
  }

  /**
   * Seals a private key (Veramo's `privateKeyHex`) to its binding.
   * @returns `v1.<nonce>.<ciphertext+tag>` in base64url
   * @throws RangeError for an empty key
   */
  seal(privateKeyHex: string, binding: SealBinding): string {
    if (privateKeyHex === '') throw new RangeError('an empty private key is not sealed');
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(binding));
    const body = Buffer.concat([cipher.update(privateKeyHex, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${FORMAT}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * Opens a sealed private key for the binding it is read under.
   * @returns Veramo's `privateKeyHex`, never an empty string
   * @throws KeyStoreError `KEY_SEAL_BROKEN` when the value is malformed, was sealed for another binding, was
   *   altered, or was sealed under another secret
   */
  open(sealed: string, binding: SealBinding): string {
    const [format, nonceText, bodyText, ...rest] = sealed.split('.');
    const nonce = Buffer.from(nonceText ?? '', 'base64url');
    const body = Buffer.from(bodyText ?? '', 'base64url');
    const broken = () =>
      new KeyStoreError(
        'KEY_SEAL_BROKEN',
        `the sealed private key "${binding.alias}" (owner ${binding.ownerDid ?? 'none'}) does not open: it was moved from another key or tenant, or altered, or sealed under another KEY_ENCRYPTION_SECRET. No key was used.`,
      );
    if (format !== FORMAT || rest.length > 0 || nonce.length !== NONCE_BYTES || body.length <= TAG_BYTES) throw broken();
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    let plain: string;
    try {
      plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw broken();
    }
    if (plain === '') throw broken();
    return plain;
  }
}

/** One unambiguous encoding of the binding (a JSON array of strings and null). */
function associatedData(binding: SealBinding): Buffer {
  return Buffer.from(JSON.stringify(['citycred-private-key', FORMAT, binding.alias, binding.type, binding.ownerDid]), 'utf8');
}
