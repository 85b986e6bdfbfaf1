import { randomBytes, webcrypto } from 'node:crypto';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha2';
import { FixedClock } from '@citycred/config';
import { createIssuerAgent, ethrNetwork, type EthrNetwork } from '@citycred/did';
import { credentialFormat, type JwsSigner } from '@citycred/formats';
import { createHttpApp, listen } from '@citycred/http';
import {
  AnchorOutboxEntity,
  createIssuerDataSource,
  inTransaction,
  openDatabase,
  StatusEntryEntity,
  StatusHistoryEntity,
  StatusListEntity,
  type TenantEntity,
} from '@citycred/persistence';
import {
  checkBitstringStatus,
  checkTokenStatus,
  decodeBitstring,
  decodeTokenStatusList,
  type BitstringStatusListEntry,
  type RandomSource,
} from '@citycred/status-list';
import { DEMO_TENANTS, TenantDirectory } from '@citycred/tenancy';
import { testDatabase, testPostgresUrl, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorQueue } from '../anchoring/anchor-queue.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { statusListSignerFrom } from './compact-jws.js';
import type { StatusListAnchorQueue, StatusListSigner, StatusListTenant } from './ports.js';
import { StatusListModule } from './status-list.module.js';
import { STATUS_LIST_SIZE, StatusLists, type AllocatedStatus } from './status-lists.service.js';

const PUBLIC_URL = 'https://issuer.citycred.test';
const MAX_AGE = 300;

/** The anchoring module's real queue: the outbox row is written in the caller's transaction. */
const testAnchorQueue: StatusListAnchorQueue = new AnchorQueue();

/** The tenant's signer: ES256K on @noble/curves with a throwaway key per tenant (the issuer's is libs/did's libsecp256k1 one). */
const keys = new Map<string, Uint8Array>();
function testSigner(tenant: StatusListTenant): JwsSigner {
  if (!keys.has(tenant.id)) keys.set(tenant.id, secp256k1.utils.randomPrivateKey());
  const key = keys.get(tenant.id)!;
  return { alg: 'ES256K', kid: `${tenant.did}#controllerKey`, sign: (input) => secp256k1.sign(sha256(input), key).toCompactRawBytes() };
}
/** The real `vc+jwt` format of libs/formats. */
const testVcJwt = credentialFormat('vc+jwt');

function verifiesWithTenantKey(jwt: string, tenant: StatusListTenant): boolean {
  const [header, payload, signature] = jwt.split('.');
  const publicKey = secp256k1.getPublicKey(keys.get(tenant.id)!);
  return secp256k1.verify(Buffer.from(signature!, 'base64url'), sha256(new TextEncoder().encode(`${header}.${payload}`)), publicKey);
}

function decodeJwt(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(header!, 'base64url').toString()), payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()) };
}

/**
 * Random source whose first draws are scripted (to force two transactions onto the same index), then the OS CSPRNG.
 */
function scriptedRandom(script: number[][]): RandomSource {
  return (n) => {
    const next = script.shift();
    return next ? new Uint8Array(next) : webcrypto.getRandomValues(new Uint8Array(n));
  };
}

/**
 * The status-list module on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL): the StatusLists
 * facade directly, and its two HTTP routes in a real Nest/Fastify app with the real API-key guard, the real anchor
 * queue and `vc+jwt` format; tenant keys are throwaway noble keys (the chain is never asked).
 */
