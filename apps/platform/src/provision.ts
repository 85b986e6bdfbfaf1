import type { CityDeployment } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { createChainProvider, createIssuerAgent, ethrNetwork } from '@citycred/did';
import { createIssuerDataSource, openDatabase, type DatabaseLocation } from '@citycred/persistence';
import { accreditTenants, DEMO_TENANTS, TenantDirectory, type TenantSeed } from '@citycred/tenancy';
import type { Signer } from 'ethers';

/** A seeded tenant with a usable API key. */
export interface ProvisionedTenant {
  slug: string;
  name: string;
  did: string;
  address: string;
  apiKey: string;
}

/** Options of {@link provisionTenants}. */
export interface ProvisionOptions {
  database: DatabaseLocation;
  keyEncryptionSecret: string;
  rpcUrl: string;
  didNetwork: string;
  deployment: CityDeployment;
  /** The city root account. */
  root: Signer;
  seeds?: readonly TenantSeed[];
  /** API keys from an earlier start, reused when still valid. */
  knownKeys?: ReadonlyMap<string, string>;
  clock?: Clock;
}

/**
 * Brings the issuer database and the chain to the seeded state: runs migrations, creates each tenant's
 * did:ethr key on first start, funds and accredits the tenants on chain, and returns an API key per tenant
 * (the known one when it is still valid, else a new one). Safe to run on every start.
 */
export async function provisionTenants(options: ProvisionOptions): Promise<ProvisionedTenant[]> {
  const clock = options.clock ?? systemClock;
  const seeds = options.seeds ?? DEMO_TENANTS;
  const dataSource = await openDatabase(createIssuerDataSource(options.database));
  const provider = createChainProvider(options.rpcUrl, options.deployment.chainId);
  try {
    const network = ethrNetwork({ name: options.didNetwork, chainId: options.deployment.chainId, rpcUrl: options.rpcUrl, registry: options.deployment.didRegistry, provider });
    const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: options.keyEncryptionSecret, network });
    const directory = new TenantDirectory(dataSource, agent, network, clock);
    const tenants = [];
    for (const seed of seeds) tenants.push({ tenant: (await directory.ensureTenant(seed)).tenant, seed });
    const now = clock.now();
    await accreditTenants({
      root: options.root,
      provider,
      deployment: options.deployment,
      tenants,
      signerFor: (tenant) => directory.signerFor(tenant, provider),
      validFrom: new Date(now.getTime() - 86_400_000),
      validUntil: new Date(now.getTime() + 5 * 365 * 86_400_000),
      now,
    });
    const provisioned: ProvisionedTenant[] = [];
    for (const { tenant } of tenants) {
      const known = options.knownKeys?.get(tenant.slug);
      const apiKey = known && (await directory.keyBelongsTo(known, tenant.id)) ? known : await directory.issueApiKey(tenant.id, 'demo');
      provisioned.push({ slug: tenant.slug, name: tenant.name, did: tenant.did, address: tenant.address, apiKey });
    }
    return provisioned;
  } finally {
    provider.destroy();
    await dataSource.destroy();
  }
}
