import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * How the wallet sends its answer (OpenID4VP 1.0 §8.2, §8.3.1): `direct_post`, a form with `vp_token` and `state`; or
 * `direct_post.jwt`, a form with one `response` parameter, those same parameters encrypted (JWE) to the request's own
 * key.
 */
export type ResponseMode = 'direct_post' | 'direct_post.jwt';

/**
 * Where an OpenID4VP presentation request stands: `pending` until a wallet's response settled it (`fulfilled` when
 * the presentation verified and the policy is satisfied, `failed` otherwise) or its time ran out (`expired`).
 */
export type PresentationRequestState = 'pending' | 'fulfilled' | 'failed' | 'expired';

/**
 * An OpenID4VP presentation request (docs/oid4vp.md). Everything a verifier process needs to serve it lives in this
 * row, so any process behind the verifier's address answers for it. The nonce is also an issued challenge of the
 * presentations context, which makes it single use there too.
 */
@Entity({ name: 'oid4vp_requests' })
export class PresentationRequestEntity {
  /**
   * Random UUID: the creator's handle, with which it reads the state and outcome. It is answered only to the creator
   * and never reaches the wallet (nor the QR code).
   */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /**
   * The wallet's handle: 256 random bits (base64url), the path segment of the request and response URIs the QR code
   * carries. It opens only the wallet's side (the request object, the response endpoint), never the state.
   */
  @Index('IDX_oid4vp_requests_wallet_handle', { unique: true })
  @Column({ name: 'wallet_handle', type: 'varchar', length: 43 })
  walletHandle!: string;

  /** How the wallet must answer. */
  @Column({ name: 'response_mode', type: 'varchar', length: 16, default: 'direct_post' })
  responseMode!: ResponseMode;

  /**
   * For `direct_post.jwt`: the request's own ECDH-ES P-256 private key (JWK as JSON, with its `kid`), which decrypts
   * the wallet's answer. Kept here so every verifier process can decrypt; cleared once the request is settled or
   * expired. Null for `direct_post`.
   */
  @Column({ name: 'response_key', type: 'text', nullable: true })
  responseKey!: string | null;

  /** The credential policy's id. */
  @Column({ name: 'policy_id', type: 'varchar', length: 100 })
  policyId!: string;

  /** The policy's version when the request was made: the response is judged by the same rules. */
  @Column({ name: 'policy_version', type: 'varchar', length: 32 })
  policyVersion!: string;

  /** What the verifier's client said the request is for (its own label); null when none. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  purpose!: string | null;

  /** The `nonce` of the request object: a challenge from the presentations context's store. */
  @Column({ type: 'varchar', length: 128 })
  nonce!: string;

  /** The OAuth `state` the wallet sends back with its response. */
  @Column({ name: 'oauth_state', type: 'varchar', length: 64 })
  oauthState!: string;

  /** The `response_uri` fixed at creation (the verifier's public URL then), so every process signs the same request. */
  @Column({ name: 'response_uri', type: 'varchar', length: 600 })
  responseUri!: string;

  /** The DCQL query (JSON) generated from the policy's requirements. */
  @Column({ name: 'dcql_query', type: 'text' })
  dcqlQuery!: string;

  /** OpenID4VP `transaction_data` (JSON array of the base64url entries, as the request object carries them); null when none. */
  @Column({ name: 'transaction_data', type: 'text', nullable: true })
  transactionData!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: PresentationRequestState;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  /** ISO 8601: no response is taken after it (the nonce expires with it). */
  @Index('IDX_oid4vp_requests_expires')
  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  /** ISO 8601, when the state left `pending`; null while pending. */
  @Column({ name: 'settled_at', type: 'varchar', length: 32, nullable: true })
  settledAt!: string | null;

  /** The outcome (JSON, without the disclosed claims) once fulfilled or failed; null otherwise. */
  @Column({ type: 'text', nullable: true })
  result!: string | null;
}

/**
 * The verifier's request-signing key (P-256, private JWK as JSON): made once by the first process that needs it, then
 * shared by every process through the database so they all sign as the same `client_id`.
 */
@Entity({ name: 'oid4vp_signing_keys' })
export class VerifierSigningKeyEntity {
  /** What the key is for; one row, `request-signing`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  purpose!: string;

  @Column({ name: 'private_jwk', type: 'text' })
  privateJwk!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
