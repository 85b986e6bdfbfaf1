import { credentialAnchorAt, credentialTypeHash, issuerRegistryAt } from '@citycred/anchors';
import { exampleSubject } from '@citycred/credentials';
import type { Clock } from '@citycred/config';
import { didRegistryAt } from '@citycred/did';
import { AuditEntryEntity } from '@citycred/persistence';
import { OperatorStore } from '@citycred/tenancy';
import { Contract, encodeBytes32String, keccak256, toUtf8Bytes, Wallet } from 'ethers';
import { EthereumDIDRegistry } from 'ethr-did-resolver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'admin api e2e password';
const CITY = 'seoul-citizen';
const OTHER = 'education-office';

/**
 * The console's admin API (docs/console.md#admin-api) through the real issuer, verifier, local chain and database
 * (SQLite, or PostgreSQL with DATABASE_URL): the city's administrators (the admins of CITY_ADMIN_TENANT) create
 * tenants whose keys issue credentials the verifier accepts, change what they are accredited for, rotate keys; any
 * tenant's admin manages its own key, delegates and API keys and nothing of another tenant; bad input and every other
 * role are refused with stable codes, writing nothing.
 */
describe('admin API', () => {
  let p: TestPlatform;
  /** Session cookies by operator: `city-*` of seoul-citizen (the city administration), `edu-*` of education-office. */
  const cookies = new Map<string, string>();
  let seq = 0;

  const url = (path: string) => `${p.issuer.url}/console/api${path}`;
  const call = (method: string, path: string, options: { cookie?: string | undefined; body?: unknown; csrf?: boolean; authorization?: string; raw?: string } = {}): Promise<Answer> =>
    send(url(path), {
      method,
      headers: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf === false || method === 'GET' ? {} : { 'x-citycred-console': '1' }),
        ...(options.authorization ? { authorization: options.authorization } : {}),
        ...(options.body === undefined && options.raw === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.raw !== undefined ? { body: options.raw } : options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  const as = (operator: string) => cookies.get(operator)!;
  /**
   * The services' clock follows the chain's: many transactions in a few seconds push anvil's block times ahead of the
   * wall clock, and an accreditation starts at the latest block's time.
   */
  let ahead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + ahead) };
  const catchUp = async () => {
    ahead = Math.max(ahead, Number((await p.provider.getBlock('latest'))!.timestamp) * 1000 + 1000 - Date.now());
  };
  const issue = async (apiKey: string, did: string, type: string, subject: unknown) => {
    await catchUp();
    return postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, subject), { authorization: `Bearer ${apiKey}` });
  };
  const verify = (verifiableCredential: unknown, options: Record<string, unknown> = {}) => postJson(`${p.verifier.url}/credentials/verify`, { verifiableCredential, options });
  const check = (answer: { body: any }, id: string) => answer.body?.checks?.find((c: { id: string }) => c.id === id);
  const chainNow = async () => BigInt((await p.provider.getBlock('latest'))!.timestamp);
  const accreditedOnChain = async (address: string, type: string) => issuerRegistryAt(p.deployment.issuerRegistry, p.provider).isAccredited(address, credentialTypeHash(type), await chainNow());
  /**
   * What `anchor(type, root, 1)` sent by `key` would do now on the CredentialAnchor, asked with eth_call from its
   * address (the key itself may be deleted): `anchors`, or the name of the contract's custom error.
   */
  const anchorFrom = async (key: string, type: string) => {
    const anchors = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
    return anchors.anchor.staticCall(credentialTypeHash(type), keccak256(toUtf8Bytes(Wallet.createRandom().address)), 1, { from: key }).then(
      () => 'anchors',
      (error: { data?: string }) => anchors.interface.parseError(error.data ?? '0x')?.name,
    );
  };
  const tenantRow = (slug: string) => p.issuer.runtime.tenants.findBySlug(slug);
  /** The tenant's audit log, oldest first: action, actor and target of each entry. */
  const auditOf = async (slug: string) => {
    const tenant = (await tenantRow(slug))!;
    const entries = await p.issuer.runtime.dataSource.getRepository(AuditEntryEntity).find({ where: { tenantId: tenant.id }, order: { seq: 'ASC' } });
    return entries.map((e) => ({ action: e.action, actor: e.actorId, target: e.target }));
  };

  /** A new department made through the admin API by the city administrator: its slug, DID, address and first API key. */
  async function newDepartment(types = ['SeoulCitizenCard'], extra: Record<string, unknown> = {}) {
    seq += 1;
    const slug = `admin-made-${seq}`;
    const created = await call('POST', '/admin/tenants', { cookie: as('city-admin'), body: { slug, name: `마포구 ${seq}`, nameEn: `Mapo-gu ${seq}`, kind: 'department', types, ...extra } });
    expect(created.status, created.text).toBe(201);
    return { slug, did: created.body.tenant.did as string, address: created.body.tenant.address as string, apiKey: created.body.apiKey as string, created };
  }

  beforeAll(async () => {
    p = await startTestPlatform('admin_api', { clock, issuerEnv: (city) => ({ CITY_ROOT_KEY: city.root.privateKey, CITY_ADMIN_TENANT: CITY, FUND_NEW_TENANTS: 'true' }) });
    const store = new OperatorStore(p.issuer.runtime.dataSource, p.issuer.runtime.clock);
    const operators: [string, string, 'admin' | 'issuer' | 'auditor'][] = [
      [CITY, 'city-admin', 'admin'],
      [CITY, 'city-issuer', 'issuer'],
      [CITY, 'city-auditor', 'auditor'],
      [OTHER, 'edu-admin', 'admin'],
      [OTHER, 'edu-issuer', 'issuer'],
    ];
    for (const [slug, username, role] of operators) {
      const tenant = (await tenantRow(slug))!;
      await store.create(tenant.id, { username, displayName: username, role, password: PASSWORD });
      const signedIn = await send(url('/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
        body: JSON.stringify({ tenant: slug, username, password: PASSWORD }),
      });
      expect(signedIn.status, signedIn.text).toBe(200);
      cookies.set(username, signedIn.headers.get('set-cookie')!.split(';')[0]!);
    }
  });
  afterAll(async () => p?.stop());

  it('a city administrator creates a tenant: accredited on chain, its first API key shown once issues credentials the verifier accepts', async () => {
    const { slug, did, address, apiKey, created } = await newDepartment();
    expect(created.cacheControl).toBe('no-store');
    expect(created.body).toMatchObject({
      tenant: { slug, name: `마포구 ${seq}`, nameEn: `Mapo-gu ${seq}`, kind: 'department', did: expect.stringMatching(/^did:ethr:citycred:0x/), types: ['SeoulCitizenCard'] },
      apiKey: expect.stringMatching(/^ccd_/),
      apiKeyInfo: { prefix: apiKey.slice(0, 12), label: 'onboarding', revokedAt: null },
      accreditation: { types: ['SeoulCitizenCard'], accreditedBy: null, txHash: expect.stringMatching(/^0x/) },
      resumed: false,
    });
    expect(await accreditedOnChain(address, 'SeoulCitizenCard')).toBe(true);

    // Its key issues at once (the issuer read the registry again after the change); the verifier accepts it once anchored.
    const issued = await issue(apiKey, did, 'SeoulCitizenCard', citizenCardSubject);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    await p.worker.runOnce();
    const verified = await verify(issued.body.verifiableCredential, { policy: 'city-strict' });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(check(verified, 'issuer-accreditation')?.status).toBe('passed');
    expect(check(verified, 'anchor')?.status).toBe('passed');

    const listed = await call('GET', '/admin/tenants', { cookie: as('city-admin') });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining([CITY, OTHER, 'hangang-cafe', slug]));
    expect(listed.body.items.find((t: { slug: string }) => t.slug === slug)).toMatchObject({ did, types: ['SeoulCitizenCard'], accreditation: { state: 'accredited', accredited: ['SeoulCitizenCard'], notAccredited: [] } });
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
    // Both audit logs record it: the new tenant's (by the administrator of the city tenant) and the city tenant's.
    expect((await auditOf(slug))[0]).toEqual({ action: 'tenant.created', actor: `${CITY}/city-admin`, target: slug });
    expect(await auditOf(CITY)).toContainEqual({ action: 'tenant.created', actor: 'city-admin', target: slug });
  });

  it('rotates a tenant\'s key: refused while credentials await anchoring; then what was anchored keeps verifying and the new key signs', async () => {
    const office = await newDepartment();
    const before = (await issue(office.apiKey, office.did, 'SeoulCitizenCard', citizenCardSubject)).body.verifiableCredential;
    const owner = () => didRegistryAt(p.deployment.didRegistry, p.provider).identityOwner(office.address);

    const early = await call('POST', `/admin/tenants/${office.slug}/rotate-key`, { cookie: as('city-admin') });
    expect([early.status, early.body.code]).toEqual([409, 'tenant.unanchored-credentials']);
    expect(await owner()).toBe(office.address);

    await p.worker.runOnce();
    expect(await anchorFrom(office.address, 'SeoulCitizenCard')).toBe('anchors');
    const rotated = await call('POST', `/admin/tenants/${office.slug}/rotate-key`, { cookie: as('city-admin'), body: {} });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body).toMatchObject({
      did: office.did,
      identity: office.address,
      previousOwner: office.address,
      transaction: { hash: expect.stringMatching(/^0x/) },
      // The old key's registration as the office's anchorer ends with the rotation: it can anchor nothing more.
      anchorers: { withdrawn: [{ anchorer: office.address, type: 'SeoulCitizenCard', txHash: expect.stringMatching(/^0x/) }], failed: [] },
    });
    expect(await owner()).toBe(rotated.body.newOwner);
    expect(rotated.body.newOwner).not.toBe(office.address);
    expect(await anchorFrom(office.address, 'SeoulCitizenCard')).toBe('NotAnchorer');

    const old = await verify(before, { policy: 'city-strict' });
    expect(old.status, JSON.stringify(old.body)).toBe(200);
    expect(check(old, 'signature')).toMatchObject({ status: 'passed', detail: expect.stringContaining(`${office.did}#controllerKey`) });

    const after = (await issue(office.apiKey, office.did, 'SeoulCitizenCard', citizenCardSubject)).body.verifiableCredential;
    await p.worker.runOnce();
    const fresh = await verify(after, { policy: 'city-strict' });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    // Signed by the new owner key, which the DID document lists as #controller (no longer the identity's own key).
    expect(check(fresh, 'signature')).toMatchObject({ status: 'passed', detail: expect.stringContaining(`${office.did}#controller,`) });
    expect(await auditOf(office.slug)).toContainEqual({ action: 'key.rotated', actor: `${CITY}/city-admin`, target: office.did });
  });

  it('changes a tenant\'s types on chain and in what its key may issue; a dropped type comes back only when reinstated', async () => {
    const office = await newDepartment(['EnrollmentStatus']);
    const put = (body: unknown) => call('PUT', `/admin/tenants/${office.slug}/accreditations`, { cookie: as('city-admin'), body });

    const added = await put({ types: ['EnrollmentStatus', 'IncomeBracket'] });
    expect(added.status, added.text).toBe(200);
    expect(added.body).toMatchObject({ types: ['EnrollmentStatus', 'IncomeBracket'], unchanged: ['EnrollmentStatus'], accredited: { types: ['IncomeBracket'] }, revoked: [] });
    expect((await issue(office.apiKey, office.did, 'IncomeBracket', exampleSubject('IncomeBracket'))).status).toBe(201);
    // The worker anchors the tenant's batches under its first type accredited now: its key registers for EnrollmentStatus.
    await p.worker.runOnce();
    expect(await anchorFrom(office.address, 'EnrollmentStatus')).toBe('anchors');

    const dropped = await put({ types: ['IncomeBracket'] });
    expect(dropped.body).toMatchObject({
      types: ['IncomeBracket'],
      revoked: ['EnrollmentStatus'],
      anchorers: { withdrawn: [{ anchorer: office.address, type: 'EnrollmentStatus', txHash: expect.stringMatching(/^0x/) }], failed: [] },
    });
    expect(await accreditedOnChain(office.address, 'EnrollmentStatus')).toBe(false);
    // The key's registration for the type dropped ended with it; the worker anchors under the type kept from now on.
    expect(await anchorFrom(office.address, 'EnrollmentStatus')).toBe('NotAnchorer');
    expect((await issue(office.apiKey, office.did, 'IncomeBracket', exampleSubject('IncomeBracket'))).status).toBe(201);
    await p.worker.runOnce();
    expect(await anchorFrom(office.address, 'IncomeBracket')).toBe('anchors');
    const refused = await issue(office.apiKey, office.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus'));
    expect([refused.status, refused.body.code]).toEqual([403, 'issuance.type-not-allowed']);

    const suspended = await put({ types: ['IncomeBracket', 'EnrollmentStatus'] });
    expect([suspended.status, suspended.body.code, suspended.body.refusal]).toEqual([409, 'tenant.accreditation-refused', 'IssuerIsSuspended']);
    expect((await tenantRow(office.slug))!.credentialTypes).toEqual(['IncomeBracket']);
    const reinstated = await put({ types: ['IncomeBracket', 'EnrollmentStatus'], reinstate: true });
    expect(reinstated.body).toMatchObject({ reinstated: ['EnrollmentStatus'], accredited: { types: ['EnrollmentStatus'] } });
    expect((await issue(office.apiKey, office.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus'))).status).toBe(201);
    expect((await auditOf(office.slug)).map((e) => e.action).filter((action) => action.startsWith('tenant.'))).toEqual(['tenant.created', 'tenant.types-changed', 'tenant.types-changed', 'tenant.types-changed']);
  });

  it('a tenant\'s own admin manages its delegates and API keys; a revoked key is refused from the next request', async () => {
    const tenant = p.tenants.get(OTHER)!;
    const delegate = Wallet.createRandom().address;
    const validDelegate = async () => (await new Contract(p.deployment.didRegistry, EthereumDIDRegistry.abi, p.provider).getFunction('validDelegate')(tenant.address, encodeBytes32String('veriKey'), delegate)) as boolean;
    const added = await call('POST', `/admin/tenants/${OTHER}/delegates`, { cookie: as('edu-admin'), body: { delegate: `did:ethr:citycred:${delegate}`, validDays: 30 } });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toMatchObject({ delegate, type: 'veriKey', validDays: 30, txHash: expect.stringMatching(/^0x/) });
    expect(await validDelegate()).toBe(true);
    const revoked = await call('POST', `/admin/tenants/${OTHER}/delegates/revoke`, { cookie: as('edu-admin'), body: { delegate } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(await validDelegate()).toBe(false);
    const own = await call('POST', `/admin/tenants/${OTHER}/delegates`, { cookie: as('edu-admin'), body: { delegate: tenant.address } });
    expect([own.status, own.body.code]).toEqual([400, 'tenant.invalid']);

    const made = await call('POST', `/admin/tenants/${OTHER}/api-keys`, { cookie: as('edu-admin'), body: { label: 'school system' } });
    expect(made.status, made.text).toBe(201);
    expect(made.cacheControl).toBe('no-store');
    const { apiKey, key } = made.body as { apiKey: string; key: { id: string; prefix: string } };
    expect((await issue(apiKey, tenant.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus'))).status).toBe(201);
    const keys = await call('GET', `/admin/tenants/${OTHER}/api-keys`, { cookie: as('edu-admin') });
    expect(keys.body.items).toContainEqual({ id: key.id, prefix: key.prefix, label: 'school system', createdAt: expect.any(String), revokedAt: null });
    expect(JSON.stringify(keys.body)).not.toContain(apiKey);
    const gone = await call('POST', `/admin/tenants/${OTHER}/api-keys/${key.id}/revoke`, { cookie: as('edu-admin') });
    expect(gone.body).toMatchObject({ revoked: true, wasLive: true, key: { id: key.id, revokedAt: expect.any(String) } });
    const refused = await issue(apiKey, tenant.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus'));
    expect([refused.status, refused.body.code]).toEqual([401, 'auth.invalid-api-key']);
    expect((await auditOf(OTHER)).map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['delegate.added', 'edu-admin'],
        ['delegate.revoked', 'edu-admin'],
        ['api-key.issued', 'edu-admin'],
        ['api-key.revoked', 'edu-admin'],
      ]),
    );
  });

  it('says at sign-in and in /me whether the operator is one of the city\'s administrators', async () => {
    for (const [operator, cityAdmin] of [['city-admin', true], ['city-issuer', false], ['city-auditor', false], ['edu-admin', false], ['edu-issuer', false]] as const) {
      const me = await call('GET', '/me', { cookie: as(operator) });
      expect([me.status, me.body.cityAdmin], operator).toEqual([200, cityAdmin]);
      expect(me.cacheControl).toBe('no-store');
    }
    for (const [slug, username, cityAdmin] of [[CITY, 'city-admin', true], [OTHER, 'edu-admin', false]] as const) {
      const signedIn = await send(url('/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
        body: JSON.stringify({ tenant: slug, username, password: PASSWORD }),
      });
      expect([signedIn.status, signedIn.body.cityAdmin]).toEqual([200, cityAdmin]);
    }
  });

  it('lists the catalogue types with the kind of tenant each is for, as creating a tenant decides it', async () => {
    const answer = await call('GET', '/admin/credential-types', { cookie: as('city-admin') });
    expect(answer.status).toBe(200);
    const items = answer.body.items as { type: string; labels: { ko: string; en: string }; kind: string }[];
    expect(items).toContainEqual({ type: 'SeoulCitizenCard', labels: { ko: '서울시민카드', en: 'Seoul Citizen Card' }, kind: 'department' });
    const departments = items.filter((item) => item.kind === 'department').map((item) => item.type);
    const employers = items.filter((item) => item.kind === 'employer').map((item) => item.type);
    expect(employers).toContain('LaborContract');
    // What the list offers a kind, creating a tenant of that kind accepts; another kind's type it refuses.
    const office = await newDepartment(departments);
    expect(office.created.body.tenant.types).toEqual(departments);
    const refused = await call('POST', '/admin/tenants', { cookie: as('city-admin'), body: { slug: 'wrong-kind-office', name: 'x', kind: 'department', types: [employers[0]] } });
    expect([refused.status, refused.body.code, refused.body.errors]).toEqual([400, 'tenant.invalid', [{ pointer: '/types/0', message: expect.any(String) }]]);
  });

  it('names a tenant in its OpenID4VCI issuer metadata in Korean and, when it has one, in English', async () => {
    const office = await newDepartment();
    const display = async (slug: string) => ((await (await fetch(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/${slug}`)).json()) as { display: unknown }).display;
    expect(await display(office.slug)).toEqual([
      { name: office.created.body.tenant.name, locale: 'ko-KR' },
      { name: office.created.body.tenant.nameEn, locale: 'en-US' },
    ]);
    // The demo tenants have both names too.
    expect(await display(OTHER)).toEqual([
      { name: '서울특별시교육청', locale: 'ko-KR' },
      { name: 'Seoul Metropolitan Office of Education', locale: 'en-US' },
    ]);
    // A tenant without an English name: its one name, in no language the city said.
    const plain = await newDepartment(['SeoulCitizenCard'], { nameEn: undefined });
    expect(await display(plain.slug)).toEqual([{ name: plain.created.body.tenant.name }]);
  });

  it('ends, when asked, an anchorer registration that outlived its right (withdraw-anchorers)', async () => {
    const office = await newDepartment(['EnrollmentStatus', 'IncomeBracket']);
    expect((await issue(office.apiKey, office.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus'))).status).toBe(201);
    await p.worker.runOnce();
    expect(await anchorFrom(office.address, 'EnrollmentStatus')).toBe('anchors');
    // The city root revokes the type on chain, outside the administration: the key stays registered as the office's
    // anchorer for it, and could go on anchoring until the window's end.
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root.connect(p.provider));
    await (await registry.revokeAccreditation(office.address, credentialTypeHash('EnrollmentStatus'), 0)).wait();
    expect(await anchorFrom(office.address, 'EnrollmentStatus')).toBe('anchors');

    const withdrawn = await call('POST', `/admin/tenants/${office.slug}/withdraw-anchorers`, { cookie: as('city-admin') });
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body).toEqual({ slug: office.slug, anchorers: { withdrawn: [{ anchorer: office.address, type: 'EnrollmentStatus', txHash: expect.stringMatching(/^0x/) }], failed: [] } });
    expect(await anchorFrom(office.address, 'EnrollmentStatus')).toBe('NotAnchorer');
    expect(await auditOf(office.slug)).toContainEqual(expect.objectContaining({ action: 'tenant.anchorers-withdrawn', actor: `${CITY}/city-admin` }));
    // Nothing is left: asked again, it ends nothing and records nothing.
    const entries = (await auditOf(office.slug)).length;
    const again = await call('POST', `/admin/tenants/${office.slug}/withdraw-anchorers`, { cookie: as('city-admin') });
    expect(again.body).toEqual({ slug: office.slug, anchorers: { withdrawn: [], failed: [] } });
    expect((await auditOf(office.slug)).length).toBe(entries);
  });

  it('answers bad input with problem+json and a stable code, and writes nothing', async () => {
    const tenantsBefore = (await p.issuer.runtime.tenants.list()).length;
    const admin = as('city-admin');
    const create = (body: unknown) => call('POST', '/admin/tenants', { cookie: admin, body });
    const valid = { slug: 'refused-office', name: '거절', kind: 'department', types: ['SeoulCitizenCard'] };
    const cases: [() => Promise<Answer>, number, string][] = [
      [() => create({ ...valid, slug: CITY }), 409, 'tenant.slug-taken'],
      [() => create({ ...valid, types: ['DriverLicence'] }), 400, 'credential.unknown-type'],
      [() => create({ ...valid, slug: 'Refused_Office' }), 400, 'tenant.invalid'],
      [() => create({ ...valid, kind: 'employer', types: ['LaborContract'], businessNumber: '123-45-67891', accreditedBy: OTHER }), 409, 'tenant.accreditation-refused'],
      [() => create({ ...valid, validUntil: '2001-01-01' }), 400, 'tenant.invalid'],
      [() => create({ ...valid, colour: 'red' }), 400, 'request.invalid'],
      [() => create({ ...valid, types: [] }), 400, 'request.invalid'],
      [() => call('POST', '/admin/tenants', { cookie: admin, raw: '{"slug":' }), 400, 'request.malformed-json'],
      [() => call('PUT', `/admin/tenants/${OTHER}/accreditations`, { cookie: admin, body: { types: ['LaborContract'] } }), 400, 'tenant.invalid'],
      [() => call('POST', `/admin/tenants/${OTHER}/delegates`, { cookie: admin, body: { delegate: 'not an address' } }), 400, 'tenant.invalid'],
      [() => call('POST', `/admin/tenants/${OTHER}/delegates`, { cookie: admin, body: { delegate: Wallet.createRandom().address, validDays: 0 } }), 400, 'tenant.invalid'],
      [() => call('POST', `/admin/tenants/${OTHER}/api-keys`, { cookie: admin, body: { label: 'bell\u0007' } }), 400, 'tenant.invalid'],
      [() => call('POST', `/admin/tenants/${OTHER}/api-keys/00000000-0000-4000-8000-000000000000/revoke`, { cookie: admin }), 404, 'tenant.api-key-not-found'],
      [() => call('GET', '/admin/tenants/no-such-tenant', { cookie: admin }), 404, 'tenant.not-found'],
      [() => call('POST', '/admin/tenants/no-such-tenant/rotate-key', { cookie: admin }), 404, 'tenant.not-found'],
      [() => call('POST', '/admin/tenants/no-such-tenant/withdraw-anchorers', { cookie: admin }), 404, 'tenant.not-found'],
    ];
    for (const [request, status, code] of cases) {
      const { status: got, type, body, text } = await request();
      expect([got, body?.code], text).toEqual([status, code]);
      expect(type).toContain('application/problem+json');
    }
    expect((await p.issuer.runtime.tenants.list()).length).toBe(tenantsBefore);
    for (const slug of ['refused-office', 'Refused_Office']) expect(await tenantRow(slug)).toBeNull();
    expect((await tenantRow(OTHER))!.credentialTypes).toEqual(['EnrollmentStatus']);
  });

  describe('who may do what: roles × routes × own/other tenant', () => {
    type Route = { name: string; method: 'GET' | 'POST' | 'PUT'; path: (slug: string) => string; body?: () => unknown; cityOnly?: boolean };
    const routes: Route[] = [
      { name: 'list', method: 'GET', path: () => '/admin/tenants' },
      { name: 'catalogue types', method: 'GET', path: () => '/admin/credential-types' },
      { name: 'create', method: 'POST', path: () => '/admin/tenants', body: () => ({ slug: 'matrix-office', name: 'x', kind: 'department', types: ['SeoulCitizenCard'] }), cityOnly: true },
      { name: 'read', method: 'GET', path: (slug) => `/admin/tenants/${slug}` },
      { name: 'set types', method: 'PUT', path: (slug) => `/admin/tenants/${slug}/accreditations`, body: () => ({ types: ['SeoulCitizenCard'] }), cityOnly: true },
      { name: 'rotate key', method: 'POST', path: (slug) => `/admin/tenants/${slug}/rotate-key`, body: () => ({ force: true }) },
      { name: 'withdraw anchorers', method: 'POST', path: (slug) => `/admin/tenants/${slug}/withdraw-anchorers` },
      { name: 'add delegate', method: 'POST', path: (slug) => `/admin/tenants/${slug}/delegates`, body: () => ({ delegate: Wallet.createRandom().address }) },
      { name: 'revoke delegate', method: 'POST', path: (slug) => `/admin/tenants/${slug}/delegates/revoke`, body: () => ({ delegate: Wallet.createRandom().address }) },
      { name: 'list API keys', method: 'GET', path: (slug) => `/admin/tenants/${slug}/api-keys` },
      { name: 'issue API key', method: 'POST', path: (slug) => `/admin/tenants/${slug}/api-keys`, body: () => ({ label: 'matrix' }) },
      { name: 'revoke API key', method: 'POST', path: (slug) => `/admin/tenants/${slug}/api-keys/00000000-0000-4000-8000-000000000000/revoke` },
    ];
    /** What changes when a refused request would have written: the tenants, and the city tenant's keys and audit log. */
    const footprint = async () => ({
      tenants: (await p.issuer.runtime.tenants.list()).map((t) => `${t.slug}:${t.credentialTypes.join(',')}`),
      keys: (await p.issuer.runtime.tenants.listApiKeys(CITY)).length,
      audit: (await auditOf(CITY)).filter((e) => e.action !== 'operator.signed-in').length,
      owner: await didRegistryAt(p.deployment.didRegistry, p.provider).identityOwner(p.tenants.get(CITY)!.address),
    });

    it.each(routes.map((route) => ({ name: route.name, route })))('$name: 401 without a session (an API key is no session), 403 for issuers and auditors and without the CSRF header', async ({ route }) => {
      const before = await footprint();
      const body = route.body?.();
      for (const authorization of [undefined, `Bearer ${p.tenants.get(CITY)!.apiKey}`]) {
        const answer = await call(route.method, route.path(CITY), { ...(authorization ? { authorization } : {}), body });
        expect([answer.status, answer.body.code]).toEqual([401, 'console.signed-out']);
      }
      for (const operator of ['city-issuer', 'city-auditor', 'edu-issuer']) {
        for (const slug of [CITY, OTHER]) {
          const answer = await call(route.method, route.path(slug), { cookie: as(operator), body });
          expect([answer.status, answer.body.code], `${operator} on ${slug}`).toEqual([403, 'console.forbidden']);
          expect(answer.type).toContain('application/problem+json');
        }
      }
      if (route.method !== 'GET') {
        const answer = await call(route.method, route.path(CITY), { cookie: as('city-admin'), body, csrf: false });
        expect([answer.status, answer.body.code]).toEqual([403, 'console.csrf-header-missing']);
      }
      expect(await footprint()).toEqual(before);
    });

    it.each(routes.map((route) => ({ name: route.name, route })))('$name: another tenant\'s admin sees the city tenant as nonexistent and may not do what only the city decides', async ({ route }) => {
      const before = await footprint();
      const answer = await call(route.method, route.path(CITY), { cookie: as('edu-admin'), body: route.body?.() });
      if (route.name === 'list') {
        expect(answer.status).toBe(200);
        expect(answer.body.items.map((t: { slug: string }) => t.slug)).toEqual([OTHER]);
      } else if (route.name === 'catalogue types') {
        expect(answer.status).toBe(200);
      } else if (route.name === 'create') {
        expect([answer.status, answer.body.code]).toEqual([403, 'console.city-admin-only']);
      } else {
        expect([answer.status, answer.body.code], answer.text).toEqual([404, 'tenant.not-found']);
        expect(answer.text).not.toContain(p.tenants.get(CITY)!.did);
        const unknown = await call(route.method, route.path('no-such-tenant'), { cookie: as('edu-admin'), body: route.body?.() });
        expect({ ...unknown.body, instance: undefined }).toEqual({ ...answer.body, instance: undefined });
      }
      if (route.cityOnly && route.name !== 'create') {
        const own = await call(route.method, route.path(OTHER), { cookie: as('edu-admin'), body: route.body?.() });
        expect([own.status, own.body.code]).toEqual([403, 'console.city-admin-only']);
      }
      expect(await footprint()).toEqual(before);
    });
  });
});
