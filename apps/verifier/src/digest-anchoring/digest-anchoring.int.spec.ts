import { createHash } from 'node:crypto';
import { buildMerkleTree, type Hex32, type OnChainAnchor } from '@citycred/anchoring';
import { FixedClock } from '@citycred/config';
import { AppError } from '@citycred/errors';
import { createVerifierDataSource, inTransaction, openDatabase } from '@citycred/persistence';
import { testDatabase, type TestDatabase } from '@citycred/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestAnchorClient, DigestProofAnswer, SubmitAnswer } from './digest-anchor-client.js';
import { DigestAnchoring, type DigestAnchorLedger, type DigestKind } from './digest-anchoring.js';
import { DigestAnchorEntity } from './digest-anchor.entity.js';
import { DIGEST_ANCHORING_ENTITIES, DIGEST_ANCHORING_MIGRATIONS } from './schema.js';

const digestOf = (text: string) => `0x${createHash('sha256').update(text).digest('hex')}` as Hex32;
const CITY = 'did:ethr:citycred:0x1111111111111111111111111111111111111111';
const CITY_ADDRESS = '0x1111111111111111111111111111111111111111';

/**
 * The issuer's anchoring as the outbox sees it over HTTP, scripted per digest (the e2e test, test/e2e/digest-anchoring,
 * runs the real issuer): down or up, and what its proof endpoint says.
 */
class ScriptedIssuer implements DigestAnchorClient {
  up = true;
  issuerDid = CITY;
  readonly accepted: Array<{ kind: DigestKind; digest: Hex32 }> = [];
  readonly answers = new Map<string, DigestProofAnswer>();

  async submit(kind: DigestKind, digest: Hex32): Promise<SubmitAnswer> {
    if (!this.up) return { ok: false, reason: "the issuer's anchoring could not be reached" };
    this.accepted.push({ kind, digest });
    return { ok: true, issuerDid: this.issuerDid };
  }

  async proof(digest: Hex32): Promise<DigestProofAnswer> {
    if (!this.up) return { kind: 'unreachable', reason: "the issuer's anchoring could not be reached" };
    return this.answers.get(digest) ?? { kind: 'pending' };
  }
}

/** The chain's anchors and accreditations, as recorded here (the e2e test reads a real chain). */
class RecordedLedger implements DigestAnchorLedger {
  readonly chainId = 31337;
  readonly anchorContract = '0x2222222222222222222222222222222222222222';
  readonly anchors = new Map<string, OnChainAnchor>();
  accreditedTypes = new Set(['SignatureReceipt', 'PetitionTally']);

  async findAnchor(issuer: string, root: Hex32): Promise<OnChainAnchor | null> {
    return this.anchors.get(`${issuer.toLowerCase()}:${root}`) ?? null;
  }

  async isAccredited(issuer: string, type: string): Promise<boolean> {
    return issuer.toLowerCase() === CITY_ADDRESS && this.accreditedTypes.has(type);
  }
}

