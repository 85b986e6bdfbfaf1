import { randomUUID } from 'node:crypto';
import { FixedClock } from '@citycred/config';
import { ConsoleOperatorEntity, createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { AuditLog, OperatorStore, verifyPassword } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOperatorsCommand } from './operators-command.js';

/** The `operators` command's function on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL). */
describe('operators command', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let location: DatabaseLocation;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = testDatabase('operators_command');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
    dataSource = await openDatabase(createIssuerDataSource(location));
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  /** A tenant of its own for each case, so cases can run alone. */
  async function newTenant(): Promise<TenantEntity> {
    const tenant = Object.assign(new TenantEntity(), {
      id: randomUUID(),
      slug: `tenant-${randomUUID().slice(0, 8)}`,
      name: 'Test tenant',
      kind: 'department',
      did: `did:ethr:citycred:0x${randomUUID().replaceAll('-', '')}`,
      address: `0x${'00'.repeat(20)}`,
      credentialTypesJson: '["SeoulCitizenCard"]',
      createdAt: clock.now().toISOString(),
    });
    await dataSource.getRepository(TenantEntity).insert(tenant);
    return tenant;
  }

  async function run(args: string[], stdin = '') {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOperatorsCommand(args, location, { out: (l) => out.push(l), err: (l) => err.push(l), readStdin: async () => stdin }, clock);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const stored = (tenantId: string, username: string) => dataSource.getRepository(ConsoleOperatorEntity).findOneByOrFail({ tenantId, username });

  it('add without --password-stdin prints a generated password once; only its scrypt hash is stored', async () => {
    const tenant = await newTenant();
    const added = await run(['add', tenant.slug, 'Admin', '--role', 'admin', '--name', '시민카드과 관리자']);
    expect(added.code, added.err).toBe(0);
    const password = added.out;
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const row = await stored(tenant.id, 'admin');
    expect(row).toMatchObject({ role: 'admin', displayName: '시민카드과 관리자', disabledAt: null });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(password, row.passwordHash)).toBe(true);
    expect(added.err).not.toContain(password);
    const log = await new AuditLog(dataSource, clock).page(tenant.id);
    expect(log.items.map((e) => [e.action, e.actor, e.target, e.details])).toEqual([['operator.created', { kind: 'platform', id: 'cli' }, 'admin', { role: 'admin' }]]);
  });

  it('add --password-stdin takes the first line of stdin and prints no password', async () => {
    const tenant = await newTenant();
    const added = await run(['add', tenant.slug, 'desk', '--role', 'issuer', '--password-stdin'], 'a password from stdin\nignored\n');
    expect(added.code, added.err).toBe(0);
    expect(added.out).toBe('');
    expect(await verifyPassword('a password from stdin', (await stored(tenant.id, 'desk')).passwordHash)).toBe(true);
  });

  it('refuses a short password, a taken username, an unknown tenant and a bad role', async () => {
    const tenant = await newTenant();
    expect(await run(['add', tenant.slug, 'desk', '--role', 'issuer', '--password-stdin'], 'short\n')).toMatchObject({ code: 1, err: expect.stringMatching(/at least 12/) });
    expect((await run(['add', tenant.slug, 'desk', '--role', 'issuer'])).code).toBe(0);
    expect(await run(['add', tenant.slug, 'DESK', '--role', 'auditor'])).toMatchObject({ code: 1, err: expect.stringMatching(/already has an operator/) });
    expect(await run(['add', 'no-such-tenant', 'desk', '--role', 'issuer'])).toMatchObject({ code: 1, err: 'no tenant "no-such-tenant"' });
    expect((await run(['add', tenant.slug, 'desk', '--role', 'root'])).code).toBe(2);
  });

  it('lists operators per tenant and disables one (its sessions end, it cannot sign in)', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    await new OperatorStore(dataSource, clock).create(tenant.id, { username: 'auditor1', displayName: 'Auditor', role: 'auditor', password: 'long enough password' });
    await new OperatorStore(dataSource, clock).create(other.id, { username: 'auditor1', displayName: 'Other', role: 'auditor', password: 'long enough password' });
    const listed = await run(['list', tenant.slug]);
    expect(listed.code).toBe(0);
    expect(listed.out.split('\n')).toEqual([expect.stringMatching(/^TENANT\s+USERNAME\s+ROLE\s+NAME\s+CREATED\s+DISABLED$/), expect.stringMatching(new RegExp(`^${tenant.slug}\\s+auditor1\\s+auditor\\s+Auditor\\s+2026-03-02T09:00:00.000Z\\s+-$`))]);
    expect(listed.out).not.toContain('scrypt');
    expect(await run(['disable', tenant.slug, 'auditor1'])).toMatchObject({ code: 0 });
    expect(await run(['disable', tenant.slug, 'auditor1'])).toMatchObject({ code: 0, out: expect.stringMatching(/already disabled/) });
    expect((await stored(tenant.id, 'auditor1')).disabledAt).toBe(clock.now().toISOString());
    expect((await stored(other.id, 'auditor1')).disabledAt, 'the other tenant\'s namesake is untouched').toBeNull();
    expect(await run(['disable', tenant.slug, 'nobody'])).toMatchObject({ code: 1 });
    const log = await new AuditLog(dataSource, clock).page(tenant.id);
    expect(log.items.map((e) => [e.action, e.target]), 'one entry: the second disable changed nothing').toEqual([['operator.disabled', 'auditor1']]);
  });
});
