import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '@citycred/config';
import { AuditEntryEntity, createIssuerDataSource, openDatabase, TenantEntity, type DatabaseLocation } from '@citycred/persistence';
import { ApiKeyStore, hashApiKey } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeysCommand } from './keys-command.js';

/**
 * The `keys` command's function on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL), as the
 * CLI calls it: through the API-key administration the admin API uses, so issues and revocations enter the tenant's
 * audit log as done by `platform/cli`. The spawned CLI against a running issuer is test/e2e/api-keys.e2e.spec.ts.
 */
describe('keys command', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let location: DatabaseLocation;
  let dataSource: DataSource;
  let store: ApiKeyStore;
  let seq = 0;

  beforeAll(async () => {
    db = testDatabase('keys_command');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
    dataSource = await openDatabase(createIssuerDataSource(location));
    store = new ApiKeyStore(dataSource, clock);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  /** A tenant of its own for each case, so cases can run alone. */
  async function newTenant(): Promise<TenantEntity> {
    seq += 1;
    const tenant = Object.assign(new TenantEntity(), {
      id: randomUUID(),
      slug: `tenant-${seq}-${randomUUID().slice(0, 6)}`,
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

  /** The tenant's audit log, oldest first: action, actor and details. */
  const auditOf = async (tenant: TenantEntity) =>
    (await dataSource.getRepository(AuditEntryEntity).find({ where: { tenantId: tenant.id }, order: { seq: 'ASC' } })).map((e) => ({ action: e.action, actor: `${e.actorKind}/${e.actorId}`, target: e.target, details: JSON.parse(e.details) as unknown }));

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runKeysCommand(args, location, { out: (l) => out.push(l), err: (l) => err.push(l) }, clock);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('issues a key, printed once on stdout, that authenticates as the tenant', async () => {
    const tenant = await newTenant();
    const issued = await run('issue', tenant.slug, 'ops desk');
    expect(issued.code).toBe(0);
    expect(issued.out).toMatch(/^ccd_[A-Za-z0-9_-]{43}$/);
    expect(issued.err).toContain(`new API key for ${tenant.slug} (label "ops desk")`);
    expect(issued.err).not.toContain(issued.out);
    expect((await store.authenticate(issued.out))?.id).toBe(tenant.id);
    expect(await auditOf(tenant)).toEqual([{ action: 'api-key.issued', actor: 'platform/cli', target: tenant.slug, details: { prefix: issued.out.slice(0, 12), label: 'ops desk' } }]);
  });

  it('lists prefix, label, created and revoked — never a key or its hash', async () => {
    const tenant = await newTenant();
    const live = await store.issue(tenant.id, 'live one');
    clock.advance(1_000);
    const gone = await store.issue(tenant.id, 'gone');
    await store.revoke(gone);
    const listed = await run('list', tenant.slug);
    expect(listed.code).toBe(0);
    const lines = listed.out.split('\n');
    expect(lines[0]).toMatch(/^TENANT\s+PREFIX\s+LABEL\s+CREATED\s+REVOKED$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(live.slice(0, 12));
    expect(lines[1]).toMatch(/live one\s+2026-03-02T09:00:0\d\.000Z\s+-$/);
    expect(lines[2]).toMatch(/gone\s+\S+Z\s+2026-03-02T\S+Z$/);
    for (const key of [live, gone]) {
      expect(listed.out).not.toContain(key);
      expect(listed.out).not.toContain(hashApiKey(key));
    }
    expect((await run('list')).out).toContain(tenant.slug);
    expect(await run('list', 'no-such-tenant')).toMatchObject({ code: 1, err: 'no tenant "no-such-tenant"' });
  });

  it('revokes by prefix or whole key; a second revocation says so; an unknown key is an error', async () => {
    const tenant = await newTenant();
    const byPrefix = await store.issue(tenant.id, 'a');
    const byKey = await store.issue(tenant.id, 'b');
    const first = await run('revoke', byPrefix.slice(0, 12));
    expect(first.code).toBe(0);
    expect(first.out).toContain(`revoked ${byPrefix.slice(0, 12)}… of ${tenant.slug}`);
    expect(await store.authenticate(byPrefix)).toBeNull();
    expect((await store.authenticate(byKey))?.id, 'the other key stays live').toBe(tenant.id);
    const second = await run('revoke', byKey);
    expect(second.code).toBe(0);
    expect(second.out).not.toContain(byKey);
    expect(await store.authenticate(byKey)).toBeNull();
    expect(await run('revoke', byKey)).toMatchObject({ code: 0, out: expect.stringContaining('already revoked at') });
    expect(await run('revoke', 'ccd_nosuchkey')).toMatchObject({ code: 1, err: expect.stringContaining('no API key has this prefix') });
    // One entry per key revoked, none for the second revocation.
    expect(await auditOf(tenant)).toEqual([
      { action: 'api-key.revoked', actor: 'platform/cli', target: tenant.slug, details: { prefix: byPrefix.slice(0, 12), label: 'a' } },
      { action: 'api-key.revoked', actor: 'platform/cli', target: tenant.slug, details: { prefix: byKey.slice(0, 12), label: 'b' } },
    ]);
  });

  it('revokes nothing when several live keys share the prefix given', async () => {
    const tenant = await newTenant();
    const a = await store.issue(tenant.id, 'a');
    const b = await store.issue(tenant.id, 'b');
    // Prefixes carry 48 random bits and do not collide in practice; make them collide on purpose.
    await dataSource.query(`UPDATE api_keys SET prefix = 'ccd_SAMEPREF' WHERE key_hash IN (${dataSource.options.type === 'postgres' ? '$1, $2' : '?, ?'})`, [hashApiKey(a), hashApiKey(b)]);
    expect(await run('revoke', 'ccd_SAMEPREF')).toMatchObject({ code: 1, err: '2 live keys share this prefix; give the whole key' });
    expect((await store.authenticate(a))?.id).toBe(tenant.id);
    expect((await store.authenticate(b))?.id).toBe(tenant.id);
    expect(await auditOf(tenant)).toEqual([]);
  });

  it('refuses an unknown tenant, a label with control characters, and bad usage', async () => {
    const tenant = await newTenant();
    expect(await run('issue', 'no-such-tenant')).toMatchObject({ code: 1, err: expect.stringContaining('no tenant "no-such-tenant"') });
    expect(await run('issue', tenant.slug, 'evil\u001b[2Jlabel')).toMatchObject({ code: 1, err: expect.stringContaining('printable') });
    expect(await run('issue', tenant.slug, 'x'.repeat(101))).toMatchObject({ code: 1 });
    expect(await store.list(tenant.slug)).toEqual([]);
    expect(await auditOf(tenant)).toEqual([]);
    for (const args of [[], ['rotate'], ['revoke'], ['revoke', 'a', 'b'], ['issue']]) expect((await run(...args)).code).toBe(2);
  });

  it('never creates an SQLite database that is not there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-nodb-'));
    try {
      const missing = join(dir, 'issuer.sqlite');
      const out: string[] = [];
      const code = await runKeysCommand(['list'], { sqlitePath: missing }, { out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(code).toBe(1);
      expect(out.join('\n')).toContain(`no issuer database at ${missing}: run "npm start" once first`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
