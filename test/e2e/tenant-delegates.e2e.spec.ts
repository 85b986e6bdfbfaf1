import { encodeBytes32String, Contract, Wallet } from 'ethers';
import { EthereumDIDRegistry } from 'ethr-did-resolver';
import { runDelegateCommand } from '@citycred/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionCity, type ProvisionedCity } from '../support/platform.js';

/** `tenants add-delegate` / `revoke-delegate` on a real chain and the issuer database the demo tenants live in. */
describe('tenants add-delegate and revoke-delegate', () => {
  let city: ProvisionedCity;
  const delegate = Wallet.createRandom().address;

  beforeAll(async () => {
    city = await provisionCity('tenant_delegates');
  });
  afterAll(async () => city?.stop());

  const context = () => ({
    database: { url: city.db.url, schema: city.db.schema, sqlitePath: city.db.sqlitePath },
    rpcUrl: city.chain.rpcUrl,
    deploymentsDir: city.deploymentsDir,
    didNetwork: 'citycred',
    keyEncryptionSecret: city.keyEncryptionSecret,
  });
  async function run(action: 'add-delegate' | 'revoke-delegate', args: string[], over: Record<string, unknown> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDelegateCommand(action, args, { ...context(), ...over }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const validDelegate = async (identity: string, type = 'veriKey') =>
    (await new Contract(city.deployment.didRegistry, EthereumDIDRegistry.abi, city.provider).getFunction('validDelegate')(identity, encodeBytes32String(type), delegate)) as boolean;

  it('registers a delegate of the tenant’s identity, signed by the tenant’s own key, and revokes it', async () => {
    const tenant = city.tenants.find((t) => t.slug === 'seoul-citizen')!;
    expect(await validDelegate(tenant.address)).toBe(false);
    const added = await run('add-delegate', ['seoul-citizen', '--delegate', delegate, '--valid-days', '30']);
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`added veriKey delegate ${delegate} for 30 days`);
    expect(added.err).toContain('city-delegates');
    expect(await validDelegate(tenant.address)).toBe(true);

    const revoked = await run('revoke-delegate', ['seoul-citizen', '--delegate', delegate]);
    expect(revoked.code, revoked.err).toBe(0);
    expect(await validDelegate(tenant.address)).toBe(false);
  });

  it.each([
    [[], 'give one tenant slug'],
    [['seoul-citizen'], '--delegate is required'],
    [['seoul-citizen', '--delegate', '0x1234'], '--delegate is required'],
    [['seoul-citizen', '--delegate', delegate, '--type', 'owner'], '--type is veriKey'],
    [['seoul-citizen', '--delegate', delegate, '--valid-days', '0'], '--valid-days is a whole number'],
    [['seoul-citizen', '--delegate', delegate, '--valid-days', '3651'], '--valid-days is a whole number'],
    [['seoul-citizen', '--delegate', delegate, '--bogus', 'x'], 'unknown option --bogus'],
  ])('answers usage (exit 2) for %j and sends nothing', async (args, message) => {
    const res = await run('add-delegate', args);
    expect(res.code).toBe(2);
    expect(res.err).toContain(message);
  });

  it('refuses an unknown tenant, the tenant’s own address as delegate, and a run without the key secret', async () => {
    expect((await run('add-delegate', ['no-such-tenant', '--delegate', delegate])).err).toContain('there is no tenant "no-such-tenant"');
    const self = city.tenants.find((t) => t.slug === 'education-office')!;
    const own = await run('add-delegate', ['education-office', '--delegate', self.address]);
    expect([own.code, own.err]).toEqual([1, expect.stringContaining('own identity address')]);
    const noSecret = await run('add-delegate', ['education-office', '--delegate', delegate], { keyEncryptionSecret: undefined });
    expect([noSecret.code, noSecret.err]).toEqual([1, expect.stringContaining('KEY_ENCRYPTION_SECRET')]);
    expect(await validDelegate(self.address)).toBe(false);
  });
});
