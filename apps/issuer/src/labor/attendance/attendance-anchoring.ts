import type { Clock } from '@citycred/config';
import { dailyHeads, type AttendanceEvent } from '@citycred/labor';
import { inTransaction, LaborAttendanceEventEntity, LaborAttendanceHeadEntity } from '@citycred/persistence';
import { MoreThanOrEqual, type DataSource, type EntityManager } from 'typeorm';
import { lockedHead } from './attendance-store.js';

/** One attendance head to anchor. */
export interface AttendanceHeadAnchorEntry {
  readonly kind: 'attendance-head';
  /** 0x-prefixed SHA-256 hex: the hash of the day's last event so far. */
  readonly digest: string;
  /** The employer tenant, whose identity anchors it. */
  readonly tenantId: string;
}

/** The anchoring module's queue as this context uses it (the anchoring module's `AnchorQueue` fits as is). */
export interface AttendanceAnchorQueue {
  enqueue(manager: EntityManager, entry: AttendanceHeadAnchorEntry, at: Date): Promise<void>;
}

/** A day's head queued by {@link AttendanceAnchoring.anchorNewHeads}. */
export interface AnchoredAttendanceHead {
  readonly contractId: string;
  /** The KST day, `YYYY-MM-DD`. */
  readonly day: string;
  readonly seq: number;
  readonly hash: string;
}

/**
 * Puts attendance chains on chain (docs/labor.md, "Anchoring"): for each contract whose chain grew since the last
 * pass, the last event of each KST day among the new events — the day's head so far — goes to the anchoring outbox
 * (kind `attendance-head`, under the employer tenant), and the head row records how far it was anchored, in one
 * transaction with the head locked. A day's head proves every event before it (each event names the previous one's
 * hash); its proof is then at `GET /anchors/proofs/{hash}` once the anchoring worker's batch is on chain.
 */
export class AttendanceAnchoring {
  constructor(
    private readonly dataSource: DataSource,
    private readonly anchors: AttendanceAnchorQueue,
    private readonly clock: Clock,
  ) {}

  /** One pass over the contracts whose chain grew; returns what was queued. */
  async anchorNewHeads(): Promise<AnchoredAttendanceHead[]> {
    const moved = await this.dataSource
      .getRepository(LaborAttendanceHeadEntity)
      .createQueryBuilder('head')
      .select('head.contractId', 'contractId')
      .addSelect('head.tenantId', 'tenantId')
      .where('head.count > 0 AND (head.anchoredCount IS NULL OR head.anchoredCount <> head.count)')
      .getRawMany<{ contractId: string; tenantId: string }>();
    const queued: AnchoredAttendanceHead[] = [];
    for (const { contractId, tenantId } of moved) {
      const anchored = await inTransaction(this.dataSource, async (manager) => {
        const head = await lockedHead(manager, contractId, tenantId);
        const from = head.anchoredCount ?? 0;
        if (head.count === 0 || from === head.count) return [];
        const rows = await manager.getRepository(LaborAttendanceEventEntity).find({ where: { contractId, seq: MoreThanOrEqual(from) }, order: { seq: 'ASC' } });
        const events = rows.filter((row) => row.seq < head.count).map((row) => JSON.parse(row.eventJson) as AttendanceEvent);
        const at = this.clock.now();
        const days = dailyHeads(events);
        for (const day of days) await this.anchors.enqueue(manager, { kind: 'attendance-head', digest: day.head, tenantId: head.tenantId }, at);
        await manager.update(LaborAttendanceHeadEntity, { contractId }, { anchoredCount: head.count, anchoredAt: at.toISOString() });
        return days.map((day) => ({ contractId, day: day.day, seq: day.seq, hash: day.head }));
      });
      queued.push(...anchored);
    }
    return queued;
  }
}
