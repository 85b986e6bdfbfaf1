import { randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { canonicalJson, GENESIS_HASH, type AttendanceEvent, type SignedAttendanceEvent } from '@citycred/labor';
import {
  findRow,
  inTransaction,
  insertRow,
  isUniqueViolation,
  LaborAttendanceCorrectionEntity,
  LaborAttendanceEventEntity,
  LaborAttendanceHeadEntity,
  LaborWorkplaceNonceEntity,
} from '@citycred/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { EMPTY_HEAD, type AttendanceHead, type HeadState } from './attendance-rules.js';

/** A correction the employer proposed, as both attendance views list it. */
export interface PendingCorrection {
  readonly id: string;
  /** The corrected check-in or -out's hash. */
  readonly eventHash: string;
  /** The time it should have had. */
  readonly at: string;
  readonly reason: string;
  readonly proposedBy: string;
  readonly proposedAt: string;
}

/** An event ready to append: checked, hashed and signed by both. */
export interface AppendRequest {
  readonly contractId: string;
  /** The employer tenant (whose head row it creates for the first event). */
  readonly tenantId: string;
  readonly event: AttendanceEvent;
  readonly hash: string;
  readonly workerSignature: string;
  readonly employerSignature: string;
}

/** What an append answers. */
export interface Appended {
  readonly signed: SignedAttendanceEvent;
  readonly head: AttendanceHead;
}

const headOf = (row: Pick<LaborAttendanceHeadEntity, 'count' | 'hash'> | null): AttendanceHead => (row && row.count > 0 ? { seq: row.count - 1, hash: row.hash } : EMPTY_HEAD);

const signedOf = (row: LaborAttendanceEventEntity): SignedAttendanceEvent => ({
  event: JSON.parse(row.eventJson) as AttendanceEvent,
  workerSignature: row.workerSignature,
  employerSignature: row.employerSignature,
});

const correctionOf = (row: LaborAttendanceCorrectionEntity): PendingCorrection => ({
  id: row.id,
  eventHash: row.eventHash,
  at: row.at,
  reason: row.reason,
  proposedBy: row.proposedBy,
  proposedAt: row.proposedAt,
});

/**
 * The attendance tables (docs/labor.md, "Attendance"): each contract's co-signed events and head, the workplace QR
 * nonces each employer issued, and proposed corrections. An append locks the contract's head row for its
 * transaction, so two posts of seq N never both land: the second sees the new head and is refused as stale; the
 * unique `(contract_id, nonce)` index refuses a reused workplace nonce even so.
 */
export class AttendanceStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A contract's events in order, as both signed them. */
  async events(contractId: string): Promise<SignedAttendanceEvent[]> {
    const rows = await this.dataSource.getRepository(LaborAttendanceEventEntity).find({ where: { contractId }, order: { seq: 'ASC' } });
    return rows.map(signedOf);
  }

  /** A contract's head (seq −1 and the genesis hash before its first event). */
  async head(contractId: string): Promise<AttendanceHead> {
    return headOf(await this.dataSource.getRepository(LaborAttendanceHeadEntity).findOneBy({ contractId }));
  }

  /**
   * Appends an event under the contract's head lock: `check` sees the head as it is now (it throws to refuse, e.g.
   * `labor.attendance-stale`), a workplace nonce already used in the contract is refused, and a correction must match
   * a pending proposal, which becomes `signed` in the same transaction.
   * @throws AppError from `check`; `labor.nonce-reused` (409); `labor.correction-not-found` (404)
   */
  async append(request: AppendRequest, check: (state: HeadState) => void): Promise<Appended> {
    const { contractId, event } = request;
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const head = await lockedHead(manager, contractId, request.tenantId);
        const last = head.count > 0 ? await findRow(manager, LaborAttendanceEventEntity, { contractId, seq: head.count - 1 }) : null;
        check({ head: headOf(head), lastPunch: head.lastPunch === 'check-in' || head.lastPunch === 'check-out' ? head.lastPunch : null, lastAt: last?.at ?? null });
        const nonce = event.workplaceNonce?.nonce ?? null;
        if (nonce !== null && (await manager.getRepository(LaborAttendanceEventEntity).countBy({ contractId, nonce })) > 0) throw nonceReused();
        let correction: LaborAttendanceCorrectionEntity | null = null;
        if (event.kind === 'correction') {
          const c = event.corrects!;
          correction = await manager.getRepository(LaborAttendanceCorrectionEntity).findOneBy({ contractId, state: 'pending', eventHash: c.eventHash, at: c.at, reason: c.reason });
          if (!correction) throw new AppError(ErrorCode.LaborCorrectionNotFound, 'The correction must be one the employer proposed and the worker has not signed yet: same event hash, time and reason.');
        }
        const recordedAt = this.clock.now().toISOString();
        await insertRow(manager, LaborAttendanceEventEntity, {
          contractId,
          seq: event.seq,
          kind: event.kind,
          at: event.at,
          nonce,
          eventJson: canonicalJson(event),
          hash: request.hash,
          workerSignature: request.workerSignature,
          employerSignature: request.employerSignature,
          recordedAt,
        });
        const lastPunch = event.kind === 'correction' ? head.lastPunch : event.kind;
        await manager.update(LaborAttendanceHeadEntity, { contractId }, { count: head.count + 1, hash: request.hash, lastPunch });
        if (correction) await manager.update(LaborAttendanceCorrectionEntity, { id: correction.id }, { state: 'signed', eventSeq: event.seq });
        return {
          signed: { event, workerSignature: request.workerSignature, employerSignature: request.employerSignature },
          head: { seq: event.seq, hash: request.hash },
        };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Only if the head lock did not hold (it does on both databases): tell which constraint refused it.
      const nonce = event.workplaceNonce?.nonce;
      if (nonce && (await this.dataSource.getRepository(LaborAttendanceEventEntity).countBy({ contractId, nonce })) > 0) throw nonceReused();
      const head = await this.head(contractId);
      throw new AppError(ErrorCode.LaborAttendanceStale, 'Another event was recorded first. Build it again on this head.', { extensions: { head } });
    }
  }

  /** The corrections of a contract proposed and not signed yet, oldest first. */
  async pendingCorrections(contractId: string): Promise<PendingCorrection[]> {
    const rows = await this.dataSource.getRepository(LaborAttendanceCorrectionEntity).find({ where: { contractId, state: 'pending' }, order: { proposedAt: 'ASC', id: 'ASC' } });
    return rows.map(correctionOf);
  }

  /**
   * Records a proposed correction of a check-in or -out of the contract.
   * @throws AppError `request.invalid` when the hash names no check-in or -out of the contract
   */
  async proposeCorrection(contractId: string, proposal: { eventHash: string; at: string; reason: string }, proposedBy: string): Promise<PendingCorrection> {
    const target = await this.dataSource.getRepository(LaborAttendanceEventEntity).findOneBy({ contractId, hash: proposal.eventHash });
    if (!target || target.kind === 'correction') throw new AppError(ErrorCode.RequestInvalid, 'eventHash must name a check-in or check-out of this contract.');
    const row: LaborAttendanceCorrectionEntity = {
      id: randomUUID(),
      contractId,
      eventHash: proposal.eventHash,
      at: proposal.at,
      reason: proposal.reason,
      proposedBy,
      proposedAt: this.clock.now().toISOString(),
      state: 'pending',
      eventSeq: null,
    };
    await this.dataSource.getRepository(LaborAttendanceCorrectionEntity).insert(row);
    return correctionOf(row);
  }

  /**
   * The tenant's workplace nonce of a 30-second window: the one stored, or `make`'s (a fresh nonce and its signed
   * JWS) stored now. Two requests in one window store one and both answer it.
   */
  async workplaceNonce(tenantId: string, windowStart: number, make: () => Promise<{ nonce: string; jws: string }>): Promise<LaborWorkplaceNonceEntity> {
    const repo = this.dataSource.getRepository(LaborWorkplaceNonceEntity);
    const existing = await repo.findOneBy({ tenantId, windowStart });
    if (existing) return existing;
    const made = await make();
    await repo.createQueryBuilder().insert().into(LaborWorkplaceNonceEntity).values({ tenantId, windowStart, ...made }).orIgnore().execute();
    const stored = await repo.findOneBy({ tenantId, windowStart });
    if (!stored) throw new Error(`the workplace nonce of tenant ${tenantId} for ${windowStart} could not be stored`);
    return stored;
  }

  /** A workplace nonce as issued (tenant and window), or null when no tenant issued it. */
  async issuedNonce(nonce: string): Promise<LaborWorkplaceNonceEntity | null> {
    return this.dataSource.getRepository(LaborWorkplaceNonceEntity).findOneBy({ nonce });
  }

  /** Forgets the nonces of windows that started before `before` (unix seconds): they can no longer be used. */
  async pruneNonces(before: number): Promise<void> {
    await this.dataSource.getRepository(LaborWorkplaceNonceEntity).createQueryBuilder().delete().where('window_start < :before', { before }).execute();
  }
}

