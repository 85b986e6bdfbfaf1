import {
  credentialTypeHash,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type IssuerRegistryContract,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { TenantEntity } from '@citycred/persistence';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_TENANT_BALANCE, provisionDemoAccreditations } from './accreditation.js';
import type { TenantSeed } from './demo-tenants.js';

/**
 * The embedded mode's demo accreditation against a real local chain and the city's contracts. Tenants are plain
 * accounts here (their keys live in memory instead of the issuer database, which this function does not touch); each
 * case makes its own, so cases can run alone.
 */
describe('provisionDemoAccreditations', () => {
  let city: LocalCity;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let root: Wallet;
  let deployment: CityDeployment;
  let registry: IssuerRegistryContract;
  let deploymentsDir: string;

  beforeAll(async () => {
    city = await startLocalCity();
    ({ chain, provider, root, deployment, deploymentsDir } = city);
    registry = issuerRegistryAt(deployment.issuerRegistry, root);
  });

  afterAll(async () => {
    await city?.stop();
  });

  /** A department delegated the labour types and an employer it accredits, as the demo seeds have them. */
  function demoCity(name: string) {
    const keys = new Map<string, Wallet>();
    const tenant = (slug: string, kind: 'department' | 'employer', credentialTypes: string[], extra: Partial<TenantSeed> = {}) => {
      const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
      keys.set(wallet.address, wallet);
      const seed: TenantSeed = { slug: `${name}-${slug}`, name: slug, kind, credentialTypes, ...extra };
      const entity = Object.assign(new TenantEntity(), { id: seed.slug, slug: seed.slug, name: slug, kind, did: `did:ethr:citycred:${wallet.address}`, address: wallet.address, credentialTypesJson: JSON.stringify(credentialTypes), createdAt: '2026-03-02T09:00:00.000Z' });
      return { tenant: entity, seed };
    };
    const tenants = [
      tenant('card-office', 'department', ['SeoulCitizenCard']),
      tenant('labour-office', 'department', ['EmploymentInsuranceStatus'], { delegatedTypes: ['LaborContract', 'WorkExperience'] }),
      tenant('cafe', 'employer', ['LaborContract', 'WorkExperience'], { accreditedBy: `${name}-labour-office` }),
    ];
    const provision = () => provisionDemoAccreditations({ root, provider, deployment, tenants, signerFor: async (t) => keys.get(t.address)! });
    const [card, labour, cafe] = tenants.map((t) => t.tenant) as [TenantEntity, TenantEntity, TenantEntity];
    return { provision, card, labour, cafe };
  }

  const latest = async () => (await provider.getBlock('latest'))!;

  it('funds, delegates and accredits from the chain\'s latest block time, employers through their department', async () => {
    const { provision, card, labour, cafe } = demoCity('first');
    // The chain runs an hour ahead of this host: windows follow the chain, not the host clock.
    await provider.send('evm_increaseTime', [3_600]);
    await provider.send('evm_mine', []);
    const before = await latest();
    const report = await provision();
    expect(report.refused).toEqual([]);
    expect(report.delegated).toEqual(['first-labour-office: LaborContract', 'first-labour-office: WorkExperience']);
    expect(report.accredited).toEqual(['first-card-office: SeoulCitizenCard', 'first-labour-office: EmploymentInsuranceStatus', 'first-cafe: LaborContract', 'first-cafe: WorkExperience']);
    for (const t of [card, labour, cafe]) expect(await provider.getBalance(t.address)).toBeGreaterThanOrEqual(MIN_TENANT_BALANCE);
    const window = await registry.windowAt(card.address, credentialTypeHash('SeoulCitizenCard'), 0);
    expect(window.validFrom).toBeGreaterThanOrEqual(BigInt(before.timestamp));
    expect(window.validFrom).toBeGreaterThan(BigInt(Math.floor(Date.now() / 1000) + 3_000));
    expect(window.validFrom).toBeLessThanOrEqual(BigInt((await latest()).timestamp));
    const employed = await registry.windowAt(cafe.address, credentialTypeHash('LaborContract'), 0);
    expect(employed.accreditor).toBe(labour.address);
    expect(await registry.isAccredited(cafe.address, credentialTypeHash('WorkExperience'), (await latest()).timestamp)).toBe(true);
  });

  it('sends nothing the registry ever recorded: a revocation and a withdrawn delegation stay', async () => {
    const { provision, card, labour } = await (async () => {
      const city = demoCity('again');
      await city.provision();
      return city;
    })();
    const type = credentialTypeHash('SeoulCitizenCard');
    await (await registry.revokeAccreditation(card.address, type, 0)).wait();
    await (await registry.setAccreditorTypes(labour.address, [credentialTypeHash('LaborContract')], false)).wait();
    const blockBefore = await provider.getBlockNumber();

    const report = await provision();
    // Nothing withdrawn either: the delegation the root withdrew is not one the seeds moved to another department.
    expect(report).toEqual({ sent: 0, delegated: [], withdrawn: [], accredited: [], refused: [] });
    expect(await provider.getBlockNumber()).toBe(blockBefore);
    expect(await registry.windowCount(card.address, type)).toBe(1n);
    expect(await registry.isAccredited(card.address, type, (await latest()).timestamp)).toBe(false);
    expect(await registry.canAccredit(labour.address, credentialTypeHash('LaborContract'))).toBe(false);
  });

  it('reports what the registry refuses — a tenant the root suspended before it was ever accredited — and goes on with the rest', async () => {
    const { provision, card, labour } = demoCity('suspended');
    await (await registry.suspendIssuer(card.address, credentialTypeHash('SeoulCitizenCard'))).wait();
    const report = await provision();
    expect(report.refused).toEqual(['suspended-card-office: SeoulCitizenCard (IssuerIsSuspended)']);
    expect(report.accredited).toContain('suspended-labour-office: EmploymentInsuranceStatus');
    expect(await registry.windowCount(card.address, credentialTypeHash('SeoulCitizenCard'))).toBe(0n);
    expect(await registry.isAccredited(labour.address, credentialTypeHash('EmploymentInsuranceStatus'), (await latest()).timestamp)).toBe(true);
  });
});
