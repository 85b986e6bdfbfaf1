import { AnchorBatchEntity, AnchorOutboxEntity, TenantEntity } from '@citycred/persistence';
import { And, LessThan, MoreThanOrEqual, type DataSource, type SelectQueryBuilder } from 'typeorm';

/** At most this many batches in one answer of {@link AnchorBatchReads.anchoredBatches}; the caller narrows its window beyond. */
export const MAX_BATCHES_PER_ANSWER = 100;

/** At most this many hashes in each list of {@link AnchorBatchReads.queue} (pending, refused). */
export const MAX_QUEUE_HASHES = 20_000;

/** An anchored batch as a verifier needs it to check a root it computed: where and when the root reached the chain. */
export interface AnchoredBatchSummary {
  /** The Merkle root (`0x` and 64 lower-case hex digits, docs/anchoring.md). */
  root: string;
  leafCount: number;
  /** When the block holding the anchoring transaction was mined (ISO 8601, UTC). */
  anchoredAt: string;
  txHash: string;
  blockNumber: number;
  chainId: number;
  /** The CredentialAnchor contract the root was anchored on. */
  contract: string;
}

/** A tenant's leaves not in an anchored batch yet: no batch, or a batch sealed and not confirmed on chain. */
export interface PendingSummary {
  count: number;
  /** When the oldest of them was queued (ISO 8601), or null when none is pending. */
  since: string | null;
}

/** One queued digest of a tenant. */
export interface QueuedLeaf {
  credentialHash: string;
  /** When it was queued (ISO 8601). */
  enqueuedAt: string;
}

/** A tenant's anchoring queue as {@link AnchorBatchReads.queue} reads it. */
export interface TenantQueue {
  /** Leaves not anchored yet (no batch, or a sealed batch), oldest first. */
  pending: QueuedLeaf[];
  /** The digests of the tenant's set-aside (`refused`) batches, batch by batch in leaf order. */
  refused: string[];
  /** Whether either list was cut at its limit. */
  truncated: boolean;
}

/** Limits of {@link AnchorBatchReads}; the defaults are the public contract, tests lower them. */
export interface AnchorBatchReadLimits {
  maxBatches?: number;
  maxQueueHashes?: number;
}

/**
 * Reads of the anchoring tables for verifiers that must not ask about one credential (asking would tell the issuer
 * who is checked, and when): whole anchored batches per issuer and time window, a batch's leaves in tree order, and
 * the issuer's queue. Nothing here writes; every answer is about one tenant or one batch, never one credential.
 */
export class AnchorBatchReads {
  private readonly maxBatches: number;
  private readonly maxQueueHashes: number;

  constructor(
    private readonly dataSource: DataSource,
    limits: AnchorBatchReadLimits = {},
  ) {
    this.maxBatches = limits.maxBatches ?? MAX_BATCHES_PER_ANSWER;
    this.maxQueueHashes = limits.maxQueueHashes ?? MAX_QUEUE_HASHES;
  }

  /**
   * The id of the tenant whose issuing DID is exactly `did` (DIDs are compared as stored, case included).
   * @returns null when no tenant has it
   */
  async tenantIdByDid(did: string): Promise<string | null> {
    const tenant = await this.dataSource.getRepository(TenantEntity).findOne({ where: { did }, select: { id: true } });
    return tenant?.id ?? null;
  }

  /**
   * The tenant's batches in state `anchored` whose `anchoredAt` lies in [`from`, `to`), ordered by `anchoredAt`
   * then root, at most the limit (100 by default).
   * @returns the batches, and `truncated` when more lie in the window
   */
  async anchoredBatches(tenantId: string, from: Date, to: Date): Promise<{ batches: AnchoredBatchSummary[]; truncated: boolean }> {
    const rows = await this.dataSource.getRepository(AnchorBatchEntity).find({
      select: { root: true, leafCount: true, anchoredAt: true, txHash: true, blockNumber: true, chainId: true, contract: true },
      // anchored_at holds toISOString() strings: one fixed width, so comparing them compares the instants.
      where: { tenantId, state: 'anchored', anchoredAt: And(MoreThanOrEqual(from.toISOString()), LessThan(to.toISOString())) },
      order: { anchoredAt: 'ASC', root: 'ASC' },
      take: this.maxBatches + 1,
    });
    const batches = rows.slice(0, this.maxBatches).map((row) => ({
      root: row.root,
      leafCount: row.leafCount,
      anchoredAt: row.anchoredAt!,
      txHash: row.txHash!,
      blockNumber: row.blockNumber!,
      chainId: row.chainId!,
      contract: row.contract!,
    }));
    return { batches, truncated: rows.length > this.maxBatches };
  }

