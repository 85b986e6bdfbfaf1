import type { CityDeployment } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { DEMO_TENANTS, generatePassword, OperatorStore, provisionDemoAccreditations, verifyPassword, type DemoAccreditationReport, type TenantSeed } from '@citycred/tenancy';
import { ConsoleOperatorEntity, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import type { Signer } from 'ethers';
import type { DataSource } from 'typeorm';
import { openTenantWorkspace } from './tenant-workspace.js';

/** A seeded tenant with a usable API key. */
export interface ProvisionedTenant {
  slug: string;
  name: string;
  did: string;
  address: string;
  apiKey: string;
  /** The tenant's demo console admin, when {@link ProvisionOptions.demoOperators} asked for them and its password is known. */
  console?: DemoOperator;
}

/** A demo console operator's credentials, as written to `var/demo/tenants.json`. */
export interface DemoOperator {
  username: string;
  password: string;
}

/** Username of each demo tenant's console admin. */
export const DEMO_ADMIN_USERNAME = 'admin';

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
  /**
   * Seeds one console admin (`admin`) per demo tenant: created with a generated password when missing; an existing
   * one is kept, and returned with its `known` password (from the last demo file) while that still matches.
   */
  demoOperators?: { known: ReadonlyMap<string, DemoOperator> };
  /** Told what was sent to the chain, once it is done. */
  onReport?: (report: DemoAccreditationReport) => void;
}

/**
 * Embedded mode's demo tenants on a local chain: runs the issuer's migrations, creates each tenant (row and did:ethr
 * key) that does not exist yet — an existing one is kept, its names brought in line with the seed's — and makes on chain, once per registry, what the
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
    for (const seed of seeds) {
      const { tenant, created } = await directory.ensureTenant(seed);
      // A demo from before the seeds' names changed (English names in the Korean field), or before employers had
      // business registration numbers, is brought in line.
      if (!created && (tenant.name !== seed.name || tenant.nameEn !== (seed.nameEn ?? null) || tenant.businessNumber !== (seed.businessNumber ?? null))) {
        tenant.name = seed.name;
        tenant.nameEn = seed.nameEn ?? null;
        tenant.businessNumber = seed.businessNumber ?? null;
        await workspace.dataSource.getRepository(TenantEntity).update({ id: tenant.id }, { name: tenant.name, nameEn: tenant.nameEn, businessNumber: tenant.businessNumber });
      }
      tenants.push({ tenant, seed });
    }
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
      const admin = options.demoOperators ? await demoAdmin(workspace.dataSource, clock, tenant.id, options.demoOperators.known.get(tenant.slug)) : undefined;
      provisioned.push({ slug: tenant.slug, name: tenant.name, did: tenant.did, address: tenant.address, apiKey, ...(admin ? { console: admin } : {}) });
    }
    return provisioned;
  } finally {
    await workspace.close();
  }
}

/**
 * The tenant's demo admin: created with a generated password when it does not exist; else the known credentials
 * while the password still matches (an operator may have been re-created by hand: its password is then unknown here).
 */
async function demoAdmin(dataSource: DataSource, clock: Clock, tenantId: string, known: DemoOperator | undefined): Promise<DemoOperator | undefined> {
  const existing = await dataSource.getRepository(ConsoleOperatorEntity).findOneBy({ tenantId, username: DEMO_ADMIN_USERNAME });
  if (!existing) {
    const password = generatePassword();
    await new OperatorStore(dataSource, clock).create(tenantId, { username: DEMO_ADMIN_USERNAME, displayName: 'Demo admin', role: 'admin', password });
    return { username: DEMO_ADMIN_USERNAME, password };
  }
  if (known && known.username === DEMO_ADMIN_USERNAME && (await verifyPassword(known.password, existing.passwordHash))) return known;
  return undefined;
}
