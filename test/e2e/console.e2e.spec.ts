import { FixedClock } from '@citycred/config';
import { exampleSubject } from '@citycred/credentials';
import { OperatorStore } from '@citycred/tenancy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenCardSubject, issueBody, postJson, send, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'console e2e password';
type Role = 'admin' | 'issuer' | 'auditor';
const ROLES: readonly Role[] = ['admin', 'issuer', 'auditor'];

/**
 * The issuer console's API over HTTP through the real issuer (docs/console.md): sign-in and cookies, CSRF, roles,
 * and the tenant-isolation matrix — every role × every console route × own/other tenant, and API keys of one tenant
 * against another's credentials on the VC-API routes. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
describe('issuer console API', () => {
  const clock = new FixedClock(new Date());
  let p: TestPlatform;
  /** Tenant A (seoul-citizen) and B (education-office): their DIDs, API keys and one credential each. */
  const a = { slug: 'seoul-citizen', did: '', apiKey: '', credentialId: '' };
  const b = { slug: 'education-office', did: '', apiKey: '', credentialId: '' };
  /** Session cookies of tenant A's operators, by role. */
  const cookies = new Map<Role, string>();

  const consoleUrl = (path: string) => `${p.issuer.url}/console/api${path}`;
  const signIn = (tenant: string, username: string, password = PASSWORD, headers: Record<string, string> = { 'x-citycred-console': '1' }) =>
    send(consoleUrl('/session'), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ tenant, username, password }) });
  const call = (method: string, path: string, options: { cookie?: string; body?: unknown; csrf?: boolean; authorization?: string } = {}) =>
    send(consoleUrl(path), {
      method,
      headers: {
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.csrf === false || method === 'GET' ? {} : { 'x-citycred-console': '1' }),
        ...(options.authorization ? { authorization: options.authorization } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  const cookieOf = (setCookie: string | null) => setCookie!.split(';')[0]!;

  beforeAll(async () => {
    p = await startTestPlatform('console_e2e', { clock });
    clock.set(new Date(Number((await p.provider.getBlock('latest'))!.timestamp) * 1000));
    for (const tenant of [a, b]) {
      const provisioned = p.tenants.get(tenant.slug)!;
      tenant.did = provisioned.did;
      tenant.apiKey = provisioned.apiKey;
    }
    const issuedA = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(a.did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${a.apiKey}` });
    const issuedB = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(b.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus')), { authorization: `Bearer ${b.apiKey}` });
    expect([issuedA.status, issuedB.status]).toEqual([201, 201]);
    a.credentialId = issuedA.body.verifiableCredential.id;
    b.credentialId = issuedB.body.verifiableCredential.id;
    // The demo operators are provisioned by `npm start` only: here they are made with the operator store.
    const store = new OperatorStore(p.issuer.runtime.dataSource, clock);
    const tenantA = (await p.issuer.runtime.tenants.findBySlug(a.slug))!;
    const tenantB = (await p.issuer.runtime.tenants.findBySlug(b.slug))!;
    for (const role of ROLES) await store.create(tenantA.id, { username: `a-${role}`, displayName: `A ${role}`, role, password: PASSWORD });
    await store.create(tenantB.id, { username: 'b-admin', displayName: 'B admin', role: 'admin', password: PASSWORD });
    for (const role of ROLES) {
      const answer = await signIn(a.slug, `a-${role}`);
      expect(answer.status, answer.text).toBe(200);
      cookies.set(role, cookieOf(answer.headers.get('set-cookie')));
    }
  });
  afterAll(async () => p?.stop());

  describe('sign-in, session and CSRF', () => {
    it('signs in with an HttpOnly, SameSite=Strict cookie for /console and answers who is signed in', async () => {
      const answer = await signIn(a.slug, 'a-admin');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        operator: { username: 'a-admin', role: 'admin', displayName: 'A admin' },
        tenant: { slug: a.slug, name: expect.any(String), did: a.did, kind: 'department' },
        // No CITY_ADMIN_TENANT on this issuer: nobody administers every tenant.
        cityAdmin: false,
      });
      expect(answer.headers.get('set-cookie')).toMatch(/^citycred_console=[A-Za-z0-9_-]{43}; Path=\/console; Max-Age=43200; HttpOnly; SameSite=Strict$/);
      expect(answer.cacheControl).toBe('no-store');
      const me = await call('GET', '/me', { cookie: cookieOf(answer.headers.get('set-cookie')) });
      expect(me.body).toEqual(answer.body);
    });

    it('answers unknown tenant, unknown user and wrong password alike: 401 console.sign-in-failed', async () => {
      const answers = [await signIn('no-such-tenant', 'a-admin'), await signIn(a.slug, 'nobody'), await signIn(a.slug, 'a-issuer', 'not the password!'), await signIn(b.slug, 'a-admin')];
      for (const answer of answers) {
        expect(answer.status).toBe(401);
        expect(answer.type).toContain('application/problem+json');
        expect({ ...answer.body, instance: undefined }).toEqual({ ...answers[0]!.body, instance: undefined });
      }
      expect(answers[0]!.body.code).toBe('console.sign-in-failed');
    });

    it('throttles a (tenant, username) after 5 failures: 429 with Retry-After, the right password included', async () => {
      for (let i = 0; i < 5; i += 1) expect((await signIn(b.slug, 'b-admin', 'wrong password!!')).status).toBe(401);
      const throttled = await signIn(b.slug, 'b-admin');
      expect(throttled.status).toBe(429);
      expect(throttled.body.code).toBe('console.sign-in-throttled');
      expect(Number(throttled.headers.get('retry-after'))).toBe(900);
      clock.advance(15 * 60_000);
      expect((await signIn(b.slug, 'b-admin')).status).toBe(200);
    });

    it('refuses a state-changing request without x-citycred-console: 1 (sign-in included)', async () => {
      expect((await signIn(a.slug, 'a-admin', PASSWORD, {})).body.code).toBe('console.csrf-header-missing');
      const noHeader = await call('POST', '/credentials', { cookie: cookies.get('admin')!, body: { type: 'SeoulCitizenCard', subject: citizenCardSubject }, csrf: false });
      expect([noHeader.status, noHeader.body.code]).toEqual([403, 'console.csrf-header-missing']);
    });

    it('signs out: the session is gone and the cookie cleared', async () => {
      const cookie = cookieOf((await signIn(a.slug, 'a-auditor')).headers.get('set-cookie'));
      const out = await call('DELETE', '/session', { cookie });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^citycred_console=; Path=\/console; Max-Age=0; HttpOnly; SameSite=Strict$/);
      const me = await call('GET', '/me', { cookie });
      expect([me.status, me.body.code]).toEqual([401, 'console.signed-out']);
    });

    it('ends a session idle for 30 minutes (by the issuer clock)', async () => {
      const cookie = cookieOf((await signIn(a.slug, 'a-auditor')).headers.get('set-cookie'));
      expect((await call('GET', '/me', { cookie })).status).toBe(200);
      clock.advance(30 * 60_000);
      expect((await call('GET', '/me', { cookie })).body.code).toBe('console.signed-out');
      // The matrix's sessions were used moments ago by the clock's reckoning only if renewed: sign them in again.
      for (const role of ROLES) cookies.set(role, cookieOf((await signIn(a.slug, `a-${role}`)).headers.get('set-cookie')));
    });
  });

  describe('the isolation matrix: roles × routes × own/other tenant', () => {
    type Target = 'own' | 'other' | 'none';
    interface Route {
      readonly name: string;
      readonly method: 'GET' | 'POST' | 'DELETE';
      readonly path: (credentialId: string) => string;
      readonly body?: () => unknown;
      /** Roles the route is for; the others get 403 console.forbidden. */
      readonly roles: readonly Role[];
      readonly targets: readonly Target[];
      /** Status for an allowed role on its own tenant's data (or on no credential). */
      readonly ok: number;
    }
    const routes: Route[] = [
      { name: 'me', method: 'GET', path: () => '/me', roles: ROLES, targets: ['none'], ok: 200 },
      { name: 'types', method: 'GET', path: () => '/types', roles: ROLES, targets: ['none'], ok: 200 },
      { name: 'list credentials', method: 'GET', path: () => '/credentials', roles: ROLES, targets: ['none'], ok: 200 },
      { name: 'credential detail', method: 'GET', path: (id) => `/credentials/${encodeURIComponent(id)}`, roles: ROLES, targets: ['own', 'other'], ok: 200 },
      { name: 'issue', method: 'POST', path: () => '/credentials', body: () => ({ type: 'SeoulCitizenCard', subject: citizenCardSubject }), roles: ['admin', 'issuer'], targets: ['none'], ok: 201 },
      {
        name: 'change status',
        method: 'POST',
        path: (id) => `/credentials/${encodeURIComponent(id)}/status`,
        body: () => ({ action: 'suspend', reason: 'matrix check' }),
        roles: ['admin', 'issuer'],
        targets: ['own', 'other'],
        ok: 200,
      },
      { name: 'certificate', method: 'GET', path: (id) => `/credentials/${encodeURIComponent(id)}/certificate.pdf`, roles: ['admin', 'issuer'], targets: ['own', 'other'], ok: 200 },
      { name: 'offer', method: 'POST', path: () => '/offers', body: () => ({ type: 'SeoulCitizenCard', claims: citizenCardSubject, format: 'jwt_vc' }), roles: ['admin', 'issuer'], targets: ['none'], ok: 201 },
      { name: 'anchoring', method: 'GET', path: () => '/anchoring', roles: ROLES, targets: ['none'], ok: 200 },
      { name: 'audit', method: 'GET', path: () => '/audit', roles: ROLES, targets: ['none'], ok: 200 },
      { name: 'list operators', method: 'GET', path: () => '/operators', roles: ['admin'], targets: ['none'], ok: 200 },
      {
        name: 'create operator',
        method: 'POST',
        path: () => '/operators',
        body: () => ({ username: `made-${Math.random().toString(36).slice(2, 10)}`, displayName: 'Made', role: 'auditor', password: PASSWORD }),
        roles: ['admin'],
        targets: ['none'],
        ok: 201,
      },
    ];
    const cases = routes.flatMap((route) =>
      ROLES.flatMap((role) =>
        route.targets.map((target) => {
          const allowed = route.roles.includes(role);
          const expected = !allowed ? 403 : target === 'other' ? 404 : route.ok;
          return { label: `${route.name} · ${role} · ${target} → ${expected}`, route, role, target, expected };
        }),
      ),
    );

    it.each(cases)('session of tenant A: $label', async ({ route, role, target, expected }) => {
      const credentialId = target === 'other' ? b.credentialId : a.credentialId;
      const answer = await call(route.method, route.path(credentialId), { cookie: cookies.get(role)!, ...(route.body ? { body: route.body() } : {}) });
      expect(answer.status, answer.text.slice(0, 300)).toBe(expected);
      if (expected === 403) expect(answer.body.code).toBe('console.forbidden');
      if (expected === 404) {
        expect(answer.body.code).toBe('credential.not-found');
        expect(answer.text).not.toContain(b.credentialId);
      }
    });

    it.each(routes.map((route) => ({ name: route.name, route })))('without a session, or with an API key instead: 401 console.signed-out ($name)', async ({ route }) => {
      for (const authorization of [undefined, `Bearer ${a.apiKey}`]) {
        const answer = await call(route.method, route.path(a.credentialId), { ...(authorization ? { authorization } : {}), ...(route.body ? { body: route.body() } : {}) });
        expect([answer.status, answer.body.code]).toEqual([401, 'console.signed-out']);
      }
    });

    it('lists only the tenant\'s credentials and types; q never finds another tenant\'s credential', async () => {
      const list = await call('GET', '/credentials', { cookie: cookies.get('auditor')! });
      const ids = list.body.items.map((item: { id: string }) => item.id);
      expect(ids).toContain(a.credentialId);
      expect(ids).not.toContain(b.credentialId);
      expect(JSON.stringify(list.body)).not.toContain(citizenCardSubject.name);
      const search = await call('GET', `/credentials?q=${encodeURIComponent(b.credentialId)}`, { cookie: cookies.get('auditor')! });
      expect(search.body.items).toEqual([]);
      const types = await call('GET', '/types', { cookie: cookies.get('auditor')! });
      expect(types.body.types.map((t: { type: string }) => t.type)).toEqual(['SeoulCitizenCard']);
    });

    it('API keys of tenant A never act on tenant B: VC-API issue, status, certificate, offers', async () => {
      const bearer = { authorization: `Bearer ${a.apiKey}` };
      const asB = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(b.did, 'SeoulCitizenCard', citizenCardSubject), bearer);
      expect([asB.status, asB.body.code]).toEqual([403, 'issuance.issuer-mismatch']);
      const bType = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(a.did, 'EnrollmentStatus', exampleSubject('EnrollmentStatus')), bearer);
      expect([bType.status, bType.body.code]).toEqual([403, 'issuance.type-not-allowed']);
      const statusBody = (credentialId: string) => ({ credentialId, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'suspension' }, status: true });
      const otherStatus = await postJson(`${p.issuer.url}/credentials/status`, statusBody(b.credentialId), bearer);
      expect([otherStatus.status, otherStatus.body.code]).toEqual([404, 'status.unknown-credential']);
      const ownStatus = await postJson(`${p.issuer.url}/credentials/status`, statusBody(a.credentialId), bearer);
      expect(ownStatus.status).toBe(200);
      const certificate = await send(`${p.issuer.url}/credentials/${encodeURIComponent(b.credentialId)}/certificate.pdf`, { headers: bearer });
      expect([certificate.status, certificate.body?.code]).toEqual([404, 'credential.not-found']);
      const offer = await postJson(`${p.issuer.url}/oid4vci/offers`, { credential_configuration_id: 'EnrollmentStatus_jwt_vc_json', claims: exampleSubject('EnrollmentStatus') }, bearer);
      expect(offer.status).toBe(400);
      expect(offer.body.code).toBe('oid4vci.unknown-credential-configuration');
      const sessionOnVcApi = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(a.did, 'SeoulCitizenCard', citizenCardSubject), { cookie: cookies.get('admin')! });
      expect([sessionOnVcApi.status, sessionOnVcApi.body.code]).toEqual([401, 'auth.missing-api-key']);
    });
  });

  describe('what an operator does', () => {
    it('issues, suspends and reinstates; the detail shows the history, the audit log the operator, and its chain verifies', async () => {
      const cookie = cookies.get('issuer')!;
      const issued = await call('POST', '/credentials', { cookie, body: { type: 'SeoulCitizenCard', subject: citizenCardSubject, holderDid: 'did:example:holder-1' } });
      expect(issued.status, issued.text).toBe(201);
      expect(issued.body).toMatchObject({ type: 'SeoulCitizenCard', format: 'jwt_vc', credentialHash: expect.stringMatching(/^0x[0-9a-f]{64}$/), encoded: expect.any(String) });
      const id: string = issued.body.id;
      const path = `/credentials/${encodeURIComponent(id)}`;
      expect((await call('POST', `${path}/status`, { cookie, body: { action: 'suspend', reason: 'documents under review' } })).body).toEqual({ status: 'suspended' });
      expect((await call('GET', `/credentials?status=suspended`, { cookie })).body.items.map((i: { id: string }) => i.id)).toContain(id);
      expect((await call('POST', `${path}/status`, { cookie, body: { action: 'reinstate', reason: 'documents checked' } })).body).toEqual({ status: 'valid' });
      const detail = await call('GET', path, { cookie });
      expect(detail.body).toMatchObject({ id, type: 'SeoulCitizenCard', status: 'valid', anchoring: 'pending', subjectHint: 'did:example:holder-1' });
      expect(detail.body.history.map((h: { action: string; actor: string }) => [h.action, h.actor])).toEqual([
        ['suspend', 'operator:a-issuer'],
        ['reinstate', 'operator:a-issuer'],
      ]);
      const audit = await call('GET', '/audit', { cookie: cookies.get('auditor')! });
      expect(audit.status).toBe(200);
      expect(audit.body.items[0]).toMatchObject({ seq: audit.body.head.seq, hash: audit.body.head.hash });
      expect(audit.body.items.some((e: { action: string; actor: { id: string } }) => e.action === 'operator.signed-in' && e.actor.id === 'a-issuer')).toBe(true);
      expect((await call('GET', '/audit/verification', { cookie: cookies.get('auditor')! })).body).toMatchObject({ ok: true });
    });

    it('an admin creates an operator who can sign in, and disables it (its session ends)', async () => {
      const admin = cookies.get('admin')!;
      const created = await call('POST', '/operators', { cookie: admin, body: { username: 'Front.Desk', displayName: '민원실', role: 'issuer', password: PASSWORD } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'front.desk', role: 'issuer', displayName: '민원실', disabled: false });
      expect(JSON.stringify(created.body)).not.toContain(PASSWORD);
      const again = await call('POST', '/operators', { cookie: admin, body: { username: 'front.desk', displayName: 'x', role: 'issuer', password: PASSWORD } });
      expect([again.status, again.body.code]).toEqual([409, 'console.operator-exists']);
      const weak = await call('POST', '/operators', { cookie: admin, body: { username: 'weak', displayName: 'x', role: 'issuer', password: 'short' } });
      expect([weak.status, weak.body.code]).toEqual([400, 'console.weak-password']);
      const session = cookieOf((await signIn(a.slug, 'front.desk')).headers.get('set-cookie'));
      expect((await call('GET', '/me', { cookie: session })).status).toBe(200);
      expect((await call('POST', '/operators/front.desk/disable', { cookie: admin })).status).toBe(200);
      expect((await call('GET', '/me', { cookie: session })).body.code).toBe('console.signed-out');
      const listed = await call('GET', '/operators', { cookie: admin });
      expect(listed.body.items.find((o: { username: string }) => o.username === 'front.desk')).toMatchObject({ disabled: true });
      expect(listed.body.items.map((o: { username: string }) => o.username)).not.toContain('b-admin');
      const audit = await call('GET', '/audit', { cookie: admin });
      expect(audit.body.items.filter((e: { target: string }) => e.target === 'front.desk').map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['operator.created', 'operator.disabled', 'operator.signed-in']));
    });

    it('makes an OpenID4VCI offer with a QR code and a transaction code', async () => {
      const offer = await call('POST', '/offers', { cookie: cookies.get('issuer')!, body: { type: 'SeoulCitizenCard', claims: citizenCardSubject, format: 'jwt_vc' } });
      expect(offer.status, offer.text).toBe(201);
      expect(offer.cacheControl).toBe('no-store');
      expect(offer.body.offerUri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
      expect(offer.body.qrSvg).toMatch(/^<svg /);
      expect(offer.body.txCode).toMatch(/^\d{6}$/);
    });

    it('shows the tenant\'s anchoring: pending digests and, after a worker pass, its batch', async () => {
      const before = await call('GET', '/anchoring', { cookie: cookies.get('auditor')! });
      expect(before.body.pending).toBeGreaterThan(0);
      await p.worker.runOnce();
      const after = await call('GET', '/anchoring', { cookie: cookies.get('auditor')! });
      expect(after.body.pending).toBe(0);
      expect(after.body.batches[0]).toMatchObject({ state: 'anchored', txHash: expect.stringMatching(/^0x/), leafCount: expect.any(Number) });
      const detail = await call('GET', `/credentials/${encodeURIComponent(a.credentialId)}`, { cookie: cookies.get('auditor')! });
      expect(detail.body).toMatchObject({ anchoring: 'anchored', anchor: { root: expect.stringMatching(/^0x/), txHash: expect.stringMatching(/^0x/) } });
    });
  });
});
