import { randomBytes } from 'node:crypto';
import { startLocalCity, type CityDeployment, type LocalChain, type LocalCity } from '@citycred/anchors';
import { ConsoleOperatorEntity, createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { DEMO_TENANTS, verifyPassword } from '@citycred/tenancy';
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