  /** How many of the tenant's leaves are not in an anchored batch yet (and not set aside), and since when. */
  async pendingSummary(tenantId: string): Promise<PendingSummary> {
    const row = await this.pendingLeaves(tenantId)
      .select('COUNT(*)', 'count')
      .addSelect('MIN(o.enqueued_at)', 'since')
      .getRawOne<{ count: string | number; since: string | null }>();
    return { count: Number(row?.count ?? 0), since: row?.since ?? null };
  }

  /**
   * The digests of the anchored batch with this root, in the order the worker built its tree (leaf index), so that
   * `buildMerkleTree(leaves).root === root`.
   * @param root - a canonical `Hex32` (normalised at the edge)
   * @returns null when no batch has this root or it is not anchored (sealed, set aside)
   * @throws Error when the stored leaves do not make up the batch (a count or index gap): a fault of ours, not an answer
   */
  async anchoredBatchLeaves(root: string): Promise<string[] | null> {
    const batch = await this.dataSource.getRepository(AnchorBatchEntity).findOne({ where: { root, state: 'anchored' }, select: { id: true, leafCount: true } });
    if (!batch) return null;
    const rows = await this.dataSource.getRepository(AnchorOutboxEntity).find({
      select: { credentialHash: true, leafIndex: true },
      where: { batchId: batch.id },
      order: { leafIndex: 'ASC' },
    });
    if (rows.length !== batch.leafCount || rows.some((row, index) => row.leafIndex !== index)) {
      throw new Error(`anchored batch ${batch.id} holds ${rows.length} leaves with gaps or duplicates in their indexes; ${batch.leafCount} were sealed`);
    }
    return rows.map((row) => row.credentialHash);
  }

  /**
   * The tenant's queue: its leaves not anchored yet (oldest first, by queueing time then sequence) and the digests of
   * its set-aside batches, each list at most the limit (20,000 by default).
   */
  async queue(tenantId: string): Promise<TenantQueue> {
    const pendingRows = await this.pendingLeaves(tenantId)
      .select('o.credential_hash', 'credentialHash')
      .addSelect('o.enqueued_at', 'enqueuedAt')
      .orderBy('o.enqueuedAt', 'ASC')
      .addOrderBy('o.seq', 'ASC')
      .limit(this.maxQueueHashes + 1)
      .getRawMany<QueuedLeaf>();
    const refusedRows = await this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .innerJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .select('o.credential_hash', 'credentialHash')
      .where('o.tenant_id = :tenantId AND b.state = :state', { tenantId, state: 'refused' })
      .orderBy('b.createdAt', 'ASC')
      .addOrderBy('b.id', 'ASC')
      .addOrderBy('o.leafIndex', 'ASC')
      .limit(this.maxQueueHashes + 1)
      .getRawMany<{ credentialHash: string }>();
    return {
      pending: pendingRows.slice(0, this.maxQueueHashes).map((row) => ({ credentialHash: row.credentialHash, enqueuedAt: row.enqueuedAt })),
      refused: refusedRows.slice(0, this.maxQueueHashes).map((row) => row.credentialHash),
      truncated: pendingRows.length > this.maxQueueHashes || refusedRows.length > this.maxQueueHashes,
    };
  }

  /** The tenant's outbox rows in no batch or in a batch still `sealed` (set-aside batches are not pending). */
  private pendingLeaves(tenantId: string): SelectQueryBuilder<AnchorOutboxEntity> {
    return this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .leftJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .where('o.tenant_id = :tenantId', { tenantId })
      .andWhere('(o.batch_id IS NULL OR b.state = :sealed)', { sealed: 'sealed' });
  }
}
