import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A signed-in console session. Only the SHA-256 of its token is stored; the token lives in the operator's cookie. */
@Entity({ name: 'console_sessions' })
@Index('idx_console_sessions_operator', ['operatorId'])
export class ConsoleSessionEntity {
  /** Hex SHA-256 of the session token. */
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'operator_id', type: 'varchar', length: 36 })
  operatorId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Sign-in time (ISO): the absolute expiry counts from it. */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** Last request seen (ISO): the idle expiry counts from it. */
  @Column({ name: 'last_seen_at', type: 'varchar', length: 32 })
  lastSeenAt!: string;
}