describe('StatusLists on a real database', () => {
  const clock = new FixedClock('2026-03-02T09:00:00Z');
  let db: TestDatabase;
  let dataSource: DataSource;
  let network: EthrNetwork;
  let directory: TenantDirectory;
  let tenant: TenantEntity;
  let other: TenantEntity;
  /** Used only by the concurrency cases, so each starts from a state it sets up itself. */
  let racer: TenantEntity;
  let apiKey: string;
  let otherApiKey: string;
  let signer: StatusListSigner;
  let statusLists: StatusLists;
  let app: NestFastifyApplication;
  let url: string;
  let credentialCounter = 0;

  beforeAll(async () => {
    db = testDatabase('status_lists');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    network = ethrNetwork({ name: 'citycred', chainId: 31337, rpcUrl: 'http://127.0.0.1:9', registry: `0x${'11'.repeat(20)}` });
    const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: randomBytes(32).toString('hex'), network });
    directory = new TenantDirectory(dataSource, agent, network, clock, { apiKeyCache: { ttlMs: 0 } });
    tenant = (await directory.ensureTenant(DEMO_TENANTS[0]!)).tenant;
    other = (await directory.ensureTenant(DEMO_TENANTS[1]!)).tenant;
    racer = (await directory.ensureTenant(DEMO_TENANTS[2]!)).tenant;
    apiKey = await directory.issueApiKey(tenant.id, 'status-test');
    otherApiKey = await directory.issueApiKey(other.id, 'status-test');
    signer = statusListSignerFrom(async (t) => testSigner(t), testVcJwt);
    const settings = { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE };
    statusLists = new StatusLists(dataSource, clock, settings, signer, testAnchorQueue, scriptedRandom([]));

    @Module({ imports: [TenantsModule.register(directory), StatusListModule.register({ dataSource, clock, settings, signer, anchorQueue: testAnchorQueue })] })
    class StatusListTestModule {}
    app = await createHttpApp(StatusListTestModule, { logLevels: [] });
    url = await listen(app, 0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    network?.provider.destroy();
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  const newCredentialId = () => `urn:uuid:00000000-0000-4000-8000-${String((credentialCounter += 1)).padStart(12, '0')}`;

  /** Allocates in its own transaction, as the issuance command does inside its own. */
  const allocate = (t: StatusListTenant, kind: 'bitstring' | 'token', purposes?: Array<'revocation' | 'suspension'>, service = statusLists) => {
    const credentialId = newCredentialId();
    return inTransaction(dataSource, (manager) => service.allocate(manager, t, { credentialId, kind, ...(purposes ? { purposes } : {}) })).then((status) => ({ credentialId, status }));
  };

  const listRow = (id: string) => dataSource.getRepository(StatusListEntity).findOneByOrFail({ id });
  const listIdOf = (listUrl: string) => listUrl.slice(`${PUBLIC_URL}/status-lists/`.length);
  const bitstringEntries = (status: AllocatedStatus) => {
    if (status.kind !== 'bitstring') throw new Error('expected bitstring entries');
    return status.entries;
  };
  const anchored = async (tenantId: string) => dataSource.getRepository(AnchorOutboxEntity).find({ where: { tenantId, kind: 'status-list' } });
  const published = async (listUrl: string) => {
    const res = await fetch(`${url}/status-lists/${listIdOf(listUrl)}`);
    expect(res.status).toBe(200);
    return { res, jwt: await res.text() };
  };

  describe('allocation', () => {
    it('gives a bitstring credential one entry per purpose, in lists published, signed by the tenant and anchored', async () => {
      const anchoredBefore = (await anchored(tenant.id)).length;
      const { status } = await allocate(tenant, 'bitstring', ['revocation', 'suspension']);
      const entries = bitstringEntries(status);
      expect(entries.map((e) => e.statusPurpose)).toEqual(['revocation', 'suspension']);
      for (const entry of entries) {
        expect(entry.statusListCredential).toMatch(new RegExp(`^${PUBLIC_URL}/status-lists/[0-9a-f-]{36}$`));
        expect(entry.id).toBe(`${entry.statusListCredential}#${entry.statusListIndex}`);
        const row = await listRow(listIdOf(entry.statusListCredential));
        expect(row).toMatchObject({ tenantId: tenant.id, kind: 'bitstring', purpose: entry.statusPurpose, size: STATUS_LIST_SIZE, version: 1 });
        expect(verifiesWithTenantKey(row.publishedJwt, tenant)).toBe(true);
        const { payload } = decodeJwt(row.publishedJwt);
        expect(checkBitstringStatus({ entry, credentialIssuer: tenant.did, listCredential: payload })).toMatchObject({ status: 'passed' });
      }
      expect((await anchored(tenant.id)).length, 'each newly opened list is anchored once').toBe(anchoredBefore + 2);
    });

    it('hands out distinct, random indexes spread over the whole list (not in issuance order) from the same list', async () => {
      const indexes: number[] = [];
      const lists = new Set<string>();
      for (let i = 0; i < 40; i += 1) {
        const [entry] = bitstringEntries((await allocate(tenant, 'bitstring', ['revocation'])).status);
        indexes.push(Number(entry!.statusListIndex));
        lists.add(entry!.statusListCredential);
      }
      expect(lists.size).toBe(1);
      expect(new Set(indexes).size).toBe(40);
      expect(indexes).not.toEqual([...indexes].sort((a, b) => a - b));
      // 40 uniform draws all miss a quarter of the list with probability 4 · (3/4)^40 ≈ 4 · 10⁻⁵ … all quarters are hit
      // but in 1 run of 25,000; missing two quarters (the check below) happens once in ~10¹¹ runs.
      const quarters = new Set(indexes.map((index) => Math.floor((index * 4) / STATUS_LIST_SIZE)));
      expect(quarters.size, `indexes ${indexes.join(', ')}`).toBeGreaterThanOrEqual(3);
      const gaps = indexes.slice(1).map((index, i) => Math.abs(index - indexes[i]!));
      expect(gaps.filter((gap) => gap === 1), 'consecutive allocations do not get neighbouring indexes').toHaveLength(0);
      const listId = listIdOf([...lists][0]!);
      const stored = await dataSource.getRepository(StatusEntryEntity).find({ where: { listId } });
      expect(stored.map((e) => e.index)).toEqual(expect.arrayContaining(indexes));
    });

    it('opens the next list once half the current one is handed out, and keeps old credentials in the old one', async () => {
      const first = bitstringEntries((await allocate(other, 'bitstring', ['revocation'])).status)[0]!;
      const firstList = await listRow(listIdOf(first.statusListCredential));
      // Fill the list to one entry below half, as earlier credentials would have (fictional ids, every other index,
      // of the parity the first entry does not have).
      const postgres = dataSource.options.type === 'postgres';
      await dataSource.query(
        `WITH RECURSIVE filler(i) AS (SELECT ${postgres ? '$1::int' : '?'} UNION ALL SELECT i + 2 FROM filler WHERE i + 2 < ${STATUS_LIST_SIZE - 4})
         INSERT INTO status_entries (list_id, status_index, credential_id, created_at) SELECT ${postgres ? '$2' : '?'}, i, 'urn:uuid:filler-' || i, ${postgres ? '$3' : '?'} FROM filler`,
        [1 - (Number(first.statusListIndex) % 2), firstList.id, firstList.createdAt],
      );
      expect(await dataSource.getRepository(StatusEntryEntity).countBy({ listId: firstList.id })).toBe(STATUS_LIST_SIZE / 2 - 1);
      // Another process (a new instance) finds the list one entry below half full: its last free place is taken here…
      const anotherProcess = new StatusLists(dataSource, clock, { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE }, signer, testAnchorQueue, scriptedRandom([]));
      const anchorsBefore = (await anchored(other.id)).length;
      const stillFirst = bitstringEntries((await allocate(other, 'bitstring', ['revocation'], anotherProcess)).status)[0]!;
      expect(stillFirst.statusListCredential).toBe(first.statusListCredential);
      expect(await dataSource.getRepository(StatusEntryEntity).countBy({ listId: firstList.id })).toBe(STATUS_LIST_SIZE / 2);
      // … and the next credential opens the next list, anchored once.
      const next = bitstringEntries((await allocate(other, 'bitstring', ['revocation'], anotherProcess)).status)[0]!;
      expect(next.statusListCredential).not.toBe(first.statusListCredential);
      expect(await listRow(listIdOf(next.statusListCredential))).toMatchObject({ seq: firstList.seq + 1, purpose: 'revocation', version: 1 });
      expect(await dataSource.getRepository(StatusEntryEntity).countBy({ listId: listIdOf(next.statusListCredential) })).toBe(1);
      expect((await anchored(other.id)).length).toBe(anchorsBefore + 1);
      // The first instance's cached list is recounted before it is used again, so it moves to the new list too.
      const fromFirstProcess = bitstringEntries((await allocate(other, 'bitstring', ['revocation'])).status)[0]!;
      expect(fromFirstProcess.statusListCredential).toBe(next.statusListCredential);
      expect(await dataSource.getRepository(StatusEntryEntity).countBy({ listId: firstList.id })).toBe(STATUS_LIST_SIZE / 2);
    });

    it('gives a token credential {uri, index} in a 2-bit token list', async () => {
      const { status } = await allocate(tenant, 'token');
      expect(status).toMatchObject({ kind: 'token', uri: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/status-lists/`)) });
      if (status.kind !== 'token') throw new Error('expected a token status');
      const row = await listRow(listIdOf(status.uri));
      expect(row).toMatchObject({ kind: 'token', purpose: 'status', bitsPerEntry: 2 });
      const { header, payload } = decodeJwt(row.publishedJwt);
      expect(header).toEqual({ alg: 'ES256K', typ: 'statuslist+jwt', kid: `${tenant.did}#controllerKey` });
      expect(payload).toMatchObject({ sub: status.uri, ttl: MAX_AGE });
      expect(decodeTokenStatusList(payload['status_list']).length).toBe(STATUS_LIST_SIZE);
    });

    it('signs a list it opens with the signer the issuance passes, without looking one up inside the transaction', async () => {
      const lookups: string[] = [];
      const counting = new StatusLists(
        dataSource,
        clock,
        { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE },
        { ...signer, signerFor: async (t) => (lookups.push(t.id), testSigner(t)) },
        testAnchorQueue,
        scriptedRandom([]),
      );
      const status = await inTransaction(dataSource, (manager) => counting.allocate(manager, other, { credentialId: newCredentialId(), kind: 'token', signer: testSigner(other) }));
      if (status.kind !== 'token') throw new Error('expected a token status');
      const row = await listRow(listIdOf(status.uri));
      expect(row).toMatchObject({ tenantId: other.id, kind: 'token', seq: 1 });
      expect(verifiesWithTenantKey(row.publishedJwt, other)).toBe(true);
      expect(lookups).toEqual([]);
    });

    it('keeps nothing of an allocation whose issuance transaction rolls back', async () => {
      const before = await dataSource.getRepository(StatusEntryEntity).count();
      await expect(
        inTransaction(dataSource, async (manager) => {
          await statusLists.allocate(manager, tenant, { credentialId: newCredentialId(), kind: 'bitstring', purposes: ['revocation'] });
          throw new Error('signing failed');
        }),
      ).rejects.toThrow('signing failed');
      expect(await dataSource.getRepository(StatusEntryEntity).count()).toBe(before);
    });

    it('never uses a list whose opening transaction rolled back', async () => {
      const { status } = await allocate(tenant, 'token');
      if (status.kind !== 'token') throw new Error('expected a token status');
      const current = await listRow(listIdOf(status.uri));
      const full = await dataSource.getRepository(StatusEntryEntity).countBy({ listId: current.id });
      const settings = { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE };
      const oneProcess = new StatusLists(dataSource, clock, settings, signer, testAnchorQueue, scriptedRandom([]), { capacity: full });
      let openedUri = '';
      await expect(
        inTransaction(dataSource, async (manager) => {
          const opened = await oneProcess.allocate(manager, tenant, { credentialId: newCredentialId(), kind: 'token' });
          openedUri = opened.kind === 'token' ? opened.uri : '';
          throw new Error('signing failed');
        }),
      ).rejects.toThrow('signing failed');
      expect(openedUri).not.toBe(status.uri);
      expect(await dataSource.getRepository(StatusListEntity).existsBy({ id: listIdOf(openedUri) })).toBe(false);
      const { status: next } = await allocate(tenant, 'token', undefined, oneProcess);
      if (next.kind !== 'token') throw new Error('expected a token status');
      expect(next.uri).not.toBe(openedUri);
      expect(await listRow(listIdOf(next.uri))).toMatchObject({ seq: current.seq + 1 });
    });
  });

  describe.runIf(testPostgresUrl() !== undefined)('concurrent allocation (PostgreSQL)', () => {
    /** Waits until a statement on the status tables is blocked on a lock held by another transaction. */
    async function someoneWaitsOnALock(): Promise<void> {
      for (;;) {
        const [row] = await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query ILIKE '%status_lists%' OR query ILIKE '%status_entries%')`,
        );
        if (row.n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    /**
     * The first transaction allocates and stays open; the second starts while it is open and is made to draw the
     * same index first. It must wait for the first and then take another index, whether the list already existed
     * (row lock) or both start by opening it (unique sequence).
     */
    async function raceTwo(t: StatusListTenant, purpose: 'revocation' | 'suspension'): Promise<[BitstringStatusListEntry, BitstringStatusListEntry]> {
      const sameIndex = [0, 0, 0x30, 0x39];
      const service = new StatusLists(dataSource, clock, { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE }, signer, testAnchorQueue, scriptedRandom([sameIndex, sameIndex]));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let firstAllocated!: () => void;
      const allocatedOnce = new Promise<void>((resolve) => (firstAllocated = resolve));
      const first = inTransaction(dataSource, async (manager) => {
        const status = await service.allocate(manager, t, { credentialId: newCredentialId(), kind: 'bitstring', purposes: [purpose] });
        firstAllocated();
        await gate;
        return status;
      });
      await allocatedOnce;
      const second = inTransaction(dataSource, (manager) => service.allocate(manager, t, { credentialId: newCredentialId(), kind: 'bitstring', purposes: [purpose] }));
      await someoneWaitsOnALock();
      release();
      const [a, b] = await Promise.all([first, second]);
      return [bitstringEntries(a)[0]!, bitstringEntries(b)[0]!];
    }

    it('two first allocations of a tenant open one list and get different indexes', async () => {
      expect(await dataSource.getRepository(StatusListEntity).countBy({ tenantId: racer.id, purpose: 'suspension' })).toBe(0);
      const [a, b] = await raceTwo(racer, 'suspension');
      expect(a.statusListCredential).toBe(b.statusListCredential);
      expect(a.statusListIndex).toBe(String(0x3039));
      expect(b.statusListIndex).not.toBe(a.statusListIndex);
      expect(await dataSource.getRepository(StatusListEntity).countBy({ tenantId: racer.id, kind: 'bitstring', purpose: 'suspension' })).toBe(1);
    });

    it('two allocations on an existing list get different indexes and both are stored', async () => {
      await allocate(racer, 'bitstring', ['revocation']);
      const [a, b] = await raceTwo(racer, 'revocation');
      expect(a.statusListCredential).toBe(b.statusListCredential);
      expect(b.statusListIndex).not.toBe(a.statusListIndex);
      const stored = await dataSource.getRepository(StatusEntryEntity).findBy({ listId: listIdOf(a.statusListCredential) });
      expect(stored.map((e) => e.index)).toEqual(expect.arrayContaining([Number(a.statusListIndex), Number(b.statusListIndex)]));
    });

    it('50 concurrent issuances of one tenant all succeed, with 50 distinct indexes per purpose', async () => {
      const results = await Promise.all(Array.from({ length: 50 }, () => allocate(racer, 'bitstring', ['revocation', 'suspension'])));
      for (const purpose of ['revocation', 'suspension'] as const) {
        const entries = results.map(({ status }) => bitstringEntries(status).find((e) => e.statusPurpose === purpose)!);
        expect(new Set(entries.map((e) => e.statusListCredential)).size).toBe(1);
        expect(new Set(entries.map((e) => e.statusListIndex)).size).toBe(50);
      }
    });

    it('two processes allocating concurrently on a list at its fill limit open exactly one next list, anchored once', async () => {
      const options = { capacity: 20 };
      const settings = { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE };
      const processA = new StatusLists(dataSource, clock, settings, signer, testAnchorQueue, scriptedRandom([]), options);
      const processB = new StatusLists(dataSource, clock, settings, signer, testAnchorQueue, scriptedRandom([]), options);
      const tokenLists = () => dataSource.getRepository(StatusListEntity).find({ where: { tenantId: racer.id, kind: 'token' }, order: { seq: 'ASC' } });
      expect(await tokenLists()).toHaveLength(0);
      for (let i = 0; i < 19; i += 1) await allocate(racer, 'token', undefined, processA);
      await allocate(racer, 'token', undefined, processB);
      const anchorsBefore = (await anchored(racer.id)).length;
      // The first list is now full (20 of 20); both processes still have it cached, A with a stale count.
      const racing = [...Array.from({ length: 8 }, () => allocate(racer, 'token', undefined, processA)), ...Array.from({ length: 8 }, () => allocate(racer, 'token', undefined, processB))];
      const statuses = (await Promise.all(racing)).map(({ status }) => status);
      const lists = await tokenLists();
      expect(lists.map((l) => l.seq)).toEqual([1, 2]);
      expect(lists[1]!.version).toBe(1);
      expect((await anchored(racer.id)).length, 'only the opener anchors the new list').toBe(anchorsBefore + 1);
      const places = statuses.map((status) => (status.kind === 'token' ? `${status.uri}#${status.index}` : 'not a token'));
      expect(new Set(places).size).toBe(16);
      // Allocations already past their count when the list filled may still land in it (uncommitted entries are not
      // counted): the fill limit is approached, not exact. Every credential is in one of the two lists.
      const inNext = statuses.filter((status) => status.kind === 'token' && status.uri === lists[1]!.url).length;
      const inFirst = statuses.filter((status) => status.kind === 'token' && status.uri === lists[0]!.url).length;
      expect(inFirst + inNext).toBe(16);
      expect(inNext).toBeGreaterThan(0);
    });

    it('many first issuances of a tenant at once, more than the pool has connections, open its list without starving the pool', async () => {
      // The real signer lookup reads the database on its own connection; passed the issuance's signer, opening never asks it.
      const lookingUp = new StatusLists(
        dataSource,
        clock,
        { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE },
        { ...signer, signerFor: async (t) => (await dataSource.query('SELECT 1'), testSigner(t)) },
        testAnchorQueue,
        scriptedRandom([]),
      );
      expect(await dataSource.getRepository(StatusListEntity).countBy({ tenantId: other.id, purpose: 'suspension' })).toBe(0);
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () =>
          inTransaction(dataSource, (manager) => lookingUp.allocate(manager, other, { credentialId: newCredentialId(), kind: 'bitstring', purposes: ['suspension'], signer: testSigner(other) })),
        ),
      );
      const entries = statuses.map((status) => bitstringEntries(status)[0]!);
      expect(new Set(entries.map((e) => e.statusListCredential)).size).toBe(1);
      expect(new Set(entries.map((e) => e.statusListIndex)).size).toBe(30);
      expect(await dataSource.getRepository(StatusListEntity).countBy({ tenantId: other.id, purpose: 'suspension' })).toBe(1);
    });

    it('a status change does not wait for an issuance that holds entries in the same list', async () => {
      const { credentialId, status } = await allocate(racer, 'bitstring', ['revocation']);
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let allocated!: () => void;
      const open = new Promise<void>((resolve) => (allocated = resolve));
      const issuance = inTransaction(dataSource, async (manager) => {
        await statusLists.allocate(manager, racer, { credentialId: newCredentialId(), kind: 'bitstring', purposes: ['revocation'] });
        allocated();
        await gate;
      });
      await open;
      const change = await statusLists.changeStatus(racer, { credentialId, action: 'revoke', actor: 'tenant:test' });
      release();
      await issuance;
      expect(change).toMatchObject({ status: 'revoked', changed: true, lists: [{ url: bitstringEntries(status)[0]!.statusListCredential }] });
    });
  });

  describe('changeStatus', () => {
    const change = (t: StatusListTenant, credentialId: string, action: 'revoke' | 'suspend' | 'reinstate', reason?: string) =>
      statusLists.changeStatus(t, { credentialId, action, reason, actor: 'tenant:test' });
    const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: { code?: string }) => error.code);
    /** The entry's bit as the published, signed list says it. */
    const bitOf = async (entry: BitstringStatusListEntry) => {
      const { payload } = decodeJwt((await listRow(listIdOf(entry.statusListCredential))).publishedJwt);
      return decodeBitstring((payload['credentialSubject'] as { encodedList: string }).encodedList).get(Number(entry.statusListIndex));
    };

    it('suspends and reinstates: flips the bit, bumps the version, re-signs, anchors the new version and records history', async () => {
      const { credentialId, status } = await allocate(tenant, 'bitstring');
      const [, suspension] = bitstringEntries(status);
      const listId = listIdOf(suspension!.statusListCredential);
      const before = await listRow(listId);
      const anchoredBefore = (await anchored(tenant.id)).length;
      clock.advance(60_000);
      expect(await change(tenant, credentialId, 'suspend', 'under review')).toMatchObject({ status: 'suspended', changed: true, lists: [{ id: listId, version: before.version + 1 }] });
      const after = await listRow(listId);
      expect(after.version).toBe(before.version + 1);
      expect(after.etag).not.toBe(before.etag);
      expect(await bitOf(suspension!)).toBe(1);
      expect(verifiesWithTenantKey(after.publishedJwt, tenant)).toBe(true);
      const anchors = await anchored(tenant.id);
      expect(anchors).toHaveLength(anchoredBefore + 1);
      expect(anchors.map((a) => a.credentialHash)).toContain(`0x${after.etag.slice(1, -1)}`);
      expect(await change(tenant, credentialId, 'suspend')).toMatchObject({ status: 'suspended', changed: false });
      expect(await change(tenant, credentialId, 'reinstate', 'cleared')).toMatchObject({ status: 'active', changed: true });
      expect(await bitOf(suspension!)).toBe(0);
      const final = await listRow(listId);
      expect(final.version).toBe(before.version + 2);
      expect(final.publishedJwt, 'a reinstated list is a new version, not the earlier bytes').not.toBe(before.publishedJwt);
      const history = await dataSource.getRepository(StatusHistoryEntity).find({ where: { credentialId }, order: { seq: 'ASC' } });
      expect(history.map((h) => [h.action, h.reason, h.actor, h.tenantId])).toEqual([
        ['suspend', 'under review', 'tenant:test', tenant.id],
        ['reinstate', 'cleared', 'tenant:test', tenant.id],
      ]);
    });

    it('makes revocation final: a later suspend or reinstate is 409 status.revoked; a second revoke changes nothing', async () => {
      const { credentialId, status } = await allocate(tenant, 'bitstring');
      const [revocation] = bitstringEntries(status);
      expect(await change(tenant, credentialId, 'revoke')).toMatchObject({ status: 'revoked', changed: true });
      expect(await bitOf(revocation!)).toBe(1);
      expect(await codeOf(change(tenant, credentialId, 'suspend'))).toBe('status.revoked');
      expect(await codeOf(change(tenant, credentialId, 'reinstate'))).toBe('status.revoked');
      expect(await change(tenant, credentialId, 'revoke')).toMatchObject({ status: 'revoked', changed: false });
      expect(await dataSource.getRepository(StatusHistoryEntity).countBy({ credentialId })).toBe(1);
    });

    it('answers another tenant’s credential exactly as an unknown one (404), and changes nothing', async () => {
      const { credentialId, status } = await allocate(tenant, 'bitstring');
      const errorFor = (id: string) => change(other, id, 'revoke').then(() => undefined, (error: { code: string; message: string }) => ({ code: error.code, message: error.message }));
      const foreign = await errorFor(credentialId);
      expect(foreign).toEqual({ code: 'status.unknown-credential', message: expect.any(String) });
      expect(await errorFor(newCredentialId())).toEqual(foreign);
      expect(await bitOf(bitstringEntries(status)[0]!)).toBe(0);
    });

    it('refuses to suspend a credential issued without a suspension entry (409 status.purpose-not-supported)', async () => {
      const { credentialId } = await allocate(tenant, 'bitstring', ['revocation']);
      expect(await codeOf(change(tenant, credentialId, 'suspend'))).toBe('status.purpose-not-supported');
      expect(await change(tenant, credentialId, 'reinstate')).toMatchObject({ status: 'active', changed: false });
    });

    it('writes 2-bit token statuses: SUSPENDED, VALID again, then INVALID', async () => {
      const { credentialId, status } = await allocate(tenant, 'token');
      if (status.kind !== 'token') throw new Error('expected a token status');
      const valueNow = async () => {
        const { payload } = decodeJwt((await listRow(listIdOf(status.uri))).publishedJwt);
        return checkTokenStatus({ reference: { uri: status.uri, idx: status.index }, payload });
      };
      await change(tenant, credentialId, 'suspend');
      expect(await valueNow()).toMatchObject({ value: 2, reason: 'suspended' });
      await change(tenant, credentialId, 'reinstate');
      expect(await valueNow()).toMatchObject({ value: 0, status: 'passed' });
      await change(tenant, credentialId, 'revoke');
      expect(await valueNow()).toMatchObject({ value: 1, reason: 'invalid' });
      expect(await codeOf(change(tenant, credentialId, 'reinstate'))).toBe('status.revoked');
    });

    it('changes nothing at all when re-signing fails (bits, version, anchor and history share one transaction)', async () => {
      const { credentialId, status } = await allocate(tenant, 'bitstring');
      const [revocation] = bitstringEntries(status);
      const failing = new StatusLists(
        dataSource,
        clock,
        { publicUrl: PUBLIC_URL, maxAgeSeconds: MAX_AGE },
        { ...signer, signListCredential: async () => Promise.reject(new Error('key unavailable')) },
        testAnchorQueue,
        scriptedRandom([]),
      );
      const listBefore = await listRow(listIdOf(revocation!.statusListCredential));
      const anchorsBefore = (await anchored(tenant.id)).length;
      await expect(failing.changeStatus(tenant, { credentialId, action: 'revoke', actor: 'tenant:test' })).rejects.toThrow('key unavailable');
      expect(await listRow(listBefore.id)).toEqual(listBefore);
      expect((await anchored(tenant.id)).length).toBe(anchorsBefore);
      expect(await dataSource.getRepository(StatusHistoryEntity).countBy({ credentialId })).toBe(0);
    });
  });

  describe('HTTP', () => {
    const post = (body: unknown, key: string | null = apiKey) =>
      fetch(`${url}/credentials/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
    const statusBody = (credentialId: string, statusPurpose: 'revocation' | 'suspension', status: boolean, type = 'BitstringStatusListEntry') => ({
      credentialId,
      credentialStatus: { type, statusPurpose },
      status,
    });

    it('serves a bitstring list publicly as application/vc+jwt with a strong ETag and Cache-Control; If-None-Match → 304', async () => {
      const { status } = await allocate(tenant, 'bitstring');
      const [revocation] = bitstringEntries(status);
      const { res, jwt } = await published(revocation!.statusListCredential);
      expect(res.headers.get('content-type')).toBe('application/vc+jwt');
      expect(res.headers.get('cache-control')).toBe(`public, max-age=${MAX_AGE}`);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
      const { header, payload } = decodeJwt(jwt);
      expect(header).toMatchObject({ typ: 'vc+jwt', alg: 'ES256K' });
      expect(payload).toMatchObject({
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        id: revocation!.statusListCredential,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: tenant.did,
        credentialSubject: { id: `${revocation!.statusListCredential}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', ttl: MAX_AGE * 1000 },
      });
      const notModified = await fetch(`${url}/status-lists/${listIdOf(revocation!.statusListCredential)}`, { headers: { 'if-none-match': `"other", ${etag}` } });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe(`public, max-age=${MAX_AGE}`);
    });

    it('revokes through POST /credentials/status; the list served next shows the bit, with a new ETag', async () => {
      const { credentialId, status } = await allocate(tenant, 'bitstring');
      const [revocation] = bitstringEntries(status);
      const etagBefore = (await published(revocation!.statusListCredential)).res.headers.get('etag')!;
      const res = await post({ ...statusBody(credentialId, 'revocation', true), reason: 'issued in error' });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ credentialId, status: 'revoked', changed: true });
      const { res: served, jwt } = await published(revocation!.statusListCredential);
      expect(served.headers.get('etag')).not.toBe(etagBefore);
      const stale = await fetch(`${url}/status-lists/${listIdOf(revocation!.statusListCredential)}`, { headers: { 'if-none-match': etagBefore } });
      expect(stale.status).toBe(200);
      expect(checkBitstringStatus({ entry: revocation, credentialIssuer: tenant.did, listCredential: decodeJwt(jwt).payload })).toMatchObject({ status: 'failed', reason: 'revoked' });
      const again = await post(statusBody(credentialId, 'suspension', true));
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await again.json()).toMatchObject({ code: 'status.revoked', status: 409 });
      expect(await (await post(statusBody(credentialId, 'revocation', false))).json()).toMatchObject({ code: 'status.revoked' });
    });

    it('suspends and reinstates a token-list credential; the list is served as application/statuslist+jwt', async () => {
      const { credentialId, status } = await allocate(tenant, 'token');
      if (status.kind !== 'token') throw new Error('expected a token status');
      expect(await (await post(statusBody(credentialId, 'suspension', true, 'TokenStatusList'))).json()).toMatchObject({ status: 'suspended', changed: true });
      const { res, jwt } = await published(status.uri);
      expect(res.headers.get('content-type')).toBe('application/statuslist+jwt');
      expect(checkTokenStatus({ reference: { uri: status.uri, idx: status.index }, payload: decodeJwt(jwt).payload })).toMatchObject({ reason: 'suspended' });
      expect(await (await post(statusBody(credentialId, 'suspension', false, 'TokenStatusList'))).json()).toMatchObject({ status: 'active', changed: true });
      expect(await (await post(statusBody(credentialId, 'revocation', false, 'TokenStatusList'))).json()).toMatchObject({ status: 'active', changed: false });
    });

    it('answers problem+json: 401 without a key, 400 for a bad body, 404 for unknown and foreign credentials and unknown lists', async () => {
      const { credentialId } = await allocate(tenant, 'bitstring');
      expect((await post(statusBody(credentialId, 'revocation', true), null)).status).toBe(401);
      const bad = await post({ credentialId, credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'refresh' }, status: 'yes' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ code: 'request.invalid', errors: expect.arrayContaining([expect.objectContaining({ path: '/status' })]) });
      const foreign = await post(statusBody(credentialId, 'revocation', true), otherApiKey);
      const unknown = await post(statusBody(newCredentialId(), 'revocation', true), otherApiKey);
      expect(foreign.status).toBe(404);
      expect(await foreign.json()).toEqual(await unknown.json());
      for (const listId of ['00000000-0000-4000-8000-000000000000', 'not-a-list']) {
        const res = await fetch(`${url}/status-lists/${listId}`);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await res.json()).toMatchObject({ code: 'status-list.not-found' });
      }
    });
  });
});
