import { randomUUID } from 'node:crypto';
import { buildMerkleTree, type Hex32 } from '@citycred/anchoring';
import { AnchorBatchEntity, AnchorOutboxEntity, inTransaction, TenantEntity } from '@citycred/persistence';
import { IsNull, LessThan, type DataSource, type EntityManager } from 'typeorm';

/** A batch whose root is fixed and must reach the chain. */
export interface SealedBatch {
  id: string;
  tenantId: string;
  root: Hex32;
  leafCount: number;
}

/** Where a credential hash stands in anchoring. */
export type ProofLookup =
  | { state: 'unknown' }
  | { state: 'pending'; enqueuedAt: string }
  /** Its batch was set aside: the chain refuses it (see {@link AnchorBatchStore.setAside}). */
  | { state: 'refused'; reason: string; refusedAt: string }
  | {
      state: 'anchored';
      root: string;
      proof: string[];
      leafIndex: number;
      txHash: string;
      blockNumber: number;
      chainId: number;
      contract: string;
      anchoredAt: string;
    };

/** Set-aside batches of one tenant, for the operator (`/health` details). */
export interface RefusedBatches {
  tenantSlug: string;
  reason: string;
  batches: number;
  /** Issued credentials in them (not the other digests batched with them, such as status-list versions). */
  credentials: number;
  /** When the oldest of them was set aside (ISO). */
  since: string;
}

/** Where anchoring stands, for `/metrics`: read from the database, so the same for every issuer process. */
export interface AnchoringStats {
  /** Digests not anchored yet (no batch, or a batch still `sealed`), by kind. */
  pendingByKind: Record<string, number>;
  /** When the oldest of them was queued (ISO), or null when none is pending. */
  oldestPendingSince: string | null;
  /** Digests in anchored batches, by kind. */
  anchoredByKind: Record<string, number>;
  anchoredBatches: number;
  /** Gas used by the anchoring transactions of anchored batches (those that recorded it). */
  gasUsed: number;
  /** Batches set aside (state `refused`). */
  refusedBatches: number;
}

/**
 * Persistence of the anchoring outbox and batches. Every write goes through {@link inTransaction} so that on
 * SQLite it never lands inside another request's open transaction. Sealing is one transaction that fixes a batch's leaves,
 * root and proofs before anything is sent to the chain; on PostgreSQL the pending rows are claimed with
 * `FOR UPDATE SKIP LOCKED` so several workers never seal the same credential twice.
 */
