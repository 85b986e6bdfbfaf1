import { randomBytes } from 'node:crypto';
import { createIssuerDataSource, KeyEncryptionCheckEntity, openDatabase, SealedPrivateKeyEntity } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import { createAgent, type IDIDManager, type IIdentifier, type IKeyManager, type TAgent } from '@veramo/core';
import { DIDStore, Key, KeyStore, PrivateKey, PrivateKeyStore } from '@veramo/data-store';
import { DIDManager } from '@veramo/did-manager';
import { EthrDIDProvider } from '@veramo/did-provider-ethr';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { computeAddress, Transaction, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { createIssuerAgent, ethrProviderName, LOCAL_KMS, type IssuerAgent } from './issuer-agent.js';
import { KeyStoreError, type KeyStoreErrorCode } from './key-sealing.js';
import { OwnerBindingDIDStore, rotateKeyEncryptionSecret, SealedPrivateKeyStore, unlockPrivateKeys } from './key-store.js';
import { ethrNetwork, type EthrNetwork } from './network.js';

const randomSecret = () => randomBytes(32).toString('hex');

/** A transaction the key manager signs without asking the chain. */
const TX = { to: Wallet.createRandom().address, value: 1n, nonce: 0, gasLimit: 21_000n, gasPrice: 1n, chainId: 31337n };

/**
 * The issuer's key store on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL), used through the Veramo
 * agent the issuer builds. The chain is never asked: creating did:ethr identities and signing transactions happen
 * in the key manager. Each case has its own database, so cases can run alone.
 */
describe('keys at rest: sealed, bound to their tenant, under a checked secret', () => {
  const opened: { db: TestDatabase; dataSources: DataSource[]; network: EthrNetwork }[] = [];

  afterEach(async () => {
    for (const { db, dataSources, network } of opened.splice(0)) {
      network.provider.destroy();
      for (const dataSource of dataSources) if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    }
  });

  async function issuerDatabase(label: string) {
    const db = testDatabase(label);
    const dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    const network = ethrNetwork({ name: 'citycred', chainId: 31337, rpcUrl: 'http://127.0.0.1:9', registry: `0x${'11'.repeat(20)}` });
    opened.push({ db, dataSources: [dataSource], network });
    const agentWith = (secret: string) => createIssuerAgent({ dataSource, keyEncryptionSecret: secret, network });
    return { db, dataSource, network, agentWith };
  }

  const newTenant = (agent: IssuerAgent, network: EthrNetwork, alias: string) => agent.didManagerCreate({ alias, provider: ethrProviderName(network) });
  const kidOf = (identifier: IIdentifier) => identifier.controllerKeyId ?? identifier.keys[0]!.kid;
  const addressOf = (identifier: IIdentifier) => computeAddress(`0x${identifier.keys[0]!.publicKeyHex}`);
  const signTx = (agent: IssuerAgent, identifier: IIdentifier) => agent.keyManagerSignEthTX({ kid: kidOf(identifier), transaction: TX });

  async function refusal(work: Promise<unknown>): Promise<KeyStoreError> {
    const error = await work.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error, 'the operation was refused').toBeInstanceOf(KeyStoreError);
    return error as KeyStoreError;
  }

  async function expectRefused(work: Promise<unknown>, code: KeyStoreErrorCode, message: RegExp) {
    const error = await refusal(work);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  }

  it('stores each key sealed and bound to its DID; the tenant signs as itself', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_sealed');
    const agent = agentWith(randomSecret());
    const alice = await newTenant(agent, network, 'alice');
    const bob = await newTenant(agent, network, 'bob');
    const rows = await dataSource.getRepository(SealedPrivateKeyEntity).find();
    expect(rows.map((r) => [r.alias, r.ownerDid]).sort()).toEqual([[kidOf(alice), alice.did], [kidOf(bob), bob.did]].sort());
    for (const row of rows) expect(row.sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(await dataSource.getRepository(PrivateKey).count(), 'nothing in Veramo\'s secretbox table').toBe(0);
    expect(Transaction.from(await signTx(agent, alice)).from).toBe(addressOf(alice));
    expect(Transaction.from(await signTx(agent, bob)).from).toBe(addressOf(bob));
    expect(await dataSource.getRepository(KeyEncryptionCheckEntity).count(), 'the check value was recorded on first use').toBe(1);
  });

  it('two tenants\' sealed keys swapped in the database: signing fails loudly for both, no key is used', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_swapped');
    const secret = randomSecret();
    const agent = agentWith(secret);
    const alice = await newTenant(agent, network, 'alice');
    const bob = await newTenant(agent, network, 'bob');
    const keys = dataSource.getRepository(SealedPrivateKeyEntity);
    const [a, b] = [await keys.findOneByOrFail({ alias: kidOf(alice) }), await keys.findOneByOrFail({ alias: kidOf(bob) })];
    await keys.update({ alias: a.alias }, { sealed: b.sealed });
    await keys.update({ alias: b.alias }, { sealed: a.sealed });
    for (const tenant of [alice, bob]) {
      await expectRefused(signTx(agent, tenant), 'KEY_SEAL_BROKEN', new RegExp(`"${kidOf(tenant)}" \\(owner ${tenant.did}\\) does not open: it was moved`));
      await expectRefused(agent.keyManagerSign({ keyRef: kidOf(tenant), data: 'hello', algorithm: 'ES256K' }), 'KEY_SEAL_BROKEN', /does not open/);
    }
    await expectRefused(agentWith(secret).keyManagerSignEthTX({ kid: kidOf(alice), transaction: TX }), 'KEY_SEAL_BROKEN', /does not open/);
  });

  it('sealed value and owner moved together to another key id: still refused (the key id is bound too)', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_moved_with_owner');
    const agent = agentWith(randomSecret());
    const alice = await newTenant(agent, network, 'alice');
    const bob = await newTenant(agent, network, 'bob');
    const keys = dataSource.getRepository(SealedPrivateKeyEntity);
    const b = await keys.findOneByOrFail({ alias: kidOf(bob) });
    await keys.update({ alias: kidOf(alice) }, { sealed: b.sealed, ownerDid: b.ownerDid });
    // Veramo's key table still gives alice's key id to alice: the moved owner is caught before the seal is tried.
    await expectRefused(signTx(agent, alice), 'KEY_OWNER_MISMATCH', new RegExp(`sealed to ${bob.did} but Veramo's key table gives it to ${alice.did}`));
    await dataSource.getRepository(Key).update({ kid: kidOf(alice) }, { identifier: { did: bob.did } });
    await expectRefused(signTx(agent, alice), 'KEY_SEAL_BROKEN', /does not open/);
  });

  it('a key handed to another tenant in Veramo\'s key table is refused as that tenant\'s key', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_repointed');
    const agent = agentWith(randomSecret());
    const alice = await newTenant(agent, network, 'alice');
    const bob = await newTenant(agent, network, 'bob');
    await dataSource.getRepository(Key).update({ kid: kidOf(bob) }, { identifier: { did: alice.did } });
    await expectRefused(signTx(agent, bob), 'KEY_OWNER_MISMATCH', /keys were moved between tenants/);
    expect(Transaction.from(await signTx(agent, alice)).from, 'alice\'s own key is untouched').toBe(addressOf(alice));
  });

  it('a key of one DID is never bound to a second DID', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_shared');
    const secret = randomSecret();
    const alice = await newTenant(agentWith(secret), network, 'alice');
    const dids = new OwnerBindingDIDStore(dataSource, new SealedPrivateKeyStore(dataSource, secret), LOCAL_KMS);
    const other = `did:ethr:citycred:0x02${'1'.repeat(64)}`;
    await expectRefused(dids.importDID({ did: other, provider: ethrProviderName(network), keys: alice.keys, services: [] }), 'KEY_OWNER_MISMATCH', new RegExp(`belongs to ${alice.did}; it is not given to ${other}`));
    expect((await dataSource.getRepository(SealedPrivateKeyEntity).findOneByOrFail({ alias: kidOf(alice) })).ownerDid).toBe(alice.did);
  });

  it('a wrong KEY_ENCRYPTION_SECRET is refused at start-up and before any key is used, never read as an empty key', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_wrong_secret');
    const secret = randomSecret();
    const alice = await newTenant(agentWith(secret), network, 'alice');
    const wrong = randomSecret();
    await expectRefused(unlockPrivateKeys(dataSource, wrong), 'KEY_SECRET_MISMATCH', /^KEY_ENCRYPTION_SECRET is not the secret of this issuer database \(its check value differs\)/);
    const agent = agentWith(wrong);
    await expectRefused(signTx(agent, alice), 'KEY_SECRET_MISMATCH', /KEY_ENCRYPTION_SECRET/);
    await expectRefused(newTenant(agent, network, 'bob'), 'KEY_SECRET_MISMATCH', /KEY_ENCRYPTION_SECRET/);
    expect(await dataSource.getRepository(SealedPrivateKeyEntity).count(), 'nothing was sealed under the wrong secret').toBe(1);
    expect(await unlockPrivateKeys(dataSource, secret)).toEqual({ checkRecorded: false, legacyKeysResealed: 0 });
  });

  it('with the check value removed, a wrong secret is still refused (proved on the keys) and the right one restores it', async () => {
    const { dataSource, network, agentWith } = await issuerDatabase('keys_check_removed');
    const secret = randomSecret();
    await newTenant(agentWith(secret), network, 'alice');
    await dataSource.getRepository(KeyEncryptionCheckEntity).clear();
    await expectRefused(unlockPrivateKeys(dataSource, randomSecret()), 'KEY_SECRET_MISMATCH', /no check value, and none of its sealed keys opens with it/);
    expect(await dataSource.getRepository(KeyEncryptionCheckEntity).count()).toBe(0);
    expect(await unlockPrivateKeys(dataSource, secret)).toEqual({ checkRecorded: true, legacyKeysResealed: 0 });
  });

  it('a weak or malformed secret is refused before anything is stored', async () => {
    const { dataSource, network } = await issuerDatabase('keys_weak_secret');
    for (const weak of ['00'.repeat(32), 'ab'.repeat(32), '0123456789abcdef'.repeat(4), 'short']) {
      const error = (() => {
        try {
          createIssuerAgent({ dataSource, keyEncryptionSecret: weak, network });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(KeyStoreError);
      expect((error as KeyStoreError).code).toBe('KEY_SECRET_WEAK');
      expect((error as KeyStoreError).message).toMatch(/^KEY_ENCRYPTION_SECRET /);
      await expectRefused(unlockPrivateKeys(dataSource, weak), 'KEY_SECRET_WEAK', /^KEY_ENCRYPTION_SECRET /);
    }
    expect(await dataSource.getRepository(KeyEncryptionCheckEntity).count()).toBe(0);
  });

  describe('upgrade from Veramo\'s secretbox rows (the format before sealing)', () => {
    /** The agent as the issuer built it before keys were sealed. */
    function legacyAgent(dataSource: DataSource, secret: string, network: EthrNetwork): TAgent<IDIDManager & IKeyManager> {
      const provider = ethrProviderName(network);
      return createAgent<IDIDManager & IKeyManager>({
        plugins: [
          new KeyManager({ store: new KeyStore(dataSource), kms: { [LOCAL_KMS]: new KeyManagementSystem(new PrivateKeyStore(dataSource, new SecretBox(secret))) } }),
          new DIDManager({
            store: new DIDStore(dataSource),
            defaultProvider: provider,
            providers: { [provider]: new EthrDIDProvider({ defaultKms: LOCAL_KMS, networks: [{ name: network.name, chainId: network.chainId, rpcUrl: network.rpcUrl, registry: network.registry, provider: network.provider }] }) },
          }),
        ],
      });
    }

    it('the first start with the secret re-seals every old key, bound to its DID, and empties the old table', async () => {
      const { dataSource, network, agentWith } = await issuerDatabase('keys_legacy');
      const secret = randomSecret();
      const old = legacyAgent(dataSource, secret, network);
      const alice = await old.didManagerCreate({ alias: 'alice', provider: ethrProviderName(network) });
      const bob = await old.didManagerCreate({ alias: 'bob', provider: ethrProviderName(network) });
      expect(await dataSource.getRepository(PrivateKey).count()).toBe(2);

      await expectRefused(unlockPrivateKeys(dataSource, randomSecret()), 'KEY_SECRET_MISMATCH', /none of its keys stored before sealing opens with it/);
      expect(await dataSource.getRepository(PrivateKey).count(), 'a refused start changes nothing').toBe(2);

      expect(await unlockPrivateKeys(dataSource, secret)).toEqual({ checkRecorded: true, legacyKeysResealed: 2 });
      expect(await dataSource.getRepository(PrivateKey).count()).toBe(0);
      const rows = await dataSource.getRepository(SealedPrivateKeyEntity).find();
      expect(rows.map((r) => [r.alias, r.ownerDid]).sort()).toEqual([[kidOf(alice), alice.did], [kidOf(bob), bob.did]].sort());
      const agent = agentWith(secret);
      expect(Transaction.from(await signTx(agent, alice)).from).toBe(addressOf(alice));
      expect(Transaction.from(await signTx(agent, bob)).from).toBe(addressOf(bob));
    });

    it('an old key altered in the database stops the upgrade, which changes nothing', async () => {
      const { dataSource, network } = await issuerDatabase('keys_legacy_altered');
      const secret = randomSecret();
      const old = legacyAgent(dataSource, secret, network);
      await old.didManagerCreate({ alias: 'alice', provider: ethrProviderName(network) });
      const bob = await old.didManagerCreate({ alias: 'bob', provider: ethrProviderName(network) });
      const legacy = dataSource.getRepository(PrivateKey);
      const row = await legacy.findOneByOrFail({ alias: kidOf(bob) });
      await legacy.update({ alias: row.alias }, { privateKeyHex: `${row.privateKeyHex.slice(0, -2)}${row.privateKeyHex.endsWith('00') ? '01' : '00'}` });
      await expectRefused(unlockPrivateKeys(dataSource, secret), 'KEY_SEAL_BROKEN', new RegExp(`"${kidOf(bob)}" stored before sealing does not open`));
      expect(await legacy.count()).toBe(2);
      expect(await dataSource.getRepository(SealedPrivateKeyEntity).count()).toBe(0);
      expect(await dataSource.getRepository(KeyEncryptionCheckEntity).count()).toBe(0);
    });
  });

  describe('rotation of KEY_ENCRYPTION_SECRET', () => {
    it('re-seals every key under the new secret in one go; the old secret then fails the check', async () => {
      const { dataSource, network, agentWith } = await issuerDatabase('keys_rotate');
      const current = randomSecret();
      const next = randomSecret();
      const agent = agentWith(current);
      const alice = await newTenant(agent, network, 'alice');
      const bob = await newTenant(agent, network, 'bob');
      const before = await dataSource.getRepository(SealedPrivateKeyEntity).find();

      expect(await rotateKeyEncryptionSecret(dataSource, { current, next })).toEqual({ resealed: 2, legacyKeysResealed: 0 });
      const after = await dataSource.getRepository(SealedPrivateKeyEntity).find();
      for (const row of after) expect(row.sealed).not.toBe(before.find((b) => b.alias === row.alias)!.sealed);

      await expectRefused(unlockPrivateKeys(dataSource, current), 'KEY_SECRET_MISMATCH', /KEY_ENCRYPTION_SECRET/);
      await expectRefused(signTx(agentWith(current), alice), 'KEY_SECRET_MISMATCH', /KEY_ENCRYPTION_SECRET/);
      const rotated = agentWith(next);
      expect(Transaction.from(await signTx(rotated, alice)).from).toBe(addressOf(alice));
      expect(Transaction.from(await signTx(rotated, bob)).from).toBe(addressOf(bob));
    });

    it('refuses a wrong current secret, the same secret twice and a weak new one, changing nothing', async () => {
      const { dataSource, network, agentWith } = await issuerDatabase('keys_rotate_refused');
      const current = randomSecret();
      await newTenant(agentWith(current), network, 'alice');
      const before = await dataSource.getRepository(SealedPrivateKeyEntity).find();
      await expectRefused(rotateKeyEncryptionSecret(dataSource, { current: randomSecret(), next: randomSecret() }), 'KEY_SECRET_MISMATCH', /^KEY_ENCRYPTION_SECRET is not/);
      await expectRefused(rotateKeyEncryptionSecret(dataSource, { current, next: current.toUpperCase() }), 'KEY_SECRET_UNCHANGED', /same as KEY_ENCRYPTION_SECRET/);
      await expectRefused(rotateKeyEncryptionSecret(dataSource, { current, next: 'ff'.repeat(32) }), 'KEY_SECRET_WEAK', /^NEW_KEY_ENCRYPTION_SECRET is too regular/);
      expect(await dataSource.getRepository(SealedPrivateKeyEntity).find()).toEqual(before);
      expect(await unlockPrivateKeys(dataSource, current)).toEqual({ checkRecorded: false, legacyKeysResealed: 0 });
    });

    it('a key that does not open stops the rotation, and nothing is re-sealed', async () => {
      const { dataSource, network, agentWith } = await issuerDatabase('keys_rotate_broken');
      const current = randomSecret();
      const agent = agentWith(current);
      const alice = await newTenant(agent, network, 'alice');
      const bob = await newTenant(agent, network, 'bob');
      const keys = dataSource.getRepository(SealedPrivateKeyEntity);
      const b = await keys.findOneByOrFail({ alias: kidOf(bob) });
      await keys.update({ alias: kidOf(alice) }, { sealed: b.sealed });
      const before = await keys.find();
      await expectRefused(rotateKeyEncryptionSecret(dataSource, { current, next: randomSecret() }), 'KEY_SEAL_BROKEN', new RegExp(`"${kidOf(alice)}"`));
      expect(await keys.find()).toEqual(before);
      expect(await unlockPrivateKeys(dataSource, current)).toEqual({ checkRecorded: false, legacyKeysResealed: 0 });
    });
  });

  it('the migration creates the tables exactly as the entities describe them', async () => {
    const { dataSource } = await issuerDatabase('keys_schema');
    const pending = await dataSource.driver.createSchemaBuilder().log();
    const ours = pending.upQueries.map((q) => q.query).filter((q) => /sealed_private_keys|key_encryption_checks/.test(q));
    expect(ours).toEqual([]);
  });
});
