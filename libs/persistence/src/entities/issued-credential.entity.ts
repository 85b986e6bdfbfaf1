import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Proof formats a credential can be issued in. */
export type CredentialFormat = 'jwt' | 'sd-jwt';

/** A credential as issued: the exact bytes whose SHA-256 is anchored. */
@Entity({ name: 'issued_credentials' })
export class IssuedCredentialEntity {
  /** The credential id (`urn:uuid:…`). */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ type: 'varchar', length: 16 })
  format!: CredentialFormat;

  /** 0x-prefixed SHA-256 of {@link encoded}. */
  @Column({ name: 'credential_hash', type: 'varchar', length: 66, unique: true })
  credentialHash!: string;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId!: string | null;

  @Column({ name: 'issued_at', type: 'varchar', length: 32 })
  issuedAt!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt!: string | null;

  /** The issued bytes: a compact JWT, or the issuer-signed part of an SD-JWT. */
  @Column({ type: 'text' })
  encoded!: string;
}