const nonceReused = () => new AppError(ErrorCode.LaborNonceReused, "This workplace QR's nonce was already used in this contract: scan the QR shown now.");

/**
 * The contract's head row, locked until the transaction ends; created (count 0, genesis hash) before its first
 * event. SQLite: the no-op UPDATE comes first so the transaction holds the write lock before it reads.
 */
export async function lockedHead(manager: EntityManager, contractId: string, tenantId: string): Promise<LaborAttendanceHeadEntity> {
  const postgres = manager.connection.options.type === 'postgres';
  const read = async () => {
    if (!postgres) await manager.query('UPDATE "labor_attendance_heads" SET "count" = "count" WHERE "contract_id" = ?', [contractId]);
    return findRow(manager, LaborAttendanceHeadEntity, { contractId }, { forUpdate: true });
  };
  const existing = await read();
  if (existing) return existing;
  await manager
    .createQueryBuilder()
    .insert()
    .into(LaborAttendanceHeadEntity)
    .values({ contractId, tenantId, count: 0, hash: GENESIS_HASH, lastPunch: null, anchoredCount: null, anchoredAt: null })
    .orIgnore()
    .execute();
  const created = await read();
  if (!created) throw new Error(`the attendance head of contract ${contractId} could not be created`);
  return created;
}