/** The digest outbox on the real database (SQLite or PostgreSQL): never lost, retried, checked against the chain. */
describe('DigestAnchoring', () => {
  const clock = new FixedClock(new Date('2026-06-01T01:00:00Z'));
  let db: TestDatabase;
  let dataSource: DataSource;
  let issuer: ScriptedIssuer;
  let ledger: RecordedLedger;
  let anchoring: DigestAnchoring;

  beforeAll(async () => {
    db = testDatabase('digest_anchoring');
    dataSource = await openDatabase(createVerifierDataSource({ url: db.url, schema: db.schema, sqlitePath: db.sqlitePath }, { entities: [...DIGEST_ANCHORING_ENTITIES], migrations: [...DIGEST_ANCHORING_MIGRATIONS] }));
    issuer = new ScriptedIssuer();
    ledger = new RecordedLedger();
    anchoring = new DigestAnchoring(dataSource, issuer, ledger, clock, { didNetwork: 'citycred', graceSeconds: 600, batchLimit: 100 });
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  /** Anchors `digests` in one batch at `block`, as the issuer's worker would, and has the issuer serve their proofs. */
  function anchorBatch(digests: Hex32[], block: number, at: Date): Hex32 {
    const tree = buildMerkleTree(digests);
    ledger.anchors.set(`${CITY_ADDRESS}:${tree.root}`, { blockNumber: block, anchoredAt: at, leafCount: digests.length });
    digests.forEach((digest, leafIndex) => issuer.answers.set(digest, { kind: 'proof', proof: { root: tree.root, proof: tree.proofs[leafIndex]!, leafIndex, blockNumber: block } }));
    return tree.root;
  }

  it('keeps a digest only with the transaction that enqueued it, once however often it is enqueued', async () => {
    const rolledBack = digestOf('rolled back');
    await expect(
      inTransaction(dataSource, async (manager) => {
        await anchoring.enqueue(manager, { kind: 'signature-receipt', digest: rolledBack });
        throw new Error('the receipt could not be stored');
      }),
    ).rejects.toThrow('the receipt could not be stored');
    expect(await anchoring.status(rolledBack)).toEqual({ state: 'unknown' });

    const kept = digestOf('kept');
    await inTransaction(dataSource, async (manager) => {
      await anchoring.enqueue(manager, { kind: 'signature-receipt', digest: kept });
      // Again in the same transaction: no error, the transaction goes on.
      await anchoring.enqueue(manager, { kind: 'signature-receipt', digest: kept });
    });
    clock.set(new Date(clock.now().getTime() + 1_000));
    await anchoring.enqueue(undefined, { kind: 'petition-tally', digest: kept });
    expect(await dataSource.getRepository(DigestAnchorEntity).countBy({ digest: kept })).toBe(1);
    expect(await anchoring.status(kept)).toEqual({ state: 'pending', kind: 'signature-receipt', enqueuedAt: new Date('2026-06-01T01:00:00Z'), submitted: false, attempts: 0 });
  });

  it('refuses a digest that is not 0x + 64 lower-case hex, or of an unknown kind', async () => {
    await expect(anchoring.enqueue(undefined, { kind: 'signature-receipt', digest: '0xABC' as Hex32 })).rejects.toBeInstanceOf(AppError);
    await expect(anchoring.enqueue(undefined, { kind: 'signature-receipt', digest: digestOf('x').toUpperCase() as Hex32 })).rejects.toBeInstanceOf(AppError);
    await expect(anchoring.enqueue(undefined, { kind: 'credential' as DigestKind, digest: digestOf('x') })).rejects.toBeInstanceOf(AppError);
    expect(await anchoring.status('0xnot-a-digest' as Hex32)).toEqual({ state: 'unknown' });
  });

  it('retries while the issuer is down, then follows the digest until its proof checks against the chain', async () => {
    const receipt = digestOf('receipt 1');
    const tally = digestOf('tally 1');
    await anchoring.enqueue(undefined, { kind: 'signature-receipt', digest: receipt });
    await anchoring.enqueue(undefined, { kind: 'petition-tally', digest: tally });

    issuer.up = false;
    const down = await anchoring.runOnce();
    expect(down.submitted).toBe(0);
    expect(down.retrying).toBeGreaterThanOrEqual(2);
    expect(await anchoring.status(receipt)).toMatchObject({ state: 'pending', submitted: false, attempts: 1, lastError: "the issuer's anchoring could not be reached" });
    await anchoring.runOnce();
    expect(await anchoring.status(receipt)).toMatchObject({ state: 'pending', submitted: false, attempts: 2 });

    issuer.up = true;
    const up = await anchoring.runOnce();
    expect(up.submitted).toBeGreaterThanOrEqual(2);
    expect(issuer.accepted).toEqual(expect.arrayContaining([{ kind: 'signature-receipt', digest: receipt }, { kind: 'petition-tally', digest: tally }]));
    const pending = await anchoring.status(receipt);
    expect(pending).toMatchObject({ state: 'pending', submitted: true });
    expect(pending).not.toHaveProperty('lastError');

    // Anchored by the issuer's worker: `status` sees it at once (before the task's next run), and the run records it.
    const at = new Date('2026-06-01T01:05:00Z');
    const root = anchorBatch([receipt, tally], 42, at);
    const anchored = await anchoring.status(tally);
    expect(anchored).toMatchObject({ state: 'anchored', kind: 'petition-tally', block: 42, time: at, root, leafIndex: 1, issuerDid: CITY, chainId: 31337, contract: ledger.anchorContract });
    expect(anchored.state === 'anchored' && anchored.proof).toHaveLength(1);
    const run = await anchoring.runOnce();
    expect(run.anchored).toBeGreaterThanOrEqual(1);
    // Recorded: the issuer and the chain are no longer asked.
    issuer.up = false;
    ledger.anchors.clear();
    expect(await anchoring.status(receipt)).toMatchObject({ state: 'anchored', block: 42, root, leafIndex: 0 });
    issuer.up = true;
  });

  it('stays pending while the chain has not the root yet or cannot be read', async () => {
    const digest = digestOf('not yet on chain');
    await anchoring.enqueue(undefined, { kind: 'signature-receipt', digest });
    await anchoring.runOnce();
    const tree = buildMerkleTree([digest]);
    issuer.answers.set(digest, { kind: 'proof', proof: { root: tree.root, proof: [], leafIndex: 0 } });
    expect(await anchoring.status(digest)).toMatchObject({ state: 'pending', submitted: true, lastError: expect.stringMatching(/not on chain/) });
    const failing = Object.create(ledger) as RecordedLedger;
    failing.findAnchor = async () => {
      throw new Error('connection refused');
    };
    const blind = new DigestAnchoring(dataSource, issuer, failing, clock, { didNetwork: 'citycred', graceSeconds: 600, batchLimit: 100 });
    expect(await blind.status(digest)).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/city chain could not be read/) });
  });

  it('fails a digest whose proof does not hold, whose root was anchored unaccredited, or whose batch the chain refused', async () => {
    const forged = digestOf('forged proof');
    const unaccredited = digestOf('unaccredited');
    const refused = digestOf('refused');
    for (const digest of [forged, unaccredited, refused]) await anchoring.enqueue(undefined, { kind: 'signature-receipt', digest });
    await anchoring.runOnce();

    const other = buildMerkleTree([digestOf('a'), digestOf('b')]);
    issuer.answers.set(forged, { kind: 'proof', proof: { root: other.root, proof: other.proofs[0]!, leafIndex: 0 } });
    expect(await anchoring.status(forged)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/does not lead from the digest/) });

    ledger.accreditedTypes = new Set(['PetitionTally']);
    anchorBatch([unaccredited], 50, new Date('2026-06-01T01:10:00Z'));
    expect(await anchoring.status(unaccredited)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/not accredited for SignatureReceipt/) });
    ledger.accreditedTypes = new Set(['SignatureReceipt', 'PetitionTally']);

    issuer.answers.set(refused, { kind: 'refused', reason: 'IssuerNotAccredited' });
    expect(await anchoring.status(refused)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/refused to anchor it \(IssuerNotAccredited\)/) });
  });

  it('counts a digest the issuer does not know as pending during the grace period, then failed, and hands it over again', async () => {
    const lost = digestOf('lost by the issuer');
    await anchoring.enqueue(undefined, { kind: 'signature-receipt', digest: lost });
    await anchoring.runOnce();
    issuer.answers.set(lost, { kind: 'unknown' });
    expect(await anchoring.status(lost)).toMatchObject({ state: 'pending', submitted: true });
    clock.set(new Date(clock.now().getTime() + 601_000));
    expect(await anchoring.status(lost)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/no record of the digest/) });

    const accepted = issuer.accepted.filter((a) => a.digest === lost).length;
    await anchoring.runOnce(); // finds it lost: back to the unsubmitted
    expect(await anchoring.status(lost)).toMatchObject({ state: 'pending', submitted: false });
    issuer.answers.delete(lost);
    await anchoring.runOnce();
    expect(issuer.accepted.filter((a) => a.digest === lost)).toHaveLength(accepted + 1);
    expect(await anchoring.status(lost)).toMatchObject({ state: 'pending', submitted: true });
  });

  it('does not take an issuer identity off the city chain', async () => {
    const digest = digestOf('other network');
    await anchoring.enqueue(undefined, { kind: 'signature-receipt', digest });
    issuer.issuerDid = 'did:ethr:mainnet:0x1111111111111111111111111111111111111111';
    await anchoring.runOnce();
    expect(await anchoring.status(digest)).toMatchObject({ state: 'pending', submitted: false, lastError: expect.stringMatching(/not a did:ethr of the citycred network/) });
    issuer.issuerDid = CITY;
  });
});
