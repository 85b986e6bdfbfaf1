import { randomUUID } from 'node:crypto';
import { inTransaction, isUniqueViolation } from '@citycred/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { PetitionEntity, PetitionSignatureEntity, PetitionSignatureRequestEntity } from './petition.entity.js';
import { tallyOf, type PetitionTally } from './tally.js';

/** What an official opens (already checked). */
export interface NewPetitionRow {
  title: string;
  description: string;
  threshold: number;
  /** ISO 8601. */
  deadline: string;
  openedBy: string;
  createdAt: string;
}

/** How a verified signature ended for the petition. */
export type SignOutcome = 'signed' | 'already-signed' | 'closed' | 'settled';

class PetitionNotOpen extends Error {}

/**
 * The petitions' rows. Signing and closing are transactions that both update the petition's row — the signature
 * count, the state — so that on PostgreSQL they are serialised by its row lock (on SQLite by the one writer): no
 * signature lands in a petition after its tally was computed, and the live count is the number of signature rows.
 */
export class PetitionStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a new open petition and returns it. */
  async open(row: NewPetitionRow): Promise<PetitionEntity> {
    const entity: PetitionEntity = { id: randomUUID(), ...row, state: 'open', signatureCount: 0, closedAt: null, closedBy: null, tallyRoot: null, tallyDigest: null };
    await this.dataSource.getRepository(PetitionEntity).insert(entity);
    return entity;
  }

  async find(id: string): Promise<PetitionEntity | null> {
    return this.dataSource.getRepository(PetitionEntity).findOneBy({ id });
  }

  /** Every petition, the newest first (at most `limit`). */
  async list(limit: number): Promise<PetitionEntity[]> {
    return this.dataSource.getRepository(PetitionEntity).find({ order: { createdAt: 'DESC', id: 'ASC' }, take: limit });
  }

  /** The open petitions whose deadline is `now` or before. */
  async dueForClosing(now: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(PetitionEntity)
      .createQueryBuilder('p')
      .select('p.id', 'id')
      .where('p.state = :open AND p.deadline <= :now', { open: 'open', now })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** Remembers a signing request (its OpenID4VP request's id) for a petition. */
  async addRequest(id: string, petitionId: string, createdAt: string): Promise<void> {
    await this.dataSource.getRepository(PetitionSignatureRequestEntity).insert({ id, petitionId, outcome: null, leafHash: null, createdAt });
  }

  async findRequest(id: string): Promise<PetitionSignatureRequestEntity | null> {
    return this.dataSource.getRepository(PetitionSignatureRequestEntity).findOneBy({ id });
  }

  /**
   * Records a verified signature, once per request: in one transaction, settles the request `signed`, counts it on the
   * petition (only while open and before the deadline) and stores the signature — which the unique index on
   * (petition, pseudonym) refuses for a person who already signed, even concurrently. A refused signature rolls all of
   * it back and settles the request `already-signed` or `closed` instead.
   * @returns the outcome; `settled` when the request already had one (a concurrent answer to it)
   */
  async sign(request: { id: string; petitionId: string }, signature: { pseudonym: string; signedAt: string; leafHash: string }): Promise<SignOutcome> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const claimed = await manager
          .createQueryBuilder()
          .update(PetitionSignatureRequestEntity)
          .set({ outcome: 'signed', leafHash: signature.leafHash })
          .where('id = :id AND outcome IS NULL', { id: request.id })
          .execute();
        if (claimed.affected !== 1) return 'settled' as const;
        const counted = await manager
          .createQueryBuilder()
          .update(PetitionEntity)
          .set({ signatureCount: () => 'signature_count + 1' })
          .where('id = :id AND state = :open AND deadline > :now', { id: request.petitionId, open: 'open', now: signature.signedAt })
          .execute();
        if (counted.affected !== 1) throw new PetitionNotOpen();
        await manager.insert(PetitionSignatureEntity, { id: randomUUID(), petitionId: request.petitionId, ...signature });
        return 'signed' as const;
      });
    } catch (error) {
      if (error instanceof PetitionNotOpen) return this.refuse(request.id, 'closed');
      if (isUniqueViolation(error)) return this.refuse(request.id, 'already-signed');
      throw error;
    }
  }

  private async refuse(id: string, outcome: 'closed' | 'already-signed'): Promise<SignOutcome> {
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .update(PetitionSignatureRequestEntity)
      .set({ outcome, leafHash: null })
      .where('id = :id AND outcome IS NULL', { id })
      .execute();
    return affected === 1 ? outcome : 'settled';
  }

  /**
   * Closes an open petition: in one transaction, marks it closed, reads its signatures, computes the tally and keeps
   * its root and digest, and runs `onClosed` (the tally digest enqueued for anchoring, committed with the tally).
   * Nothing for a petition already closed.
   * @returns the closed petition (whoever closed it), or null when there is no such petition
   */
  async close(id: string, closedAt: string, closedBy: 'deadline' | 'official', onClosed?: (manager: EntityManager, tally: PetitionTally) => Promise<void>): Promise<PetitionEntity | null> {
    await inTransaction(this.dataSource, async (manager) => {
      const { affected } = await manager
        .createQueryBuilder()
        .update(PetitionEntity)
        .set({ state: 'closed', closedAt, closedBy })
        .where('id = :id AND state = :open', { id, open: 'open' })
        .execute();
      if (affected !== 1) return;
      const tally = await tallyIn(manager, id, closedAt);
      await manager.update(PetitionEntity, { id }, { signatureCount: tally.count, tallyRoot: tally.root, tallyDigest: tally.digest });
      await onClosed?.(manager, tally);
    });
    return this.find(id);
  }

  /** The tally of a closed petition, recomputed from its stored signatures (the same as at closing). */
  async tally(petition: Pick<PetitionEntity, 'id' | 'closedAt'>): Promise<PetitionTally> {
    return tallyIn(this.dataSource.manager, petition.id, petition.closedAt!);
  }
}

async function tallyIn(manager: EntityManager, petitionId: string, closedAt: string): Promise<PetitionTally> {
  const signatures = await manager.find(PetitionSignatureEntity, { where: { petitionId }, select: { pseudonym: true, signedAt: true, leafHash: true } });
  return tallyOf(petitionId, signatures, closedAt);
}
