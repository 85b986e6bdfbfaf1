import type { Clock } from '@citycred/config';
import type { DataSource, Repository } from 'typeorm';
import { LessThanOrEqual, MoreThan } from 'typeorm';
import { PresentationRequestEntity, type PresentationRequestState } from './presentation-request.entity.js';

/** What a new request row holds (its state is `pending`). */
export type NewPresentationRequest = Omit<PresentationRequestEntity, 'state' | 'settledAt' | 'result'>;

/**
 * The presentation requests in the verifier's database. Every change of state is one conditional `UPDATE … WHERE
 * state = 'pending'`, so of two processes (or two wallets) settling one request only one wins, on SQLite or
 * PostgreSQL.
 */
export class PresentationRequestStore {
  private readonly rows: Repository<PresentationRequestEntity>;

  constructor(
    dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.rows = dataSource.getRepository(PresentationRequestEntity);
  }

  /** Stores a new pending request. */
  async create(request: NewPresentationRequest): Promise<void> {
    await this.rows.insert({ ...request, state: 'pending', settledAt: null, result: null });
  }

  /**
   * The request as it stands now, found by its id (the creator's handle): a pending one past its expiry is marked
   * `expired` first.
   * @returns the row, or null when there is none with this id
   */
  async find(id: string): Promise<PresentationRequestEntity | null> {
    return this.current(await this.rows.findOneBy({ id }));
  }

  /**
   * The request as it stands now, found by its wallet handle (the request and response URIs), as {@link find}.
   * @returns the row, or null when there is none with this handle
   */
  async findByWalletHandle(walletHandle: string): Promise<PresentationRequestEntity | null> {
    return this.current(await this.rows.findOneBy({ walletHandle }));
  }

  /**
   * Settles a pending, unexpired request with the outcome of a wallet's response; its response key goes with it.
   * @returns false when it was no longer pending (another response settled it first) or has expired meanwhile
   */
  async settle(id: string, state: Extract<PresentationRequestState, 'fulfilled' | 'failed'>, result: unknown): Promise<boolean> {
    const now = this.clock.now().toISOString();
    const { affected } = await this.rows.update({ id, state: 'pending', expiresAt: MoreThan(now) }, { state, settledAt: now, result: JSON.stringify(result), responseKey: null });
    return (affected ?? 0) > 0;
  }

  private async current(row: PresentationRequestEntity | null): Promise<PresentationRequestEntity | null> {
    if (row === null || row.state !== 'pending') return row;
    const now = this.clock.now().toISOString();
    if (row.expiresAt > now) return row;
    const id = row.id;
    await this.rows.update({ id, state: 'pending', expiresAt: LessThanOrEqual(now) }, { state: 'expired', settledAt: now, responseKey: null });
    return this.rows.findOneBy({ id });
  }

  /** Deletes requests that expired before `before` (ISO 8601), settled or not; returns how many. */
  async deleteExpiredBefore(before: string): Promise<number> {
    const { affected } = await this.rows.delete({ expiresAt: LessThanOrEqual(before) });
    return affected ?? 0;
  }
}
