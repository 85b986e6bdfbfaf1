import {
  ALL_CREDENTIAL_TYPES,
  credentialTypeHash,
  freePort,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type IssuerRegistryContract,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { CityChain } from '@citycred/chain';
import { FixedClock } from '@citycred/config';
import { createChainProvider } from '@citycred/did';
import { AppError } from '@citycred/errors';
import { TenantEntity } from '@citycred/persistence';
import { Wallet, type JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TenantAccreditations, type AccreditationSource } from './tenant-accreditations.js';

/*
 * The accreditation cache against a real local chain and the deployed IssuerRegistry. Tenants are plain
 * entities with fresh random addresses (the cache reads only their id, slug, address and types; the database
 * has nothing to add here), so every case has its own tenants and can run alone.
 */

const HOUR = 3_600;
const SETTINGS = { refreshMs: 60_000, maxStalenessMs: 600_000 };

let city: LocalCity;
let chain: LocalChain;
let provider: JsonRpcProvider;
let deployment: CityDeployment;
let cityChain: CityChain;
let registry: IssuerRegistryContract;
let deploymentsDir: string;

beforeAll(async () => {
  city = await startLocalCity();
  ({ chain, provider, deployment, deploymentsDir } = city);
  const { root } = city;
  cityChain = new CityChain(provider, deployment);
  registry = issuerRegistryAt(deployment.issuerRegistry, root);
});

afterAll(async () => {
  await city?.stop();
});

let tenantCount = 0;
/** A tenant with a fresh address, configured for `types`. */
function newTenant(types: string[]): TenantEntity {
  tenantCount += 1;
  return Object.assign(new TenantEntity(), {
    id: `00000000-0000-4000-8000-${String(tenantCount).padStart(12, '0')}`,
    slug: `tenant-${tenantCount}`,
    name: `Tenant ${tenantCount}`,
    kind: 'department',
    did: `did:ethr:citycred:${tenantCount}`,
    address: Wallet.createRandom().address,
    credentialTypesJson: JSON.stringify(types),
    createdAt: new Date(0).toISOString(),
  });
}

async function chainNow(): Promise<number> {
  return (await provider.getBlock('latest'))!.timestamp;
}

/** The city root accredits `tenant` for `types` over [from, until) (unix seconds). */
async function accredit(tenant: TenantEntity, types: string[], from: number, until: number): Promise<void> {
  await (await registry.accreditIssuer(tenant.address, types.map(credentialTypeHash), from, until)).wait();
}

/** The city root revokes a window (which also suspends the tenant for the type until reinstated). */
async function revoke(tenant: TenantEntity, type: string, index = 0): Promise<void> {
  await (await registry.revokeAccreditation(tenant.address, credentialTypeHash(type), index)).wait();
}

/** The city root suspends the tenant for `type` (`null`: all types). */
async function suspend(tenant: TenantEntity, type: string | null): Promise<void> {
  await (await registry.suspendIssuer(tenant.address, type ? credentialTypeHash(type) : ALL_CREDENTIAL_TYPES)).wait();
}

/** The city root lifts the tenant's suspension for `type` (`null`: all types). */
async function reinstate(tenant: TenantEntity, type: string | null): Promise<void> {
  await (await registry.reinstateIssuer(tenant.address, type ? credentialTypeHash(type) : ALL_CREDENTIAL_TYPES)).wait();
}

/** The real adapter, counting its calls (to show what was, and was not, read from the chain). */
function countingSource(target: () => AccreditationSource = () => cityChain) {
  const calls = { latestBlock: 0, blockHash: 0, accreditationOf: 0, accreditationChanges: 0 };
  const source: AccreditationSource = {
    latestBlock: () => (calls.latestBlock++, target().latestBlock()),
    blockHash: (n) => (calls.blockHash++, target().blockHash(n)),
    accreditationOf: (a, types, at) => (calls.accreditationOf++, target().accreditationOf(a, types, at)),
    accreditationChanges: (f, t) => (calls.accreditationChanges++, target().accreditationChanges(f, t)),
  };
  return { source, calls, total: () => Object.values(calls).reduce((a, b) => a + b, 0) };
}

function cacheOf(tenants: TenantEntity[], clock: FixedClock, source: AccreditationSource = cityChain, settings = SETTINGS): TenantAccreditations {
  return new TenantAccreditations(source, { list: async () => [...tenants] }, clock, settings);
}

/** The AppError `assertMayIssue` throws, or null. */
function refusal(cache: TenantAccreditations, tenant: TenantEntity, type: string): { code: string; status: number } | null {
  try {
    cache.assertMayIssue(tenant, type);
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, status: error.status };
  }
}

