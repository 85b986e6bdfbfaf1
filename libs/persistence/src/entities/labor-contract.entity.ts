import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where a labour contract version stands (docs/labor.md, "Contract lifecycle"):
 * - `awaiting-worker`: drafted by the employer, waiting for the worker's signature in the wallet;
 * - `awaiting-employer`: the worker signed its hash, the employer has not countersigned yet;
 * - `active`: both signed; the LaborContract credential was offered to the worker;
 * - `ended`: the employer ended it;
 * - `superseded`: a later version of the same contract became active.
 */
export type LaborContractState = 'awaiting-worker' | 'awaiting-employer' | 'active' | 'ended' | 'superseded';

/**
 * One version of an employer's labour contract with a part-time worker: the signed document (RFC 8785 JSON) and its
 * hash, both parties' detached signatures over the hash, and the credential offers made from it. The worker reaches
 * it by a bearer token given once in the contract's link; only the token's SHA-256 is stored.
 */
@Entity({ name: 'labor_contracts' })
export class LaborContractEntity {
  /** UUID of this version. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** The employer tenant. */
  @Index()
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** The lineage: the id of the contract's first version (the document's `contractId`). */
  @Index()
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  /** The version this one revises; null for a first version. */
  @Column({ name: 'previous_version', type: 'varchar', length: 36, nullable: true })
  previousVersion!: string | null;

  @Column({ type: 'integer' })
  version!: number;

  /** The signed document, as its canonical JSON. */
  @Column({ type: 'text' })
  document!: string;

  /** `0x` + SHA-256 hex of {@link document}. */
  @Column({ type: 'varchar', length: 66 })
  hash!: string;

  @Column({ type: 'varchar', length: 20 })
  state!: LaborContractState;

  /** The worker's wallet DID (did:jwk), once the worker signed. */
  @Column({ name: 'worker_did', type: 'varchar', length: 2048, nullable: true })
  workerDid!: string | null;

  /** `{signer, signedAt, jws}` of the worker, as JSON. */
  @Column({ name: 'worker_signature', type: 'text', nullable: true })
  workerSignature!: string | null;

  /** `{signer, signedAt, jws}` of the employer, as JSON. */
  @Column({ name: 'employer_signature', type: 'text', nullable: true })
  employerSignature!: string | null;

  /** Hex SHA-256 of the worker's share token (the token itself is never stored). */
  @Index({ unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** JSON array of the credential offers made from this version: `{type, offerId, tenant, link, createdAt}`. */
  @Column({ type: 'text', default: '[]' })
  offers!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'ended_at', type: 'varchar', length: 32, nullable: true })
  endedAt!: string | null;

  /** The last day of work the employer gave when ending it (`YYYY-MM-DD`); WorkExperience's period ends there. */
  @Column({ name: 'end_date', type: 'varchar', length: 10, nullable: true })
  endDate!: string | null;
}
