import { credentialAnchorAt, credentialTypeHash, decodeCredentialAnchorLog, freePort, issuerRegistryAt, type CredentialAnchorContract, type RootAnchoredEvent } from '@citycred/anchors';
import { credentialHash, verifyMerkleProof, type Hex32 } from '@citycred/anchoring';
import { CityAnchorWriter, CityChain } from '@citycred/chain';
import { FixedClock, systemClock, type Clock } from '@citycred/config';
import { exampleSubject, type CatalogueTypeName } from '@citycred/credentials';
import { createChainProvider, didRegistryAt, LOCAL_KMS } from '@citycred/did';
import { AnchorBatchEntity, AnchorOutboxEntity, TenantEntity } from '@citycred/persistence';
import type { TenantDirectory } from '@citycred/tenancy';
import { computeAddress, Wallet } from 'ethers';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorBatchStore, AnchoringWorker, type AnchoringSettings } from '@citycred/issuer';
import { getJson, issueBody, postJson, startTestPlatform, type TestPlatform } from '../support/platform.js';

/**
 * Exactly-once anchoring against the real local chain and the real issuer database (SQLite, or PostgreSQL
 * when DATABASE_URL is set): crashes are reproduced by putting the database and the chain in the state a
 * crash leaves them in, then running the worker. Tests share one platform and run in order; each one starts
 * with nothing pending and ends with every credential it issued anchored (except the last one, which leaves
 * a non-accredited tenant's batch sealed on purpose).
 */
