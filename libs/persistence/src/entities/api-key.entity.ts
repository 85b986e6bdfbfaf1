import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An API key of a tenant. Only the SHA-256 of the key is stored; the key itself is shown once. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** The first characters of the key, so operators can tell keys apart. */
  @Column({ type: 'varchar', length: 24 })
  prefix!: string;

  /** Hex SHA-256 of the whole key. */
  @Column({ name: 'key_hash', type: 'varchar', length: 64, unique: true })
  keyHash!: string;

  @Column({ type: 'varchar', length: 100 })
  label!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 32, nullable: true })
  revokedAt!: string | null;
}
