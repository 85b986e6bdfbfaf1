import { AppError, ErrorCode } from '@citycred/errors';
import { inTransaction, TenantEntity } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import { recordAdminChange, type AdminActor } from './admin-actor.js';
import type { ApiKeyRevocation, ApiKeyStore, ApiKeySummary } from './api-key-store.js';
import type { AuditLog } from './audit-log.js';
import { invalidTenantRequest, TENANT_SLUG } from './tenant-rules.js';

/** Where an {@link ApiKeyAdministration} works. */
export interface ApiKeyAdministrationOptions {
  dataSource: DataSource;
  /**
   * The store keys are issued and revoked through: the issuer passes its directory's (`TenantDirectory.apiKeys`), so
   * its authentication cache drops a revoked key at once; another process (the CLI) honours it within the cache's TTL.
   */
  apiKeys: ApiKeyStore;
  audit: AuditLog;
}

/**
 * The administration of tenants' API keys, shared by the issuer's admin API (through `TenantAdministration`) and the
 * platform CLI (`keys`): lists, issues and revokes them, and records `api-key.issued` / `api-key.revoked` in the
 * tenant's audit log (and the acting operator's tenant's) in the transaction that makes the change. It needs only the
 * database: no chain, no key manager.
 */
export class ApiKeyAdministration {
  constructor(private readonly options: ApiKeyAdministrationOptions) {}

  /**
   * API keys, live and revoked, oldest first (never the keys): the tenant's, or every tenant's without a slug.
   * @throws AppError `tenant.not-found` (404) for an unknown slug
   */
  async list(slug?: string): Promise<ApiKeySummary[]> {
    if (slug !== undefined) await this.tenant(slug);
    return this.options.apiKeys.list(slug);
  }

  /**
   * Issues a new API key of the tenant, shown once; records `api-key.issued` (its prefix and label) in the same
   * transaction.
   * @throws AppError `tenant.not-found` (404); `tenant.invalid` (400: a label that is not 1 to 100 printable characters)
   */
  async issue(slug: string, label: string, by: AdminActor): Promise<{ tenant: TenantEntity; apiKey: string; key: Omit<ApiKeySummary, 'tenantSlug'> }> {
    const tenant = await this.tenant(slug);
    return inTransaction(this.options.dataSource, async (manager) => {
      const issued = await this.options.apiKeys.issueWithSummary(tenant.id, label, manager).catch((error: unknown) => {
        throw error instanceof RangeError ? invalidTenantRequest([{ pointer: '/label', message: 'is 1 to 100 printable characters' }], 'The API key cannot be issued') : error;
      });
      await recordAdminChange(this.options.audit, manager, tenant, by, 'api-key.issued', { prefix: issued.key.prefix, label: issued.key.label });
      return { tenant, ...issued };
    });
  }

  /**
   * Revokes one of the tenant's API keys, by id; records `api-key.revoked` in the same transaction (not for a key
   * revoked before).
   * @returns the key, and whether it was live
   * @throws AppError `tenant.not-found`; `tenant.api-key-not-found` (404: no key with this id, another tenant's included)
   */
  async revoke(slug: string, id: string, by: AdminActor): Promise<{ key: ApiKeySummary; wasLive: boolean }> {
    const tenant = await this.tenant(slug);
    const outcome = await this.options.apiKeys.revokeOfTenant(tenant.id, id, (manager, key) => recordAdminChange(this.options.audit, manager, tenant, by, 'api-key.revoked', { prefix: key.prefix, label: key.label }));
    if (outcome.outcome === 'unknown') throw new AppError(ErrorCode.TenantApiKeyNotFound, 'This tenant has no API key with this id.');
    return { key: outcome.key, wasLive: outcome.outcome === 'revoked' };
  }

  /**
   * Revokes the API key given whole or by the prefix listings show, whichever tenant's it is (the operator's CLI);
   * records `api-key.revoked` in its tenant's log in the same transaction when it was live.
   * @returns as {@link ApiKeyStore.revoke}: `revoked`, `already-revoked`, `unknown`, or `ambiguous` (several live keys
   *   share the prefix; nothing is revoked)
   */
  async revokeByPrefixOrKey(prefixOrKey: string, by: AdminActor): Promise<ApiKeyRevocation> {
    return this.options.apiKeys.revoke(prefixOrKey, (manager, key) =>
      recordAdminChange(this.options.audit, manager, { id: key.tenantId, slug: key.tenantSlug }, by, 'api-key.revoked', { prefix: key.prefix, label: key.label }),
    );
  }

  /**
   * The tenant with this slug.
   * @throws AppError `tenant.not-found` (404) for an unknown slug (and for a string that cannot be one)
   */
  private async tenant(slug: string): Promise<TenantEntity> {
    const tenant = TENANT_SLUG.test(slug) ? await this.options.dataSource.getRepository(TenantEntity).findOneBy({ slug }) : null;
    if (!tenant) throw new AppError(ErrorCode.TenantNotFound, 'There is no tenant with this slug.');
    return tenant;
  }
}
