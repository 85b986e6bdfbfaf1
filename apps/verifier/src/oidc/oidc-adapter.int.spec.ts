import { FixedClock } from '@citycred/config';
import { createVerifierDataSource, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { errors } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcAdapter } from './oidc-adapter.js';
import { loadOidcSecrets } from './oidc-secrets.js';
import { OIDC_ENTITIES, OIDC_MIGRATIONS } from './schema.js';

/**
 * oidc-provider's storage on the real database (SQLite, or PostgreSQL when DATABASE_URL is set): what a second
 * process (a restart) finds, expiry by the injected clock, single-use codes — also when two uses race —, revocation
 * by grant, and the provider's secrets made once.
 */
describe('OidcAdapter', () => {
  const clock = new FixedClock(new Date('2026-06-01T01:00:00Z'));
  let db: TestDatabase;
  let dataSource: DataSource;
  let second: DataSource;

  const open = () => openDatabase(createVerifierDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }, { entities: [...OIDC_ENTITIES], migrations: [...OIDC_MIGRATIONS] }));

  beforeAll(async () => {
    db = testDatabase('oidc_adapter');
    dataSource = await open();
    second = await open();
  });
  afterAll(async () => {
    await second?.destroy();
    await dataSource?.destroy();
    await db?.drop();
  });

  it('keeps what one process stored for another (a restart), until it expires', async () => {
    await new OidcAdapter('Session', dataSource, clock).upsert('s1', { uid: 'u1', accountId: 'acc', exp: 1 }, 60);
    const other = new OidcAdapter('Session', second, clock);
    expect(await other.find('s1')).toEqual({ uid: 'u1', accountId: 'acc', exp: 1 });
    expect(await other.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'acc', exp: 1 });
    // Another model with the same id is another row.
    expect(await new OidcAdapter('Interaction', second, clock).find('s1')).toBeUndefined();
    // Upserting replaces.
    await other.upsert('s1', { uid: 'u1', accountId: 'acc2' }, 60);
    expect(await new OidcAdapter('Session', dataSource, clock).find('s1')).toMatchObject({ accountId: 'acc2' });
    clock.advance(60_000);
    expect(await other.find('s1')).toBeUndefined();
    expect(await other.purgeExpired()).toBeGreaterThanOrEqual(1);
    clock.set(new Date('2026-06-01T01:00:00Z'));
  });

  it('lets a code be used once: a second use, even racing, is invalid_grant', async () => {
    const codes = new OidcAdapter('AuthorizationCode', dataSource, clock);
    await codes.upsert('c1', { grantId: 'g1', accountId: 'acc' }, 60);
    await codes.consume('c1');
    expect(await codes.find('c1')).toMatchObject({ consumed: Math.floor(clock.now().getTime() / 1000) });
    await expect(new OidcAdapter('AuthorizationCode', second, clock).consume('c1')).rejects.toBeInstanceOf(errors.InvalidGrant);

    await codes.upsert('c2', { grantId: 'g2' }, 60);
    const raced = await Promise.allSettled([codes.consume('c2'), new OidcAdapter('AuthorizationCode', second, clock).consume('c2')]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(raced.filter((r) => r.status === 'rejected')).toHaveLength(1);
    await expect(codes.consume('unknown')).rejects.toBeInstanceOf(errors.InvalidGrant);
  });

  it('revokes a grant’s codes and tokens, not others’, and destroys one instance', async () => {
    const codes = new OidcAdapter('AuthorizationCode', dataSource, clock);
    const tokens = new OidcAdapter('AccessToken', dataSource, clock);
    await codes.upsert('c3', { grantId: 'g3' }, 60);
    await tokens.upsert('t3', { grantId: 'g3' }, 60);
    await codes.upsert('c4', { grantId: 'g4' }, 60);
    await codes.revokeByGrantId('g3');
    await tokens.revokeByGrantId('g3');
    expect(await codes.find('c3')).toBeUndefined();
    expect(await tokens.find('t3')).toBeUndefined();
    expect(await codes.find('c4')).toBeDefined();
    await codes.destroy('c4');
    expect(await codes.find('c4')).toBeUndefined();
  });

  it('makes the provider’s secrets once, the same for every process', async () => {
    const [a, b] = await Promise.all([loadOidcSecrets(dataSource, clock), loadOidcSecrets(second, clock)]);
    expect(b).toEqual(a);
    expect(a.signingKeys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    expect(a.signingKeys.every((k) => typeof k.d === 'string' && typeof k.kid === 'string')).toBe(true);
    expect(a.accountKey).toHaveLength(32);
    expect(Buffer.from(a.accountKey).equals(Buffer.from(a.pairwiseSalt))).toBe(false);
    expect(await loadOidcSecrets(second, clock)).toEqual(a);
  });
});
