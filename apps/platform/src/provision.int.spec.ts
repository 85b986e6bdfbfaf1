import { randomBytes } from 'node:crypto';
import { credentialTypeHash, issuerRegistryAt, startLocalCity, type CityDeployment, type LocalChain, type LocalCity } from '@citycred/anchors';
import { ConsoleOperatorEntity, createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { DEMO_TENANTS, verifyPassword, type DemoAccreditationReport, type TenantSeed } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_USERNAME, provisionTenants } from './provision.js';

/** The demo console admins `npm start` seeds, on a local chain and a real database (SQLite, or PostgreSQL with DATABASE_URL). */
describe('provisionTenants: demo console admins', () => {
  let city: LocalCity;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let root: Wallet;
  let deployment: CityDeployment;
  let deploymentsDir: string;
  let db: TestDatabase;
  let location: DatabaseLocation;
  const keyEncryptionSecret = randomBytes(32).toString('hex');
  const seeds = DEMO_TENANTS.filter((t) => t.slug === 'seoul-citizen' || t.slug === 'education-office');

  beforeAll(async () => {
    city = await startLocalCity();
    ({ chain, provider, root, deployment, deploymentsDir } = city);
    db = testDatabase('provision_operators');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
  });
  afterAll(async () => {
    await city?.stop();
    await db?.drop();
  });

  const provision = (known?: ReadonlyMap<string, { username: string; password: string }>) =>
    provisionTenants({ database: location, keyEncryptionSecret, rpcUrl: chain.rpcUrl, didNetwork: 'citycred', deployment, root, seeds, ...(known ? { demoOperators: { known } } : {}) });

  it('creates one admin per demo tenant once, and returns its password again only while the demo file knows it', async () => {
    const first = await provision(new Map());
    expect(first.map((t) => [t.slug, t.console?.username])).toEqual(seeds.map((s) => [s.slug, DEMO_ADMIN_USERNAME]));
    const dataSource = await openDatabase(createIssuerDataSource(location));
    try {
      const rows = await dataSource.getRepository(ConsoleOperatorEntity).find();
      expect(rows.map((r) => [r.username, r.role])).toEqual(seeds.map(() => [DEMO_ADMIN_USERNAME, 'admin']));
      for (const tenant of first) {
        const { id } = await dataSource.getRepository(TenantEntity).findOneByOrFail({ slug: tenant.slug });
        const row = rows.find((r) => r.tenantId === id)!;
        expect(await verifyPassword(tenant.console!.password, row.passwordHash)).toBe(true);
      }
      const known = new Map(first.map((t) => [t.slug, t.console!]));
      const second = await provision(known);
      expect(second.map((t) => t.console)).toEqual(first.map((t) => t.console));
      expect(await dataSource.getRepository(ConsoleOperatorEntity).count(), 'no second admin').toBe(seeds.length);
      const forgotten = await provision(new Map());
      expect(forgotten.map((t) => t.console), 'an existing admin whose password is not known is kept, not shown').toEqual(seeds.map(() => undefined));
      const without = await provision();
      expect(without.map((t) => t.console), 'tests and other callers that do not ask get none').toEqual(seeds.map(() => undefined));
    } finally {
      await dataSource.destroy();
    }
  });

  it('brings an existing demo tenant’s names in line with its seed (a demo from before the seeds were renamed)', async () => {
    await provision();
    const dataSource = await openDatabase(createIssuerDataSource(location));
    try {
      const tenants = dataSource.getRepository(TenantEntity);
      await tenants.update({ slug: seeds[0]!.slug }, { name: 'Old English name', nameEn: null });
      await provision();
      const row = await tenants.findOneByOrFail({ slug: seeds[0]!.slug });
      expect([row.name, row.nameEn]).toEqual([seeds[0]!.name, seeds[0]!.nameEn ?? null]);
    } finally {
      await dataSource.destroy();
    }
  });
});

/**
 * Issue 19: a demo from before the labour department (its `var/` re-run by `npm start`): `employment-insurance` held the
 * labour types' delegation and had accredited hangang-cafe. The new seeds create `labor`, move the delegation to it
 * (the old department's is withdrawn, which ends its window without a suspension) and have labor accredit
 * hangang-cafe anew; a third run sends nothing.
 */
