import type { Clock } from '@citycred/config';
import { SealedPrivateKeyStore, storedSigningKeyId, TenantSignerCache } from '@citycred/did';
import type { JwsSigner } from '@citycred/formats';
import type { TenantEntity } from '@citycred/persistence';
import type { IssuerRuntime } from '../runtime.js';
import type { TenantSigners } from './issuance.service.js';

/**
 * The tenants' signers for issuing: the key held in memory by the {@link TenantSignerCache} (unsealed once), and
 * which key is a tenant DID's current one read by primary key — on every issuance by default (`ttlMs` 0), so that a
 * rotation made elsewhere (the operator CLI) takes effect at the next credential; remembered for `ttlMs` otherwise.
 * A key rotation in this process calls {@link forget}.
 */
export class TenantJwsSigners implements TenantSigners {
  private readonly current = new Map<string, { kid: string; until: number }>();

  constructor(
    private readonly cache: TenantSignerCache,
    private readonly currentKeyId: (did: string) => Promise<string>,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async signerFor(tenant: Pick<TenantEntity, 'did'>): Promise<JwsSigner> {
    const now = this.clock.now().getTime();
    const known = this.current.get(tenant.did);
    if (known && known.until > now) return this.cache.signerForKey(tenant.did, known.kid);
    const kid = await this.currentKeyId(tenant.did);
    this.current.set(tenant.did, { kid, until: now + this.ttlMs });
    return this.cache.signerForKey(tenant.did, kid);
  }

  /** Forgets which key a DID signs with (its key was rotated in this process). */
  forget(did: string): void {
    this.current.delete(did);
  }

  /** Zeroes every key held (shutdown). */
  close(): void {
    this.current.clear();
    this.cache.clear();
  }
}


/**
 * The issuer's signers: each tenant key unsealed once (`KEY_ENCRYPTION_SECRET`) and held in memory, the current key
 * of a DID read by primary key and remembered for `TENANT_KEY_CACHE_TTL_MS`.
 */
export function tenantSignersFor(runtime: Pick<IssuerRuntime, 'config' | 'dataSource' | 'clock'>): TenantJwsSigners {
  const { config, dataSource, clock } = runtime;
  const currentKeyId = storedSigningKeyId(dataSource);
  const keys = new TenantSignerCache({ currentKeyId, privateKeys: new SealedPrivateKeyStore(dataSource, config.KEY_ENCRYPTION_SECRET) });
  return new TenantJwsSigners(keys, currentKeyId, clock, config.TENANT_KEY_CACHE_TTL_MS);
}
