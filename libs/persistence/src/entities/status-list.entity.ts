import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/** `bitstring`: W3C Bitstring Status List, one purpose per list. `token`: IETF Token Status List, 2-bit statuses. */
export type StatusListKind = 'bitstring' | 'token';

/** What a list's entries mean: a bitstring list's purpose, or `status` for a token list (its values say which). */
export type StatusListPurpose = 'revocation' | 'suspension' | 'status';

/**
 * One published status list of a tenant. Lists of one (tenant, kind, purpose) are numbered by `seq`; the highest is
 * the one new credentials go to (its entries are counted in `status_entries`: no counter here, so that issuing never
 * writes this row). The row holds the current bits and the signed list as last published, so serving
 * it is one read and never signs.
 */
@Entity({ name: 'status_lists' })
@Unique('uq_status_lists_sequence', ['tenantId', 'kind', 'purpose', 'seq'])
export class StatusListEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: StatusListKind;

  @Column({ type: 'varchar', length: 16 })
  purpose!: StatusListPurpose;

  /** 1, 2, 3 … per (tenant, kind, purpose). */
  @Column({ type: 'integer' })
  seq!: number;

  /** Number of entries (131,072). */
  @Column({ type: 'integer' })
  size!: number;

  /** Bits per entry: 1 (bitstring) or 2 (token). */
  @Column({ name: 'bits_per_entry', type: 'integer' })
  bitsPerEntry!: number;

  /** The packed statuses, base64url (text, so the same column works on SQLite and PostgreSQL). */
  @Column({ type: 'text' })
  bits!: string;

  /** Bumped on every change of the bits; the published list is re-signed at each. */
  @Column({ type: 'integer' })
  version!: number;

  /** The URL the list is served at and credentials name; fixed when the list is opened. */
  @Column({ type: 'text' })
  url!: string;

  /** The signed list as served: a compact `vc+jwt` (bitstring) or `statuslist+jwt` (token). */
  @Column({ name: 'published_jwt', type: 'text' })
  publishedJwt!: string;

  /** Strong ETag of {@link publishedJwt}, quoted. */
  @Column({ type: 'varchar', length: 80 })
  etag!: string;

  /** Hex of the public key that signed {@link publishedJwt} (null: unknown); a list signed by a rotated-away key is re-signed. */
  @Column({ name: 'signed_by', type: 'varchar', length: 132, nullable: true })
  signedBy!: string | null;

  @Column({ name: 'published_at', type: 'varchar', length: 32 })
  publishedAt!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
