import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  credentialAnchorAt,
  credentialTypeHash,
  issuerRegistryAt,
  startLocalCity,
  type CityDeployment,
  type IssuerRegistryContract,
  type LocalChain,
  type LocalCity,
} from '@citycred/anchors';
import { buildMerkleTree, type Hex32 } from '@citycred/anchoring';
import { CityChain } from '@citycred/chain';
import { FixedClock } from '@citycred/config';
import { AuditEntryEntity, createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { ApiKeyStore } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { JsonRpcProvider, keccak256, parseEther, toBeHex, toUtf8Bytes, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTenantWorkspace } from './tenant-workspace.js';
import { runTenantsCommand, type TenantsCommandContext } from './tenants-command.js';

/**
 * The `tenants` command's function on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL) and a real
 * local chain with the city's contracts, as the CLI calls it against an existing chain (no funding, the root key
 * given). Each case onboards tenants of its own, so cases can run alone. The spawned CLI against running services is
 * test/e2e/start-external.e2e.spec.ts.
 */
describe('tenants command', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let city: LocalCity;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let root: Wallet;
  let deployment: CityDeployment;
  let registry: IssuerRegistryContract;
  let deploymentsDir: string;
  let db: TestDatabase;
  let location: DatabaseLocation;
  let dataSource: DataSource;
  let context: TenantsCommandContext;

  beforeAll(async () => {
    city = await startLocalCity();
    ({ chain, provider, root, deployment, deploymentsDir } = city);
    registry = issuerRegistryAt(deployment.issuerRegistry, provider);
    db = testDatabase('tenants_command');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
    dataSource = await openDatabase(createIssuerDataSource(location));
    context = { database: location, rpcUrl: chain.rpcUrl, embedded: false, deploymentsDir, didNetwork: 'citycred', keyEncryptionSecret: randomBytes(32).toString('hex'), cityRootKey: root.privateKey };
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
    await city?.stop();
  });

  async function run(args: string[], overrides: Partial<TenantsCommandContext> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTenantsCommand(args, { ...context, ...overrides }, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const tenantRow = (slug: string) => dataSource.getRepository(TenantEntity).findOneBy({ slug });
  const fund = (address: string) => provider.send('anvil_setBalance', [address, toBeHex(parseEther('10'))]);
  const onboardDepartment = (slug: string, ...more: string[]) => run(['onboard', slug, '--name', `Department ${slug}`, '--kind', 'department', ...more]);

  it('onboards a department: prints its DID and a first API key once, and its window starts at the chain\'s latest block time, not the host\'s', async () => {
    // The chain runs a day ahead of this host: a window taken from the host clock would start a day early.
    await provider.send('evm_increaseTime', [86_400]);
    await provider.send('evm_mine', []);
    const hostNow = Math.floor(Date.now() / 1000);
    const { code, out, err } = await onboardDepartment('chain-time-office', '--types', 'EnrollmentStatus');
    expect(code, err).toBe(0);
    const tenant = (await tenantRow('chain-time-office'))!;
    expect(tenant).toMatchObject({ kind: 'department', credentialTypes: ['EnrollmentStatus'] });
    expect(err).toContain(`created chain-time-office (department): ${tenant.did}, address ${tenant.address}`);
    // stdout is the key alone, so it can be captured; it authenticates as the tenant and only its hash is kept.
    expect(out).toMatch(/^ccd_\S+$/);
    expect((await new ApiKeyStore(dataSource, clock).authenticate(out))?.id).toBe(tenant.id);

    const window = await registry.windowAt(tenant.address, credentialTypeHash('EnrollmentStatus'), 0);
    const tx = /\(tx (0x[0-9a-f]{64})\)/.exec(err)![1]!;
    const mined = (await provider.getTransactionReceipt(tx))!;
    const latestBeforeIt = (await provider.getBlock(mined.blockNumber - 1))!;
    expect(window.validFrom).toBe(BigInt(latestBeforeIt.timestamp));
    expect(window.validFrom).toBeGreaterThan(BigInt(hostNow + 86_000));
    expect(window.validUntil - window.validFrom).toBe(365n * 86_400n);
    expect(window.accreditor).toBe(root.address);
    expect(err).toContain('if the chain charges gas, fund');
  });

  it('onboards an app operator for open issuance of its own types, accredited by the city root', async () => {
    const { code, err } = await run(['onboard', 'ticket-app', '--name', 'Ticket App', '--kind', 'app', '--types', 'VerifiableCredential,ExampleTicketCredential']);
    expect(code, err).toBe(0);
    const tenant = (await tenantRow('ticket-app'))!;
    expect(tenant).toMatchObject({ kind: 'app', credentialTypes: ['VerifiableCredential', 'ExampleTicketCredential'] });
    const window = await registry.windowAt(tenant.address, credentialTypeHash('ExampleTicketCredential'), 0);
    expect(window.accreditor).toBe(root.address);
  });

  it('lets a department delegated types with --may-accredit accredit an employer with its own key, to the date given', async () => {
    const department = await onboardDepartment('labour-office', '--types', 'EmploymentInsuranceStatus', '--may-accredit', 'LaborContract,WorkExperience');
    expect(department.code, department.err).toBe(0);
    const office = (await tenantRow('labour-office'))!;
    expect(await registry.canAccredit(office.address, credentialTypeHash('LaborContract'))).toBe(true);
    await fund(office.address);

    const employer = await run(['onboard', 'riverside-bakery', '--name', 'Riverside Bakery', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'labour-office', '--business-number', '2208111115', '--valid-until', '2099-01-01']);
    expect(employer.code, employer.err).toBe(0);
    const bakery = (await tenantRow('riverside-bakery'))!;
    expect(bakery.businessNumber, 'stored as NNN-NN-NNNNN').toBe('220-81-11115');
    expect(employer.err).toContain('business registration number 220-81-11115');
    const window = await registry.windowAt(bakery.address, credentialTypeHash('LaborContract'), 0);
    expect(window.accreditor).toBe(office.address);
    expect(window.validUntil).toBe(BigInt(Date.parse('2099-01-01T00:00:00Z') / 1000));
    expect(employer.err).toContain('accredited for LaborContract by labour-office');

    // A department that only accredits employers: --may-accredit without --types.
    const accreditorOnly = await onboardDepartment('standards-office', '--may-accredit', 'WorkExperience');
    expect(accreditorOnly.code, accreditorOnly.err).toBe(0);
    const standards = (await tenantRow('standards-office'))!;
    expect(standards.credentialTypes).toEqual([]);
    expect(await registry.canAccredit(standards.address, credentialTypeHash('WorkExperience'))).toBe(true);
  });

  it('refuses what it cannot do before creating anything, and says why', async () => {
    const refusals: [string[], Partial<TenantsCommandContext>, string][] = [
      [['onboard', 'Bad_Slug', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard'], {}, 'the slug "Bad_Slug": is 1 to 64 lowercase letters'],
      [['onboard', 'refused-a', '--name', 'x', '--kind', 'department', '--types', 'DriverLicence'], {}, '--types "DriverLicence": is not a credential type'],
      [['onboard', 'refused-b', '--name', 'x', '--kind', 'agency', '--types', 'SeoulCitizenCard'], {}, '--kind is required: department, employer or app'],
      [['onboard', 'refused-h', '--name', 'x', '--kind', 'app', '--types', 'SeoulCitizenCard'], {}, '--types "SeoulCitizenCard": is a catalogue type'],
      [['onboard', 'refused-i', '--name', 'x', '--kind', 'app', '--types', 'Bad Type'], {}, '--types "Bad Type": is not a type name'],
      [['onboard', 'refused-c', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard', '--accredited-by', 'labour-office'], {}, '--accredited-by "labour-office": is for employers'],
      [['onboard', 'refused-d', '--name', 'x', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'nobody', '--business-number', '123-45-67891'], {}, '--accredited-by "nobody": names no tenant'],
      [['onboard', 'refused-k', '--name', 'x', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'labour-office'], {}, '--business-number is required for an employer'],
      [['onboard', 'refused-l', '--name', 'x', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'labour-office', '--business-number', '123-45-67890'], {}, '--business-number "123-45-67890": The business registration number has a check digit that does not match'],
      [['onboard', 'refused-m', '--name', 'x', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'labour-office', '--business-number', '12-345-67891'], {}, '(format)'],
      [['onboard', 'refused-n', '--name', 'x', '--kind', 'department', '--types', 'IncomeBracket', '--business-number', '123-45-67891'], {}, '--business-number "123-45-67891": is for employers only'],
      [['onboard', 'refused-e', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard'], { cityRootKey: undefined }, 'set CITY_ROOT_KEY'],
      [['onboard', 'refused-f', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard'], { cityRootKey: Wallet.createRandom().privateKey }, "but the IssuerRegistry's root is"],
      [['onboard', 'refused-g', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard'], { keyEncryptionSecret: undefined }, 'set KEY_ENCRYPTION_SECRET'],
      [['onboard', 'refused-h', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard', '--valid-until', '2001-01-01'], {}, "--valid-until \"2001-01-01\": must lie after the chain's latest block time"],
      [['onboard', 'refused-i', '--name', 'x', '--kind', 'department', '--types', 'SeoulCitizenCard', '--valid-until', 'tomorrow'], {}, '--valid-until must be YYYY-MM-DD'],
    ];
    for (const [args, overrides, message] of refusals) {
      const { code, err } = await run(args, overrides);
      expect(code, args.join(' ')).toBe(1);
      expect(err, args.join(' ')).toContain(message);
      expect(await tenantRow(args[1]!), args.join(' ')).toBeNull();
    }
    // An employer of a department the root never delegated the type to.
    expect((await onboardDepartment('plain-office', '--types', 'IncomeBracket')).code).toBe(0);
    const refused = await run(['onboard', 'refused-j', '--name', 'x', '--kind', 'employer', '--types', 'LaborContract', '--accredited-by', 'plain-office', '--business-number', '123-45-67891']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('plain-office may not accredit employers for LaborContract');
    expect(await tenantRow('refused-j')).toBeNull();
    // A slug taken.
    const again = await onboardDepartment('plain-office', '--types', 'IncomeBracket');
    expect(again.code).toBe(1);
    expect(again.err).toContain('there is already a tenant "plain-office"');
    // Misuse of the command line.
    for (const args of [[], ['launch'], ['onboard'], ['onboard', 'a', '--colour', 'red'], ['onboard', 'a', '--name'], ['list', 'extra'], ['revoke', 'a', '--types', 'X', '--types', 'Y']]) {
      expect((await run(args)).code, args.join(' ')).toBe(2);
    }
  });

  it('revokes a tenant for good: accrediting it again is refused until the root reinstates it, then starts a new window', async () => {
    expect((await onboardDepartment('revoked-office', '--types', 'YouthAllowanceEligibility')).code).toBe(0);
    const office = (await tenantRow('revoked-office'))!;
    const type = credentialTypeHash('YouthAllowanceEligibility');
    const now = async () => BigInt((await provider.getBlock('latest'))!.timestamp);

    const revoked = await run(['revoke', 'revoked-office']);
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toContain('revoked revoked-office for YouthAllowanceEligibility');
    expect(await registry.isAccredited(office.address, type, await now())).toBe(false);
    expect((await run(['revoke', 'revoked-office'])).out).toContain('has no live window for YouthAllowanceEligibility');

    const refused = await run(['accredit', 'revoked-office']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('IssuerIsSuspended');
    expect(await registry.windowCount(office.address, type)).toBe(1n);

    expect((await run(['reinstate', 'revoked-office'])).out).toContain('reinstated revoked-office for YouthAllowanceEligibility');
    const accredited = await run(['accredit', 'revoked-office']);
    expect(accredited.code, accredited.err).toBe(0);
    expect(await registry.windowCount(office.address, type)).toBe(2n);
    expect(await registry.isAccredited(office.address, type, await now())).toBe(true);
  });

  it('lists the tenants with what the registry says of them at the chain\'s present', async () => {
    expect((await onboardDepartment('listed-office', '--types', 'SocialInsuranceEnrollment')).code).toBe(0);
    expect((await run(['revoke', 'listed-office'])).code).toBe(0);
    expect((await onboardDepartment('listed-live', '--types', 'SocialInsuranceEnrollment')).code).toBe(0);
    const { code, out } = await run(['list']);
    expect(code).toBe(0);
    const line = (slug: string) => out.split('\n').find((l) => l.startsWith(`${slug} `))!;
    expect(line('listed-office')).toMatch(/ -\s+SocialInsuranceEnrollment$/);
    expect(line('listed-live')).toMatch(/SocialInsuranceEnrollment\s+-$/);
  });

  it('revoking a type ends its anchorer registration; withdraw-anchorers ends one a change outside the CLI left, and says when it cannot', async () => {
    expect((await onboardDepartment('anchoring-office', '--types', 'EnrollmentStatus,IncomeBracket')).code).toBe(0);
    const office = (await tenantRow('anchoring-office'))!;
    await fund(office.address);
    const newRoot = (): Hex32 => buildMerkleTree([keccak256(toUtf8Bytes(Wallet.createRandom().address)) as Hex32]).root;
    const anchors = credentialAnchorAt(deployment.credentialAnchor, provider);
    /** What `anchor(type, …)` sent by the office's key would do now: `anchors`, or the contract's error. */
    const anchorFromOffice = (type: string) =>
      anchors.anchor.staticCall(credentialTypeHash(type), newRoot(), 1, { from: office.address }).then(
        () => 'anchors',
        (error: { data?: string }) => anchors.interface.parseError(error.data ?? '0x')?.name,
      );
    // The office's key registers and anchors for both types, as the anchoring worker would.
    const workspace = await openTenantWorkspace({ database: location, keyEncryptionSecret: context.keyEncryptionSecret!, rpcUrl: chain.rpcUrl, didNetwork: 'citycred', deployment, clock });
    try {
      const signer = await workspace.directory.signerFor(office, workspace.provider);
      for (const credentialType of office.credentialTypes) await new CityChain(workspace.provider, deployment).anchorRoot(signer, { issuer: office.address, credentialType, root: newRoot(), leafCount: 1 });
    } finally {
      await workspace.close();
    }

    const revoked = await run(['revoke', 'anchoring-office', '--types', 'IncomeBracket']);
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toMatch(new RegExp(`ended the anchorer registration of ${office.address} for IncomeBracket \\(withdrawAnchorer in tx 0x[0-9a-f]{64}\\)`));
    expect(await anchorFromOffice('IncomeBracket')).toBe('NotAnchorer');
    expect(await anchorFromOffice('EnrollmentStatus')).toBe('anchors');

    // The root revokes EnrollmentStatus with a transaction of its own: the registration outlives it.
    await (await issuerRegistryAt(deployment.issuerRegistry, root).revokeAccreditation(office.address, credentialTypeHash('EnrollmentStatus'), 0)).wait();
    expect(await anchorFromOffice('EnrollmentStatus')).toBe('anchors');
    // The office's key pays for the withdrawal: without funds it fails, and the command says so.
    await provider.send('anvil_setBalance', [office.address, '0x0']);
    const unpaid = await run(['withdraw-anchorers', 'anchoring-office']);
    expect(unpaid.code).toBe(1);
    expect(unpaid.err).toContain(`could not end the anchorer registration of ${office.address} for EnrollmentStatus (the account sending it cannot pay the gas: fund it)`);
    expect(unpaid.err).toContain('"tenants withdraw-anchorers anchoring-office" retries');
    await fund(office.address);
    const swept = await run(['withdraw-anchorers', 'anchoring-office']);
    expect(swept.code, swept.err).toBe(0);
    expect(swept.out).toContain(`ended the anchorer registration of ${office.address} for EnrollmentStatus`);
    expect(await anchorFromOffice('EnrollmentStatus')).toBe('NotAnchorer');
    expect(await run(['withdraw-anchorers', 'anchoring-office'])).toMatchObject({ code: 0, out: 'anchoring-office has no anchorer registration that outlived its right: nothing to withdraw' });

    const audit = await dataSource.getRepository(AuditEntryEntity).find({ where: { tenantId: office.id }, order: { seq: 'ASC' } });
    expect(audit.map((e) => [e.action, e.actorKind, e.actorId, JSON.parse(e.details).anchorersWithdrawn, JSON.parse(e.details).anchorersNotWithdrawn])).toEqual([
      ['tenant.created', 'platform', 'cli', undefined, undefined],
      ['tenant.accreditation-revoked', 'platform', 'cli', 'IncomeBracket', ''],
      ['tenant.anchorers-withdrawn', 'platform', 'cli', '', 'EnrollmentStatus'],
      ['tenant.anchorers-withdrawn', 'platform', 'cli', 'EnrollmentStatus', ''],
    ]);
    expect(await run(['withdraw-anchorers', 'no-such-office'])).toMatchObject({ code: 1, err: 'there is no tenant "no-such-office" ("tenants list" shows them)' });
    for (const args of [['withdraw-anchorers'], ['withdraw-anchorers', 'a', 'b'], ['withdraw-anchorers', 'a', '--types', 'X']]) expect((await run(args)).code, args.join(' ')).toBe(2);
  });
});
