import type { Clock } from '@citycred/config';
import { isUniqueViolation } from '@citycred/persistence';
import type { DataSource } from 'typeorm';
import { PresentationRequestEntity } from '../oid4vp/presentation-request.entity.js';
import { EligibilityOfferEntity } from './eligibility-offer.entity.js';
import type { MadeOffer } from './eligibility-issuer.js';

/** A claim on an application's offer left this long (a process that died while asking the issuer) is taken over. */
const STALE_CLAIM_MS = 30_000;
/** Offers are kept at least this long after they expired (the page may show "expired"), and while their application is. */
const RETENTION_MS = 24 * 3600 * 1000;

/**
 * What {@link EligibilityOfferStore.claim} found: the offer made and still live, the offer made and expired (ask the
 * issuer what became of it), an offer a wallet redeemed, another request making it, or the claim is ours (`claimedAt`
 * identifies it to {@link EligibilityOfferStore.offered} and {@link EligibilityOfferStore.release}).
 */
export type OfferClaim =
  | { kind: 'offered'; offer: MadeOffer }
  | { kind: 'lapsed'; offer: MadeOffer }
  | { kind: 'received' }
  | { kind: 'in-progress' }
  | { kind: 'claimed'; claimedAt: string };

/**
 * One live eligibility offer per application, across verifier processes: a request claims the application's row (a
 * conditional insert, the take-over of a stale claim, or the re-claim of an offer the issuer says expired unredeemed)
 * before it asks the issuer, and records the offer made or gives the claim back when the issuer failed. Each change is
 * one conditional statement, so of two requests at once only one wins.
 */
export class EligibilityOfferStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private get rows() {
    return this.dataSource.getRepository(EligibilityOfferEntity);
  }

  /**
   * Claims the making of `application`'s offer, unless it was made or is being made.
   * @throws database errors (the caller's 503)
   */
  async claim(application: string, program: string): Promise<OfferClaim> {
    const now = this.clock.now();
    const claimedAt = now.toISOString();
    try {
      await this.rows.insert({ application, program, state: 'offering', claimedAt, offerId: null, offerLink: null, txCode: null, expiresAt: null });
      await this.deleteForgotten(new Date(now.getTime() - RETENTION_MS).toISOString());
      return { kind: 'claimed', claimedAt };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const row = await this.rows.findOneBy({ application });
    if (row === null) return { kind: 'in-progress' };
    if (row.state === 'received') return { kind: 'received' };
    if (row.state === 'offered' && row.offerId !== null && row.offerLink !== null && row.expiresAt !== null) {
      const offer = { offerId: row.offerId, offerLink: row.offerLink, txCode: row.txCode, expiresAt: row.expiresAt };
      return { kind: new Date(row.expiresAt).getTime() > now.getTime() ? 'offered' : 'lapsed', offer };
    }
    if (now.getTime() - new Date(row.claimedAt).getTime() < STALE_CLAIM_MS) return { kind: 'in-progress' };
    const taken = await this.rows.update({ application, state: 'offering', claimedAt: row.claimedAt }, { claimedAt });
    return taken.affected === 1 ? { kind: 'claimed', claimedAt } : { kind: 'in-progress' };
  }

  /**
   * Deletes the rows of offers that expired before `before` whose application is gone (its presentation request was
   * deleted): while the application can still be looked up, its row must stay, or a redeemed offer would be forgotten
   * and a second credential offered.
   */
  private async deleteForgotten(before: string): Promise<void> {
    const requests = this.dataSource.getMetadata(PresentationRequestEntity);
    const escape = (name: string) => this.dataSource.driver.escape(name);
    const requestTable = requests.tablePath.split('.').map(escape).join('.');
    await this.rows
      .createQueryBuilder()
      .delete()
      .where(`${escape('expires_at')} < :before`, { before })
      .andWhere(`${escape('application')} NOT IN (SELECT ${escape('id')} FROM ${requestTable})`)
      .execute();
  }

  /**
   * Claims the making of a new offer in place of `offerId`, which the issuer said expired (or was cancelled) without
   * being redeemed; only one request wins, and only while `offerId` is the offer recorded.
   */
  async reclaim(application: string, offerId: string): Promise<Extract<OfferClaim, { kind: 'claimed' | 'in-progress' }>> {
    const claimedAt = this.clock.now().toISOString();
    const taken = await this.rows.update({ application, state: 'offered', offerId }, { state: 'offering', claimedAt, offerId: null, offerLink: null, txCode: null, expiresAt: null });
    return taken.affected === 1 ? { kind: 'claimed', claimedAt } : { kind: 'in-progress' };
  }

  /**
   * Records the offer made under a claim.
   * @returns false when the claim was taken over meanwhile (this request took too long): the offer is not recorded and
   *   must not be shown
   */
  async offered(application: string, claimedAt: string, offer: MadeOffer): Promise<boolean> {
    const done = await this.rows.update(
      { application, state: 'offering', claimedAt },
      { state: 'offered', offerId: offer.offerId, offerLink: offer.offerLink, txCode: offer.txCode, expiresAt: offer.expiresAt },
    );
    return done.affected === 1;
  }

  /** Records that the recorded offer `offerId` was redeemed: it is not offered again, and its link and code are erased. */
  async received(application: string, offerId: string): Promise<void> {
    await this.rows.update({ application, state: 'offered', offerId }, { state: 'received', offerLink: null, txCode: null });
  }

  /** Gives a claim back (the issuer failed), so the next request may try again. */
  async release(application: string, claimedAt: string): Promise<void> {
    await this.rows.delete({ application, state: 'offering', claimedAt });
  }
}
