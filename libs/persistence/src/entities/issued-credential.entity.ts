import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Formats a credential can be issued in: the credential-format seam's ids (`@citycred/formats`). */
export type IssuedCredentialFormat = 'jwt_vc' | 'vc+jwt' | 'dc+sd-jwt';

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
  format!: IssuedCredentialFormat;

  /** 0x-prefixed SHA-256 of the anchored part of {@link encoded} (all of a JWT; the issuer-signed JWT of an SD-JWT). */
  @Column({ name: 'credential_hash', type: 'varchar', length: 66, unique: true })
  credentialHash!: string;

  @Column({ name: 'subject_id', type: 'text', nullable: true })
  subjectId!: string | null;

  @Column({ name: 'issued_at', type: 'varchar', length: 32 })
  issuedAt!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt!: string | null;

  /** The issued credential as it travels: a compact JWT, or the whole SD-JWT with every disclosure. */
  @Column({ type: 'text' })
  encoded!: string;
}
