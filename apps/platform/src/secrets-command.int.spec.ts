import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createIssuerAgent, ethrNetwork, ethrProviderName, KeyStoreError, unlockPrivateKeys, type EthrNetwork } from '@citycred/did';
import { createIssuerDataSource, openDatabase, SealedPrivateKeyEntity, type DatabaseLocation } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { computeAddress, Transaction, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSecretsCommand, SECRETS_USAGE } from './secrets-command.js';

const randomSecret = () => randomBytes(32).toString('hex');
const TX = { to: Wallet.createRandom().address, value: 1n, nonce: 0, gasLimit: 21_000n, gasPrice: 1n, chainId: 31337n };

/**
 * The `secrets rotate` command's function on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL), as the
 * CLI calls it, with tenant keys made by the issuer's own agent (whose chain is never asked).
 */
describe('secrets rotate', () => {
  let db: TestDatabase;
  let location: DatabaseLocation;
  let dataSource: DataSource;
  let network: EthrNetwork;
  let secret: string;
  let tenantDid: string;
  let tenantAddress: string;
  let tenantKid: string;

  beforeAll(async () => {
    db = testDatabase('secrets_command');
    location = { url: db.url, schema: db.schema, sqlitePath: db.sqlitePath };
    dataSource = await openDatabase(createIssuerDataSource(location));
    network = ethrNetwork({ name: 'citycred', chainId: 31337, rpcUrl: 'http://127.0.0.1:9', registry: `0x${'11'.repeat(20)}` });
    secret = randomSecret();
    const identifier = await createIssuerAgent({ dataSource, keyEncryptionSecret: secret, network }).didManagerCreate({ alias: 'seoul-citizen', provider: ethrProviderName(network) });
    await createIssuerAgent({ dataSource, keyEncryptionSecret: secret, network }).didManagerCreate({ alias: 'education-office', provider: ethrProviderName(network) });
    tenantDid = identifier.did;
    tenantKid = identifier.keys[0]!.kid;
    tenantAddress = computeAddress(`0x${identifier.keys[0]!.publicKeyHex}`);
  });
  afterAll(async () => {
    network?.provider.destroy();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  async function run(args: string[], secrets: { current?: string; next?: string }, where: DatabaseLocation = location) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runSecretsCommand(args, where, secrets, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  const sealedRows = () => dataSource.getRepository(SealedPrivateKeyEntity).find({ order: { alias: 'ASC' } });

  it('usage: anything but "rotate", or a missing secret, is exit 2 and changes nothing', async () => {
    const before = await sealedRows();
    expect(await run([], { current: secret, next: randomSecret() })).toEqual({ code: 2, out: '', err: SECRETS_USAGE });
    expect((await run(['rotate', 'now'], { current: secret, next: randomSecret() })).code).toBe(2);
    const missing = await run(['rotate'], { current: secret });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('NEW_KEY_ENCRYPTION_SECRET');
    expect(await sealedRows()).toEqual(before);
  });

  it('a wrong current secret is refused (exit 1) naming KEY_ENCRYPTION_SECRET, and changes nothing', async () => {
    const before = await sealedRows();
    const wrong = randomSecret();
    const next = randomSecret();
    const refused = await run(['rotate'], { current: wrong, next });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^secrets rotate refused, nothing was changed: KEY_ENCRYPTION_SECRET is not the secret of this issuer database/);
    for (const value of [wrong, next, secret]) expect(refused.err + refused.out).not.toContain(value);
    expect(await sealedRows()).toEqual(before);
  });

  it('no SQLite file: exit 1, and no database is created', async () => {
    const nowhere = { sqlitePath: join(db.sqlitePath ?? '/tmp', '..', 'absent', 'issuer.sqlite') };
    const refused = await run(['rotate'], { current: secret, next: randomSecret() }, nowhere);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('no issuer database at');
  });

  it('re-encrypts every key under the new secret; the old secret then fails the start-up check, the new one signs', async () => {
    const before = await sealedRows();
    const next = randomSecret();
    const rotated = await run(['rotate'], { current: secret, next });
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toContain('re-encrypted 2 tenant keys under NEW_KEY_ENCRYPTION_SECRET');
    for (const value of [secret, next]) expect(rotated.err + rotated.out).not.toContain(value);
    const after = await sealedRows();
    expect(after.map((r) => [r.alias, r.ownerDid])).toEqual(before.map((r) => [r.alias, r.ownerDid]));
    after.forEach((row, i) => expect(row.sealed).not.toBe(before[i]!.sealed));

    const old = await unlockPrivateKeys(dataSource, secret).catch((error: unknown) => error);
    expect(old).toBeInstanceOf(KeyStoreError);
    expect((old as KeyStoreError).code).toBe('KEY_SECRET_MISMATCH');
    expect((old as KeyStoreError).message).toContain('KEY_ENCRYPTION_SECRET');
    const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: next, network });
    expect((await agent.didManagerGet({ did: tenantDid })).did).toBe(tenantDid);
    expect(Transaction.from(await agent.keyManagerSignEthTX({ kid: tenantKid, transaction: TX })).from).toBe(tenantAddress);
  });
});
