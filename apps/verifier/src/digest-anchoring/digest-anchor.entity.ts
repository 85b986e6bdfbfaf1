import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One digest the verifier hands to the city issuer's anchoring (ADR 0015): written with the record it proves (an
 * e-signature receipt, a petition's tally), posted to the issuer by the outbox task until the issuer accepts it, then
 * followed until its proof checks against the chain.
 */
@Entity({ name: 'digest_anchor_outbox' })
export class DigestAnchorEntity {
  /** `0x` + 64 lower-case hex. */
  @PrimaryColumn({ type: 'varchar', length: 66 })
  digest!: string;

  /** `signature-receipt` or `petition-tally` (`DigestKind`). */
  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'enqueued_at', type: 'varchar', length: 32 })
  enqueuedAt!: string;

  /** When the issuer accepted it into its queue (202); null until then. */
  @Column({ name: 'submitted_at', type: 'varchar', length: 32, nullable: true })
  submittedAt!: string | null;

  /** The identity the issuer anchors it under (its 202 answer's `issuer`: the city tenant's did:ethr). */
  @Column({ name: 'issuer_did', type: 'varchar', length: 200, nullable: true })
  issuerDid!: string | null;

  /** Submissions that failed so far (issuer down, refused). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Why the last submission or look-up failed; null after a success. */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /**
   * Once the proof checked against the chain: JSON `{block, time, root, proof, leafIndex, chainId, contract, txHash?}`;
   * null before.
   */
  @Column({ type: 'text', nullable: true })
  anchor!: string | null;
}
