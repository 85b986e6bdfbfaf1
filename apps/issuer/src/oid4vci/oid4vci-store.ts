import type { Clock } from '@citycred/config';
import {
  inTransaction,
  Oid4vciAccessTokenEntity,
  Oid4vciBulkJobEntity,
  Oid4vciNonceEntity,
  Oid4vciOfferEntity,
  TenantEntity,
} from '@citycred/persistence';
import { IsNull, LessThan, MoreThan, Not, type DataSource, type EntityManager, type Repository } from 'typeorm';

/** How many expired rows were deleted, per table. */
export interface Oid4vciCleanup {
  offers: number;
  accessTokens: number;
  nonces: number;
  bulkJobs: number;
}

/**
 * The OpenID4VCI tables. Every state change that must happen once (redeeming a pre-authorized code, counting a wrong
 * transaction code, using a nonce or an access token) is one conditional UPDATE whose affected-row count decides,
 * so two concurrent requests never both win.
 */
export class Oid4vciStore {
  private readonly offers: Repository<Oid4vciOfferEntity>;
  private readonly tokens: Repository<Oid4vciAccessTokenEntity>;
  private readonly nonces: Repository<Oid4vciNonceEntity>;
  private readonly jobs: Repository<Oid4vciBulkJobEntity>;
  private readonly tenants: Repository<TenantEntity>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    this.offers = dataSource.getRepository(Oid4vciOfferEntity);
    this.tokens = dataSource.getRepository(Oid4vciAccessTokenEntity);
    this.nonces = dataSource.getRepository(Oid4vciNonceEntity);
    this.jobs = dataSource.getRepository(Oid4vciBulkJobEntity);
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** The tenant with this slug, or null. */
  tenantBySlug(slug: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ slug });
  }

  /** The tenant with this id, or null. */
  tenantById(id: string): Promise<TenantEntity | null> {
    return this.tenants.findOneBy({ id });
  }

  /** Stores a new offer. */
  /**
   * Stores a new offer, and runs `alongside` (e.g. the audit entry) in the same transaction.
   */
  async addOffer(offer: Oid4vciOfferEntity, alongside?: (manager: EntityManager) => Promise<unknown>): Promise<void> {
    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(Oid4vciOfferEntity, offer);
      await alongside?.(manager);
    });
  }

  /** An offer by id, whatever its state. */
  offer(id: string): Promise<Oid4vciOfferEntity | null> {
    return this.offers.findOneBy({ id });
  }

  /** A tenant's offer by id, whatever its state; null for another tenant's. */
  offerOfTenant(tenantId: string, id: string): Promise<Oid4vciOfferEntity | null> {
    return this.offers.findOneBy({ id, tenantId });
  }

  /** A tenant's offer by the hash of its pre-authorized code. */
  offerByCodeHash(tenantId: string, preAuthorizedCodeHash: string): Promise<Oid4vciOfferEntity | null> {
    return this.offers.findOneBy({ tenantId, preAuthorizedCodeHash });
  }

  /**
   * Takes one of a waiting offer's transaction-code attempts, before the code is compared: one conditional UPDATE, so
   * however many requests race, no more than `maxFailures` codes are ever compared for an offer (a right code gives
   * its attempt back, {@link giveBackTxCodeAttempt}).
   * @returns false when the offer is no longer waiting or has no attempt left
   */
  async takeTxCodeAttempt(offerId: string, maxFailures: number): Promise<boolean> {
    const result = await this.offers
      .createQueryBuilder()
      .update()
      .set({ txCodeFailures: () => 'tx_code_failures + 1' })
      .where('id = :id AND state = :state AND tx_code_failures < :max', { id: offerId, state: 'offered', max: maxFailures })
      .execute();
    return result.affected === 1;
  }

  /** Gives back the attempt taken for a code that proved right: the count is of wrong codes. */
  async giveBackTxCodeAttempt(offerId: string): Promise<void> {
    await this.offers
      .createQueryBuilder()
      .update()
      .set({ txCodeFailures: () => 'tx_code_failures - 1' })
      .where('id = :id AND tx_code_failures > 0', { id: offerId })
      .execute();
  }

  /**
   * After a wrong code: burns the waiting offer when its attempts are all used.
   * @returns the offer's state afterwards (`burnt` when that wrong code was the last allowed attempt)
   */
  async burnIfNoAttemptLeft(offerId: string, maxFailures: number): Promise<'offered' | 'burnt'> {
    await this.offers
      .createQueryBuilder()
      .update()
      .set({ state: 'burnt' })
      .where('id = :id AND state = :state AND tx_code_failures >= :max', { id: offerId, state: 'offered', max: maxFailures })
      .execute();
    const after = await this.offers.findOneBy({ id: offerId });
    return after?.state === 'burnt' ? 'burnt' : 'offered';
  }

  /**
   * Exchanges a waiting, unexpired offer for an access token, in one transaction.
   * @returns false when another request redeemed it first, or it expired or burnt meanwhile
   */
  async redeem(offerId: string, token: Oid4vciAccessTokenEntity): Promise<boolean> {
    const now = this.now();
    return inTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Oid4vciOfferEntity)
        .set({ state: 'redeemed', redeemedAt: now })
        .where('id = :id AND state = :state AND expires_at > :now', { id: offerId, state: 'offered', now })
        .execute();
      if (result.affected !== 1) return false;
      await manager.insert(Oid4vciAccessTokenEntity, token);
      return true;
    });
  }

  /**
   * Gives an access token for a waiting, unexpired offer bound to a holder, leaving it waiting: such an offer is spent
   * by its holder's credential request ({@link takeBoundOffer}), not by a token.
   * @returns false when the offer is no longer waiting, or has expired
   */
  async addTokenOfBoundOffer(offerId: string, token: Oid4vciAccessTokenEntity): Promise<boolean> {
    const now = this.now();
    return inTransaction(this.dataSource, async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Oid4vciOfferEntity)
        .set({ state: 'offered' })
        .where('id = :id AND state = :state AND expires_at > :now AND holder_did IS NOT NULL', { id: offerId, state: 'offered', now })
        .execute();
      if (result.affected !== 1) return false;
      await manager.insert(Oid4vciAccessTokenEntity, token);
      return true;
    });
  }

  /**
   * Takes a waiting, unexpired bound offer for its holder's credential request (one conditional UPDATE: of two
   * requests, one wins). Never after its expiry, so an offer its tenant saw `expired` can never issue.
   * @returns false when another request took it first, or it has expired
   */
  async takeBoundOffer(offerId: string): Promise<boolean> {
    const now = this.now();
    const result = await this.offers.update({ id: offerId, state: 'offered', holderDid: Not(IsNull()), expiresAt: MoreThan(now) }, { state: 'redeemed', redeemedAt: now });
    return result.affected === 1;
  }

  /** Gives a bound offer back to its holder after an issuance that failed before any credential was made. */
  async giveBackBoundOffer(offerId: string): Promise<void> {
    await this.offers.update({ id: offerId, state: 'redeemed', holderDid: Not(IsNull()) }, { state: 'offered', redeemedAt: null });
  }

  /** A live (unexpired) access token of a tenant by its hash, used or not. */
  accessToken(tenantId: string, tokenHash: string): Promise<Oid4vciAccessTokenEntity | null> {
    return this.tokens.findOneBy({ tenantId, tokenHash, expiresAt: MoreThan(this.now()) });
  }

  /** Marks an unused access token used. @returns false when it was used meanwhile */
  async claimAccessToken(tokenHash: string): Promise<boolean> {
    const result = await this.tokens.update({ tokenHash, usedAt: IsNull() }, { usedAt: this.now() });
    return result.affected === 1;
  }

  /** Gives an access token back after an issuance that failed before any credential was made, so the wallet may retry. */
  async releaseAccessToken(tokenHash: string): Promise<void> {
    await this.tokens.update({ tokenHash }, { usedAt: null });
  }

  /** Records the credentials issued for an offer and erases its claims. */
  async markIssued(offerId: string, credentialIds: readonly string[]): Promise<void> {
    await this.offers.update({ id: offerId }, { state: 'issued', issuedAt: this.now(), claims: null, credentialIds: JSON.stringify(credentialIds) });
  }

  /** Stores a new `c_nonce`. */
  async addNonce(nonce: Oid4vciNonceEntity): Promise<void> {
    await this.nonces.insert(nonce);
  }

  /** A tenant's nonce, used or not, expired or not. */
  nonce(tenantId: string, nonce: string): Promise<Oid4vciNonceEntity | null> {
    return this.nonces.findOneBy({ tenantId, nonce });
  }

  /** Uses a live nonce. @returns false when it was used meanwhile or has expired */
  async consumeNonce(tenantId: string, nonce: string): Promise<boolean> {
    const result = await this.nonces.update({ tenantId, nonce, usedAt: IsNull(), expiresAt: MoreThan(this.now()) }, { usedAt: this.now() });
    return result.affected === 1;
  }

  /** Stores a new bulk job. */
  async addBulkJob(job: Oid4vciBulkJobEntity): Promise<void> {
    await this.jobs.insert(job);
  }

  /** Saves a bulk job's progress and report. */
  async updateBulkJob(id: string, changes: Pick<Oid4vciBulkJobEntity, 'processed' | 'report' | 'state'>): Promise<void> {
    await this.jobs.update({ id }, changes);
  }

  /** A tenant's live bulk job. */
  bulkJob(tenantId: string, id: string): Promise<Oid4vciBulkJobEntity | null> {
    return this.jobs.findOneBy({ tenantId, id, expiresAt: MoreThan(this.now()) });
  }

  /**
   * Deletes what has expired: nonces and access tokens past their expiry, bulk job reports past theirs, and offers
   * that never led to a credential once no access token of theirs can still be live (`tokenTtlMs` after the offer's
   * expiry). Issued offers stay, without claims, as the link between offer and credentials.
   */
  async deleteExpired(tokenTtlMs: number): Promise<Oid4vciCleanup> {
    const now = this.clock.now();
    const nowIso = now.toISOString();
    const offersBefore = new Date(now.getTime() - tokenTtlMs).toISOString();
    const nonces = await this.nonces.delete({ expiresAt: LessThan(nowIso) });
    const accessTokens = await this.tokens.delete({ expiresAt: LessThan(nowIso) });
    const bulkJobs = await this.jobs.delete({ expiresAt: LessThan(nowIso) });
    const offers = await this.offers.delete({ expiresAt: LessThan(offersBefore), state: Not('issued') });
    return { offers: offers.affected ?? 0, accessTokens: accessTokens.affected ?? 0, nonces: nonces.affected ?? 0, bulkJobs: bulkJobs.affected ?? 0 };
  }
}
