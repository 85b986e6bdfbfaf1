import { credentialTypeHash, issuerRegistryAt } from '@citycred/anchors';
import type { Clock } from '@citycred/config';
import { OperatorStore } from '@citycred/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startTestPlatform, type Answer, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'employer onboarding e2e password';
const CITY = 'seoul-citizen';
/** A valid business registration number of the employer onboarded here, as given and as stored. */
const BRN = '1058765430';
const BRN_STORED = '105-87-65430';

/**
 * Issue 19, employers as tenants (docs/console.md#employers): the demo labour department (`labor`) onboards an employer
 * through the console's admin API after its business registration number is checked, and accredits it on chain with its
 * own key; the number is shown to the employer, labor and the city's administrators only — never in the issuer
 * directory, the OpenID4VCI metadata or the verifier's issuer names. Real issuer, verifier, local chain and database
 * (SQLite, or PostgreSQL with DATABASE_URL).
 */
describe('employers onboarded by their department', () => {
  let p: TestPlatform;
  const cookies = new Map<string, string>();
  let ahead = 0;
  const clock: Clock = { now: () => new Date(Date.now() + ahead) };
  const catchUp = async () => {
    ahead = Math.max(ahead, Number((await p.provider.getBlock('latest'))!.timestamp) * 1000 + 1000 - Date.now());
  };
  const url = (path: string) => `${p.issuer.url}/console/api${path}`;
  const call = (method: string, path: string, cookie: string, body?: unknown): Promise<Answer> =>
    send(url(path), {
      method,
      headers: { cookie, ...(method === 'GET' ? {} : { 'x-citycred-console': '1' }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const signIn = async (slug: string, username: string, role: 'admin' | 'issuer' = 'admin') => {
    const tenant = (await p.issuer.runtime.tenants.findBySlug(slug))!;
    await new OperatorStore(p.issuer.runtime.dataSource, p.issuer.runtime.clock).create(tenant.id, { username, displayName: username, role, password: PASSWORD });
    const signedIn = await send(url('/session'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-citycred-console': '1' },
      body: JSON.stringify({ tenant: slug, username, password: PASSWORD }),
    });
    expect(signedIn.status, signedIn.text).toBe(200);
    cookies.set(username, signedIn.headers.get('set-cookie')!.split(';')[0]!);
  };
  const as = (operator: string) => cookies.get(operator)!;
  const onboard = async (body: Record<string, unknown>, operator = 'labor-admin') => {
    await catchUp();
    return call('POST', '/admin/employers', as(operator), body);
  };

  beforeAll(async () => {
    p = await startTestPlatform('employer_onboarding', { clock, issuerEnv: (city) => ({ CITY_ROOT_KEY: city.root.privateKey, CITY_ADMIN_TENANT: CITY, FUND_NEW_TENANTS: 'true' }) });
    await signIn(CITY, 'city-admin');
    await signIn('labor', 'labor-admin');
    await signIn('labor', 'labor-issuer', 'issuer');
    await signIn('employment-insurance', 'insurance-admin');
    await signIn('education-office', 'edu-admin');
  });
  afterAll(async () => p?.stop());

  it('refuses a bad business registration number with a clear code, and anything else it cannot do, writing nothing', async () => {
    const valid = { slug: 'refused-shop', name: '거절된 가게' };
    const cases: [() => Promise<Answer>, number, string, Record<string, unknown>?][] = [
      [() => onboard({ ...valid, businessNumber: '105-87-65431' }), 400, 'tenant.business-number-invalid', { reason: 'checksum' }],
      [() => onboard({ ...valid, businessNumber: '10587-654-30' }), 400, 'tenant.business-number-invalid', { reason: 'format' }],
      [() => onboard({ ...valid, businessNumber: 'not a number' }), 400, 'tenant.business-number-invalid', { reason: 'format' }],
      [() => onboard(valid), 400, 'request.invalid'],
      [() => onboard({ ...valid, businessNumber: BRN, types: ['SeoulCitizenCard'] }), 400, 'tenant.invalid'],
      [() => onboard({ ...valid, businessNumber: BRN }, 'edu-admin'), 409, 'tenant.accreditation-refused', { refusal: 'AccreditorNotAuthorized' }],
      [() => onboard({ ...valid, businessNumber: BRN }, 'insurance-admin'), 409, 'tenant.accreditation-refused', { refusal: 'AccreditorNotAuthorized' }],
      [() => onboard({ ...valid, businessNumber: BRN }, 'labor-issuer'), 403, 'console.forbidden'],
      [() => call('POST', '/admin/tenants', as('city-admin'), { ...valid, kind: 'employer', types: ['LaborContract'], accreditedBy: 'labor', businessNumber: '105-87-65431' }), 400, 'tenant.business-number-invalid', { reason: 'checksum' }],
      [() => call('POST', '/admin/tenants', as('city-admin'), { ...valid, kind: 'employer', types: ['LaborContract'], accreditedBy: 'labor' }), 400, 'tenant.invalid'],
    ];
    for (const [attempt, status, code, extensions] of cases) {
      const answer = await attempt();
      expect([answer.status, answer.type.split(';')[0], answer.body?.code], answer.text).toEqual([status, 'application/problem+json', code]);
      if (extensions) expect(answer.body).toMatchObject(extensions);
      expect(answer.text, 'the number is never repeated back').not.toContain('105-87-6543');
    }
    expect(await p.issuer.runtime.tenants.findBySlug('refused-shop')).toBeNull();
  });

  it('labor onboards an employer it accredits on chain itself; the number is seen by the employer, labor and the city admins only', async () => {
    const created = await onboard({ slug: 'yeonnam-noodles', name: '연남 국수 (데모)', nameEn: 'Yeonnam Noodles', businessNumber: BRN });
    expect(created.status, created.text).toBe(201);
    expect(created.cacheControl).toBe('no-store');
    expect(created.body).toMatchObject({
      tenant: { slug: 'yeonnam-noodles', kind: 'employer', types: ['LaborContract', 'WorkExperience'], businessNumber: BRN_STORED },
      accreditation: { types: ['LaborContract', 'WorkExperience'], accreditedBy: 'labor' },
      apiKey: expect.any(String),
    });

    // On chain: accredited for LaborContract now, by labor's identity, a department's window (not the root's).
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.provider);
    const labor = (await p.issuer.runtime.tenants.findBySlug('labor'))!;
    const address = created.body.tenant.address as string;
    const at = BigInt((await p.provider.getBlock('latest'))!.timestamp);
    expect(await registry.isAccredited(address, credentialTypeHash('LaborContract'), at)).toBe(true);
    const window = await registry.windowAt(address, credentialTypeHash('LaborContract'), 0);
    expect([window.accreditor, window.byRoot]).toEqual([labor.address, false]);

    // labor lists the employers it accredits (the demo ones too), with their numbers; other departments none.
    const listed = await call('GET', '/admin/employers', as('labor-admin'));
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.items.map((e: { slug: string; businessNumber: string; accreditedBy: string }) => [e.slug, e.businessNumber, e.accreditedBy])).toEqual([
      ['hangang-cafe', '123-45-67891', 'labor'],
      ['mangwon-bakery', '220-81-11115', 'labor'],
      ['yeonnam-noodles', BRN_STORED, 'labor'],
    ]);
    for (const operator of ['edu-admin', 'insurance-admin']) {
      const none = await call('GET', '/admin/employers', as(operator));
      expect([none.status, none.body.items], operator).toEqual([200, []]);
      const hidden = await call('GET', '/admin/tenants/yeonnam-noodles', as(operator));
      expect([hidden.status, hidden.body.code], operator).toEqual([404, 'tenant.not-found']);
    }

    // The employer itself and the city's administrators.
    await signIn('yeonnam-noodles', 'noodles-admin');
    const own = await call('GET', '/admin/tenants', as('noodles-admin'));
    expect(own.body.items).toEqual([expect.objectContaining({ slug: 'yeonnam-noodles', businessNumber: BRN_STORED, accreditedBy: 'labor' })]);
    const city = await call('GET', '/admin/tenants/yeonnam-noodles', as('city-admin'));
    expect(city.body).toMatchObject({ businessNumber: BRN_STORED, accreditedBy: 'labor', accreditation: { state: 'accredited' } });
    const cityList = await call('GET', '/admin/tenants', as('city-admin'));
    expect(cityList.body.items.find((t: { slug: string }) => t.slug === 'labor')).toMatchObject({ types: [], mayAccredit: ['LaborContract', 'WorkExperience'], businessNumber: null });

    // Labor's own audit log records the onboarding it did.
    const audit = await call('GET', '/audit', as('labor-admin'));
    expect(audit.status, audit.text).toBe(200);
    expect(JSON.stringify(audit.body)).toContain('yeonnam-noodles');
  });

  it('never publishes a business registration number: issuer directory, OpenID4VCI metadata, the verifier\'s issuer names', async () => {
    const numbers = ['123-45-67891', '1234567891', '220-81-11115', '2208111115', BRN_STORED, BRN];
    const answers = [
      await send(`${p.issuer.url}/issuers`),
      await send(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/hangang-cafe`),
      await send(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/mangwon-bakery`),
      await send(`${p.issuer.url}/.well-known/openid-credential-issuer/oid4vci/yeonnam-noodles`),
      await send(`${p.verifier.url}/check/issuers`),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(200);
      for (const number of numbers) expect(answer.text).not.toContain(number);
      expect(answer.text).not.toMatch(/businessNumber|business_number/i);
    }
    const directory = answers[0]!.body as { issuers: { slug: string }[] };
    expect(directory.issuers.map((i) => i.slug)).toEqual(expect.arrayContaining(['hangang-cafe', 'mangwon-bakery', 'yeonnam-noodles']));
    expect(directory.issuers.map((i) => i.slug), 'labor issues nothing itself').not.toContain('labor');
  });
});
