import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Where an OpenID4VCI offer stands:
 * - `offered`: waiting for the wallet's token request (an offer bound to a holder stays `offered` through any number
 *   of token requests, until its holder's credential request takes it);
 * - `redeemed`: its pre-authorized code was exchanged for an access token (a second exchange is refused) — for an
 *   offer bound to a holder: its holder's credential request took it;
 * - `issued`: its credential(s) were issued; the claims are erased, the row stays as the link offer → credentials;
 * - `burnt`: too many wrong transaction codes; nothing more can be done with it.
 */
export type Oid4vciOfferState = 'offered' | 'redeemed' | 'issued' | 'burnt';

/**
 * A credential offer of a tenant (OpenID4VCI 1.0 §4, pre-authorized code grant). Secrets are stored as SHA-256
 * only: the pre-authorized code, and the transaction code bound to it (so the 6 digits cannot be read back from the
 * database without the code, which is never stored).
 */
@Entity({ name: 'oid4vci_offers' })
export class Oid4vciOfferEntity {
  /** UUID; also the path of the offer by reference. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'credential_configuration_id', type: 'varchar', length: 100 })
  credentialConfigurationId!: string;

  /** The credentialSubject claims to issue, as JSON; null once issued or expired (they are personal data). */
  @Column({ type: 'text', nullable: true })
  claims!: string | null;

  /** Hex SHA-256 of the pre-authorized code. */
  @Column({ name: 'pre_authorized_code_hash', type: 'varchar', length: 64, unique: true })
  preAuthorizedCodeHash!: string;

  /** Hex SHA-256 of `<pre-authorized code>:<tx_code>`; null when the offer asks for no transaction code. */
  @Column({ name: 'tx_code_hash', type: 'varchar', length: 64, nullable: true })
  txCodeHash!: string | null;

  @Column({ name: 'tx_code_failures', type: 'integer', default: 0 })
  txCodeFailures!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: Oid4vciOfferState;

  /** Who made the offer (`api-key:<key id>` or `operator:<name>`). */
  @Column({ name: 'created_by', type: 'varchar', length: 120 })
  createdBy!: string;

  /** The bulk job that made it, if any. */
  @Column({ name: 'bulk_job_id', type: 'varchar', length: 36, nullable: true })
  bulkJobId!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** After this the pre-authorized code is refused; cleanup deletes offers that never led to a credential. */
  @Index()
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  @Column({ name: 'redeemed_at', type: 'varchar', length: 32, nullable: true })
  redeemedAt!: string | null;

  @Column({ name: 'issued_at', type: 'varchar', length: 32, nullable: true })
  issuedAt!: string | null;

  /** JSON array of the ids (`issued_credentials.id`) of the credentials issued for this offer. */
  @Column({ name: 'credential_ids', type: 'text', nullable: true })
  credentialIds!: string | null;

  /**
   * The holder the offer is bound to (a did:jwk or did:key, as the tenant gave it): every proof key of the credential
   * request must be this key; null for an offer any wallet may redeem.
   */
  @Column({ name: 'holder_did', type: 'varchar', length: 2048, nullable: true })
  holderDid!: string | null;
}

/** An access token of the credential endpoint: opaque, stored as SHA-256, usable for one credential request. */
@Entity({ name: 'oid4vci_access_tokens' })
export class Oid4vciAccessTokenEntity {
  /** Hex SHA-256 of the token. */
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'offer_id', type: 'varchar', length: 36 })
  offerId!: string;

  @Index()
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  @Column({ name: 'used_at', type: 'varchar', length: 32, nullable: true })
  usedAt!: string | null;
}

/** A `c_nonce` of a tenant's nonce endpoint: single use, short-lived. */
@Entity({ name: 'oid4vci_nonces' })
export class Oid4vciNonceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  nonce!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Index()
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  @Column({ name: 'used_at', type: 'varchar', length: 32, nullable: true })
  usedAt!: string | null;
}

/** State of a bulk offer job. */
export type Oid4vciBulkJobState = 'running' | 'done';

/** A bulk offer job: its rows' report (offer id or error per row) without any claim or secret. */
@Entity({ name: 'oid4vci_bulk_jobs' })
export class Oid4vciBulkJobEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: Oid4vciBulkJobState;

  @Column({ type: 'integer' })
  total!: number;

  @Column({ type: 'integer', default: 0 })
  processed!: number;

  /** JSON array of `{row, offerId} | {row, error: {code, pointer}}`. */
  @Column({ type: 'text' })
  report!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Index()
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;
}

/** The OpenID4VCI tables, for the issuer's data source. */
export const OID4VCI_ENTITIES = [Oid4vciOfferEntity, Oid4vciAccessTokenEntity, Oid4vciNonceEntity, Oid4vciBulkJobEntity];
