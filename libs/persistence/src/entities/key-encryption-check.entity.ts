import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A value derived from `KEY_ENCRYPTION_SECRET` (never the secret itself, nor anything it can be recovered from), so
 * that start-up can tell a wrong secret from a right one before any key is used. One row per purpose.
 */
@Entity({ name: 'key_encryption_checks' })
export class KeyEncryptionCheckEntity {
  /** What the secret protects, e.g. `private-keys`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  purpose!: string;

  /** Hex HMAC-SHA256 of a fixed label under a key derived from the secret. */
  @Column({ name: 'check_value', type: 'varchar', length: 64 })
  checkValue!: string;
}
