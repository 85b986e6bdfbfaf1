import { randomBytes } from 'node:crypto';
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
import { createChainProvider, createIssuerAgent, didRegistryAt, ethrNetwork, LOCAL_KMS, unlockPrivateKeys, type EthrNetwork, type IssuerAgent } from '@citycred/did';
import { AppError } from '@citycred/errors';
import { ApiKeyEntity, AuditEntryEntity, createIssuerDataSource, openDatabase, TenantEntity } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { computeAddress, JsonRpcProvider, keccak256, parseEther, toBeHex, toUtf8Bytes, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from './audit-log.js';
import type { AdminActor } from './admin-actor.js';
import { TenantAdministration, type TenantAdministrationOptions } from './tenant-administration.js';
import { TenantDirectory } from './tenant-directory.js';

/**
 * The tenant administration (shared by the issuer's admin API and the `tenants` CLI) on a real issuer database
 * (SQLite, or PostgreSQL with DATABASE_URL), a real local chain with the city's contracts and the real key manager:
 * what it writes, what it refuses before writing anything, and how an interrupted onboarding completes. Each case
 * onboards tenants of its own.
 */
describe('TenantAdministration', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  const by: AdminActor = { actor: { kind: 'operator', id: 'city/admin' } };
  let city: LocalCity;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  let root: Wallet;
  let deployment: CityDeployment;
  let registry: IssuerRegistryContract;
  let deploymentsDir: string;
  let db: TestDatabase;
  let dataSource: DataSource;
  let network: EthrNetwork;
  let agent: IssuerAgent;
  let directory: TenantDirectory;
  let options: TenantAdministrationOptions;
  let admin: TenantAdministration;

  beforeAll(async () => {
    city = await startLocalCity();
    ({ chain, provider, root, deployment, deploymentsDir } = city);
    registry = issuerRegistryAt(deployment.issuerRegistry, provider);
    db = testDatabase('tenant_administration');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    const secret = randomBytes(32).toString('hex');
    await unlockPrivateKeys(dataSource, secret);
    network = ethrNetwork({ name: 'citycred', chainId: deployment.chainId, rpcUrl: chain.rpcUrl, registry: deployment.didRegistry, provider: createChainProvider(chain.rpcUrl, deployment.chainId) });
    agent = createIssuerAgent({ dataSource, keyEncryptionSecret: secret, network });
    directory = new TenantDirectory(dataSource, agent, network, clock);
    options = { dataSource, directory, provider: network.provider, deployment, audit: new AuditLog(dataSource, clock), clock, rootKey: root.privateKey, fundNewTenants: true };
    admin = new TenantAdministration(options);
  });

  afterAll(async () => {
    network?.provider.destroy();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
    await city?.stop();
  });

  const row = (slug: string) => dataSource.getRepository(TenantEntity).findOneBy({ slug });
  const chainNow = async () => BigInt((await provider.getBlock('latest'))!.timestamp);
  const accreditedNow = async (address: string, type: string) => registry.isAccredited(address, credentialTypeHash(type), await chainNow());
  const auditOf = (tenantId: string) => dataSource.getRepository(AuditEntryEntity).find({ where: { tenantId }, order: { seq: 'ASC' } });
  /** The details of the tenant's latest audit entry with this action. */
  const detailsOf = async (tenantId: string, action: string) => JSON.parse((await auditOf(tenantId)).filter((e) => e.action === action).at(-1)!.details) as Record<string, unknown>;
  const newRoot = (): Hex32 => buildMerkleTree([keccak256(toUtf8Bytes(Wallet.createRandom().address)) as Hex32]).root;
  /** Anchors one batch of `type` in the tenant's name from its current key (registering the key first), as the worker does. */
  const anchorAs = async (tenant: TenantEntity, type: string) =>
    new CityChain(provider, deployment).anchorRoot(await directory.signerFor(tenant, provider), { issuer: tenant.address, credentialType: type, root: newRoot(), leafCount: 1 });
  /**
   * What `anchor(type, root, 1)` sent by `key` would do now, asked with eth_call from its address (the key itself may
   * be deleted): `anchors`, or the name of the contract's custom error.
   */
  const anchorFrom = async (key: string, type: string) => {
    const anchors = credentialAnchorAt(deployment.credentialAnchor, provider);
    return anchors.anchor.staticCall(credentialTypeHash(type), newRoot(), 1, { from: key }).then(
      () => 'anchors',
      (error: { data?: string }) => anchors.interface.parseError(error.data ?? '0x')?.name,
    );
  };
  /** The error `promise` rejects with, for its code and extensions. */
  const refusal = async (promise: Promise<unknown>): Promise<AppError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  };

  it('onboards a department: funded, accredited from the chain\'s present, then its row, first API key and audit entry in one go', async () => {
    const home = (await admin.onboard({ slug: 'city-hall', name: '서울특별시청', kind: 'department', types: ['SeoulCitizenCard'] }, { actor: { kind: 'platform', id: 'cli' } })).tenant;
    const made = await admin.onboard(
      { slug: 'mapo-office', name: '마포구청 민원여권과', nameEn: 'Mapo-gu Civil Affairs', kind: 'department', types: ['SeoulCitizenCard', 'IncomeBracket'], mayAccredit: ['LaborContract'] },
      { actor: { kind: 'operator', id: 'city-hall/admin' }, home: { tenantId: home.id, actor: { kind: 'operator', id: 'admin' } } },
    );
    expect(made).toMatchObject({ funded: true, resumed: false, delegated: ['LaborContract'], accreditation: { types: ['SeoulCitizenCard', 'IncomeBracket'], accreditedBy: null } });
    expect(await row('mapo-office')).toMatchObject({ name: '마포구청 민원여권과', nameEn: 'Mapo-gu Civil Affairs', kind: 'department', credentialTypes: ['SeoulCitizenCard', 'IncomeBracket'] });
    expect(await accreditedNow(made.tenant.address, 'IncomeBracket')).toBe(true);
    expect(await registry.canAccredit(made.tenant.address, credentialTypeHash('LaborContract'))).toBe(true);
    const window = await registry.windowAt(made.tenant.address, credentialTypeHash('SeoulCitizenCard'), 0);
    expect(new Date(Number(window.validFrom) * 1000).toISOString()).toBe(made.accreditation!.validFrom);
    expect(window.validUntil - window.validFrom).toBe(365n * 86_400n);
    expect(await provider.getBalance(made.tenant.address)).toBeGreaterThan(0n);
    expect((await directory.authenticate(made.apiKey))?.id).toBe(made.tenant.id);

    const [created] = await auditOf(made.tenant.id);
    expect(created).toMatchObject({ seq: 1, action: 'tenant.created', actorKind: 'operator', actorId: 'city-hall/admin', target: 'mapo-office' });
    expect(JSON.parse(created!.details)).toMatchObject({ kind: 'department', types: 'SeoulCitizenCard,IncomeBracket', accreditedBy: 'city-root', txHash: made.accreditation!.txHash, apiKeyPrefix: made.apiKey.slice(0, 12) });
    expect((await auditOf(home.id)).map((e) => [e.action, e.actorId, e.target])).toEqual([
      ['tenant.created', 'cli', 'city-hall'],
      ['tenant.created', 'admin', 'mapo-office'],
    ]);

    const overview = await admin.overview('mapo-office');
    expect(overview.accreditation).toMatchObject({ state: 'accredited', accredited: ['SeoulCitizenCard', 'IncomeBracket'], notAccredited: [], suspended: [] });
  });

  it('refuses what it cannot do with a stable code, before it creates anything', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => admin.onboard({ slug: 'Bad_Slug', name: 'x', kind: 'department', types: ['SeoulCitizenCard'] }, by), 'tenant.invalid'],
      [() => admin.onboard({ slug: 'refused-a', name: 'x', kind: 'department', types: ['DriverLicence'] }, by), 'credential.unknown-type'],
      [() => admin.onboard({ slug: 'refused-b', name: 'x', kind: 'department', types: ['LaborContract'] }, by), 'tenant.invalid'],
      [() => admin.onboard({ slug: 'refused-c', name: 'x', kind: 'app', types: ['SeoulCitizenCard'] }, by), 'tenant.invalid'],
      [() => admin.onboard({ slug: 'refused-d', name: 'x<script>', kind: 'department', types: ['SeoulCitizenCard'] }, by), 'tenant.invalid'],
      [() => admin.onboard({ slug: 'refused-e', name: 'x', kind: 'employer', types: ['LaborContract'], businessNumber: '123-45-67891', accreditedBy: 'nobody' }, by), 'tenant.invalid'],
      [() => admin.onboard({ slug: 'refused-f', name: 'x', kind: 'department', types: ['SeoulCitizenCard'], validUntil: 1n }, by), 'tenant.invalid'],
      [() => new TenantAdministration({ ...options, rootKey: undefined }).onboard({ slug: 'refused-g', name: 'x', kind: 'department', types: ['SeoulCitizenCard'] }, by), 'tenant.root-key-unavailable'],
      [() => new TenantAdministration({ ...options, rootKey: Wallet.createRandom().privateKey }).onboard({ slug: 'refused-h', name: 'x', kind: 'app', types: ['VerifiableCredential'] }, by), 'tenant.root-key-unavailable'],
    ];
    for (const [attempt, code] of cases) expect((await refusal(attempt())).code).toBe(code);
    const unknown = await refusal(admin.onboard({ slug: 'refused-a', name: 'x', kind: 'department', types: ['DriverLicence'] }, by));
    expect(unknown.status).toBe(400);
    expect(unknown.extensions['errors']).toEqual([{ pointer: '/types/0', message: expect.stringContaining('is not a credential type') }]);
    expect(unknown.message).not.toContain('DriverLicence');

    // An employer of a department the root never delegated the type to; a slug taken.
    await admin.onboard({ slug: 'plain-office', name: 'x', kind: 'department', types: ['EnrollmentStatus'] }, by);
    const notDelegated = await refusal(admin.onboard({ slug: 'refused-i', name: 'x', kind: 'employer', types: ['LaborContract'], businessNumber: '123-45-67891', accreditedBy: 'plain-office' }, by));
    expect([notDelegated.code, notDelegated.status, notDelegated.extensions['refusal']]).toEqual(['tenant.accreditation-refused', 409, 'AccreditorNotAuthorized']);
    const taken = await refusal(admin.onboard({ slug: 'plain-office', name: 'x', kind: 'department', types: ['EnrollmentStatus'] }, by));
    expect([taken.code, taken.status]).toEqual(['tenant.slug-taken', 409]);

    for (const slug of ['refused-a', 'refused-b', 'refused-c', 'refused-d', 'refused-e', 'refused-f', 'refused-g', 'refused-h', 'refused-i']) {
      expect(await row(slug), slug).toBeNull();
      // Not even an identity was prepared: every check ran before the key was made.
      expect(await directory.prepareIdentity(slug).then((identity) => identity.created), slug).toBe(true);
    }
  });

  it('a department that only accredits employers onboards one itself after checking its business registration number', async () => {
    const labor = await admin.onboard({ slug: 'standards-office', name: '근로개선지도과', kind: 'department', types: [], mayAccredit: ['LaborContract', 'WorkExperience'] }, by);
    expect(labor).toMatchObject({ accreditation: null, delegated: ['LaborContract', 'WorkExperience'], tenant: { credentialTypes: [], businessNumber: null } });
    expect(await admin.delegatedTypes('standards-office')).toEqual(['LaborContract', 'WorkExperience']);
    const noneOfItsOwn = await refusal(admin.onboard({ slug: 'refused-types', name: 'x', kind: 'department', types: [] }, by));
    expect([noneOfItsOwn.code, noneOfItsOwn.extensions['errors']]).toEqual(['tenant.invalid', [{ pointer: '/types', message: 'needs at least one credential type' }]]);

    const actor: AdminActor = { actor: { kind: 'operator', id: 'standards-office/admin' }, home: { tenantId: labor.tenant.id, actor: { kind: 'operator', id: 'admin' } } };
    const badChecksum = await refusal(admin.onboardEmployer('standards-office', { slug: 'refused-cafe', name: 'x', businessNumber: '123-45-67890' }, actor));
    expect([badChecksum.code, badChecksum.status, badChecksum.extensions['reason']]).toEqual(['tenant.business-number-invalid', 400, 'checksum']);
    const badFormat = await refusal(admin.onboardEmployer('standards-office', { slug: 'refused-cafe', name: 'x', businessNumber: '1234-5-67891' }, actor));
    expect(badFormat.extensions['reason']).toBe('format');
    const notDelegated = await refusal(admin.onboardEmployer('plain-office', { slug: 'refused-cafe', name: 'x', businessNumber: '123-45-67891' }, actor));
    expect([notDelegated.code, notDelegated.extensions['refusal']]).toEqual(['tenant.accreditation-refused', 'AccreditorNotAuthorized']);
    const notSubset = await refusal(admin.onboardEmployer('mapo-office', { slug: 'refused-cafe', name: 'x', businessNumber: '123-45-67891', types: ['WorkExperience'] }, actor));
    expect(notSubset.code).toBe('tenant.accreditation-refused');
    expect(await row('refused-cafe')).toBeNull();

    const made = await admin.onboardEmployer('standards-office', { slug: 'sangam-deli', name: '상암 델리', businessNumber: '2208111115' }, actor);
    expect(made.accreditation).toMatchObject({ types: ['LaborContract', 'WorkExperience'], accreditedBy: 'standards-office' });
    expect(await row('sangam-deli')).toMatchObject({ kind: 'employer', businessNumber: '220-81-11115', credentialTypes: ['LaborContract', 'WorkExperience'] });
    const window = await registry.windowAt(made.tenant.address, credentialTypeHash('LaborContract'), 0);
    expect([window.accreditor, window.byRoot]).toEqual([labor.tenant.address, false]);
    expect(await detailsOf(made.tenant.id, 'tenant.created')).toMatchObject({ accreditedBy: 'standards-office', businessNumber: '220-81-11115' });

    const employers = await admin.employersOf('standards-office');
    expect(employers.map((e) => [e.slug, e.businessNumber, e.accreditedBy, e.accreditation.state])).toEqual([['sangam-deli', '220-81-11115', 'standards-office', 'accredited']]);
    expect(await admin.employersOf('mapo-office')).toEqual([]);
    expect(await admin.employersOf('sangam-deli'), 'an employer accredits nobody').toEqual([]);
    expect(await admin.overview('standards-office')).toMatchObject({ mayAccredit: ['LaborContract', 'WorkExperience'], businessNumber: null, accreditedBy: null });
    expect(await admin.overview('sangam-deli')).toMatchObject({ businessNumber: '220-81-11115', accreditedBy: 'standards-office', mayAccredit: [] });
  });

  it('answers a chain that does not answer with service.unavailable, and writes nothing', async () => {
    const down = createChainProvider('http://127.0.0.1:9', deployment.chainId);
    try {
      const offline = new TenantAdministration({ ...options, provider: down });
      const keysBefore = await dataSource.getRepository(ApiKeyEntity).count();
      const error = await refusal(offline.onboard({ slug: 'offline-office', name: 'x', kind: 'department', types: ['SeoulCitizenCard'] }, by));
      expect([error.code, error.status, error.message]).toEqual(['service.unavailable', 503, 'Not answering: chain']);
      expect(await row('offline-office')).toBeNull();
      expect(await dataSource.getRepository(ApiKeyEntity).count()).toBe(keysBefore);
      expect((await refusal(offline.list())).code).toBe('service.unavailable');
    } finally {
      down.destroy();
    }
  });

  it('completes an onboarding interrupted after the chain accredited it, without accrediting it twice', async () => {
    // What a crash between the accreditation and the database transaction leaves: a prepared identity, accredited.
    const identity = await directory.prepareIdentity('resumed-office');
    await provider.send('anvil_setBalance', [identity.address, toBeHex(parseEther('10'))]);
    await (await issuerRegistryAt(deployment.issuerRegistry, root).accreditIssuer(identity.address, [credentialTypeHash('EnrollmentStatus')], await chainNow(), (await chainNow()) + 86_400n)).wait();
    expect(await row('resumed-office')).toBeNull();

    const made = await admin.onboard({ slug: 'resumed-office', name: 'x', kind: 'department', types: ['EnrollmentStatus'] }, by);
    expect(made).toMatchObject({ resumed: true, accreditation: null, tenant: { did: identity.did, address: identity.address } });
    expect(await registry.windowCount(identity.address, credentialTypeHash('EnrollmentStatus'))).toBe(1n);
    expect((await directory.authenticate(made.apiKey))?.slug).toBe('resumed-office');
  });

  it('sets a tenant\'s types and its accreditation to match; a dropped type comes back only when reinstated', async () => {
    const { tenant } = await admin.onboard({ slug: 'types-office', name: 'x', kind: 'department', types: ['EnrollmentStatus'] }, by);
    const added = await admin.setTypes('types-office', { types: ['EnrollmentStatus', 'YouthAllowanceEligibility'] }, by);
    expect(added).toMatchObject({ unchanged: ['EnrollmentStatus'], revoked: [], accredited: { types: ['YouthAllowanceEligibility'] } });
    expect(await accreditedNow(tenant.address, 'YouthAllowanceEligibility')).toBe(true);

    const dropped = await admin.setTypes('types-office', { types: ['YouthAllowanceEligibility'] }, by);
    expect(dropped).toMatchObject({ revoked: ['EnrollmentStatus'], accredited: null, tenant: { credentialTypes: ['YouthAllowanceEligibility'] } });
    expect(await accreditedNow(tenant.address, 'EnrollmentStatus')).toBe(false);
    expect((await row('types-office'))!.credentialTypes).toEqual(['YouthAllowanceEligibility']);

    // The root's revocation left a suspension: adding the type again is refused until asked to reinstate, and nothing changes.
    const suspended = await refusal(admin.setTypes('types-office', { types: ['YouthAllowanceEligibility', 'EnrollmentStatus'] }, by));
    expect([suspended.code, suspended.extensions['refusal']]).toEqual(['tenant.accreditation-refused', 'IssuerIsSuspended']);
    expect((await row('types-office'))!.credentialTypes).toEqual(['YouthAllowanceEligibility']);
    const back = await admin.setTypes('types-office', { types: ['YouthAllowanceEligibility', 'EnrollmentStatus'], reinstate: true }, by);
    expect(back).toMatchObject({ reinstated: ['EnrollmentStatus'], accredited: { types: ['EnrollmentStatus'] } });
    expect(await accreditedNow(tenant.address, 'EnrollmentStatus')).toBe(true);

    // The same request again changes nothing and records nothing.
    const entries = (await auditOf(tenant.id)).length;
    expect(await admin.setTypes('types-office', { types: ['YouthAllowanceEligibility', 'EnrollmentStatus'] }, by)).toMatchObject({ accredited: null, revoked: [], reinstated: [] });
    expect((await auditOf(tenant.id)).map((e) => e.action)).toEqual(['tenant.created', 'tenant.types-changed', 'tenant.types-changed', 'tenant.types-changed']);
    expect((await auditOf(tenant.id)).length).toBe(entries);
  });

  it('revokes an API key only of the tenant named, from the next authentication on', async () => {
    const a = await admin.onboard({ slug: 'keys-a', name: 'x', kind: 'department', types: ['IncomeBracket'] }, by);
    const b = await admin.onboard({ slug: 'keys-b', name: 'x', kind: 'department', types: ['IncomeBracket'] }, by);
    const issued = await admin.issueApiKey('keys-a', 'second', by);
    expect((await directory.authenticate(issued.apiKey))?.slug).toBe('keys-a');
    expect((await refusal(admin.revokeApiKey('keys-b', issued.key.id, by))).code).toBe('tenant.api-key-not-found');
    expect((await directory.authenticate(issued.apiKey))?.slug).toBe('keys-a');
    expect(await admin.revokeApiKey('keys-a', issued.key.id, by)).toMatchObject({ wasLive: true, key: { prefix: issued.key.prefix, label: 'second' } });
    expect(await directory.authenticate(issued.apiKey)).toBeNull();
    expect((await directory.authenticate(b.apiKey))?.slug).toBe('keys-b');
    expect((await auditOf(a.tenant.id)).map((e) => e.action)).toEqual(['tenant.created', 'api-key.issued', 'api-key.revoked']);
    expect((await refusal(admin.issueApiKey('keys-a', '\u0007', by))).code).toBe('tenant.invalid');
  });

  it('ends the anchorer registrations whose right a type removal, a revocation or a rotation ended: the old key anchors no more, the new key does', async () => {
    const { tenant } = await admin.onboard({ slug: 'anchoring-office', name: 'x', kind: 'department', types: ['EnrollmentStatus', 'IncomeBracket', 'YouthAllowanceEligibility'] }, by);
    const oldKey = tenant.address;
    for (const type of tenant.credentialTypes) await anchorAs(tenant, type);
    for (const type of tenant.credentialTypes) expect(await anchorFrom(oldKey, type), type).toBe('anchors');

    // A type dropped: revoked by the root, then the key's registration for it withdrawn (by the root's account).
    const dropped = await admin.setTypes('anchoring-office', { types: ['EnrollmentStatus', 'YouthAllowanceEligibility'] }, by);
    expect(dropped.anchorers).toEqual({ withdrawn: [{ anchorer: oldKey, type: 'IncomeBracket', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) }], failed: [] });
    expect(await anchorFrom(oldKey, 'IncomeBracket')).toBe('NotAnchorer');
    expect(await anchorFrom(oldKey, 'EnrollmentStatus')).toBe('anchors');
    expect(await detailsOf(tenant.id, 'tenant.types-changed')).toMatchObject({ dropped: 'IncomeBracket', anchorersWithdrawn: 'IncomeBracket', anchorersNotWithdrawn: '' });

    // A type revoked (as `tenants revoke` does).
    const revoked = await admin.revoke('anchoring-office', { types: ['YouthAllowanceEligibility'] }, by);
    expect(revoked.anchorers).toEqual({ withdrawn: [{ anchorer: oldKey, type: 'YouthAllowanceEligibility', txHash: expect.stringMatching(/^0x/) }], failed: [] });
    expect(await anchorFrom(oldKey, 'YouthAllowanceEligibility')).toBe('NotAnchorer');
    expect(await detailsOf(tenant.id, 'tenant.accreditation-revoked')).toMatchObject({ types: 'YouthAllowanceEligibility', anchorersWithdrawn: 'YouthAllowanceEligibility' });

    // A rotation: the old key's registrations for every type the tenant has, withdrawn from the new key.
    const rotated = await admin.rotateKey('anchoring-office', {}, by);
    expect(rotated.anchorers).toEqual({ withdrawn: [{ anchorer: oldKey, type: 'EnrollmentStatus', txHash: expect.stringMatching(/^0x/) }], failed: [] });
    expect((await provider.getTransaction(rotated.anchorers.withdrawn[0]!.txHash))?.from).toBe(rotated.newOwner);
    expect(await anchorFrom(oldKey, 'EnrollmentStatus')).toBe('NotAnchorer');
    expect(await detailsOf(tenant.id, 'key.rotated')).toMatchObject({ previousOwner: oldKey, anchorersWithdrawn: 'EnrollmentStatus', anchorersNotWithdrawn: '' });
    expect(await anchorFrom(rotated.newOwner, 'EnrollmentStatus')).toBe('NotAnchorer');
    await anchorAs(tenant, 'EnrollmentStatus');
    expect(await anchorFrom(rotated.newOwner, 'EnrollmentStatus')).toBe('anchors');

    // Nothing outlived its right: the sweep finds nothing to withdraw and records nothing.
    const entries = (await auditOf(tenant.id)).length;
    expect((await admin.withdrawAnchorers('anchoring-office', by)).anchorers).toEqual({ withdrawn: [], failed: [] });
    expect((await auditOf(tenant.id)).length).toBe(entries);
  });

  it('keeps a rotation whose withdrawal failed, says so in the answer and the audit entry, and ends the registration when retried', async () => {
    const { tenant } = await admin.onboard({ slug: 'unfunded-office', name: 'x', kind: 'department', types: ['EnrollmentStatus'] }, by);
    await anchorAs(tenant, 'EnrollmentStatus');
    // A rotation interrupted after its changeOwner was mined (the chain names a key prepared here), with the old key's
    // account emptied meanwhile: the new key gets nothing to pay the withdrawal with.
    const prepared = await agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256k1', meta: { rotationOf: tenant.did } });
    const preparedAddress = computeAddress(`0x${prepared.publicKeyHex}`);
    await (await didRegistryAt(deployment.didRegistry, await directory.signerFor(tenant, provider)).changeOwner(tenant.address, preparedAddress)).wait();
    await provider.send('anvil_setBalance', [tenant.address, '0x0']);

    const rotated = await admin.rotateKey('unfunded-office', {}, by);
    expect(rotated).toMatchObject({ newOwner: preparedAddress, transaction: null, anchorers: { withdrawn: [], failed: [{ anchorer: tenant.address, type: 'EnrollmentStatus', reason: 'insufficient-funds' }] } });
    expect(await (await directory.signerFor(tenant, provider)).getAddress()).toBe(preparedAddress);
    expect(await detailsOf(tenant.id, 'key.rotated')).toMatchObject({ newOwner: preparedAddress, anchorersWithdrawn: '', anchorersNotWithdrawn: 'EnrollmentStatus' });
    expect(await anchorFrom(tenant.address, 'EnrollmentStatus')).toBe('anchors');

    // Still unpaid: the retry fails the same way and says so.
    const unpaid = await admin.withdrawAnchorers('unfunded-office', by);
    expect(unpaid.anchorers).toEqual({ withdrawn: [], failed: [{ anchorer: tenant.address, type: 'EnrollmentStatus', reason: 'insufficient-funds' }] });
    await provider.send('anvil_setBalance', [preparedAddress, toBeHex(parseEther('1'))]);
    const retried = await admin.withdrawAnchorers('unfunded-office', { actor: { kind: 'platform', id: 'cli' } });
    expect(retried.anchorers).toEqual({ withdrawn: [{ anchorer: tenant.address, type: 'EnrollmentStatus', txHash: expect.stringMatching(/^0x/) }], failed: [] });
    expect(await anchorFrom(tenant.address, 'EnrollmentStatus')).toBe('NotAnchorer');
    expect((await auditOf(tenant.id)).map((e) => [e.action, e.actorId]).slice(-3)).toEqual([
      ['key.rotated', 'city/admin'],
      ['tenant.anchorers-withdrawn', 'city/admin'],
      ['tenant.anchorers-withdrawn', 'cli'],
    ]);
    expect(await detailsOf(tenant.id, 'tenant.anchorers-withdrawn')).toEqual({ anchorersWithdrawn: 'EnrollmentStatus', anchorersNotWithdrawn: '' });
    // The new key registers and anchors.
    await anchorAs(tenant, 'EnrollmentStatus');
    expect(await anchorFrom(preparedAddress, 'EnrollmentStatus')).toBe('anchors');
    expect((await refusal(admin.withdrawAnchorers('no-such-office', by))).code).toBe('tenant.not-found');
  });
});
