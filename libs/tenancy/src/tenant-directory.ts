import { randomUUID } from 'node:crypto';
import { ApiKeyEntity, TenantEntity } from '@citycred/persistence';
import { AgentTransactionSigner, ethrProviderName, type EthrNetwork, type IssuerAgent } from '@citycred/did';
import { computeAddress, type Provider } from 'ethers';
import type { DataSource } from 'typeorm';
import type { Clock } from '@citycred/config';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-keys.js';
import type { TenantSeed } from './demo-tenants.js';

/**
 * Tenants and their keys: creates a tenant's did:ethr identity on first use, issues and checks API keys,
 * and gives out a transaction signer backed by the tenant's key in the key manager.
 */
export class TenantDirectory {
  constructor(
    private readonly dataSource: DataSource,
    private readonly agent: IssuerAgent,
    private readonly network: EthrNetwork,
    private readonly clock: Clock,
  ) {}

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
   */
  async issueApiKey(tenantId: string, label: string): Promise<string> {
    const apiKey = generateApiKey();
    await this.dataSource.getRepository(ApiKeyEntity).insert({
      id: randomUUID(),
      tenantId,
      prefix: apiKey.slice(0, 12),
      keyHash: hashApiKey(apiKey),
      label,
      createdAt: this.clock.now().toISOString(),
      revokedAt: null,
    });
    return apiKey;
  }

  /**
   * Whether `apiKey` is a live key of the tenant `tenantId` (used to reuse demo keys across restarts).
   */
  async keyBelongsTo(apiKey: string, tenantId: string): Promise<boolean> {
    const tenant = await this.authenticate(apiKey);
    return tenant?.id === tenantId;
  }

  /**
   * The tenant owning a live API key.
   * @returns null for a malformed, unknown or revoked key
   */
  async authenticate(apiKey: string): Promise<TenantEntity | null> {
    if (!looksLikeApiKey(apiKey)) return null;
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ keyHash: hashApiKey(apiKey) });
    if (!key || key.revokedAt) return null;
    return this.findById(key.tenantId);
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
