import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * `sealed`: leaves and root fixed, not yet confirmed on chain; `anchored`: root confirmed on chain;
 * `refused`: set aside because the chain refuses it for a reason retrying cannot cure (the tenant is not
 * accredited), see `refusalReason` and `refusedAt`.
 */
export type AnchorBatchState = 'sealed' | 'anchored' | 'refused';

/** A batch of credential hashes whose Merkle root is (to be) anchored in one transaction. */
@Entity({ name: 'anchor_batches' })
export class AnchorBatchEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 66, unique: true })
  root!: string;

  @Column({ name: 'leaf_count', type: 'integer' })
  leafCount!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: AnchorBatchState;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'tx_hash', type: 'varchar', length: 66, nullable: true })
  txHash!: string | null;

  @Column({ name: 'block_number', type: 'integer', nullable: true })
  blockNumber!: number | null;

  @Column({ name: 'anchored_at', type: 'varchar', length: 32, nullable: true })
  anchoredAt!: string | null;

  @Column({ name: 'chain_id', type: 'integer', nullable: true })
  chainId!: number | null;

  @Column({ type: 'varchar', length: 42, nullable: true })
  contract!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** A worker holds the batch until this instant (ISO); others skip it meanwhile. */
  @Column({ name: 'lease_until', type: 'varchar', length: 32, nullable: true })
  leaseUntil!: string | null;

  /** The worker holding the lease; only it may record the outcome. */
  @Column({ name: 'lease_owner', type: 'varchar', length: 36, nullable: true })
  leaseOwner!: string | null;

  /** Why the batch was set aside (the CredentialAnchor error: `IssuerNotAccredited`, `NotIdentityOwner`), while `state` is `refused`. */
  @Column({ name: 'refusal_reason', type: 'varchar', length: 64, nullable: true })
  refusalReason!: string | null;

  /** When the batch was set aside (ISO), while `state` is `refused`. */
  @Column({ name: 'refused_at', type: 'varchar', length: 32, nullable: true })
  refusedAt!: string | null;

  /** Gas the anchoring transaction used, once anchored (null for batches anchored before it was recorded). */
  @Column({ name: 'gas_used', type: 'integer', nullable: true })
  gasUsed!: number | null;

  /** Wei paid per unit of gas by the anchoring transaction (a decimal string: it can exceed 2^53), once anchored. */
  @Column({ name: 'effective_gas_price', type: 'varchar', length: 78, nullable: true })
  effectiveGasPrice!: string | null;
}
