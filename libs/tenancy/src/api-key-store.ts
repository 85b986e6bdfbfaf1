import { randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { ApiKeyEntity, inTransaction, TenantEntity } from '@citycred/persistence';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
import { AuthenticatedKeyCache, type ApiKeyCacheOptions } from './authenticated-key-cache.js';

/** Number of leading characters of a key stored in clear, so operators can tell keys apart (`ccd_` + 8). */
export const API_KEY_SHOWN_PREFIX_LENGTH = 12;

/** What an operator may see of an API key: never the key, never its hash. */
export interface ApiKeySummary {
  id: string;
  tenantId: string;
  tenantSlug: string;
  /** The key's first {@link API_KEY_SHOWN_PREFIX_LENGTH} characters. */
  prefix: string;
  label: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC, or null while the key is live. */
  revokedAt: string | null;
}

/** Outcome of {@link ApiKeyStore.revoke}. */
export type ApiKeyRevocation =
  | { outcome: 'revoked'; key: ApiKeySummary }
  | { outcome: 'already-revoked'; key: ApiKeySummary }
  | { outcome: 'unknown' }
  /** More than one live key has this prefix: the whole key is needed. */
  | { outcome: 'ambiguous'; matches: number };

/** Labels are shown to operators in a terminal: printable text, at most the column's 100 characters. */
const LABEL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]{1,100}$/u;

/**
 * Tenants' API keys: issues them (only the SHA-256 is stored), lists and revokes them, and authenticates
 * requests by them.
 *
 * Authentication reads the database once for a key it does not hold (one SELECT joining the key and its
 * tenant) and then trusts the answer for the cache TTL: within it, a known live key costs no statement.
 * A revocation made through this store is honoured at once (its entry is dropped, and a read that was in
 * flight during the revocation is not kept); one made by another process — the `keys` CLI, another
 * issuer replica — is honoured within the TTL. Unknown and revoked keys are never cached.
 */
export class ApiKeyStore {
  private readonly cache: AuthenticatedKeyCache;
  /** Incremented by every revocation; a read that began before one is not cached. */
  private revocations = 0;

  /**
   * @param cache - cache limits; without a TTL every authentication reads the database (right for the CLI and
   *   for provisioning, which check a key once)
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    cache: ApiKeyCacheOptions = {},
  ) {
    this.cache = new AuthenticatedKeyCache(cache);
  }

  /**
   * Issues a new API key for a tenant. The key is returned once; only its hash and first characters are stored.
   * @param manager - a transaction to insert it in (the tenant's creation, an audit entry); default its own statement
   * @throws RangeError for a label that is empty, longer than 100 characters or holds control or format characters
   */
  async issue(tenantId: string, label: string, manager?: EntityManager): Promise<string> {
    return (await this.issueWithSummary(tenantId, label, manager)).apiKey;
  }

  /**
   * {@link issue}, also answering what an operator may see of the new key.
   * @throws RangeError as {@link issue}
   */
  async issueWithSummary(tenantId: string, label: string, manager?: EntityManager): Promise<{ apiKey: string; key: Omit<ApiKeySummary, 'tenantSlug'> }> {
    if (!LABEL.test(label)) throw new RangeError('an API key label is 1 to 100 printable characters');
    const apiKey = generateApiKey();
    const row: ApiKeyEntity = {
      id: randomUUID(),
      tenantId,
      prefix: apiKey.slice(0, API_KEY_SHOWN_PREFIX_LENGTH),
      keyHash: hashApiKey(apiKey),
      label,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    };
    await (manager ?? this.dataSource.manager).insert(ApiKeyEntity, row);
    const { tenantSlug: _slug, ...key } = toSummary(row, '');
    return { apiKey, key };
  }

  /**
   * The tenant owning a live API key (a copy: callers may keep it).
   * @returns null for a malformed, unknown or revoked key
   */
  async authenticate(apiKey: string): Promise<TenantEntity | null> {
    if (!looksLikeApiKey(apiKey)) return null;
    const keyHash = hashApiKey(apiKey);
    const startedAt = this.clock.now();
    const cached = this.cache.get(keyHash, startedAt);
    if (cached) return cached;
    const revocationsBefore = this.revocations;
    const tenant = await this.dataSource
      .getRepository(TenantEntity)
      .createQueryBuilder('tenant')
      .innerJoin(ApiKeyEntity, 'key', 'key.tenantId = tenant.id')
      .where('key.keyHash = :keyHash', { keyHash })
      .andWhere('key.revokedAt IS NULL')
      .getOne();
    if (!tenant) return null;
    if (this.revocations === revocationsBefore) this.cache.set(keyHash, tenant, startedAt);
    return tenant;
  }

