import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A change of a credential's status. */
export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

/** One status change, append-only: rows are inserted with the change they record and never updated or deleted. */
@Entity({ name: 'status_history' })
@Index('idx_status_history_credential', ['tenantId', 'credentialId', 'seq'])
export class StatusHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'credential_id', type: 'varchar', length: 100 })
  credentialId!: string;

  @Column({ type: 'varchar', length: 16 })
  action!: StatusAction;

  /** Why, as the operator wrote it (never personal data: the personal-data guard screens request bodies). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Who asked (e.g. `tenant:<slug>` for a request with the tenant's API key). */
  @Column({ type: 'varchar', length: 200 })
  actor!: string;

  @Column({ type: 'varchar', length: 32 })
  at!: string;
}
