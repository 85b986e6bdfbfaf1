import type { Clock } from '@citycred/config';
import { AuditHeadEntity, inTransaction } from '@citycred/persistence';
import { lockedAuditHead } from '@citycred/tenancy';
import type { DataSource, EntityManager } from 'typeorm';

/** One audit-log head to anchor. */
export interface AuditHeadAnchorEntry {
  readonly kind: 'audit-head';
  /** 0x-prefixed SHA-256 hex: the head entry's hash. */
  readonly digest: string;
  readonly tenantId: string;
}

/** The anchoring module's queue as this context uses it (the anchoring module's `AnchorQueue` fits as is). */
export interface AuditAnchorQueue {
  enqueue(manager: EntityManager, entry: AuditHeadAnchorEntry, at: Date): Promise<void>;
}

/** A head queued by {@link AuditAnchoring.anchorNewHeads}. */
export interface AnchoredHead {
  readonly tenantId: string;
  readonly seq: number;
  readonly hash: string;
}

/**
 * Puts each tenant's audit-log head on chain when it changed since the last one queued: the head's hash goes to the
 * anchoring outbox and the head row records which seq it was, in one transaction (with the head locked, so an
 * append in between either comes before — and its hash is the one queued — or after, for the next pass). Anchoring
 * one head proves every entry before it, since each entry's hash covers the previous one.
 */
export class AuditAnchoring {
  constructor(
    private readonly dataSource: DataSource,
    private readonly anchors: AuditAnchorQueue,
    private readonly clock: Clock,
  ) {}

  /** One pass over the tenants whose head moved; returns what was queued. */
  async anchorNewHeads(): Promise<AnchoredHead[]> {
    const moved = await this.dataSource
      .getRepository(AuditHeadEntity)
      .createQueryBuilder('head')
      .select('head.tenantId', 'tenantId')
      .where('head.seq > 0 AND (head.anchoredSeq IS NULL OR head.anchoredSeq <> head.seq)')
      .getRawMany<{ tenantId: string }>();
    const queued: AnchoredHead[] = [];
    for (const { tenantId } of moved) {
      const anchored = await inTransaction(this.dataSource, async (manager) => {
        const head = await lockedAuditHead(manager, tenantId);
        if (head.seq === 0 || head.anchoredSeq === head.seq) return null;
        const at = this.clock.now();
        await this.anchors.enqueue(manager, { kind: 'audit-head', digest: `0x${head.hash}`, tenantId }, at);
        await manager.update(AuditHeadEntity, { tenantId }, { anchoredSeq: head.seq, anchoredHash: head.hash, anchoredAt: at.toISOString() });
        return { tenantId, seq: head.seq, hash: head.hash };
      });
      if (anchored) queued.push(anchored);
    }
    return queued;
  }
}