  /**
   * Forgets the tenant held with each of its keys, because its row changed (the types it may issue): the next request
   * with any of them reads it again, and a read in flight now is not kept.
   */
  forgetTenant(tenantId: string): void {
    this.revocations += 1;
    this.cache.deleteTenant(tenantId);
  }

  /** Whether `apiKey` is a live key of the tenant `tenantId` (used to reuse demo keys across restarts). */
  async belongsTo(apiKey: string, tenantId: string): Promise<boolean> {
    return (await this.authenticate(apiKey))?.id === tenantId;
  }

  /**
   * Revokes a key, given whole or by the prefix `keys list` shows. Revocation is permanent.
   * @param recorded - runs in the transaction that revokes (an audit entry), only when the key was live
   * @returns `revoked`; `already-revoked`; `unknown` when no key matches; `ambiguous` when several live keys
   *   share the prefix (then nothing is revoked)
   */
  async revoke(prefixOrKey: string, recorded?: (manager: EntityManager, key: ApiKeySummary) => Promise<unknown>): Promise<ApiKeyRevocation> {
    const repo = this.dataSource.getRepository(ApiKeyEntity);
    const matches = looksLikeApiKey(prefixOrKey)
      ? await repo.findBy({ keyHash: hashApiKey(prefixOrKey) })
      : await repo.findBy({ prefix: prefixOrKey });
    const live = matches.filter((k) => k.revokedAt === null);
    if (live.length > 1) return { outcome: 'ambiguous', matches: live.length };
    const target = live[0];
    if (!target) {
      const revoked = matches[0];
      return revoked ? { outcome: 'already-revoked', key: await this.summarise(revoked) } : { outcome: 'unknown' };
    }
    return this.revokeOfTenant(target.tenantId, target.id, recorded);
  }

  /**
   * Revokes one key of one tenant, by its id ({@link ApiKeySummary.id}): a key of another tenant is `unknown`, as
   * one that does not exist. Honoured by this store at once, as {@link revoke}.
   * @param recorded - runs in the transaction that revokes (an audit entry), only when the key was live
   * @returns `revoked`, `already-revoked` or `unknown`
   */
  async revokeOfTenant(
    tenantId: string,
    id: string,
    recorded?: (manager: EntityManager, key: ApiKeySummary) => Promise<unknown>,
  ): Promise<Exclude<ApiKeyRevocation, { outcome: 'ambiguous' }>> {
    const revokedAt = this.clock.now().toISOString();
    const outcome = await inTransaction(this.dataSource, async (manager) => {
      const target = await manager.findOneBy(ApiKeyEntity, { id, tenantId });
      if (!target) return { outcome: 'unknown' as const };
      if (target.revokedAt !== null) return { outcome: 'already-revoked' as const, key: target };
      await manager.update(ApiKeyEntity, { id: target.id, revokedAt: IsNull() }, { revokedAt });
      const key = { ...target, revokedAt };
      await recorded?.(manager, await this.summarise(key, manager));
      return { outcome: 'revoked' as const, key };
    });
    if (outcome.outcome === 'unknown') return outcome;
    this.revocations += 1;
    this.cache.delete(outcome.key.keyHash);
    return { outcome: outcome.outcome, key: await this.summarise(outcome.key) };
  }

  /**
   * Every key (live and revoked), by tenant slug then creation time.
   * @param tenantSlug - only this tenant's keys
   */
  async list(tenantSlug?: string): Promise<ApiKeySummary[]> {
    const tenants = await this.dataSource.getRepository(TenantEntity).find(tenantSlug === undefined ? {} : { where: { slug: tenantSlug } });
    if (tenants.length === 0) return [];
    const slugs = new Map(tenants.map((t) => [t.id, t.slug]));
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({ where: { tenantId: In([...slugs.keys()]) }, order: { createdAt: 'ASC', id: 'ASC' } });
    return keys
      .map((k) => toSummary(k, slugs.get(k.tenantId) ?? ''))
      .sort((a, b) => (a.tenantSlug === b.tenantSlug ? 0 : a.tenantSlug < b.tenantSlug ? -1 : 1));
  }

  private async summarise(key: ApiKeyEntity, manager: EntityManager = this.dataSource.manager): Promise<ApiKeySummary> {
    const tenant = await manager.findOneBy(TenantEntity, { id: key.tenantId });
    return toSummary(key, tenant?.slug ?? '');
  }
}

function toSummary(key: ApiKeyEntity, tenantSlug: string): ApiKeySummary {
  return { id: key.id, tenantId: key.tenantId, tenantSlug, prefix: key.prefix, label: key.label, createdAt: key.createdAt, revokedAt: key.revokedAt };
}