describe('provisionTenants: the labour types move from employment-insurance to labor', () => {
  let city: LocalCity;
  let db: TestDatabase;
  let location: DatabaseLocation;
  const keyEncryptionSecret = randomBytes(32).toString('hex');
  const seed = (slug: string) => DEMO_TENANTS.find((t) => t.slug === slug)!;
  const before = [
    { ...seed('employment-insurance'), delegatedTypes: ['LaborContract', 'WorkExperience'] },
    { ...seed('hangang-cafe'), accreditedBy: 'employment-insurance', businessNumber: undefined },
  ];
  const now = [seed('employment-insurance'), seed('labor'), seed('hangang-cafe'), seed('mangwon-bakery')];

  beforeAll(async () => {
    city = await startLocalCity();
    db = testDatabase('provision_labor');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
  });
  afterAll(async () => {
    await city?.stop();
    await db?.drop();
  });

  it('creates labor, delegates to it, withdraws the old delegation and has labor accredit hangang-cafe; then nothing more', async () => {
    const reports: DemoAccreditationReport[] = [];
    const provision = (seeds: readonly TenantSeed[]) =>
      provisionTenants({ database: location, keyEncryptionSecret, rpcUrl: city.chain.rpcUrl, didNetwork: 'citycred', deployment: city.deployment, root: city.root, seeds, onReport: (r) => reports.push(r) });
    const old = await provision(before.map(({ businessNumber: _, ...rest }) => rest));
    const registry = issuerRegistryAt(city.deployment.issuerRegistry, city.provider);
    const [insurance, cafe] = old.map((t) => t.address);
    const labour = credentialTypeHash('LaborContract');
    expect((await registry.windowAt(cafe!, labour, 0)).accreditor).toBe(insurance);

    const moved = await provision(now);
    const addresses = new Map(moved.map((t) => [t.slug, t.address]));
    expect(addresses.get('hangang-cafe'), 'the same tenant').toBe(cafe);
    expect(reports[1]).toMatchObject({
      delegated: ['labor: LaborContract', 'labor: WorkExperience'],
      withdrawn: ['employment-insurance: LaborContract', 'employment-insurance: WorkExperience'],
      accredited: expect.arrayContaining(['hangang-cafe: LaborContract', 'hangang-cafe: WorkExperience', 'mangwon-bakery: LaborContract', 'mangwon-bakery: WorkExperience']),
      refused: [],
    });
    const at = BigInt((await city.provider.getBlock('latest'))!.timestamp);
    expect(await registry.canAccredit(insurance!, labour)).toBe(false);
    expect(await registry.canAccredit(addresses.get('labor')!, labour)).toBe(true);
    for (const slug of ['hangang-cafe', 'mangwon-bakery']) {
      const address = addresses.get(slug)!;
      expect(await registry.isAccredited(address, labour, at), slug).toBe(true);
      const count = await registry.windowCount(address, labour);
      expect((await registry.windowAt(address, labour, count - 1n)).accreditor, slug).toBe(addresses.get('labor'));
    }
    const oldWindow = await registry.windowAt(cafe!, labour, 0);
    expect(oldWindow.revokedAt, 'ended by the withdrawal, not revoked').toBe(0n);
    expect(await registry.isSuspended(cafe!, labour, at)).toBe(false);

    const dataSource = await openDatabase(createIssuerDataSource(location));
    try {
      const rows = await dataSource.getRepository(TenantEntity).find({ order: { slug: 'ASC' } });
      expect(rows.map((r) => [r.slug, r.businessNumber])).toEqual([
        ['employment-insurance', null],
        ['hangang-cafe', '123-45-67891'],
        ['labor', null],
        ['mangwon-bakery', '220-81-11115'],
      ]);
    } finally {
      await dataSource.destroy();
    }

    await provision(now);
    expect(reports[2]).toMatchObject({ delegated: [], withdrawn: [], accredited: [], refused: [] });
  });
});
