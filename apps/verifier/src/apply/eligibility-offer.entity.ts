import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where an application's eligibility offer stands: being made (`offering`, claimed by one request), made (`offered`),
 * or redeemed by a wallet (`received`, learnt from the issuer once the offer expired; never offered again).
 */
export type EligibilityOfferState = 'offering' | 'offered' | 'received';

/**
 * The eligibility credential offered for one eligible application (docs/youth-allowance.md, "The application
 * page"): one offer per application, whichever verifier process or page request asks first, so a page that asks
 * again (a retry, a second tab) is shown the same offer instead of a second credential. Once that offer expired, the
 * issuer is asked what became of it: expired or cancelled unredeemed, the row is claimed again for a new offer;
 * redeemed, it is `received`. It holds the offer's link and transaction code while they may be shown (the page shows
 * them once more when asked), and no claim of the applicant.
 */
@Entity({ name: 'program_eligibility_offers' })
export class EligibilityOfferEntity {
  /** The application: the id of its OpenID4VP presentation request. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  application!: string;

  /** The program id. */
  @Column({ type: 'varchar', length: 64 })
  program!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: EligibilityOfferState;

  /** ISO 8601 (injected clock): when the request making the offer claimed it; a claim left this long is taken over. */
  @Column({ name: 'claimed_at', type: 'varchar', length: 32 })
  claimedAt!: string;

  /** The issuer's id of the offer (`offerId`), once offered: what its status is asked by. */
  @Column({ name: 'offer_id', type: 'varchar', length: 36, nullable: true })
  offerId!: string | null;

  /** The `openid-credential-offer://` link, once offered (erased once received). */
  @Column({ name: 'offer_link', type: 'text', nullable: true })
  offerLink!: string | null;

  /** The offer's transaction code, once offered (null for an offer without one; erased once received). */
  @Column({ name: 'tx_code', type: 'varchar', length: 16, nullable: true })
  txCode!: string | null;

  /** ISO 8601: when the offer expires, once offered; the row is deleted a day later, once its application is gone too. */
  @Column({ name: 'expires_at', type: 'varchar', length: 32, nullable: true })
  expiresAt!: string | null;
}
