import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { AppError } from '@citycred/errors';
import { ConsoleSessionEntity, createIssuerDataSource, openDatabase, TenantEntity } from '@citycred/persistence';
import { AuditLog, OperatorStore } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSessions, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './console-sessions.js';
import { SignInThrottle } from './sign-in-throttle.js';

const PASSWORD = 'a long enough password';

/** Sign-in and sessions on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL), time from a FixedClock. */
describe('ConsoleSessions on a real database', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;
  let operators: OperatorStore;
  let audit: AuditLog;
  let sessions: ConsoleSessions;

  /** A tenant with one operator of each role. */
  const newTenant = async (): Promise<TenantEntity> => {
    const id = randomUUID();
    const tenant = Object.assign(new TenantEntity(), {
      id,
      slug: `t-${id.slice(0, 8)}`,
      name: 'Test tenant',
      kind: 'department' as const,
      did: `did:ethr:citycred:0x${id.replace(/-/g, '').padEnd(40, '0').slice(0, 40)}`,
      address: `0x${'0'.repeat(40)}`,
      credentialTypesJson: '["SeoulCitizenCard"]',
      createdAt: clock.now().toISOString(),
    });
    await dataSource.getRepository(TenantEntity).insert(tenant);
    await operators.create(id, { username: 'admin', displayName: 'Admin', role: 'admin', password: PASSWORD });
    return tenant;
  };

  /** What a failed sign-in looks like to the client. */
  const failure = async (attempt: Promise<unknown>) => {
    const error = await attempt.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const { code, message, status, retryAfterSeconds } = error as AppError;
    return { code, message, status, retryAfterSeconds };
  };

  beforeAll(async () => {
    db = testDatabase('console_sessions');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    operators = new OperatorStore(dataSource, clock);
    audit = new AuditLog(dataSource, clock);
    sessions = new ConsoleSessions(dataSource, operators, audit, new SignInThrottle(clock), clock);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('signs in, stores only the token hash, and records operator.signed-in in the tenant audit log', async () => {
    const tenant = await newTenant();
    const signedIn = await sessions.signIn(tenant.slug, 'ADMIN', PASSWORD);
    expect(signedIn.operator).toMatchObject({ username: 'admin', role: 'admin', displayName: 'Admin' });
    expect(signedIn.tenant.id).toBe(tenant.id);
    expect(signedIn.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await dataSource.getRepository(ConsoleSessionEntity).findBy({ tenantId: tenant.id });
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(signedIn.token);
    expect((await sessions.authenticate(signedIn.token))?.operator.username).toBe('admin');
    const log = await audit.page(tenant.id);
    expect(log.items.map((e) => [e.action, e.actor.id, e.target])).toEqual([['operator.signed-in', 'admin', 'admin']]);
  });

  it('answers unknown tenant, unknown user, wrong password and a disabled operator with the same 401', async () => {
    const tenant = await newTenant();
    await operators.create(tenant.id, { username: 'gone', displayName: 'Gone', role: 'issuer', password: PASSWORD });
    await operators.disable(tenant.id, 'gone');
    const answers = [
      await failure(sessions.signIn('no-such-tenant', 'admin', PASSWORD)),
      await failure(sessions.signIn(tenant.slug, 'nobody', PASSWORD)),
      await failure(sessions.signIn(tenant.slug, 'admin', `${PASSWORD}!`)),
      await failure(sessions.signIn(tenant.slug, 'gone', PASSWORD)),
    ];
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ code: 'console.sign-in-failed', status: 401 });
  });

  it('refuses the sixth attempt after five failures in 15 minutes, even with the right password, with Retry-After', async () => {
    const tenant = await newTenant();
    for (let i = 0; i < 5; i += 1) expect((await failure(sessions.signIn(tenant.slug, 'admin', 'wrong password!!'))).status).toBe(401);
    const throttled = await failure(sessions.signIn(tenant.slug, 'admin', PASSWORD));
    expect(throttled).toMatchObject({ code: 'console.sign-in-throttled', status: 429, retryAfterSeconds: 900 });
    clock.advance(15 * 60_000);
    expect((await sessions.signIn(tenant.slug, 'admin', PASSWORD)).operator.username).toBe('admin');
  });

  it('ends a session idle for 30 minutes, and keeps one in use', async () => {
    const tenant = await newTenant();
    const { token } = await sessions.signIn(tenant.slug, 'admin', PASSWORD);
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect(await sessions.authenticate(token)).not.toBeNull();
    clock.advance(SESSION_IDLE_MS - 60_000);
    expect(await sessions.authenticate(token), 'the request before renewed it').not.toBeNull();
    clock.advance(SESSION_IDLE_MS);
    expect(await sessions.authenticate(token)).toBeNull();
    expect(await dataSource.getRepository(ConsoleSessionEntity).countBy({ tenantId: tenant.id }), 'an expired session is deleted').toBe(0);
  });

  it('ends a session 12 hours after sign-in however busy', async () => {
    const tenant = await newTenant();
    const { token } = await sessions.signIn(tenant.slug, 'admin', PASSWORD);
    for (let elapsed = 0; elapsed < SESSION_ABSOLUTE_MS - 20 * 60_000; elapsed += 20 * 60_000) {
      clock.advance(20 * 60_000);
      expect(await sessions.authenticate(token)).not.toBeNull();
    }
    clock.advance(20 * 60_000);
    expect(await sessions.authenticate(token)).toBeNull();
  });

  it('ends the session at sign-out, and every session of an operator when it is disabled', async () => {
    const tenant = await newTenant();
    const first = await sessions.signIn(tenant.slug, 'admin', PASSWORD);
    const second = await sessions.signIn(tenant.slug, 'admin', PASSWORD);
    await sessions.signOut(first.token);
    expect(await sessions.authenticate(first.token)).toBeNull();
    expect(await sessions.authenticate(second.token)).not.toBeNull();
    await operators.disable(tenant.id, 'admin');
    expect(await sessions.authenticate(second.token)).toBeNull();
  });
});