describe('AnchoringWorker (real chain, real database)', () => {
  let p: TestPlatform;
  let dataSource: DataSource;
  let store: AnchorBatchStore;
  let chain: CityChain;
  let tenants: TenantDirectory;
  let anchorContract: CredentialAnchorContract;
  const tenantBySlug = new Map<string, TenantEntity>();

  const settings = (overrides: Partial<AnchoringSettings> = {}): AnchoringSettings => ({ batchSize: 100, intervalMs: 1000, leaseMs: 60_000, ...overrides });
  /** The tenants' anchor writer on `on`: anchors sent from each tenant's current key. */
  const writerOn = (on: CityChain) => new CityAnchorWriter<TenantEntity>(on, (t, provider) => tenants.signerFor(t, provider));
  const workerWith = (options: { clock?: Clock; chain?: CityChain; settings?: Partial<AnchoringSettings> } = {}) => {
    const on = options.chain ?? chain;
    return new AnchoringWorker(store, on, writerOn(on), tenants, options.clock ?? systemClock, settings(options.settings), p.accreditations);
  };

  beforeAll(async () => {
    p = await startTestPlatform('anchoring_worker');
    dataSource = p.issuer.runtime.dataSource;
    store = new AnchorBatchStore(dataSource);
    chain = p.issuer.runtime.chain;
    tenants = p.issuer.runtime.tenants;
    anchorContract = credentialAnchorAt(p.deployment.credentialAnchor, p.provider);
    for (const tenant of await tenants.list()) tenantBySlug.set(tenant.slug, tenant);
  });
  afterAll(async () => p?.stop());

  const tenant = (slug: string): TenantEntity => {
    const found = tenantBySlug.get(slug);
    if (!found) throw new Error(`no tenant ${slug}`);
    return found;
  };

  /** Issues `count` credentials of `type` over HTTP as tenant `slug`; returns their credential hashes. */
  async function issue(slug: string, type: CatalogueTypeName, count: number): Promise<Hex32[]> {
    const { apiKey, did } = p.tenants.get(slug)!;
    const hashes: Hex32[] = [];
    for (let i = 0; i < count; i += 1) {
      const { id: _id, ...credentialSubject } = exampleSubject(type) as unknown as Record<string, unknown>;
      const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(did, type, credentialSubject), { authorization: `Bearer ${apiKey}` });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      hashes.push(credentialHash(res.body.verifiableCredential.proof.jwt));
    }
    return hashes;
  }

  const nonceOf = (slug: string) => p.provider.getTransactionCount(tenant(slug).address, 'latest');
  /** How many credentials (outbox rows of kind `credential`) batch `batchId` holds. */
  const credentialLeaves = (batchId: string) => dataSource.getRepository(AnchorOutboxEntity).countBy({ batchId, kind: 'credential' });
  const leafOf = async (hash: string) => dataSource.getRepository(AnchorOutboxEntity).findOneByOrFail({ credentialHash: hash });
  const batchRow = async (id: string) => dataSource.getRepository(AnchorBatchEntity).findOneByOrFail({ id });
  const proofOf = (hash: string) => getJson(`${p.issuer.url}/anchors/proofs/${hash}`);

  /** One RootAnchored event. */
  type AnchorEvent = { txHash: string; blockNumber: number; issuer: string; credentialType: string };

  /** Every RootAnchored event on chain so far, by root. */
  async function anchorEvents(): Promise<Map<string, AnchorEvent[]>> {
    const logs = await anchorContract.queryFilter(anchorContract.filters.RootAnchored(), 0, 'latest');
    const byRoot = new Map<string, AnchorEvent[]>();
    for (const log of logs) {
      const decoded = decodeCredentialAnchorLog(log)!.args as RootAnchoredEvent;
      const root = decoded.root.toLowerCase();
      const event = { txHash: log.transactionHash, blockNumber: log.blockNumber, issuer: decoded.issuer, credentialType: decoded.credentialType };
      byRoot.set(root, [...(byRoot.get(root) ?? []), event]);
    }
    return byRoot;
  }

  /**
   * The credentials `hashes` are each in exactly one anchored batch, with a stored proof that leads to that
   * batch's root, whose one anchoring transaction on chain anchored it in the name of the batch's tenant, naming
   * a type the tenant is configured for, was sent by the tenant's key and is the one the database recorded; the
   * proof endpoint serves the same. Returns the batches, by id.
   */
  async function expectAnchored(hashes: readonly Hex32[]): Promise<Map<string, AnchorBatchEntity>> {
    const events = await anchorEvents();
    const batches = new Map<string, AnchorBatchEntity>();
    for (const hash of hashes) {
      const leaf = await leafOf(hash);
      expect(leaf.batchId, `credential ${hash} has no batch`).not.toBeNull();
      const batch = batches.get(leaf.batchId!) ?? (await batchRow(leaf.batchId!));
      batches.set(batch.id, batch);
      expect(batch.state).toBe('anchored');
      expect(leaf.tenantId).toBe(batch.tenantId);
      const proof = JSON.parse(leaf.proof!) as Hex32[];
      expect(verifyMerkleProof(hash, proof, batch.root as Hex32), `proof of ${hash}`).toBe(true);
      const served = await proofOf(hash);
      expect(served.status).toBe(200);
      expect(served.body).toMatchObject({ root: batch.root, proof, leafIndex: leaf.leafIndex, txHash: batch.txHash, blockNumber: batch.blockNumber });
    }
    for (const batch of batches.values()) {
      const owner = [...tenantBySlug.values()].find((t) => t.id === batch.tenantId)!;
      const onChain = events.get(batch.root.toLowerCase()) ?? [];
      expect(onChain, `anchoring transactions of root ${batch.root}`).toHaveLength(1);
      expect(onChain[0]).toMatchObject({ txHash: batch.txHash, blockNumber: batch.blockNumber });
      expect(onChain[0]!.issuer.toLowerCase()).toBe(owner.address.toLowerCase());
      expect(owner.credentialTypes.map(credentialTypeHash)).toContain(onChain[0]!.credentialType);
      const receipt = await p.provider.getTransactionReceipt(batch.txHash!);
      expect(receipt?.status).toBe(1);
      // the gas the transaction used is recorded on the batch, from its receipt
      expect(batch.gasUsed).toBe(Number(receipt!.gasUsed));
      expect(batch.effectiveGasPrice).toBe(receipt!.gasPrice.toString());
      expect(receipt?.from.toLowerCase()).toBe(owner.address.toLowerCase());
      expect(receipt?.to?.toLowerCase()).toBe(p.deployment.credentialAnchor.toLowerCase());
      const anchor = await anchorContract.anchorOf(owner.address, batch.root);
      expect(Number(anchor.leafCount)).toBe(batch.leafCount);
      expect(Number(anchor.blockNumber)).toBe(batch.blockNumber);
      expect(batch).toMatchObject({ chainId: p.chain.chainId, contract: p.deployment.credentialAnchor, leaseUntil: null, lastError: null });
      const leaves = await dataSource.getRepository(AnchorOutboxEntity).findBy({ batchId: batch.id });
      expect(leaves).toHaveLength(batch.leafCount);
      expect(leaves.map((l) => l.leafIndex).sort((a, b) => a! - b!)).toEqual([...Array(batch.leafCount).keys()]);
    }
    return batches;
  }

  /** Nothing pending and nothing sealed: the state every test but the last leaves behind. */
  async function expectNothingOutstanding(): Promise<void> {
    expect(await store.backlog()).toEqual({ pendingLeaves: 0, unconfirmedBatches: 0 });
  }

  it('seals one batch per tenant in one run, each anchored from its tenant address with proofs that verify', async () => {
    const seoul = await issue('seoul-citizen', 'SeoulCitizenCard', 3);
    const education = await issue('education-office', 'EnrollmentStatus', 2);
    for (const hash of [...seoul, ...education]) expect((await proofOf(hash)).status).toBe(202);
    const nonces = { seoul: await nonceOf('seoul-citizen'), education: await nonceOf('education-office') };

    expect(await p.worker.runOnce()).toEqual({ sealed: 2, anchored: 2, failed: 0, reopened: 0, refused: 0 });

    const seoulBatches = await expectAnchored(seoul);
    const educationBatches = await expectAnchored(education);
    // (a tenant's first issuance also queues its new status lists' digests: the batch holds those too)
    expect(await Promise.all([...seoulBatches.values()].map(async (b) => [b.tenantId, await credentialLeaves(b.id)]))).toEqual([[tenant('seoul-citizen').id, 3]]);
    expect(await Promise.all([...educationBatches.values()].map(async (b) => [b.tenantId, await credentialLeaves(b.id)]))).toEqual([[tenant('education-office').id, 2]]);
    // Each tenant's first batch: its key registers as the tenant's anchorer (registerAnchorer), then anchors.
    expect(await nonceOf('seoul-citizen')).toBe(nonces.seoul + 2);
    expect(await nonceOf('education-office')).toBe(nonces.education + 2);
    const [seoulBatch] = [...seoulBatches.values()];
    const found = await chain.findAnchor(tenant('seoul-citizen').address, seoulBatch!.root as Hex32);
    expect(found?.leafCount).toBe(seoulBatch!.leafCount);
    await expectNothingOutstanding();
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
  });

  it('splits the pending credentials into batches of at most batchSize and anchors them all', async () => {
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 5);
    const nonce = await nonceOf('seoul-citizen');

    expect(await workerWith({ settings: { batchSize: 2 } }).runOnce()).toEqual({ sealed: 3, anchored: 3, failed: 0, reopened: 0, refused: 0 });

    const batches = await expectAnchored(hashes);
    expect([...batches.values()].map((b) => b.leafCount).sort()).toEqual([1, 2, 2]);
    expect(await nonceOf('seoul-citizen')).toBe(nonce + 3);
    // sealing takes the oldest first: the first two issued share the first batch
    expect((await leafOf(hashes[0]!)).batchId).toBe((await leafOf(hashes[1]!)).batchId);
    expect((await leafOf(hashes[4]!)).batchId).not.toBe((await leafOf(hashes[3]!)).batchId);
    await expectNothingOutstanding();
  });

  it('after a crash between the transaction reaching the chain and the database recording it, records that transaction and sends none', async () => {
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 2);
    const seoul = tenant('seoul-citizen');
    const batch = (await store.sealBatch(seoul.id, 100, new Date()))!;
    expect(batch.leafCount).toBe(2);
    // the crashed worker got this far: its transaction is mined, the database still says "sealed"
    const sent = await chain.anchorRoot(await tenants.signerFor(seoul, chain.provider), { issuer: seoul.address, credentialType: 'SeoulCitizenCard', root: batch.root, leafCount: batch.leafCount });
    expect((await batchRow(batch.id)).state).toBe('sealed');
    expect((await proofOf(hashes[0]!)).status).toBe(202);
    const nonce = await nonceOf('seoul-citizen');

    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });

    expect(await nonceOf('seoul-citizen')).toBe(nonce);
    expect(await batchRow(batch.id)).toMatchObject({ state: 'anchored', txHash: sent.txHash, blockNumber: sent.blockNumber, anchoredAt: sent.anchoredAt.toISOString() });
    await expectAnchored(hashes);
    await expectNothingOutstanding();
  });

  it('stops at once while waiting for its transaction to be mined, and the next pass records that transaction without sending another', async () => {
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 2);
    const seoul = tenant('seoul-citizen');
    const nonce = await nonceOf('seoul-citizen');
    // A lease of ten minutes: without the stop cutting the wait short, stop() would wait five minutes for the receipt
    // and this test would time out.
    const worker = workerWith({ settings: { leaseMs: 600_000 } });
    await p.provider.send('evm_setAutomine', [false]);
    try {
      const run = worker.runOnce();
      // the worker has sent its transaction(s) once the tenant's pending nonce moves
      for (let i = 0; i < 200 && (await p.provider.getTransactionCount(seoul.address, 'pending')) === nonce; i += 1) await new Promise((r) => setTimeout(r, 50));
      expect(await p.provider.getTransactionCount(seoul.address, 'pending')).toBeGreaterThan(nonce);

      await worker.stop();
      expect(await run).toMatchObject({ sealed: 1, anchored: 0, failed: 1 });
      const batchId = (await leafOf(hashes[0]!)).batchId!;
      expect(await batchRow(batchId)).toMatchObject({ state: 'sealed', leaseUntil: null, txHash: null });
      expect((await batchRow(batchId)).lastError).toMatch(/stopped before the anchoring transaction was confirmed/);
      expect((await proofOf(hashes[0]!)).status).toBe(202);
      // a stopped worker sends nothing more
      expect((await worker.runOnce()).anchored).toBe(0);
    } finally {
      await p.provider.send('evm_mine', []);
      await p.provider.send('evm_setAutomine', [true]);
    }
    const sent = await nonceOf('seoul-citizen');
    expect(sent).toBeGreaterThan(nonce);

    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });
    expect(await nonceOf('seoul-citizen')).toBe(sent);
    await expectAnchored(hashes);
    await expectNothingOutstanding();
  });

  it('leaves a batch alone while another worker holds its lease, and anchors it once the lease has lapsed', async () => {
    const clock = new FixedClock(new Date());
    const worker = workerWith({ clock });
    const hashes = await issue('education-office', 'EnrollmentStatus', 1);
    const batch = (await store.sealBatch(tenant('education-office').id, 100, clock.now()))!;
    // a worker took the lease, then died before sending anything
    expect(await store.acquireLease(batch.id, 'test-worker', clock.now(), 60_000)).toBe(true);
    expect(await store.acquireLease(batch.id, 'other-worker', clock.now(), 60_000)).toBe(false);
    const nonce = await nonceOf('education-office');

    clock.advance(59_000);
    expect(await worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchRow(batch.id)).toMatchObject({ state: 'sealed', txHash: null, attempts: 1 });
    expect(await nonceOf('education-office')).toBe(nonce);
    expect((await proofOf(hashes[0]!)).status).toBe(202);

    clock.advance(1_001);
    expect(await worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });
    expect(await nonceOf('education-office')).toBe(nonce + 1);
    expect((await batchRow(batch.id)).attempts).toBe(2);
    await expectAnchored(hashes);
    await expectNothingOutstanding();
  });

  it('lets a worker take back its own lease at once (a pass that could not record its outcome), never another worker\'s', async () => {
    const clock = new FixedClock(new Date());
    const hashes = await issue('education-office', 'EnrollmentStatus', 1);
    const batch = (await store.sealBatch(tenant('education-office').id, 100, clock.now()))!;
    // the pass of worker w1 took the lease, then the database stalled before it could record anything
    expect(await store.acquireLease(batch.id, 'w1', clock.now(), 60_000)).toBe(true);
    expect((await store.unconfirmedBatches(clock.now(), 'w1')).map((b) => b.id)).toContain(batch.id);
    expect((await store.unconfirmedBatches(clock.now(), 'w2')).map((b) => b.id)).not.toContain(batch.id);
    expect(await store.acquireLease(batch.id, 'w2', clock.now(), 60_000)).toBe(false);
    expect(await store.acquireLease(batch.id, 'w1', clock.now(), 60_000)).toBe(true);
    expect(await batchRow(batch.id)).toMatchObject({ state: 'sealed', leaseOwner: 'w1', attempts: 2 });

    clock.advance(60_001);
    expect(await workerWith({ clock }).runOnce()).toMatchObject({ anchored: 1, failed: 0 });
    await expectAnchored(hashes);
    await expectNothingOutstanding();
  });

  it('after a crash with the lease held and the transaction mined, waits for the lease, then records that transaction without sending', async () => {
    const clock = new FixedClock(new Date());
    const worker = workerWith({ clock });
    const seoul = tenant('seoul-citizen');
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 1);
    const batch = (await store.sealBatch(seoul.id, 100, clock.now()))!;
    expect(await store.acquireLease(batch.id, 'test-worker', clock.now(), 60_000)).toBe(true);
    const sent = await chain.anchorRoot(await tenants.signerFor(seoul, chain.provider), { issuer: seoul.address, credentialType: 'SeoulCitizenCard', root: batch.root, leafCount: batch.leafCount });
    const nonce = await nonceOf('seoul-citizen');

    expect(await worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect((await batchRow(batch.id)).state).toBe('sealed');
    clock.advance(60_001);
    expect(await worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });

    expect(await nonceOf('seoul-citizen')).toBe(nonce);
    expect(await batchRow(batch.id)).toMatchObject({ state: 'anchored', txHash: sent.txHash, attempts: 2 });
    await expectAnchored(hashes);
    await expectNothingOutstanding();
  });

  it('keeps the batch sealed when the chain is down, keeps serving "pending", and anchors it once the chain answers', async () => {
    const port = await freePort();
    const deadChain = new CityChain(createChainProvider(`http://127.0.0.1:${port}`, p.chain.chainId), p.deployment);
    try {
      const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 2);
      const nonce = await nonceOf('seoul-citizen');

      expect(await workerWith({ chain: deadChain }).runOnce()).toEqual({ sealed: 1, anchored: 0, failed: 1, reopened: 0, refused: 0 });

      const batchId = (await leafOf(hashes[0]!)).batchId!;
      expect((await leafOf(hashes[1]!)).batchId).toBe(batchId);
      const batch = await batchRow(batchId);
      expect(batch).toMatchObject({ state: 'sealed', leaseUntil: null, txHash: null, attempts: 1 });
      expect(batch.lastError).toBeTruthy();
      for (const hash of hashes) {
        const res = await proofOf(hash);
        expect(res.status).toBe(202);
        expect(res.body.status).toBe('pending');
      }
      expect(await nonceOf('seoul-citizen')).toBe(nonce);

      expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });
      await expectAnchored(hashes);
      expect(await nonceOf('seoul-citizen')).toBe(nonce + 1);
      await expectNothingOutstanding();
    } finally {
      deadChain.provider.destroy?.();
    }
  });

  it('lets two workers race without sealing a credential twice, anchoring a root twice or failing', async () => {
    const hashes = [...(await issue('seoul-citizen', 'SeoulCitizenCard', 4)), ...(await issue('education-office', 'EnrollmentStatus', 3))];
    const before = await anchorEvents();
    const a = workerWith({ settings: { batchSize: 2 } });
    const b = workerWith({ settings: { batchSize: 2 } });

    const runs = await Promise.all([a.runOnce(), b.runOnce()]);

    expect(runs.map((r) => r.failed)).toEqual([0, 0]);
    const sealed = runs[0].sealed + runs[1].sealed;
    const batchIds = new Set((await Promise.all(hashes.map(leafOf))).map((l) => l.batchId));
    expect(batchIds.has(null)).toBe(false);
    expect(batchIds.size).toBe(sealed);
    // a worker that lost the lease on a batch it sealed leaves the rest for the next pass: nothing is lost
    const last = await p.worker.runOnce();
    expect(last.failed).toBe(0);
    expect(runs[0].anchored + runs[1].anchored + last.anchored).toBe(sealed + last.sealed);
    const batches = await expectAnchored(hashes);
    expect(batches.size).toBe(sealed + last.sealed);
    expect((await Promise.all([...batches.keys()].map(credentialLeaves))).reduce((n, count) => n + count, 0)).toBe(hashes.length);
    const after = await anchorEvents();
    expect([...after.values()].every((txs) => txs.length === 1)).toBe(true);
    expect(after.size - before.size).toBe(batches.size);
    await expectNothingOutstanding();
  });

  it('anchors again a batch whose root the chain lost (state rolled back after the database recorded it)', async () => {
    const snapshot = await p.provider.send('evm_snapshot', []);
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 2);
    expect(await p.worker.runOnce()).toMatchObject({ sealed: 1, anchored: 1, failed: 0 });
    const before = await batchRow((await leafOf(hashes[0]!)).batchId!);
    await p.provider.send('evm_revert', [snapshot]);
    expect(await chain.findAnchor(tenant('seoul-citizen').address, before.root as Hex32)).toBeNull();

    // a freshly started worker (as after a restart) re-checks recent anchored batches on its first pass
    const restarted = workerWith();
    expect(await restarted.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 1, refused: 0 });
    const after = await batchRow(before.id);
    expect(after.root).toBe(before.root);
    await expectAnchored(hashes);
    expect(await restarted.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    await expectNothingOutstanding();
  });

  /**
   * Revokes the tenant's first accreditation for `type` as the city root (which also suspends it for the type until
   * {@link accredit} reinstates it), at the chain's own time: it keeps to the host's clock, which the issuer judges
   * windows by.
   */
  async function revoke(slug: string, type: CatalogueTypeName): Promise<void> {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    await (await registry.revokeAccreditation(tenant(slug).address, credentialTypeHash(type), 0)).wait();
  }

  /**
   * Lifts the root's suspension of the tenant for `type` (left by {@link revoke}), then accredits it as the city root
   * over [chain time, chain time + `seconds`).
   */
  async function accredit(slug: string, type: CatalogueTypeName, seconds = 86_400): Promise<void> {
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    const chainNow = async () => Number((await p.provider.getBlock('latest'))!.timestamp);
    if (await registry.isSuspended(tenant(slug).address, credentialTypeHash(type), await chainNow())) {
      await (await registry.reinstateIssuer(tenant(slug).address, credentialTypeHash(type))).wait();
    }
    const now = await chainNow();
    await (await registry.accreditIssuer(tenant(slug).address, [credentialTypeHash(type)], now, now + seconds)).wait();
  }

  /** Roots anchored on chain so far. */
  const anchoredRoots = async () => new Set((await anchorEvents()).keys());

  it('sets aside a batch the chain refuses (IssuerNotAccredited) with reason and time, answers 409 anchor.refused for it, and never sends it again', async () => {
    const youth = await issue('youth-policy', 'YouthAllowanceEligibility', 2);
    const seoul = await issue('seoul-citizen', 'SeoulCitizenCard', 1);
    // The issuer has not read the registry since (tests refresh its cache by hand): the worker tries the chain.
    await revoke('youth-policy', 'YouthAllowanceEligibility');
    expect(p.accreditations.anchoringType(tenant('youth-policy').id)).toEqual({ verdict: 'accredited', credentialType: 'YouthAllowanceEligibility' });
    const nonce = await nonceOf('youth-policy');

    expect(await p.worker.runOnce()).toEqual({ sealed: 2, anchored: 1, failed: 0, reopened: 0, refused: 1 });

    await expectAnchored(seoul);
    const batchId = (await leafOf(youth[0]!)).batchId!;
    expect((await leafOf(youth[1]!)).batchId).toBe(batchId);
    const refused = await batchRow(batchId);
    expect(refused).toMatchObject({ state: 'refused', refusalReason: 'IssuerNotAccredited', leaseUntil: null, leaseOwner: null, txHash: null, attempts: 1 });
    expect(refused.lastError).toContain('CredentialAnchor refused');
    expect(Number.isNaN(Date.parse(refused.refusedAt!))).toBe(false);
    expect(await chain.findAnchor(tenant('youth-policy').address, refused.root as Hex32)).toBeNull();
    expect(await nonceOf('youth-policy')).toBe(nonce);
    for (const hash of youth) {
      const res = await proofOf(hash);
      expect(res.status).toBe(409);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'anchor.refused', status: 409, reason: 'IssuerNotAccredited', refusedAt: refused.refusedAt });
    }
    expect(await store.backlog()).toEqual({ pendingLeaves: 0, unconfirmedBatches: 0 });
    // `credentials` counts the credentials only (the tenant's first issuance also queued its status lists' digests)
    expect(await store.refusedBatches()).toEqual([{ tenantSlug: 'youth-policy', reason: 'IssuerNotAccredited', batches: 1, credentials: 2, since: refused.refusedAt }]);

    // Not retried: no lease taken, nothing sent, by this worker or by a second one sharing its view of the registry.
    const roots = await anchoredRoots();
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', attempts: 1 });
    expect(await nonceOf('youth-policy')).toBe(nonce);
    expect(await anchoredRoots()).toEqual(roots);
  });

  it('sets aside without asking the chain the pending credentials of a tenant the registry accredits for no type, and sends them once it is accredited again', async () => {
    const before = await issue('health-insurance', 'IncomeBracket', 2);
    await revoke('health-insurance', 'IncomeBracket');
    // issued in the gap, before the issuer read the revocation
    const gap = await issue('health-insurance', 'IncomeBracket', 1);
    await p.accreditations.refresh();
    expect(p.accreditations.anchoringType(tenant('health-insurance').id)).toEqual({ verdict: 'not-accredited' });
    const nonce = await nonceOf('health-insurance');

    expect(await p.worker.runOnce()).toEqual({ sealed: 1, anchored: 0, failed: 0, reopened: 0, refused: 1 });
    const batchId = (await leafOf(before[0]!)).batchId!;
    for (const hash of [...before, ...gap]) expect((await leafOf(hash)).batchId).toBe(batchId);
    const refused = await batchRow(batchId);
    // attempts 0: no lease was taken, no transaction estimated or sent
    expect(refused).toMatchObject({ state: 'refused', refusalReason: 'IssuerNotAccredited', attempts: 0, txHash: null });
    expect(refused.lastError).toContain('not sent');
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await nonceOf('health-insurance')).toBe(nonce);

    // accredited again, but the issuer has not read it yet: still set aside
    await accredit('health-insurance', 'IncomeBracket');
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect((await batchRow(batchId)).state).toBe('refused');

    await p.accreditations.refresh();
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 1, failed: 0, reopened: 0, refused: 0 });
    const anchored = await expectAnchored([...before, ...gap]);
    expect([...anchored.values()].map((b) => [b.id, b.root, b.refusalReason, b.refusedAt])).toEqual([[batchId, refused.root, null, null]]);
    // The new accreditation window needs a new anchorer registration before the anchor.
    expect(await nonceOf('health-insurance')).toBe(nonce + 2);
    expect(await store.refusedBatches()).toEqual([expect.objectContaining({ tenantSlug: 'youth-policy' })]);
  });

  it('retries a set-aside batch at most once per accreditation change, even when the chain keeps refusing what the cache allows', async () => {
    // The cache judges validity windows by the issuer's clock; here the chain's block time runs past the window
    // while the issuer's clock does not, so the cache says "accredited" and the chain refuses.
    const hashes = await issue('education-office', 'EnrollmentStatus', 1);
    await revoke('education-office', 'EnrollmentStatus');
    await accredit('education-office', 'EnrollmentStatus', 3_600);
    await p.accreditations.refresh();
    await p.provider.send('evm_increaseTime', [7_200]);
    await p.provider.send('evm_mine', []);
    expect(p.accreditations.anchoringType(tenant('education-office').id)).toEqual({ verdict: 'accredited', credentialType: 'EnrollmentStatus' });
    const nonce = await nonceOf('education-office');

    expect(await p.worker.runOnce()).toEqual({ sealed: 1, anchored: 0, failed: 0, reopened: 0, refused: 1 });
    const batchId = (await leafOf(hashes[0]!)).batchId!;
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', attempts: 1 });
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', attempts: 1 });

    // a restarted worker tries once more, then leaves it alone too
    const restarted = workerWith();
    expect(await restarted.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 1 });
    expect(await restarted.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', attempts: 2 });
    expect(await nonceOf('education-office')).toBe(nonce);
  });

  it('names a credential type the tenant is accredited for now: suspended for its first type, it anchors under its second', async () => {
    const cafe = tenant('hangang-cafe');
    const hashes = await issue('hangang-cafe', 'WorkExperience', 1);
    const registry = issuerRegistryAt(p.deployment.issuerRegistry, p.root);
    await (await registry.suspendIssuer(cafe.address, credentialTypeHash('LaborContract'))).wait();
    await p.accreditations.refresh();
    expect(p.accreditations.anchoringType(cafe.id)).toEqual({ verdict: 'accredited', credentialType: 'WorkExperience' });

    expect(await p.worker.runOnce()).toEqual({ sealed: 1, anchored: 1, failed: 0, reopened: 0, refused: 0 });
    const [batch] = [...(await expectAnchored(hashes)).values()];
    expect((await anchorEvents()).get(batch!.root.toLowerCase())![0]!.credentialType).toBe(credentialTypeHash('WorkExperience'));
    await expectNothingOutstanding();
  });

  it('sends a NotIdentityOwner batch again once the tenant\'s key changed: a rotation whose changeOwner was mined before the issuer switched keys', async () => {
    const seoul = tenant('seoul-citizen');
    const hashes = await issue('seoul-citizen', 'SeoulCitizenCard', 1);
    // The first half of a key rotation: a new key is prepared and made the identity's owner on chain…
    const next = await p.issuer.runtime.agent.keyManagerCreate({ kms: LOCAL_KMS, type: 'Secp256k1', meta: { rotationOf: seoul.did } });
    const nextAddress = computeAddress(`0x${next.publicKeyHex}`);
    await (await didRegistryAt(p.deployment.didRegistry, await tenants.signerFor(seoul, p.provider)).changeOwner(seoul.address, nextAddress)).wait();

    // …and the worker sends with the key the database still has.
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 0, failed: 0, refused: 1 });
    const batchId = (await leafOf(hashes[0]!)).batchId!;
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', refusalReason: 'NotIdentityOwner' });
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 0, refused: 0 });

    // The rotation completes (the issuer takes over the prepared key); the next pass sends the batch from it.
    expect((await tenants.rotateKey(seoul)).newOwner).toBe(nextAddress);
    expect(await p.worker.runOnce()).toMatchObject({ anchored: 1, failed: 0, refused: 0 });
    const anchored = await batchRow(batchId);
    expect(anchored).toMatchObject({ state: 'anchored', refusalReason: null });
    expect((await p.provider.getTransactionReceipt(anchored.txHash!))?.from).toBe(nextAddress);
    expect((await anchorContract.anchorOf(seoul.address, anchored.root)).blockNumber).toBe(BigInt(anchored.blockNumber!));
    expect((await proofOf(hashes[0]!)).status).toBe(200);
  });

  it('sets aside with NotIdentityOwner a batch its key can no longer anchor (someone else took the identity over in ERC-1056), and never sends it in a loop', async () => {
    const department = tenant('employment-insurance');
    const hashes = await issue('employment-insurance', 'EmploymentInsuranceStatus', 2);
    // Whoever holds the tenant's key (a leak) hands the identity to an account of theirs.
    const thief = Wallet.createRandom().address;
    await (await didRegistryAt(p.deployment.didRegistry, await tenants.signerFor(department, p.provider)).changeOwner(department.address, thief)).wait();
    const nonce = await nonceOf('employment-insurance');

    expect(await p.worker.runOnce()).toEqual({ sealed: 1, anchored: 0, failed: 0, reopened: 0, refused: 1 });
    const batchId = (await leafOf(hashes[0]!)).batchId!;
    const refused = await batchRow(batchId);
    expect(refused).toMatchObject({ state: 'refused', refusalReason: 'NotIdentityOwner', attempts: 1, txHash: null });
    expect(refused.lastError).toContain('CredentialAnchor refused');
    for (const hash of hashes) {
      const res = await proofOf(hash);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'anchor.refused', reason: 'NotIdentityOwner', refusedAt: refused.refusedAt });
    }
    expect(await p.worker.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    // a restarted worker tries once more (with the other set-aside batches of the tests before), then leaves it alone too
    const restarted = workerWith();
    expect(await restarted.runOnce()).toMatchObject({ anchored: 0, failed: 0 });
    expect(await restarted.runOnce()).toEqual({ sealed: 0, anchored: 0, failed: 0, reopened: 0, refused: 0 });
    expect(await batchRow(batchId)).toMatchObject({ state: 'refused', refusalReason: 'NotIdentityOwner', attempts: 2 });
    expect(await nonceOf('employment-insurance')).toBe(nonce);
    expect(await chain.findAnchor(department.address, refused.root as Hex32)).toBeNull();
  });
});
