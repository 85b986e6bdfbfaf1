import { randomBytes } from 'node:crypto';
import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FixedClock } from '@citycred/config';
import { createIssuerAgent, ethrNetwork, type EthrNetwork } from '@citycred/did';
import { createHttpApp, listen } from '@citycred/http';
import { createIssuerDataSource, openDatabase, type TenantEntity } from '@citycred/persistence';
import { ApiKeyStore, DEMO_TENANTS, TenantDirectory } from '@citycred/tenancy';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource, Logger } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeyGuard } from './api-key.guard.js';
import { CurrentTenant } from './current-tenant.js';
import { TenantsModule } from './tenants.module.js';

/** A route that does nothing but pass the guard, so every statement a request runs is the guard's. */
@Controller('whoami')
@UseGuards(ApiKeyGuard)
class WhoAmIController {
  @Get()
  whoAmI(@CurrentTenant() tenant: TenantEntity) {
    return { tenant: tenant.slug };
  }
}

/**
 * Records every SQL statement TypeORM sends on a data source: each query runner reports each statement to
 * the connection's logger before running it, whatever the `logging` option says.
 */
function recordStatements(dataSource: DataSource): string[] {
  const statements: string[] = [];
  const inner = dataSource.logger;
  const recording: Logger = {
    logQuery: (query, parameters, runner) => {
      statements.push(query);
      inner.logQuery(query, parameters, runner);
    },
    logQueryError: (error, query, parameters, runner) => inner.logQueryError(error, query, parameters, runner),
    logQuerySlow: (time, query, parameters, runner) => inner.logQuerySlow(time, query, parameters, runner),
    logSchemaBuild: (message, runner) => inner.logSchemaBuild(message, runner),
    logMigration: (message, runner) => inner.logMigration(message, runner),
    log: (level, message, runner) => inner.log(level, message, runner),
  };
  (dataSource as { logger: Logger }).logger = recording;
  return statements;
}

/**
 * The API-key guard in a real Nest/Fastify server on a real issuer database (SQLite, or PostgreSQL with
 * DATABASE_URL), with the tenant directory the issuer builds. The agent is real too; its chain is never asked
 * (nothing here signs or resolves). Time is a FixedClock, so the cache TTL is crossed without waiting.
 */
describe('ApiKeyGuard: API keys cached by hash, revocation honoured', () => {
  const ttlMs = 5_000;
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;
  /** A second connection to the same database, as the `keys` CLI opens in its own process. */
  let otherProcess: DataSource;
  let network: EthrNetwork;
  let directory: TenantDirectory;
  let tenant: TenantEntity;
  let app: NestFastifyApplication;
  let url: string;
  let statements: string[];

  beforeAll(async () => {
    db = testDatabase('api_key_guard');
    const location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
    dataSource = await openDatabase(createIssuerDataSource(location));
    otherProcess = await openDatabase(createIssuerDataSource(location));
    network = ethrNetwork({ name: 'citycred', chainId: 31337, rpcUrl: 'http://127.0.0.1:9', registry: `0x${'11'.repeat(20)}` });
    const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: randomBytes(32).toString('hex'), network });
    directory = new TenantDirectory(dataSource, agent, network, clock, { apiKeyCache: { ttlMs } });
    tenant = (await directory.ensureTenant(DEMO_TENANTS[0]!)).tenant;

    @Module({ imports: [TenantsModule.register(directory)], controllers: [WhoAmIController] })
    class GuardTestModule {}
    app = await createHttpApp(GuardTestModule, { logLevels: [] });
    url = await listen(app, 0, '127.0.0.1');
    statements = recordStatements(dataSource);
  });

  afterAll(async () => {
    await app?.close();
    network?.provider.destroy();
    if (otherProcess?.isInitialized) await otherProcess.destroy();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  beforeEach(() => {
    statements.length = 0;
  });

  const whoAmI = async (apiKey: string) => {
    const res = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${apiKey}` } });
    return { status: res.status, body: (await res.json()) as { tenant?: string; code?: string; detail?: string } };
  };

  it('runs one statement for a key it has not seen, then none while the cache holds it', async () => {
    const apiKey = await directory.issueApiKey(tenant.id, 'guard-test');
    statements.length = 0;
    expect(await whoAmI(apiKey)).toEqual({ status: 200, body: { tenant: tenant.slug } });
    expect(statements, 'a cold request reads key and tenant in one statement').toHaveLength(1);
    statements.length = 0;
    for (let i = 0; i < 5; i += 1) expect(await whoAmI(apiKey)).toEqual({ status: 200, body: { tenant: tenant.slug } });
    expect(statements, 'warm requests run no statement').toEqual([]);
    clock.advance(ttlMs);
    expect((await whoAmI(apiKey)).status).toBe(200);
    expect(statements, 'after the TTL the key is read again').toHaveLength(1);
  });

  it('never caches an unknown key (each one costs its statement, none is remembered), and never echoes it', async () => {
    const unknown = `ccd_${'A'.repeat(43)}`;
    for (let i = 0; i < 3; i += 1) {
      const res = await whoAmI(unknown);
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.invalid-api-key');
      expect(JSON.stringify(res.body)).not.toContain(unknown);
    }
    expect(statements).toHaveLength(3);
  });

  it('refuses a key revoked through the directory from the very next request', async () => {
    const apiKey = await directory.issueApiKey(tenant.id, 'revoked-in-process');
    expect((await whoAmI(apiKey)).status).toBe(200);
    expect((await whoAmI(apiKey)).status).toBe(200);
    const revocation = await directory.revokeApiKey(apiKey.slice(0, 12));
    expect(revocation).toMatchObject({ outcome: 'revoked', key: { tenantSlug: tenant.slug, label: 'revoked-in-process', revokedAt: clock.now().toISOString() } });
    const res = await whoAmI(apiKey);
    expect(res).toMatchObject({ status: 401, body: { code: 'auth.invalid-api-key' } });
  });

  it('refuses a key revoked by another process once the TTL has passed since it was last read', async () => {
    const apiKey = await directory.issueApiKey(tenant.id, 'revoked-by-cli');
    expect((await whoAmI(apiKey)).status).toBe(200);
    const cli = new ApiKeyStore(otherProcess, clock);
    expect(await cli.revoke(apiKey)).toMatchObject({ outcome: 'revoked' });
    clock.advance(ttlMs - 1);
    expect((await whoAmI(apiKey)).status, 'within the TTL the cached answer stands (documented)').toBe(200);
    clock.advance(1);
    expect(await whoAmI(apiKey)).toMatchObject({ status: 401, body: { code: 'auth.invalid-api-key' } });
  });

  it('lists keys without the keys themselves, live and revoked, oldest first', async () => {
    const other = (await directory.ensureTenant(DEMO_TENANTS[1]!)).tenant;
    const first = await directory.issueApiKey(other.id, 'first');
    clock.advance(1_000);
    await directory.issueApiKey(other.id, 'second');
    await directory.revokeApiKey(first);
    const keys = await directory.listApiKeys(other.slug);
    expect(keys.map((k) => [k.tenantSlug, k.label, k.revokedAt !== null])).toEqual([
      [other.slug, 'first', true],
      [other.slug, 'second', false],
    ]);
    expect(keys[0]!.prefix).toBe(first.slice(0, 12));
    expect(JSON.stringify(keys)).not.toMatch(/ccd_[A-Za-z0-9_-]{43}|[0-9a-f]{64}/);
    expect(await directory.listApiKeys('no-such-tenant')).toEqual([]);
  });
});
