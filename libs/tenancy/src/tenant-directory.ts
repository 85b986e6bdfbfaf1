import { randomUUID } from 'node:crypto';
import { AnchorBatchEntity, AnchorOutboxEntity, TenantEntity } from '@citycred/persistence';
import { AgentTransactionSigner, didRegistryAt, ethrProviderName, LOCAL_KMS, type EthrNetwork, type IssuerAgent } from '@citycred/did';
import { AppError, ErrorCode } from '@citycred/errors';
import type { IIdentifier, IKey } from '@veramo/core';
import { Key } from '@veramo/data-store';
import { computeAddress, getAddress, type Provider } from 'ethers';
import type { DataSource, EntityManager } from 'typeorm';
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
  /**
   * The tenants' API keys, through which this directory authenticates: what is revoked through it is refused by this
   * directory from the next request on (the tenant administration issues and revokes through it).
   */
  readonly apiKeys: ApiKeyStore;

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
    const tenant = this.tenantRow(seed, await this.prepareIdentity(seed.slug));
    await repo.save(tenant);
    return { tenant, created: true };
  }

  /**
   * The did:ethr identity a tenant with this slug has or will have: the DID whose alias is the slug in the key
   * manager, created (with its key, sealed in the issuer database) when there is none. Creating it makes no tenant:
   * a prepared identity without a tenant row issues nothing, and the next onboarding of the slug takes it over.
   * @throws Error when the DID found has no key
   */
  async prepareIdentity(slug: string): Promise<TenantIdentity & { created: boolean }> {
    const provider = ethrProviderName(this.network);
    const found = (await this.agent.didManagerFind({ alias: slug, provider }))[0];
    const identifier = found ?? (await this.agent.didManagerCreate({ alias: slug, provider }));
    const publicKeyHex = identifier.keys[0]?.publicKeyHex;
    if (!publicKeyHex) throw new Error(`DID ${identifier.did} has no key`);
    return { did: identifier.did, address: computeAddress(`0x${publicKeyHex}`), created: !found };
  }

  /**
   * Inserts the tenant row of a prepared identity ({@link prepareIdentity}) in the caller's transaction.
   * @throws the driver's unique violation when the slug (or the DID) is taken meanwhile
   */
  async insertTenant(manager: EntityManager, seed: TenantSeed, identity: TenantIdentity): Promise<TenantEntity> {
    const tenant = this.tenantRow(seed, identity);
    await manager.insert(TenantEntity, tenant);
    return tenant;
  }

  private tenantRow(seed: TenantSeed, identity: TenantIdentity): TenantEntity {
    return this.dataSource.getRepository(TenantEntity).create({
      id: randomUUID(),
      slug: seed.slug,
      name: seed.name,
      nameEn: seed.nameEn ?? null,
      kind: seed.kind,
      did: identity.did,
      address: identity.address,
      credentialTypesJson: JSON.stringify(seed.credentialTypes),
      businessNumber: seed.businessNumber ?? null,
      createdAt: this.clock.now().toISOString(),
    });
  }

  /** All tenants, by slug. */
  async list(): Promise<TenantEntity[]> {
    return this.dataSource.getRepository(TenantEntity).find({ order: { slug: 'ASC' } });
  }

  /** The tenant with this id, or null. */
  async findById(id: string): Promise<TenantEntity | null> {
    return this.dataSource.getRepository(TenantEntity).findOneBy({ id });
  }

  /** The tenant with this slug, or null (also for a string that cannot be a slug). */
  async findBySlug(slug: string): Promise<TenantEntity | null> {
    if (typeof slug !== 'string' || slug.length === 0 || slug.length > 64) return null;
    return this.dataSource.getRepository(TenantEntity).findOneBy({ slug });
  }

  /**
   * Issues a new API key for a tenant. The key is returned once; only its hash is stored.
   * @throws RangeError for an empty, over-long or non-printable label (see {@link ApiKeyStore.issue})
   */
  async issueApiKey(tenantId: string, label: string, manager?: EntityManager): Promise<string> {
    return this.apiKeys.issue(tenantId, label, manager);
  }

  /**
   * Issues a new API key, answering it once with what an operator may see of it (see {@link ApiKeyStore.issueWithSummary}).
   * @param manager - a transaction to insert it in; default its own statement
   * @throws RangeError for a bad label
   */
  async issueApiKeyWithSummary(tenantId: string, label: string, manager?: EntityManager): Promise<{ apiKey: string; key: Omit<ApiKeySummary, 'tenantSlug'> }> {
    return this.apiKeys.issueWithSummary(tenantId, label, manager);
  }

  /**
   * Revokes one API key of one tenant by its id; this directory refuses it from the next request on.
   * @returns see {@link ApiKeyStore.revokeOfTenant}
   */
  async revokeApiKeyOf(tenantId: string, id: string, recorded?: (manager: EntityManager, key: ApiKeySummary) => Promise<unknown>) {
    return this.apiKeys.revokeOfTenant(tenantId, id, recorded);
  }

  /**
   * Says the tenant's row changed (the types it may issue): requests authenticated by its API keys read it again from
   * the next one on, in this process (another process's change is seen within the API-key cache's TTL).
   */
  tenantChanged(tenantId: string): void {
    this.apiKeys.forgetTenant(tenantId);
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
   * An ethers signer for the tenant's current key — the owner of its identity on the ERC-1056 registry, which sends
   * its anchoring transactions — whose signatures are made inside the key manager. Until the tenant's first key
   * rotation its address is the identity's ({@link TenantEntity.address}); after it, the new key's.
   * @throws Error when the tenant's DID has no key in this key manager
   */
  async signerFor(tenant: TenantEntity, provider: Provider): Promise<AgentTransactionSigner> {
    const key = controllerKeyOf(await this.agent.didManagerGet({ did: tenant.did }));
    return new AgentTransactionSigner(this.agent, key.kid, addressOfKey(key), provider);
  }

  /**
   * Rotates the tenant's key, e.g. after a leak. Creates a new key in the key manager; sends ERC-1056
   * `changeOwner(identity, new key's address)` signed by the current key; makes the new key the DID's only key in
   * the key manager — the key Veramo signs the tenant's JWTs with and {@link signerFor} sends its anchors with —
   * moves what the old key's account holds to the new one (it pays for anchoring), and deletes the old key.
   *
   * The DID, its identity address, its accreditation and its anchors stay: only the key changes. Verifiers judge a
   * credential by the keys of the block it was anchored in, so credentials anchored before keep verifying and what
   * the old key signs afterwards does not — which is why a credential signed with the old key must be anchored before
   * the rotation: it is refused (`tenant.unanchored-credentials`) while the tenant has credentials not anchored yet,
   * unless `force` (after a leak, what the old key signed lately is suspect anyway).
   *
   * Safe to run again after an interruption: when the chain already names a key this key manager prepared for the
   * tenant (the transaction was mined, the database not yet switched), that key is taken over without a new one.
   * @param options.force - rotate even though credentials signed with the old key are not anchored yet (they will
   *   then never verify)
   * @throws AppError `tenant.unanchored-credentials` (see above); `tenant.key-not-held` when the identity's owner on
   *   chain is neither the tenant's key nor one prepared for it here (someone else changed it: the key is lost, ask
   *   the city to suspend the identity); the chain's error when a transaction fails
   */
  async rotateKey(tenant: TenantEntity, options: { force?: boolean } = {}): Promise<KeyRotation> {
    const { provider } = this.network;
    const identifier = await this.agent.didManagerGet({ did: tenant.did });
    const current = controllerKeyOf(identifier);
    const currentAddress = addressOfKey(current);
    const signer = new AgentTransactionSigner(this.agent, current.kid, currentAddress, provider);
    const owner = await didRegistryAt(this.network.registry, provider).identityOwner(tenant.address);
    let next: IKey;
    let transaction: KeyRotation['transaction'] = null;
    if (owner === currentAddress) {
      if (!options.force) await this.assertAllAnchored(tenant);
      next = await this.agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256k1', meta: { rotationOf: tenant.did, createdAt: this.clock.now().toISOString() } });
      const sent = await didRegistryAt(this.network.registry, signer).changeOwner(tenant.address, addressOfKey(next));
      const receipt = await sent.wait();
      if (!receipt) throw new Error(`the changeOwner transaction ${sent.hash} of ${tenant.slug} was not mined`);
      transaction = { hash: receipt.hash, blockNumber: receipt.blockNumber };
    } else {
      const prepared = await this.keyPreparedFor(tenant.did, owner);
      if (!prepared) {
        throw new AppError(
          ErrorCode.TenantKeyNotHeld,
          `The identity ${tenant.address} of ${tenant.slug} is owned on chain by ${owner}, which is neither its key nor a key prepared for it here. Ask the city root to suspend the identity.`,
        );
      }
      next = prepared;
    }
    // Issuance and anchoring read the DID's key from here on every use: switch as soon as the chain has.
    await this.agent.didManagerSwitchKey({ did: tenant.did, kid: next.kid });
    const moved = await moveBalance(signer, addressOfKey(next), provider);
    await this.agent.keyManagerDelete({ kid: current.kid });
    return { tenant, identity: getAddress(tenant.address), previousOwner: currentAddress, newOwner: addressOfKey(next), kid: next.kid, transaction, movedWei: moved };
  }

  /**
   * How many documents the tenant signed are not anchored yet — credentials and published status-list versions:
   * queued, in a batch not confirmed on chain, or set aside (a set-aside batch is sent again once the tenant is
   * accredited again). Audit-log heads are not signed, so they do not count.
   */
  async unanchoredCount(tenant: TenantEntity): Promise<number> {
    return this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .leftJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .where('o.tenant_id = :tenantId', { tenantId: tenant.id })
      .andWhere("o.kind IN ('credential', 'status-list')")
      .andWhere("(o.batch_id IS NULL OR b.state IS NULL OR b.state <> 'anchored')")
      .getCount();
  }

  private async assertAllAnchored(tenant: TenantEntity): Promise<void> {
    const pending = await this.unanchoredCount(tenant);
    if (pending === 0) return;
    throw new AppError(
      ErrorCode.TenantUnanchoredCredentials,
      `${tenant.slug} has ${pending} credential(s) or status-list version(s) signed with its current key that are not anchored yet; after a rotation they would never verify. Let the anchoring worker anchor them first (or rotate with force after a leak).`,
      { extensions: { unanchored: pending } },
    );
  }

  /** The key this key manager created for rotating `did` whose address is `owner`, if any. */
  private async keyPreparedFor(did: string, owner: string): Promise<IKey | null> {
    const keys = await this.dataSource.getRepository(Key).find({ where: { type: 'Secp256k1' } });
    const key = keys.find((k) => (k.meta as { rotationOf?: unknown } | null | undefined)?.rotationOf === did && addressOfKey(k) === owner);
    return key ? { kid: key.kid, kms: key.kms, type: key.type, publicKeyHex: key.publicKeyHex, meta: key.meta ?? undefined } : null;
  }
}

