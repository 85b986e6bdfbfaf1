import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One entry of a tenant's audit log: append-only and hash-chained (each entry's `hash` covers its content and the
 * previous entry's hash), so a changed, removed or reordered entry breaks the chain at that point.
 */
@Entity({ name: 'audit_entries' })
export class AuditEntryEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** 1, 2, 3 … within the tenant, without gaps. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  /** When it happened (ISO-8601 UTC, milliseconds). */
  @Column({ type: 'varchar', length: 32 })
  at!: string;

  /** `operator`, `api-key`, `offer`, `import`, `platform` … */
  @Column({ name: 'actor_kind', type: 'varchar', length: 16 })
  actorKind!: string;

  /** The operator's username, an API key's public prefix, … (never a secret). */
  @Column({ name: 'actor_id', type: 'varchar', length: 100 })
  actorId!: string;

  /** `credential.issued`, `credential.revoked`, `operator.signed-in`, … */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** What it acted on (a credential id, an operator's username …), or null. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  target!: string | null;

  /** Canonical JSON of the details (never claims nor other personal data). */
  @Column({ type: 'text' })
  details!: string;

  /** The previous entry's hash (64 zero hex digits for the first). */
  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  /** Hex SHA-256 of the entry's canonical serialisation, prevHash included. */
  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

/**
 * A tenant's audit-log head: the last entry's seq and hash, and the last head anchored on chain. Appends lock this
 * row (PostgreSQL `FOR UPDATE`), so two appends for one tenant never fork the chain.
 */
@Entity({ name: 'audit_heads' })
export class AuditHeadEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** The seq of the last head queued for anchoring, or null. */
  @Column({ name: 'anchored_seq', type: 'integer', nullable: true })
  anchoredSeq!: number | null;

  /** The hash of that head. */
  @Column({ name: 'anchored_hash', type: 'varchar', length: 64, nullable: true })
  anchoredHash!: string | null;

  /** When it was queued (ISO). */
  @Column({ name: 'anchored_at', type: 'varchar', length: 32, nullable: true })
  anchoredAt!: string | null;
}
