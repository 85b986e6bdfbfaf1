import { TenantEntity } from '@citycred/persistence';

/** Limits of an {@link AuthenticatedKeyCache}. */
export interface ApiKeyCacheOptions {
  /**
   * How long, in milliseconds, a key found live in the database is trusted without asking again; 0 turns the
   * cache off. This is the longest a revocation made by another process (the `keys` CLI, another replica)
   * takes to be honoured here.
   */
  ttlMs?: number;
  /** Most keys remembered at once; the least recently used is forgotten first. Default 1000. */
  maxEntries?: number;
}

interface Entry {
  tenant: TenantEntity;
  /** Clock time at which the database read that found the key began. */
  loadedAt: number;
}

/**
 * Live API keys by the hex SHA-256 of the key, with their tenant: a bounded LRU map whose entries expire
 * `ttlMs` after the read that produced them began. Only keys found live are stored: an unknown key is never
 * remembered, so guessing keys cannot grow it, and its size is bounded by `maxEntries` whatever happens.
 */
export class AuthenticatedKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  /** @throws RangeError for a negative TTL or a size below 1 */
  constructor(options: ApiKeyCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 0;
    this.maxEntries = options.maxEntries ?? 1000;
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 0) throw new RangeError('the API-key cache TTL must be a non-negative integer');
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError('the API-key cache must hold at least one entry');
  }

  /** Whether entries are kept at all (a TTL of 0 turns the cache off). */
  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Number of keys held now (expired ones included until they are looked up or pushed out). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The tenant of a live key, as a copy the caller may keep, or undefined when the key is not held or its
   * entry has expired at `now`.
   */
  get(keyHash: string, now: Date): TenantEntity | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    this.entries.delete(keyHash);
    if (now.getTime() >= entry.loadedAt + this.ttlMs) return undefined;
    this.entries.set(keyHash, entry);
    return Object.assign(new TenantEntity(), entry.tenant);
  }

  /**
   * Remembers a key found live by a read that began at `loadedAt`, forgetting the least recently used key
   * when full.
   */
  set(keyHash: string, tenant: TenantEntity, loadedAt: Date): void {
    if (!this.enabled) return;
    this.entries.delete(keyHash);
    this.entries.set(keyHash, { tenant: Object.assign(new TenantEntity(), tenant), loadedAt: loadedAt.getTime() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Forgets a key (it was revoked). */
  delete(keyHash: string): void {
    this.entries.delete(keyHash);
  }

  /** Forgets every key of a tenant (its row changed: the types it may issue). */
  deleteTenant(tenantId: string): void {
    for (const [keyHash, entry] of this.entries) if (entry.tenant.id === tenantId) this.entries.delete(keyHash);
  }
}
