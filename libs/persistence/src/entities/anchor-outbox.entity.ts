import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One credential hash waiting to be (or already) anchored. Written in the same transaction as the
 * credential; the anchoring worker assigns it to a batch and stores its Merkle proof.
 */
@Entity({ name: 'anchor_outbox' })
export class AnchorOutboxEntity {
  /** Monotonic sequence: the order in which leaves enter batches. */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  @Column({ name: 'credential_hash', type: 'varchar', length: 66, unique: true })
  credentialHash!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'enqueued_at', type: 'varchar', length: 32 })
  enqueuedAt!: string;

  @Column({ name: 'batch_id', type: 'varchar', length: 36, nullable: true })
  batchId!: string | null;

  @Column({ name: 'leaf_index', type: 'integer', nullable: true })
  leafIndex!: number | null;

  /** JSON array of sibling hashes, bottom-up. */
  @Column({ type: 'text', nullable: true })
  proof!: string | null;
}
