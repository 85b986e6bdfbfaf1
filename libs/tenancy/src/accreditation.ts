import { credentialTypeHash, issuerRegistryAt, type CityDeployment } from '@citycred/anchors';
import { parseEther, type Provider, type Signer } from 'ethers';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantSeed } from './demo-tenants.js';

/** Balance below which a tenant account is topped up so it can pay for anchoring transactions. */
export const MIN_TENANT_BALANCE = parseEther('1');
const TOP_UP = parseEther('10');

/** Options of {@link accreditTenants}. */
export interface AccreditTenantsOptions {
  /** The city root account (owner of the IssuerRegistry). */
  root: Signer;
  provider: Provider;
  deployment: CityDeployment;
  /** Tenants with their seeds. */
  tenants: ReadonlyArray<{ tenant: TenantEntity; seed: TenantSeed }>;
  /** Gives a signer for a department tenant (needed when a department accredits employers). */
  signerFor: (tenant: TenantEntity) => Promise<Signer>;
  /** Accreditation window of new accreditations. */
  validFrom: Date;
  validUntil: Date;
  /** The present: tenants already accredited now are left alone. */
  now: Date;
}

/**
 * Makes the chain agree with the tenant seeds: funds each tenant account from the root so it can send
 * anchoring transactions, lets departments accredit the labour types delegated to them, and accredits
 * each tenant for its credential types (employers through their department). Idempotent: what the
 * registry already says is not sent again.
 * @returns the number of transactions sent
 */
export async function accreditTenants(options: AccreditTenantsOptions): Promise<number> {
  const { root, provider, deployment } = options;
  const registry = issuerRegistryAt(deployment.issuerRegistry, root);
  const bySlug = new Map(options.tenants.map((t) => [t.seed.slug, t]));
  const from = BigInt(Math.floor(options.validFrom.getTime() / 1000));
  const until = BigInt(Math.floor(options.validUntil.getTime() / 1000));
  const now = BigInt(Math.floor(options.now.getTime() / 1000));
  let sent = 0;

  for (const { tenant } of options.tenants) {
    if ((await provider.getBalance(tenant.address)) < MIN_TENANT_BALANCE) {
      await (await root.sendTransaction({ to: tenant.address, value: TOP_UP })).wait();
      sent += 1;
    }
  }

  for (const { tenant, seed } of options.tenants) {
    const delegated = (seed.delegatedTypes ?? []).map(credentialTypeHash);
    const missingDelegation = [];
    for (const type of delegated) if (!(await registry.canAccredit(tenant.address, type))) missingDelegation.push(type);
    if (missingDelegation.length > 0) {
      await (await registry.setAccreditorTypes(tenant.address, missingDelegation, true)).wait();
      sent += 1;
    }
  }

  for (const { tenant, seed } of options.tenants) {
    const types = [];
    for (const type of seed.credentialTypes.map(credentialTypeHash)) {
      if (!(await registry.isAccredited(tenant.address, type, now))) types.push(type);
    }
    if (types.length === 0) continue;
    const accreditor = seed.accreditedBy ? bySlug.get(seed.accreditedBy) : undefined;
    if (seed.accreditedBy && !accreditor) throw new Error(`${seed.slug} is accredited by unknown tenant ${seed.accreditedBy}`);
    const signer = accreditor ? await options.signerFor(accreditor.tenant) : root;
    await (await issuerRegistryAt(deployment.issuerRegistry, signer).accreditIssuer(tenant.address, types, from, until)).wait();
    sent += 1;
  }
  return sent;
}
