import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * What an anchored digest is: an issued credential, a published status-list version, an audit-log head, a labour
 * contract's attendance-chain head (a KST day's last event so far), or a digest the verifier handed over
 * (`POST /anchors/digests`, ADR 0015): an e-signature receipt's hash, a petition tally's digest.
 */
export type AnchorKind = 'credential' | 'status-list' | 'audit-head' | 'attendance-head' | 'signature-receipt' | 'petition-tally';

/**
 * One credential hash waiting to be (or already) anchored. Written in the same transaction as the
 * credential; the anchoring worker assigns it to a batch and stores its Merkle proof.
 */
@Entity({ name: 'anchor_outbox' })
export class AnchorOutboxEntity {
  /** Monotonic sequence: the order in which leaves enter batches. */
  @PrimaryGeneratedColumn({ type: 'integer' })
  seq!: number;

  /**
   * The digest to anchor, 0x-prefixed SHA-256 hex: a credential's hash, a status-list version's, an audit-log head's…
   * (the column keeps its first name: proofs are looked up by it).
   */
  @Column({ name: 'credential_hash', type: 'varchar', length: 66, unique: true })
  credentialHash!: string;

  /** What the digest is ({@link AnchorKind}). */
  @Column({ type: 'varchar', length: 32, default: 'credential' })
  kind!: AnchorKind;

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
