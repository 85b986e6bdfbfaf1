import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One co-signed attendance event of a labour contract (docs/labor.md, "Attendance"): append-only, hash-chained per
 * contract. `(contract_id, nonce)` is unique, so a workplace QR's nonce is used at most once per contract even when
 * two check-ins race; the contract's {@link LaborAttendanceHeadEntity} row serialises appends.
 */
@Entity({ name: 'labor_attendance_events' })
export class LaborAttendanceEventEntity {
  @PrimaryColumn({ name: 'contract_id', type: 'varchar', length: 100 })
  contractId!: string;

  /** 0, 1, 2 … within the contract, without gaps. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  /** `check-in`, `check-out` or `correction`. */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  /** The event's `at` (ISO 8601 UTC). */
  @Column({ type: 'varchar', length: 32 })
  at!: string;

  /** The workplace QR's nonce of a check-in or -out; null for a correction. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  nonce!: string | null;

  /** The event's canonical JSON (RFC 8785): exactly what was hashed and signed. */
  @Column({ name: 'event_json', type: 'text' })
  eventJson!: string;

  /** `0x` + SHA-256 hex of {@link eventJson}. */
  @Column({ type: 'varchar', length: 66 })
  hash!: string;

  @Column({ name: 'worker_signature', type: 'text' })
  workerSignature!: string;

  @Column({ name: 'employer_signature', type: 'text' })
  employerSignature!: string;

  /** When the employer's service countersigned it (ISO). */
  @Column({ name: 'recorded_at', type: 'varchar', length: 32 })
  recordedAt!: string;
}

/**
 * A contract's attendance head: how many events it has and the last one's hash, and the last head queued for
 * anchoring. Appends lock this row (PostgreSQL `FOR UPDATE`, SQLite's write lock), so two appends never both take
 * the same seq.
 */
@Entity({ name: 'labor_attendance_heads' })
export class LaborAttendanceHeadEntity {
  @PrimaryColumn({ name: 'contract_id', type: 'varchar', length: 100 })
  contractId!: string;

  /** The employer tenant whose key countersigns and whose identity anchors the heads. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** Number of events (the next event's seq). */
  @Column({ type: 'integer' })
  count!: number;

  /** The last event's hash, or the genesis hash (64 zeros). */
  @Column({ type: 'varchar', length: 66 })
  hash!: string;

  /** The kind of the last check-in or -out (`check-in` while the worker is checked in), or null before the first. */
  @Column({ name: 'last_punch', type: 'varchar', length: 16, nullable: true })
  lastPunch!: string | null;

  /** The count at the last head queued for anchoring, or null. */
  @Column({ name: 'anchored_count', type: 'integer', nullable: true })
  anchoredCount!: number | null;

  /** When it was queued (ISO). */
  @Column({ name: 'anchored_at', type: 'varchar', length: 32, nullable: true })
  anchoredAt!: string | null;
}

/**
 * A workplace QR nonce an employer tenant issued: one per tenant per 30-second window (`window_start`, unix seconds,
 * unique per tenant), kept so a check-in can tell it is one of the tenant's, and with the JWS shown meanwhile.
 */
@Entity({ name: 'labor_workplace_nonces' })
export class LaborWorkplaceNonceEntity {
  /** base64url of 16 random bytes. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  nonce!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** The window's start, unix seconds (a multiple of 30): the JWS's `iat`. */
  @Column({ name: 'window_start', type: 'integer' })
  windowStart!: number;

  /** The signed QR (compact JWS). */
  @Column({ type: 'text' })
  jws!: string;
}

/** What became of a proposed attendance correction. */
export type AttendanceCorrectionState = 'pending' | 'signed';

/**
 * An attendance correction the employer proposed: the worker's wallet signs it as a `correction` event, which the
 * employer's service then countersigns (state `signed`, with the event's seq). Nothing is ever edited.
 */
@Entity({ name: 'labor_attendance_corrections' })
export class LaborAttendanceCorrectionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'contract_id', type: 'varchar', length: 100 })
  contractId!: string;

  /** The corrected check-in or -out's hash. */
  @Column({ name: 'event_hash', type: 'varchar', length: 66 })
  eventHash!: string;

  /** The time it should have had (ISO 8601 UTC). */
  @Column({ type: 'varchar', length: 32 })
  at!: string;

  @Column({ type: 'varchar', length: 500 })
  reason!: string;

  /** The operator who proposed it (username). */
  @Column({ name: 'proposed_by', type: 'varchar', length: 64 })
  proposedBy!: string;

  @Column({ name: 'proposed_at', type: 'varchar', length: 32 })
  proposedAt!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: AttendanceCorrectionState;

  /** The seq of the correction event once signed. */
  @Column({ name: 'event_seq', type: 'integer', nullable: true })
  eventSeq!: number | null;
}

/** The attendance tables' entities. */
export const LABOR_ATTENDANCE_ENTITIES = [LaborAttendanceEventEntity, LaborAttendanceHeadEntity, LaborWorkplaceNonceEntity, LaborAttendanceCorrectionEntity];
