import { createECDH, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createIssuerDataSource, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { IIdentifier } from '@veramo/core';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { createIssuerAgent, ethrProviderName, LOCAL_KMS } from '../issuer-agent.js';
import { KeyStoreError } from '../key-sealing.js';
import { SealedPrivateKeyStore } from '../key-store.js';
import { ethrNetwork, type EthrNetwork } from '../network.js';
import { NodeSignatureCrypto } from './node-signature-crypto.js';
import { storedSigningKeyId, TenantSignerCache } from './tenant-signer-cache.js';

const encoder = new TextEncoder();
const crypto = new NodeSignatureCrypto();

/**
 * The signer cache on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL) through the issuer's own
 * agent and sealed key store. The chain is never asked: identities are created and switched in the key manager.
 */
describe('tenant signers: keys opened once, held in memory, dropped on rotation', () => {
  const opened: { db: TestDatabase; dataSource: DataSource; network: EthrNetwork }[] = [];

  afterEach(async () => {
    for (const { db, dataSource, network } of opened.splice(0)) {
      network.provider.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    }
  });

  async function issuer(label: string) {
    const db = testDatabase(label);
    const dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    const network = ethrNetwork({ name: 'citycred', chainId: 31337, rpcUrl: 'http://127.0.0.1:9', registry: `0x${'11'.repeat(20)}` });
    opened.push({ db, dataSource, network });
    const secret = randomBytes(32).toString('hex');
    const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: secret, network });
    const store = new SealedPrivateKeyStore(dataSource, secret);
    const opens: string[] = [];
    const privateKeys = { getKey: (args: { alias: string }) => (opens.push(args.alias), store.getKey(args)) };
    const currentKeyId = storedSigningKeyId(dataSource);
    const cache = new TenantSignerCache({ currentKeyId, privateKeys });
    const newTenant = (alias: string) => agent.didManagerCreate({ alias, provider: ethrProviderName(network) });
    return { agent, store, cache, opens, newTenant, privateKeys, currentKeyId };
  }

  const keyOf = (identifier: IIdentifier) => identifier.keys[0]!;
  const verifiesAs = (signature: Uint8Array, publicKeyHex: string, input: Uint8Array) =>
    crypto.verify('ES256K', { kind: 'secp256k1', publicKey: Buffer.from(publicKeyHex, 'hex') }, input, signature);

  it('opens each tenant\'s key once and signs as that tenant from memory afterwards', async () => {
    const { cache, opens, newTenant } = await issuer('signers_once');
    const alice = await newTenant('alice');
    const bob = await newTenant('bob');
    const input = encoder.encode('header.payload');
    const [a1, a2] = await Promise.all([cache.signerFor(alice.did), cache.signerFor(alice.did)]);
    expect(a1, 'concurrent first uses share one opening').toBe(a2);
    expect(await cache.signerFor(alice.did)).toBe(a1);
    const b = await cache.signerFor(bob.did);
    expect(opens).toEqual([keyOf(alice).kid, keyOf(bob).kid]);
    expect(a1.kid).toBe(`${alice.did}#controller`);
    expect(verifiesAs(await a1.sign(input), keyOf(alice).publicKeyHex, input)).toBe(true);
    expect(verifiesAs(await b.sign(input), keyOf(bob).publicKeyHex, input)).toBe(true);
    expect(verifiesAs(await b.sign(input), keyOf(alice).publicKeyHex, input), 'bob does not sign as alice').toBe(false);
    expect(cache.size).toBe(2);
  });

  it('after a key switch signs with the new key and zeroes the old one, even when the switch was made elsewhere', async () => {
    const { agent, cache, opens, newTenant } = await issuer('signers_rotation');
    const alice = await newTenant('alice');
    const before = await cache.signerFor(alice.did);
    // Another process (the operator CLI) rotates: this cache is not told, it sees the DID's new key on its next use.
    const next = await agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256k1' });
    await agent.didManagerSwitchKey({ did: alice.did, kid: next.kid });
    const after = await cache.signerFor(alice.did);
    expect(after).not.toBe(before);
    expect(before.destroyed, 'the old key was zeroed').toBe(true);
    expect(() => before.sign(encoder.encode('x'))).toThrow(/destroyed/);
    const input = encoder.encode('after.rotation');
    expect(verifiesAs(await after.sign(input), next.publicKeyHex, input)).toBe(true);
    expect(opens).toEqual([keyOf(alice).kid, next.kid]);
    expect(cache.size).toBe(1);
  });

  it('signs for a DID stored without a controller key id with its Secp256k1 key', async () => {
    const { agent, cache } = await issuer('signers_no_controller');
    const ecdh = createECDH('secp256k1');
    ecdh.setPrivateKey(randomBytes(32));
    const publicKeyHex = ecdh.getPublicKey('hex', 'compressed');
    const did = `did:ethr:citycred:0x${publicKeyHex}`;
    await agent.didManagerImport({
      did,
      provider: 'did:ethr:citycred',
      keys: [{ kid: publicKeyHex, kms: LOCAL_KMS, type: 'Secp256k1', publicKeyHex, privateKeyHex: ecdh.getPrivateKey().toString('hex').padStart(64, '0') }],
      services: [],
    });
    const input = encoder.encode('imported.did');
    expect(verifiesAs(await (await cache.signerFor(did)).sign(input), publicKeyHex, input)).toBe(true);
  });

  it('evict(kid) zeroes the held key and the next use opens it again', async () => {
    const { cache, opens, newTenant } = await issuer('signers_evict');
    const alice = await newTenant('alice');
    const held = await cache.signerFor(alice.did);
    expect(cache.evict(keyOf(alice).kid)).toBe(true);
    expect(held.destroyed).toBe(true);
    expect(cache.evict(keyOf(alice).kid), 'nothing left to evict').toBe(false);
    const again = await cache.signerFor(alice.did);
    expect(again.destroyed).toBe(false);
    expect(opens).toEqual([keyOf(alice).kid, keyOf(alice).kid]);
  });

  it('holds at most maxEntries keys, zeroing the least recently used', async () => {
    const { currentKeyId, privateKeys, newTenant } = await issuer('signers_bounded');
    const cache = new TenantSignerCache({ currentKeyId, privateKeys, maxEntries: 2 });
    const [a, b, c] = [await newTenant('a'), await newTenant('b'), await newTenant('c')];
    const sa = await cache.signerFor(a.did);
    const sb = await cache.signerFor(b.did);
    await cache.signerFor(a.did);
    await cache.signerFor(c.did);
    expect(cache.size).toBe(2);
    expect(sb.destroyed, 'b was the least recently used').toBe(true);
    expect(sa.destroyed).toBe(false);
  });

  it('passes the key store\'s refusal on and holds nothing, and never shows a key', async () => {
    const { store, cache, newTenant } = await issuer('signers_refused');
    const alice = await newTenant('alice');
    const refusals = [() => cache.signerForKey(alice.did, 'no-such-key'), () => cache.signerFor('did:ethr:citycred:0x0000000000000000000000000000000000000001')];
    for (const refused of refusals) {
      const error = await refused().catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(KeyStoreError);
      expect((error as KeyStoreError).code).toBe('KEY_NOT_FOUND');
    }
    const signer = await cache.signerFor(alice.did);
    expect(cache.size).toBe(1);
    const { privateKeyHex } = await store.getKey({ alias: keyOf(alice).kid });
    for (const shown of [inspect(cache, { showHidden: true, depth: 4 }), inspect(signer, { showHidden: true }), JSON.stringify(signer)]) {
      expect(shown).not.toContain(privateKeyHex);
      expect(shown).not.toContain(Buffer.from(privateKeyHex, 'hex').toString('base64url'));
    }
  });
});
