import type { JwsSigner } from '@citycred/formats';
import type { TenantEntity } from '@citycred/persistence';
import type { BitstringStatusListCredential, RandomSource } from '@citycred/status-list';
import type { EntityManager } from 'typeorm';

/** What the status-list module needs of a tenant: its id (rows) and DID (the lists' issuer). */
export type StatusListTenant = Pick<TenantEntity, 'id' | 'did'>;

/**
 * Signs a tenant's published lists with the tenant's current key. Implemented by the issuer's wiring (the Node
 * signing adapter of `@citycred/did` and the `vc+jwt` credential format); see {@link statusListSignerFrom}.
 */
export interface StatusListSigner {
  /**
   * The tenant's JWS signer (its `alg` and `kid` go into the status list token's header). It may read the database
   * on its own connection, so it is called before a transaction begins, never inside one: a transaction that waits
   * for a second pooled connection can starve the pool when many run at once.
   */
  signerFor(tenant: StatusListTenant): Promise<JwsSigner>;
  /**
   * Secures an unsigned `BitstringStatusListCredential` as VC-JOSE-COSE with `signer`: `typ: vc+jwt`, `cty: vc`,
   * the credential as the claims set.
   * @returns the compact JWT
   */
  signListCredential(credential: BitstringStatusListCredential, signer: JwsSigner): Promise<string>;
}

/** One published list version to anchor. */
export interface StatusListAnchorEntry {
  readonly kind: 'status-list';
  /** 0x-prefixed SHA-256 hex of the published JWT. */
  readonly digest: string;
  readonly tenantId: string;
}

/**
 * The anchoring module's queue, as this module uses it: called inside the transaction that publishes the version.
 * The anchoring module's `AnchorQueue` fits it as is.
 */
export interface StatusListAnchorQueue {
  enqueue(manager: EntityManager, entry: StatusListAnchorEntry, at: Date): Promise<void>;
}

/** Settings of the module, from the issuer's configuration. */
export interface StatusListSettings {
  /** The issuer's public base URL (`issuerPublicUrl(config)`); list URLs are `<base>/status-lists/<id>`, fixed at opening. */
  readonly publicUrl: string;
  /** `STATUS_LIST_MAX_AGE_SECONDS`: `Cache-Control: max-age` and the lists' `ttl`. */
  readonly maxAgeSeconds: number;
}

/** Injection token of the {@link StatusListSigner}. */
export const STATUS_LIST_SIGNER = Symbol.for('citycred.issuer.status-list.signer');
/** Injection token of the {@link StatusListAnchorQueue}. */
export const STATUS_LIST_ANCHOR_QUEUE = Symbol.for('citycred.issuer.status-list.anchor-queue');
/** Injection token of the {@link StatusListSettings}. */
export const STATUS_LIST_SETTINGS = Symbol.for('citycred.issuer.status-list.settings');
/** Injection token of the {@link RandomSource} that picks indexes. */
export const STATUS_LIST_RANDOM = Symbol.for('citycred.issuer.status-list.random');
