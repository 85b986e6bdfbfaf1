import type { CityDeployment } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import type { DatabaseLocation } from '@citycred/persistence';
import { DEMO_TENANTS, provisionDemoAccreditations, type DemoAccreditationReport, type TenantSeed } from '@citycred/tenancy';
import type { Signer } from 'ethers';
import { openTenantWorkspace } from './tenant-workspace.js';

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
  /** The city root account, connected to the local chain. */
  root: Signer;
  seeds?: readonly TenantSeed[];
  /** API keys from an earlier start, reused when still valid. */
  knownKeys?: ReadonlyMap<string, string>;
  clock?: Clock;
  /** Told what was sent to the chain, once it is done. */
  onReport?: (report: DemoAccreditationReport) => void;
}

/**
 * Embedded mode's demo tenants on a local chain: runs the issuer's migrations, creates each tenant (row and did:ethr
 * key) that does not exist yet — an existing one is kept as it is — and makes on chain, once per registry, what the
 * registry has never recorded for them (funding, delegations, accreditations from the chain's present; see
 * {@link provisionDemoAccreditations}). Nothing the city root revoked or withdrew is made again. Returns an API key
 * per tenant: the known one while it is live, else a new one.
 */
export async function provisionTenants(options: ProvisionOptions): Promise<ProvisionedTenant[]> {
  const clock = options.clock ?? systemClock;
  const seeds = options.seeds ?? DEMO_TENANTS;
  const workspace = await openTenantWorkspace({ ...options, clock });
  try {
    const { directory, provider } = workspace;
    const tenants = [];
    for (const seed of seeds) tenants.push({ tenant: (await directory.ensureTenant(seed)).tenant, seed });
    const report = await provisionDemoAccreditations({
      root: options.root,
      provider,
      deployment: options.deployment,
      tenants,
      signerFor: (tenant) => directory.signerFor(tenant, provider),
    });
    options.onReport?.(report);
    const provisioned: ProvisionedTenant[] = [];
    for (const { tenant } of tenants) {
      const known = options.knownKeys?.get(tenant.slug);
      const apiKey = known && (await directory.keyBelongsTo(known, tenant.id)) ? known : await directory.issueApiKey(tenant.id, 'demo');
      provisioned.push({ slug: tenant.slug, name: tenant.name, did: tenant.did, address: tenant.address, apiKey });
    }
    return provisioned;
  } finally {
    await workspace.close();
  }
}
