import { createHash, randomUUID } from 'node:crypto';
import { buildMerkleTree, type Hex32 } from '@citycred/anchoring';
import { AnchorBatchEntity, AnchorOutboxEntity, createIssuerDataSource, openDatabase, TenantEntity, type AnchorBatchState } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorBatchReads } from './anchor-batch-reads.js';
import { AnchorBatchStore } from './anchor-batch-store.js';

/**
 * The batch reads on a real issuer database (SQLite, or PostgreSQL with DATABASE_URL), nothing else booted: the
 * window and its order, the limits, what counts as pending, refused and anchored, and the leaves in tree order.
 */
describe('AnchorBatchReads on a real database', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let reads: AnchorBatchReads;
  let store: AnchorBatchStore;
  let counter = 0;

  const digest = (): Hex32 => `0x${createHash('sha256').update(`leaf ${(counter += 1)} ${randomUUID()}`).digest('hex')}` as Hex32;
  const at = (iso: string, plusMs = 0) => new Date(Date.parse(iso) + plusMs).toISOString();

  const newTenant = async (): Promise<{ id: string; did: string }> => {
    const id = randomUUID();
    const did = `did:ethr:citycred:0x02${createHash('sha256').update(id).digest('hex')}`;
    await dataSource.getRepository(TenantEntity).insert({
      id,
      slug: `t-${id.slice(0, 8)}`,
      name: 'Test tenant',
      kind: 'department',
      did,
      address: `0x${'0'.repeat(40)}`,
      credentialTypesJson: '[]',
      createdAt: '2026-03-02T09:00:00.000Z',
    });
    return { id, did };
  };

  const enqueue = async (tenantId: string, enqueuedAt: string, hash: Hex32 = digest()): Promise<Hex32> => {
    await dataSource.getRepository(AnchorOutboxEntity).insert({ credentialHash: hash, kind: 'credential', tenantId, enqueuedAt, batchId: null, leafIndex: null, proof: null });
    return hash;
  };

  /** A batch row as the worker leaves it in `state` (leaves not attached). */
  const batchRow = async (tenantId: string, state: AnchorBatchState, anchoredAt: string | null, root: Hex32 = digest()) => {
    const id = randomUUID();
    await dataSource.getRepository(AnchorBatchEntity).insert({
      id,
      tenantId,
      root,
      leafCount: 1,
      state,
      createdAt: '2026-03-02T09:00:00.000Z',
      attempts: 1,
      txHash: anchoredAt ? `0x${'ab'.repeat(32)}` : null,
      blockNumber: anchoredAt ? 7 : null,
      anchoredAt,
      chainId: anchoredAt ? 31337 : null,
      contract: anchoredAt ? `0x${'cd'.repeat(20)}` : null,
      lastError: null,
      leaseUntil: null,
      leaseOwner: null,
      refusalReason: state === 'refused' ? 'IssuerNotAccredited' : null,
      refusedAt: state === 'refused' ? '2026-03-02T09:30:00.000Z' : null,
      gasUsed: null,
      effectiveGasPrice: null,
    });
    return { id, root };
  };

  /** Seals what the tenant has queued with the worker's own store, then confirms it as the worker does. */
  const sealAndAnchor = async (tenantId: string, anchoredAt: Date) => {
    const batch = (await store.sealBatch(tenantId, 512, anchoredAt))!;
    expect(await store.acquireLease(batch.id, 'test-worker', anchoredAt, 60_000)).toBe(true);
    await store.markAnchored(batch.id, 'test-worker', { txHash: `0x${'ef'.repeat(32)}`, blockNumber: 9, anchoredAt, chainId: 31337, contract: `0x${'cd'.repeat(20)}`, gasUsed: 1, effectiveGasPrice: 1n });
    return batch;
  };

  beforeAll(async () => {
    db = testDatabase('anchor_batch_reads');
    dataSource = await openDatabase(createIssuerDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }));
    reads = new AnchorBatchReads(dataSource);
    store = new AnchorBatchStore(dataSource);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  it('finds a tenant by its DID exactly as written', async () => {
    const tenant = await newTenant();
    expect(await reads.tenantIdByDid(tenant.did)).toBe(tenant.id);
    expect(await reads.tenantIdByDid(tenant.did.toUpperCase())).toBeNull();
    expect(await reads.tenantIdByDid(`${tenant.did}0`)).toBeNull();
  });

  it('lists the anchored batches of [from, to) by anchoredAt then root, at most 100, and says when it cut', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    const t0 = '2026-03-02T00:00:00.000Z';
    const anchored = [];
    for (let i = 0; i < 101; i += 1) anchored.push(await batchRow(tenant.id, 'anchored', at(t0, i * 60_000)));
    // Two batches in the same second come out by root.
    const [low, high] = [`0x${'01'.repeat(32)}`, `0x${'02'.repeat(32)}`] as Hex32[];
    await batchRow(tenant.id, 'anchored', at(t0, -60_000), high);
    await batchRow(tenant.id, 'anchored', at(t0, -60_000), low);
    // Never another tenant's, nor a sealed or refused batch.
    await batchRow(other.id, 'anchored', at(t0, 30_000));
    await batchRow(tenant.id, 'sealed', null);
    await batchRow(tenant.id, 'refused', null);

    const first = await reads.anchoredBatches(tenant.id, new Date(at(t0, -60_000)), new Date(at(t0, 101 * 60_000)));
    expect(first.truncated).toBe(true);
    expect(first.batches).toHaveLength(100);
    expect(first.batches.slice(0, 3).map((b) => b.root)).toEqual([low, high, anchored[0]!.root]);
    expect(first.batches.at(-1)!.root).toBe(anchored[97]!.root);
    expect(first.batches[2]).toEqual({ root: anchored[0]!.root, leafCount: 1, anchoredAt: t0, txHash: `0x${'ab'.repeat(32)}`, blockNumber: 7, chainId: 31337, contract: `0x${'cd'.repeat(20)}` });

    // `to` is excluded: anchored[100] lies there.
    const rest = await reads.anchoredBatches(tenant.id, new Date(at(t0, 98 * 60_000)), new Date(at(t0, 100 * 60_000)));
    expect(rest).toEqual({ truncated: false, batches: [expect.objectContaining({ root: anchored[98]!.root }), expect.objectContaining({ root: anchored[99]!.root })] });
    expect((await reads.anchoredBatches(other.id, new Date(t0), new Date(at(t0, 60_000)))).batches.map((b) => b.root)).toHaveLength(1);
  });

  it('counts as pending the leaves in no batch or in a sealed one, not those anchored or set aside', async () => {
    const tenant = await newTenant();
    const other = await newTenant();
    expect(await reads.pendingSummary(tenant.id)).toEqual({ count: 0, since: null });
    const anchoredLeaf = await enqueue(tenant.id, '2026-03-02T08:00:00.000Z');
    await sealAndAnchor(tenant.id, new Date('2026-03-02T08:05:00.000Z'));
    const refusedLeaves = [await enqueue(tenant.id, '2026-03-02T08:10:00.000Z'), await enqueue(tenant.id, '2026-03-02T08:11:00.000Z')];
    const refused = (await store.sealBatch(tenant.id, 512, new Date('2026-03-02T08:12:00.000Z')))!;
    expect(await store.setAside(refused.id, { reason: 'IssuerNotAccredited', detail: 'test', at: new Date('2026-03-02T08:13:00.000Z') })).toBe(true);
    const sealedLeaf = await enqueue(tenant.id, '2026-03-02T09:00:00.000Z');
    await store.sealBatch(tenant.id, 512, new Date('2026-03-02T09:01:00.000Z'));
    // Queued later, but stamped earlier (another process's clock): oldest first is by queueing time.
    const late = await enqueue(tenant.id, '2026-03-02T08:59:00.000Z');
    const newest = await enqueue(tenant.id, '2026-03-02T09:02:00.000Z');
    await enqueue(other.id, '2026-03-01T00:00:00.000Z');

    expect(await reads.pendingSummary(tenant.id)).toEqual({ count: 3, since: '2026-03-02T08:59:00.000Z' });
    const queue = await reads.queue(tenant.id);
    expect(queue).toEqual({
      pending: [
        { credentialHash: late, enqueuedAt: '2026-03-02T08:59:00.000Z' },
        { credentialHash: sealedLeaf, enqueuedAt: '2026-03-02T09:00:00.000Z' },
        { credentialHash: newest, enqueuedAt: '2026-03-02T09:02:00.000Z' },
      ],
      refused: refusedLeaves,
      truncated: false,
    });
    expect(queue.pending.map((leaf) => leaf.credentialHash)).not.toContain(anchoredLeaf);
  });

  it('cuts each list of the queue at its limit and says so', async () => {
    const tenant = await newTenant();
    const limited = new AnchorBatchReads(dataSource, { maxQueueHashes: 2 });
    const queued = [];
    for (let i = 0; i < 3; i += 1) queued.push(await enqueue(tenant.id, at('2026-03-02T10:00:00.000Z', i)));
    expect(await limited.queue(tenant.id)).toEqual({ pending: [expect.objectContaining({ credentialHash: queued[0] }), expect.objectContaining({ credentialHash: queued[1] })], refused: [], truncated: true });
    const exact = await newTenant();
    await enqueue(exact.id, '2026-03-02T10:00:00.000Z');
    await enqueue(exact.id, '2026-03-02T10:00:01.000Z');
    expect((await limited.queue(exact.id)).truncated).toBe(false);

    const refusing = await newTenant();
    for (let i = 0; i < 3; i += 1) await enqueue(refusing.id, at('2026-03-02T10:00:00.000Z', i));
    const batch = (await store.sealBatch(refusing.id, 512, new Date('2026-03-02T10:01:00.000Z')))!;
    await store.setAside(batch.id, { reason: 'NotIdentityOwner', detail: 'test', at: new Date('2026-03-02T10:02:00.000Z') });
    const cut = await limited.queue(refusing.id);
    expect(cut).toMatchObject({ pending: [], truncated: true });
    expect(cut.refused).toHaveLength(2);
  });

  it('gives an anchored batch’s leaves in leaf order, from which its root is rebuilt', async () => {
    const tenant = await newTenant();
    const hashes: Hex32[] = [];
    for (let i = 0; i < 5; i += 1) hashes.push(await enqueue(tenant.id, at('2026-03-02T11:00:00.000Z', i)));
    const batch = await sealAndAnchor(tenant.id, new Date('2026-03-02T11:05:00.000Z'));
    // Leaf indexes that run against the queue's order: the answer follows the tree, not the outbox.
    const outbox = dataSource.getRepository(AnchorOutboxEntity);
    const tree = buildMerkleTree([...hashes].reverse());
    await dataSource.getRepository(AnchorBatchEntity).update({ id: batch.id }, { root: tree.root });
    for (const [index, hash] of [...hashes].reverse().entries()) await outbox.update({ credentialHash: hash }, { leafIndex: index });

    const leaves = await reads.anchoredBatchLeaves(tree.root);
    expect(leaves).toEqual([...hashes].reverse());
    expect(buildMerkleTree(leaves as Hex32[]).root).toBe(tree.root);
  });

  it('serves no leaves for a batch not anchored, and refuses to serve a batch whose leaves are not whole', async () => {
    const tenant = await newTenant();
    await enqueue(tenant.id, '2026-03-02T12:00:00.000Z');
    const sealed = (await store.sealBatch(tenant.id, 512, new Date('2026-03-02T12:01:00.000Z')))!;
    expect(await reads.anchoredBatchLeaves(sealed.root)).toBeNull();
    expect(await reads.anchoredBatchLeaves(digest())).toBeNull();

    await enqueue(tenant.id, '2026-03-02T12:02:00.000Z');
    await enqueue(tenant.id, '2026-03-02T12:02:01.000Z');
    const torn = await sealAndAnchor(tenant.id, new Date('2026-03-02T12:03:00.000Z'));
    await dataSource.getRepository(AnchorOutboxEntity).update({ batchId: torn.id, leafIndex: 1 }, { leafIndex: 2 });
    await expect(reads.anchoredBatchLeaves(torn.root)).rejects.toThrow(/gaps or duplicates/);
  });
});
