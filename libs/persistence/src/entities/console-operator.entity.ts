import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a console operator may do: `admin` everything of its tenant, `issuer` issue and change status, `auditor` read. */
export type OperatorRole = 'admin' | 'issuer' | 'auditor';

/** A person who signs in to a tenant's issuer console. Usernames are unique within a tenant, not across tenants. */
@Entity({ name: 'console_operators' })
@Index('uq_console_operators_username', ['tenantId', 'username'], { unique: true })
export class ConsoleOperatorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Lower-case sign-in name. */
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: OperatorRole;

  /** Self-describing scrypt hash `scrypt$N$r$p$salt$hash` (base64url salt and hash); never the password. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200 })
  passwordHash!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** When the operator was disabled (ISO); null while it may sign in. */
  @Column({ name: 'disabled_at', type: 'varchar', length: 32, nullable: true })
  disabledAt!: string | null;
}