export class AnchorBatchStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Tenants that have credentials waiting for a batch. */
  async tenantsWithPendingLeaves(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .select('DISTINCT o.tenant_id', 'tenantId')
      .where('o.batch_id IS NULL')
      .getRawMany<{ tenantId: string }>();
    return rows.map((r) => r.tenantId);
  }

  /**
   * Seals up to `maxLeaves` pending credential hashes of a tenant into a new batch.
   * @returns the sealed batch, or null when nothing was pending (or another worker took it)
   */
  async sealBatch(tenantId: string, maxLeaves: number, now: Date): Promise<SealedBatch | null> {
    return inTransaction(this.dataSource, async (manager) => {
      const pending = await this.claimPending(manager, tenantId, maxLeaves);
      if (pending.length === 0) return null;
      const tree = buildMerkleTree(pending.map((row) => row.credentialHash as Hex32));
      const batch: SealedBatch = { id: randomUUID(), tenantId, root: tree.root, leafCount: tree.leafCount };
      await manager.insert(AnchorBatchEntity, {
        id: batch.id,
        tenantId,
        root: tree.root,
        leafCount: tree.leafCount,
        state: 'sealed',
        createdAt: now.toISOString(),
        attempts: 0,
        txHash: null,
        blockNumber: null,
        anchoredAt: null,
        chainId: null,
        contract: null,
        lastError: null,
        leaseUntil: null,
        leaseOwner: null,
        refusalReason: null,
        refusedAt: null,
        gasUsed: null,
        effectiveGasPrice: null,
      });
      for (const [index, row] of pending.entries()) {
        await manager.update(AnchorOutboxEntity, { seq: row.seq }, { batchId: batch.id, leafIndex: index, proof: JSON.stringify(tree.proofs[index]) });
      }
      return batch;
    });
  }

  /**
   * Sealed batches not yet confirmed on chain whose lease has lapsed (left behind by a crash or a failure), and those
   * still leased to `owner` itself: a pass of that worker that failed before it could record its outcome (the
   * database stalled) is taken up again by its next pass instead of waiting out the lease.
   */
  async unconfirmedBatches(now: Date, owner: string): Promise<SealedBatch[]> {
    const repo = this.dataSource.getRepository(AnchorBatchEntity);
    const rows = await repo.find({
      where: [
        { state: 'sealed', leaseUntil: IsNull() },
        { state: 'sealed', leaseUntil: LessThan(now.toISOString()) },
        { state: 'sealed', leaseOwner: owner },
      ],
      order: { createdAt: 'ASC' },
    });
    return rows.map((r) => ({ id: r.id, tenantId: r.tenantId, root: r.root as Hex32, leafCount: r.leafCount }));
  }

  /**
   * Takes the lease on a sealed batch so no other worker submits it meanwhile (a worker may take back its own lease:
   * its passes never overlap).
   * @returns false when another worker holds it or it is already anchored
   */
  async acquireLease(batchId: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const result = await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(AnchorBatchEntity)
        .set({ leaseUntil: until, leaseOwner: owner, attempts: () => 'attempts + 1' })
        .where('id = :id AND state = :state AND (lease_until IS NULL OR lease_until < :now OR lease_owner = :owner)', { id: batchId, state: 'sealed', now: now.toISOString(), owner })
        .execute(),
    );
    return (result.affected ?? 0) === 1;
  }

  /** Records the on-chain confirmation of a batch (with the gas its transaction used), if `owner` still holds its lease. */
  async markAnchored(
    batchId: string,
    owner: string,
    anchor: { txHash: string; blockNumber: number; anchoredAt: Date; chainId: number; contract: string; gasUsed: number; effectiveGasPrice: bigint },
  ): Promise<void> {
    const confirmed = {
      state: 'anchored' as const,
      txHash: anchor.txHash,
      blockNumber: anchor.blockNumber,
      anchoredAt: anchor.anchoredAt.toISOString(),
      gasUsed: anchor.gasUsed,
      effectiveGasPrice: anchor.effectiveGasPrice.toString(),
      chainId: anchor.chainId,
      contract: anchor.contract,
      leaseUntil: null,
      leaseOwner: null,
      lastError: null,
    };
    await inTransaction(this.dataSource, (manager) => manager.update(AnchorBatchEntity, { id: batchId, leaseOwner: owner }, confirmed));
  }

  /** Records why a submission failed and releases the lease (if `owner` still holds it) so the batch is retried. */
  async markFailed(batchId: string, owner: string, reason: string): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager.update(AnchorBatchEntity, { id: batchId, leaseOwner: owner }, { lastError: reason.slice(0, 2000), leaseUntil: null, leaseOwner: null }),
    );
  }

  /**
   * Sets a sealed batch aside in state `refused`: it is not sent again until {@link retryRefused} puts it back.
   * @param owner - the worker holding the lease; without one, only a batch nobody holds is set aside
   * @returns false when the batch was not sealed, or is held by another worker
   */
  async setAside(batchId: string, refusal: { reason: string; detail: string; at: Date; owner?: string }): Promise<boolean> {
    const now = refusal.at.toISOString();
    const result = await inTransaction(this.dataSource, (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(AnchorBatchEntity)
        .set({ state: 'refused', refusalReason: refusal.reason, refusedAt: now, lastError: refusal.detail.slice(0, 2000), leaseUntil: null, leaseOwner: null })
        .where('id = :id AND state = :state', { id: batchId, state: 'sealed' });
      if (refusal.owner) update.andWhere('lease_owner = :owner', { owner: refusal.owner });
      else update.andWhere('(lease_until IS NULL OR lease_until < :now)', { now });
      return update.execute();
    });
    return (result.affected ?? 0) === 1;
  }

  /** Tenants that have set-aside batches. */
  async tenantsWithRefusedBatches(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(AnchorBatchEntity)
      .createQueryBuilder('b')
      .select('DISTINCT b.tenant_id', 'tenantId')
      .where('b.state = :state', { state: 'refused' })
      .getRawMany<{ tenantId: string }>();
    return rows.map((r) => r.tenantId);
  }

  /**
   * Puts a tenant's set-aside batches back to `sealed` (same leaves, root and proofs) so the worker sends them again.
   * @returns how many batches
   */
  async retryRefused(tenantId: string): Promise<number> {
    const result = await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .update(AnchorBatchEntity)
        .set({ state: 'sealed', lastError: () => "'retrying after refusal: ' || refusal_reason", refusalReason: null, refusedAt: null })
        .where('tenant_id = :tenantId AND state = :state', { tenantId, state: 'refused' })
        .execute(),
    );
    return result.affected ?? 0;
  }

  /** Set-aside batches by tenant and reason, for the operator. */
  async refusedBatches(): Promise<RefusedBatches[]> {
    const rows = await this.dataSource
      .getRepository(AnchorBatchEntity)
      .createQueryBuilder('b')
      .innerJoin(TenantEntity, 't', 't.id = b.tenant_id')
      .leftJoin(AnchorOutboxEntity, 'o', "o.batch_id = b.id AND o.kind = 'credential'")
      .select('t.slug', 'tenantSlug')
      .addSelect('b.refusal_reason', 'reason')
      .addSelect('COUNT(DISTINCT b.id)', 'batches')
      .addSelect('COUNT(o.seq)', 'credentials')
      .addSelect('MIN(b.refused_at)', 'since')
      .where('b.state = :state', { state: 'refused' })
      .groupBy('t.slug')
      .addGroupBy('b.refusal_reason')
      .orderBy('t.slug', 'ASC')
      .getRawMany<{ tenantSlug: string; reason: string; batches: string | number; credentials: string | number; since: string }>();
    return rows.map((r) => ({ tenantSlug: r.tenantSlug, reason: r.reason, batches: Number(r.batches), credentials: Number(r.credentials), since: r.since }));
  }

  /**
   * Anchored batches to compare with the chain (with their tenant: the chain keys anchors by issuer): those anchored
   * since `since`, and any anchored on a contract other than `currentContract` (the chain was redeployed).
   */
  async anchoredToRecheck(since: Date, currentContract: string): Promise<Array<{ id: string; tenantId: string; root: Hex32; contract: string | null }>> {
    const rows = await this.dataSource
      .getRepository(AnchorBatchEntity)
      .createQueryBuilder('b')
      .select(['b.id', 'b.tenantId', 'b.root', 'b.contract'])
      .where('b.state = :state', { state: 'anchored' })
      .andWhere('(b.anchored_at >= :since OR LOWER(b.contract) <> :contract)', { since: since.toISOString(), contract: currentContract.toLowerCase() })
      .getMany();
    return rows.map((r) => ({ id: r.id, tenantId: r.tenantId, root: r.root as Hex32, contract: r.contract }));
  }

  /** Puts an anchored batch back to `sealed` (its root is not on chain), keeping its leaves, root and proofs. */
  async reopen(batchId: string): Promise<void> {
    await inTransaction(this.dataSource, (manager) =>
      manager.update(
        AnchorBatchEntity,
        { id: batchId, state: 'anchored' },
        {
          state: 'sealed',
          txHash: null,
          blockNumber: null,
          anchoredAt: null,
          chainId: null,
          contract: null,
          gasUsed: null,
          effectiveGasPrice: null,
          leaseUntil: null,
          leaseOwner: null,
          lastError: 'root missing on chain; re-anchoring',
        },
      ),
    );
  }

  /** Where `credentialHash` stands, with its proof once anchored. */
  async lookup(credentialHash: string): Promise<ProofLookup> {
    const leaf = await this.dataSource.getRepository(AnchorOutboxEntity).findOneBy({ credentialHash });
    if (!leaf) return { state: 'unknown' };
    const batch = leaf.batchId ? await this.dataSource.getRepository(AnchorBatchEntity).findOneBy({ id: leaf.batchId }) : null;
    if (batch?.state === 'refused') return { state: 'refused', reason: batch.refusalReason ?? 'unknown', refusedAt: batch.refusedAt ?? batch.createdAt };
    if (!batch || batch.state !== 'anchored' || leaf.leafIndex === null || !leaf.proof) return { state: 'pending', enqueuedAt: leaf.enqueuedAt };
    return {
      state: 'anchored',
      root: batch.root,
      proof: JSON.parse(leaf.proof) as string[],
      leafIndex: leaf.leafIndex,
      txHash: batch.txHash!,
      blockNumber: batch.blockNumber!,
      chainId: batch.chainId!,
      contract: batch.contract!,
      anchoredAt: batch.anchoredAt!,
    };
  }

  /** Counts of credentials not yet anchored and of batches awaiting confirmation. */
  async backlog(): Promise<{ pendingLeaves: number; unconfirmedBatches: number }> {
    const pendingLeaves = await this.dataSource.getRepository(AnchorOutboxEntity).countBy({ batchId: IsNull() });
    const unconfirmedBatches = await this.dataSource.getRepository(AnchorBatchEntity).countBy({ state: 'sealed' });
    return { pendingLeaves, unconfirmedBatches };
  }

  /** Where anchoring stands (two aggregate queries). */
  async stats(): Promise<AnchoringStats> {
    const byKind = await this.dataSource
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .leftJoin(AnchorBatchEntity, 'b', 'b.id = o.batch_id')
      .select('o.kind', 'kind')
      .addSelect(`CASE WHEN b.state = 'anchored' THEN 'anchored' WHEN b.state = 'refused' THEN 'refused' ELSE 'pending' END`, 'stage')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MIN(o.enqueued_at)', 'oldest')
      .groupBy('o.kind')
      .addGroupBy('stage')
      .getRawMany<{ kind: string; stage: 'anchored' | 'refused' | 'pending'; n: string | number; oldest: string | null }>();
    const batches = await this.dataSource
      .getRepository(AnchorBatchEntity)
      .createQueryBuilder('b')
      .select('b.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(b.gas_used)', 'gas')
      .groupBy('b.state')
      .getRawMany<{ state: string; n: string | number; gas: string | number | null }>();
    const stats: AnchoringStats = { pendingByKind: {}, oldestPendingSince: null, anchoredByKind: {}, anchoredBatches: 0, gasUsed: 0, refusedBatches: 0 };
    for (const row of byKind) {
      if (row.stage === 'pending') {
        stats.pendingByKind[row.kind] = Number(row.n);
        if (row.oldest && (!stats.oldestPendingSince || row.oldest < stats.oldestPendingSince)) stats.oldestPendingSince = row.oldest;
      } else if (row.stage === 'anchored') stats.anchoredByKind[row.kind] = Number(row.n);
    }
    for (const row of batches) {
      if (row.state === 'anchored') {
        stats.anchoredBatches = Number(row.n);
        stats.gasUsed = Number(row.gas ?? 0);
      } else if (row.state === 'refused') stats.refusedBatches = Number(row.n);
    }
    return stats;
  }

  private async claimPending(manager: EntityManager, tenantId: string, maxLeaves: number): Promise<AnchorOutboxEntity[]> {
    const query = manager
      .getRepository(AnchorOutboxEntity)
      .createQueryBuilder('o')
      .where('o.batch_id IS NULL AND o.tenant_id = :tenantId', { tenantId })
      .orderBy('o.seq', 'ASC')
      .limit(maxLeaves);
    if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_write').setOnLocked('skip_locked');
    return query.getMany();
  }
}
