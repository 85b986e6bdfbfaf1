import { createHash, timingSafeEqual } from 'node:crypto';
import { inTransaction, LaborAttendanceEventEntity, LaborContractEntity, type LaborContractState } from '@citycred/persistence';
import type { SignedAttendanceEvent } from '@citycred/labor';
import { In, Not, type DataSource, type EntityManager, type Repository } from 'typeorm';
import type { AttendanceLedger } from './labor-tokens.js';

/** A credential offer made from a contract version, as the row's `offers` JSON keeps it. */
export interface ContractOfferRecord {
  readonly type: string;
  readonly offerId: string;
  /** The offering tenant's slug (the employer, or the employment-insurance tenant). */
  readonly tenant: string;
  /** `openid-credential-offer://…` (holder-bound: only the worker's key redeems it). */
  readonly link: string;
  readonly createdAt: string;
  /** The claims offered, to offer them again once the offer expired unredeemed. */
  readonly claims: Record<string, unknown>;
}

/**
 * The `labor_contracts` table. Every state change is one conditional UPDATE on the expected state, whose
 * affected-row count decides: two concurrent countersignatures never both win. The writes take an optional
 * `manager`: the caller's open {@link transaction}, so the change and its audit entry commit together.
 */
export class LaborContractStore {
  private readonly rows: Repository<LaborContractEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.rows = dataSource.getRepository(LaborContractEntity);
  }

  /** Runs `work` in one transaction (serialised on SQLite); pass its manager to the writes below. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }

  add(row: LaborContractEntity, manager?: EntityManager): Promise<unknown> {
    return this.repository(manager).insert(row);
  }

  byId(id: string, manager?: EntityManager): Promise<LaborContractEntity | null> {
    return /^[0-9a-f-]{36}$/.test(id) ? this.repository(manager).findOneBy({ id }) : Promise.resolve(null);
  }

  /** A tenant's contract version, or null (another tenant's is unknown). */
  async ofTenant(tenantId: string, id: string): Promise<LaborContractEntity | null> {
    const row = await this.byId(id);
    return row && row.tenantId === tenantId ? row : null;
  }

  /** A tenant's contract versions, newest first. */
  list(tenantId: string): Promise<LaborContractEntity[]> {
    return this.rows.find({ where: { tenantId }, order: { createdAt: 'DESC', version: 'DESC' }, take: 500 });
  }

  /** The newest version of a lineage. */
  latest(contractId: string): Promise<LaborContractEntity | null> {
    return this.rows.findOne({ where: { contractId }, order: { version: 'DESC' } });
  }

  /**
   * Moves a version from `from` to a new state with the columns given.
   * @returns false when it was no longer in `from` (someone else moved it)
   */
  async transition(id: string, from: LaborContractState, set: Partial<LaborContractEntity>, manager?: EntityManager): Promise<boolean> {
    const result = await this.repository(manager).createQueryBuilder().update().set(set).where('id = :id AND state = :from', { id, from }).execute();
    return result.affected === 1;
  }

  /**
   * Replaces a version's offers list if it is still `previous` (two requests adding offers at once: one wins).
   * @returns false when the list changed in between
   */
  async replaceOffers(id: string, previous: string, next: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.repository(manager).createQueryBuilder().update().set({ offers: next }).where('id = :id AND offers = :previous', { id, previous }).execute();
    return result.affected === 1;
  }

  /** Marks every other live version of a lineage superseded (a newer version became active). */
  async supersedeOthers(contractId: string, activeId: string, manager?: EntityManager): Promise<void> {
    await this.repository(manager).update({ contractId, id: Not(activeId), state: In(['awaiting-worker', 'awaiting-employer', 'active']) }, { state: 'superseded' });
  }

  private repository(manager: EntityManager | undefined): Repository<LaborContractEntity> {
    return manager ? manager.getRepository(LaborContractEntity) : this.rows;
  }
}

/**
 * The attendance events as the attendance context stores them (`labor_attendance_events`), read in sequence order:
 * the default {@link AttendanceLedger} (the attendance module may provide its own under the same token).
 */
export class StoredAttendanceLedger implements AttendanceLedger {
  constructor(private readonly dataSource: DataSource) {}

  async events(contractId: string): Promise<SignedAttendanceEvent[]> {
    const rows = await this.dataSource.getRepository(LaborAttendanceEventEntity).find({ where: { contractId }, order: { seq: 'ASC' } });
    return rows.map((row) => ({ event: JSON.parse(row.eventJson) as SignedAttendanceEvent['event'], workerSignature: row.workerSignature, employerSignature: row.employerSignature }));
  }
}

/** Whether `token`'s SHA-256 is a contract's stored `tokenHash` (compared in constant time). */
export function tokenMatches(token: string, tokenHash: string): boolean {
  const given = createHash('sha256').update(token, 'utf8').digest();
  const stored = Buffer.from(tokenHash, 'hex');
  return stored.length === given.length && timingSafeEqual(given, stored);
}