describe('TenantAccreditations (real chain)', () => {
  it('knows nothing before its first reading, then answers per tenant and type from one reading', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const card = newTenant(['SeoulCitizenCard']);
    const insurance = newTenant(['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment']);
    const never = newTenant(['EnrollmentStatus']);
    await accredit(card, ['SeoulCitizenCard'], now, now + HOUR);
    await accredit(insurance, ['EmploymentInsuranceStatus'], now, now + HOUR);
    const cache = cacheOf([card, insurance, never], clock);

    expect(cache.verdict(card.id, 'SeoulCitizenCard')).toBe('unknown');
    expect(refusal(cache, card, 'SeoulCitizenCard')).toEqual({ code: 'service.unavailable', status: 503 });
    expect(cache.anchoringType(card.id)).toEqual({ verdict: 'unknown' });

    await cache.refresh();

    expect(refusal(cache, card, 'SeoulCitizenCard')).toBeNull();
    expect(cache.verdict(insurance.id, 'EmploymentInsuranceStatus')).toBe('accredited');
    expect(cache.verdict(insurance.id, 'SocialInsuranceEnrollment')).toBe('not-accredited');
    expect(refusal(cache, insurance, 'SocialInsuranceEnrollment')).toEqual({ code: 'issuance.not-accredited', status: 403 });
    expect(cache.anchoringType(insurance.id)).toEqual({ verdict: 'accredited', credentialType: 'EmploymentInsuranceStatus' });
    expect(cache.anchoringType(never.id)).toEqual({ verdict: 'not-accredited' });
    const report = cache.report();
    expect(report).toMatchObject({ current: true, readAt: clock.now().toISOString(), block: expect.any(Number) });
    expect(report.tenants).toEqual({
      [card.slug]: { state: 'accredited', accredited: ['SeoulCitizenCard'], notAccredited: [], unknown: [] },
      [insurance.slug]: { state: 'partly-accredited', accredited: ['EmploymentInsuranceStatus'], notAccredited: ['SocialInsuranceEnrollment'], unknown: [] },
      [never.slug]: { state: 'not-accredited', accredited: [], notAccredited: ['EnrollmentStatus'], unknown: [] },
    });
  });

  it('notices a revocation and a renewed accreditation at the next reading, from the registry events', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + HOUR);
    const cache = cacheOf([tenant], clock);
    await cache.refresh();
    const first = cache.version(tenant.id)!;

    await revoke(tenant, 'SeoulCitizenCard');
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
    await cache.refresh();
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('not-accredited');
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'not-accredited' });
    expect(cache.report().tenants[tenant.slug]?.state).toBe('not-accredited');
    const revoked = cache.version(tenant.id)!;
    expect(revoked).toBeGreaterThan(first);

    // the root's revocation suspended the tenant for the type: the root reinstates it, then accredits it anew
    await reinstate(tenant, 'SeoulCitizenCard');
    const later = await chainNow();
    await accredit(tenant, ['SeoulCitizenCard'], later, later + HOUR);
    clock.set(new Date(later * 1000));
    await cache.refresh();
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
    const renewed = cache.version(tenant.id)!;
    expect(renewed).toBeGreaterThan(revoked);

    // a reading with no change leaves the version alone
    await cache.refresh();
    expect(cache.version(tenant.id)).toBe(renewed);
  });

  it('reads only the tenants named in new events, and none for events of other issuers', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    const other = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + HOUR);
    const counted = countingSource();
    const cache = cacheOf([tenant], clock, counted.source);
    await cache.refresh();
    const version = cache.version(tenant.id);
    expect(counted.calls.accreditationOf).toBe(1);

    await accredit(other, ['SeoulCitizenCard'], now, now + HOUR);
    await cache.refresh();
    expect(counted.calls.accreditationOf).toBe(1);
    expect(counted.calls.accreditationChanges).toBe(1);
    expect(cache.version(tenant.id)).toBe(version);

    await revoke(tenant, 'SeoulCitizenCard');
    await cache.refresh();
    expect(counted.calls.accreditationOf).toBe(2);
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('not-accredited');
  });

  it('ends a validity window by the clock, with no chain call', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + 100);
    const counted = countingSource();
    const cache = cacheOf([tenant], clock, counted.source);
    await cache.refresh();
    const calls = counted.total();

    clock.set(new Date((now + 99) * 1000));
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
    clock.set(new Date((now + 100) * 1000));
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('not-accredited');
    expect(refusal(cache, tenant, 'SeoulCitizenCard')).toEqual({ code: 'issuance.not-accredited', status: 403 });
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'not-accredited' });
    expect(counted.total()).toBe(calls);
  });

  it('reads everything again when the chain went back (reset or reorganised) under the block it last read', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + HOUR);
    const cache = cacheOf([tenant], clock);
    const snapshot = await provider.send('evm_snapshot', []);
    await revoke(tenant, 'SeoulCitizenCard');
    await cache.refresh();
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('not-accredited');

    // The revocation is gone; new blocks take the old numbers, carrying no registry event.
    await provider.send('evm_revert', [snapshot]);
    for (let i = 0; i < 3; i += 1) await provider.send('evm_mine', []);
    await cache.refresh();
    expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
  });

  it('trusts its last reading for maxStalenessMs while the chain does not answer, then answers unknown (503), and recovers', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + HOUR);
    const deadChain = new CityChain(createChainProvider(`http://127.0.0.1:${await freePort()}`, chain.chainId), deployment);
    let current: CityChain = cityChain;
    const cache = cacheOf([tenant], clock, countingSource(() => current).source);
    try {
      await cache.refresh();
      current = deadChain;
      await expect(cache.refresh()).rejects.toThrow();

      clock.advance(SETTINGS.maxStalenessMs);
      expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
      expect(cache.report().current).toBe(true);

      clock.advance(1_000);
      expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('unknown');
      expect(refusal(cache, tenant, 'SeoulCitizenCard')).toEqual({ code: 'service.unavailable', status: 503 });
      expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'unknown' });
      expect(cache.report()).toMatchObject({ current: false, tenants: { [tenant.slug]: { state: 'unknown', accredited: [], notAccredited: [], unknown: ['SeoulCitizenCard'] } } });

      current = cityChain;
      await cache.refresh();
      expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('accredited');
    } finally {
      deadChain.provider.destroy?.();
    }
  });

  it('follows a tenant created after start from its next reading', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const first = newTenant(['SeoulCitizenCard']);
    const tenants = [first];
    const cache = cacheOf(tenants, clock);
    await cache.refresh();
    const added = newTenant(['EnrollmentStatus']);
    await accredit(added, ['EnrollmentStatus'], now, now + HOUR);
    tenants.push(added);
    expect(cache.verdict(added.id, 'EnrollmentStatus')).toBe('unknown');
    await cache.refresh();
    expect(cache.verdict(added.id, 'EnrollmentStatus')).toBe('accredited');
  });

  it('follows a suspension by the root, for one type or for all, and the reinstatement (IssuerSuspended, IssuerReinstated)', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment']);
    await accredit(tenant, ['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment'], now, now + HOUR);
    const cache = cacheOf([tenant], clock);
    await cache.refresh();
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'accredited', credentialType: 'EmploymentInsuranceStatus' });
    const first = cache.version(tenant.id)!;

    await suspend(tenant, 'EmploymentInsuranceStatus');
    await cache.refresh();
    expect(cache.verdict(tenant.id, 'EmploymentInsuranceStatus')).toBe('not-accredited');
    expect(refusal(cache, tenant, 'EmploymentInsuranceStatus')).toEqual({ code: 'issuance.not-accredited', status: 403 });
    expect(cache.verdict(tenant.id, 'SocialInsuranceEnrollment')).toBe('accredited');
    // anchoring names the type it is still accredited for
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'accredited', credentialType: 'SocialInsuranceEnrollment' });
    expect(cache.version(tenant.id)).toBeGreaterThan(first);

    await suspend(tenant, null);
    await cache.refresh();
    expect(cache.report().tenants[tenant.slug]?.state).toBe('not-accredited');
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'not-accredited' });

    await reinstate(tenant, null);
    await reinstate(tenant, 'EmploymentInsuranceStatus');
    await cache.refresh();
    expect(cache.report().tenants[tenant.slug]?.state).toBe('accredited');
    expect(cache.anchoringType(tenant.id)).toEqual({ verdict: 'accredited', credentialType: 'EmploymentInsuranceStatus' });
  });

  it("ends an employer's accreditation when the root withdraws its department's delegation, reading only the employers that department accredited (AccreditorAuthorized)", async () => {
    const department = await city.fundedWallet();
    await (await registry.setAccreditorTypes(department.address, [credentialTypeHash('WorkExperience')], true)).wait();
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const employer = newTenant(['WorkExperience']);
    const bystander = newTenant(['WorkExperience']);
    await (await issuerRegistryAt(deployment.issuerRegistry, department).accreditIssuer(employer.address, [credentialTypeHash('WorkExperience')], now, now + HOUR)).wait();
    await accredit(bystander, ['WorkExperience'], now, now + HOUR);
    const counted = countingSource();
    const cache = cacheOf([employer, bystander], clock, counted.source);
    await cache.refresh();
    expect(cache.verdict(employer.id, 'WorkExperience')).toBe('accredited');
    expect(counted.calls.accreditationOf).toBe(2);

    await (await registry.setAccreditorTypes(department.address, [credentialTypeHash('WorkExperience')], false)).wait();
    await cache.refresh();
    expect(counted.calls.accreditationOf).toBe(3);
    expect(cache.verdict(employer.id, 'WorkExperience')).toBe('not-accredited');
    expect(cache.anchoringType(employer.id)).toEqual({ verdict: 'not-accredited' });
    expect(cache.verdict(bystander.id, 'WorkExperience')).toBe('accredited');
    expect(await cityChain.isAccredited(employer.address, 'WorkExperience', new Date((await chainNow()) * 1000))).toBe(false);

    // granting the delegation again does not bring back the windows made under the withdrawn one
    await (await registry.setAccreditorTypes(department.address, [credentialTypeHash('WorkExperience')], true)).wait();
    await cache.refresh();
    expect(cache.verdict(employer.id, 'WorkExperience')).toBe('not-accredited');

    // the root keeps the employer by accrediting it directly
    const later = await chainNow();
    await accredit(employer, ['WorkExperience'], later, later + HOUR);
    clock.set(new Date(later * 1000));
    await cache.refresh();
    expect(cache.verdict(employer.id, 'WorkExperience')).toBe('accredited');
  });

  it('polls the registry by itself every refreshMs once started', async () => {
    const now = await chainNow();
    const clock = new FixedClock(new Date(now * 1000));
    const tenant = newTenant(['SeoulCitizenCard']);
    await accredit(tenant, ['SeoulCitizenCard'], now, now + HOUR);
    const cache = cacheOf([tenant], clock, cityChain, { ...SETTINGS, refreshMs: 20 });
    await cache.refresh();
    cache.start();
    try {
      await revoke(tenant, 'SeoulCitizenCard');
      await vi.waitFor(() => expect(cache.verdict(tenant.id, 'SeoulCitizenCard')).toBe('not-accredited'), { timeout: 20_000, interval: 20 });
    } finally {
      await cache.stop();
    }
  });
});
