import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One stored instance of an oidc-provider model — an interaction, a session, a grant, an authorization code, an access
 * token — or of the sign-in's own records (`SignIn`, `SignInResult`, `GrantClaims`), by model and id. `payload` is
 * the model's JSON; the columns beside it are the lookups the provider makes (by grant, by session uid, by user code)
 * and the row's end. A row past `expires_at` is treated as absent and deleted.
 */
@Entity({ name: 'oidc_payloads' })
@Index('IDX_oidc_payloads_grant_id', ['grantId'])
@Index('IDX_oidc_payloads_uid', ['uid'])
@Index('IDX_oidc_payloads_expires_at', ['expiresAt'])
export class OidcPayloadEntity {
  /** The model name, e.g. `AuthorizationCode`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  model!: string;

  /** The instance's id (a code, a token's jti, a session's id, an interaction's uid). */
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  /** The model's payload, JSON. */
  @Column({ type: 'text' })
  payload!: string;

  /** The grant a code or token belongs to (revoked together). */
  @Column({ name: 'grant_id', type: 'varchar', length: 255, nullable: true })
  grantId!: string | null;

  /** A session's uid. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  uid!: string | null;

  /** A device flow's user code (unused: the provider offers no device flow). */
  @Column({ name: 'user_code', type: 'varchar', length: 255, nullable: true })
  userCode!: string | null;

  /** ISO 8601: when the row stops existing; null for none. */
  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt!: string | null;

  /** ISO 8601: when a code was used, once; null before. */
  @Column({ name: 'consumed_at', type: 'varchar', length: 32, nullable: true })
  consumedAt!: string | null;
}

/**
 * The provider's secrets when not configured: its signing keys (private JWKs), its cookie key, and the keys of the
 * accounts and pairwise subjects — made once by the first verifier process that needs them and shared by every
 * process on the database.
 */
@Entity({ name: 'oidc_secrets' })
export class OidcSecretEntity {
  /** What the secret is, e.g. `signing-es256`, `account-key`. */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  purpose!: string;

  /** The secret: a private JWK (JSON) or 64 hex digits. */
  @Column({ type: 'text' })
  value!: string;

  /** ISO 8601 (injected clock). */
  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