/** A tenant's did:ethr identity: its DID and the address accredited and anchored in its name. */
export interface TenantIdentity {
  did: string;
  /** The address of the DID's first key, checksummed. */
  address: string;
}

/** What {@link TenantDirectory.rotateKey} did. */
export interface KeyRotation {
  tenant: TenantEntity;
  /** The identity address: the DID, its accreditation and its anchors stay with it. */
  identity: string;
  /** The address of the key that owned the identity (and signed its credentials) until now. */
  previousOwner: string;
  /** The address of the new key: the identity's owner on chain, the signer of its credentials and anchors. */
  newOwner: string;
  /** The new key's id in the key manager. */
  kid: string;
  /** The `changeOwner` transaction; null when an interrupted rotation had already sent it. */
  transaction: { hash: string; blockNumber: number } | null;
  /** Wei moved from the old key's account to the new key's. */
  movedWei: bigint;
}

/** The DID's controller key (the one that signs for it), Secp256k1 as did:ethr needs. */
function controllerKeyOf(identifier: IIdentifier): IKey {
  const key = identifier.keys.find((k) => k.kid === identifier.controllerKeyId) ?? identifier.keys[0];
  if (!key || key.type !== 'Secp256k1') throw new Error(`DID ${identifier.did} has no Secp256k1 key in this key manager`);
  return key;
}

/** The Ethereum address of a Secp256k1 key, checksummed. */
function addressOfKey(key: Pick<IKey, 'publicKeyHex'>): string {
  return computeAddress(`0x${key.publicKeyHex}`);
}

/**
 * Sends what `from`'s account holds, less the transfer's own fee, to `to`. Nothing is sent when the fee would
 * take it all.
 * @returns the wei sent
 */
async function moveBalance(from: AgentTransactionSigner, to: string, provider: Provider): Promise<bigint> {
  const balance = await provider.getBalance(await from.getAddress());
  const fees = await provider.getFeeData();
  const gasLimit = 21_000n;
  const price = fees.maxFeePerGas ?? fees.gasPrice ?? 0n;
  const value = balance - gasLimit * price;
  if (value <= 0n) return 0n;
  const pricing = fees.maxFeePerGas !== null ? { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas ?? 0n } : { gasPrice: price };
  await (await from.sendTransaction({ to, value, gasLimit, ...pricing })).wait();
  return value;
}
