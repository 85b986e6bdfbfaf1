import { normalizeHex32 } from '@citycred/anchoring';
import { AnchorOutboxEntity, insertRow, type AnchorKind } from '@citycred/persistence';
import type { EntityManager } from 'typeorm';

/** One digest to anchor: what it is, its 0x-prefixed SHA-256, and the tenant whose identity anchors it. */
export interface AnchorEntry {
  readonly kind: AnchorKind;
  readonly digest: string;
  readonly tenantId: string;
}

/**
 * The anchoring module's front door: every context that needs a digest on chain (issued credentials, published
 * status-list versions, audit-log heads; attendance days and petition tallies later) queues it here, in the same
 * transaction as the record it proves, and the anchoring worker batches it into the tenant's next Merkle root.
 * Nothing else writes the outbox.
 */
export class AnchorQueue {
  /**
   * Queues a digest inside the caller's transaction.
   * @param manager - the caller's transaction
   * @param at - when it was queued (the caller's clock reading)
   * @throws Error when the digest is not 32 bytes of hex (a programming fault: digests come from our own hashing)
   */
  async enqueue(manager: EntityManager, entry: AnchorEntry, at: Date): Promise<void> {
    await insertRow(manager, AnchorOutboxEntity, {
      credentialHash: normalizeHex32(entry.digest),
      kind: entry.kind,
      tenantId: entry.tenantId,
      enqueuedAt: at.toISOString(),
      batchId: null,
      leafIndex: null,
      proof: null,
    });
  }
}
