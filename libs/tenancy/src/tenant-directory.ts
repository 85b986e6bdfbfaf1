import { randomUUID } from 'node:crypto';
import { TenantEntity } from '@citycred/persistence';
import { AgentTransactionSigner, ethrProviderName, type EthrNetwork, type IssuerAgent } from '@citycred/did';
import { computeAddress, type Provider } from 'ethers';
import type { DataSource } from 'typeorm';
import type { Clock } from '@citycred/config';
import { ApiKeyStore, type ApiKeyRevocation, type ApiKeySummary } from './api-key-store.js';
import type { ApiKeyCacheOptions } from './authenticated-key-cache.js';
import type { TenantSeed } from './demo-tenants.js';

/** Options of {@link TenantDirectory}. */
export interface TenantDirectoryOptions {
  /** The API-key cache (the issuer sets its TTL from `API_KEY_CACHE_TTL_MS`); off by default. */
  apiKeyCache?: ApiKeyCacheOptions;
}

/**
 * Tenants and their keys: creates a tenant's did:ethr identity on first use, issues, checks, lists and revokes
 * API keys (through one {@link ApiKeyStore}, so a revocation here is honoured by this directory's
 * authentication at once), and gives out a transaction signer backed by the tenant's key in the key manager.
 */
export class TenantDirectory {
  private readonly apiKeys: ApiKeyStore;

  constructor(
    private readonly dataSource: DataSource,
    private readonly agent: IssuerAgent,
    private readonly network: EthrNetwork,
    private readonly clock: Clock,
    options: TenantDirectoryOptions = {},
  ) {
    this.apiKeys = new ApiKeyStore(dataSource, clock, options.apiKeyCache);
  }

  /**
   * Returns the tenant with `seed.slug`, creating it and its did:ethr key if it does not exist yet.
   * The key is created by Veramo's local KMS and stored encrypted in the issuer database.
   */
  async ensureTenant(seed: TenantSeed): Promise<{ tenant: TenantEntity; created: boolean }> {
    const repo = this.dataSource.getRepository(TenantEntity);
    const existing = await repo.findOneBy({ slug: seed.slug });
    if (existing) return { tenant: existing, created: false };
    const provider = ethrProviderName(this.network);
    const identifiers = await this.agent.didManagerFind({ alias: seed.slug, provider });
    const identifier = identifiers[0] ?? (await this.agent.didManagerCreate({ alias: seed.slug, provider }));
    const publicKeyHex = identifier.keys[0]?.publicKeyHex;
    if (!publicKeyHex) throw new Error(`DID ${identifier.did} has no key`);
    const tenant = repo.create({
      id: randomUUID(),
      slug: seed.slug,
      name: seed.name,
      kind: seed.kind,
      did: identifier.did,
      address: computeAddress(`0x${publicKeyHex}`),
      credentialTypesJson: JSON.stringify(seed.credentialTypes),
      createdAt: this.clock.now().toISOString(),
    });
    await repo.save(tenant);
    return { tenant, created: true };
  }

  /** All tenants, by slug. */
  async list(): Promise<TenantEntity[]> {
    return this.dataSource.getRepository(TenantEntity).find({ order: { slug: 'ASC' } });
  }

  /** The tenant with this id, or null. */
  async findById(id: string): Promise<TenantEntity | null> {
    return this.dataSource.getRepository(TenantEntity).findOneBy({ id });
  }

  /**
   * Issues a new API key for a tenant. The key is returned once; only its hash is stored.
   * @throws RangeError for an empty, over-long or non-printable label (see {@link ApiKeyStore.issue})
   */
  async issueApiKey(tenantId: string, label: string): Promise<string> {
    return this.apiKeys.issue(tenantId, label);
  }

  /**
   * Whether `apiKey` is a live key of the tenant `tenantId` (used to reuse demo keys across restarts).
   */
  async keyBelongsTo(apiKey: string, tenantId: string): Promise<boolean> {
    return this.apiKeys.belongsTo(apiKey, tenantId);
  }

  /**
   * The tenant owning a live API key; cached by key hash for the configured TTL (see {@link ApiKeyStore}).
   * @returns null for a malformed, unknown or revoked key
   */
  async authenticate(apiKey: string): Promise<TenantEntity | null> {
    return this.apiKeys.authenticate(apiKey);
  }

  /**
   * Revokes an API key, given whole or by its shown prefix; this directory refuses it from the next request on.
   * @returns the outcome (see {@link ApiKeyStore.revoke})
   */
  async revokeApiKey(prefixOrKey: string): Promise<ApiKeyRevocation> {
    return this.apiKeys.revoke(prefixOrKey);
  }

  /**
   * API keys, live and revoked, without the keys themselves.
   * @param tenantSlug - only this tenant's keys
   */
  async listApiKeys(tenantSlug?: string): Promise<ApiKeySummary[]> {
    return this.apiKeys.list(tenantSlug);
  }

  /**
   * An ethers signer for the tenant's address whose signatures are made inside the key manager.
   */
  async signerFor(tenant: TenantEntity, provider: Provider): Promise<AgentTransactionSigner> {
    const identifier = await this.agent.didManagerGet({ did: tenant.did });
    const kid = identifier.controllerKeyId ?? identifier.keys[0]?.kid;
    if (!kid) throw new Error(`tenant ${tenant.slug} has no key`);
    return new AgentTransactionSigner(this.agent, kid, tenant.address, provider);
  }
}
