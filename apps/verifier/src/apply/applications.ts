import { AppError, ErrorCode } from '@citycred/errors';
import QRCode from 'qrcode';
import type { Oid4vpService, PresentationRequestStatus } from '../oid4vp/oid4vp.service.js';
import type { LocalisedText } from '../policies/index.js';
import { eligibilityClaimsOf, eligibilityHolderOf } from './eligibility-claims.js';
import type { EligibilityIssuer, MadeOffer } from './eligibility-issuer.js';
import type { EligibilityOfferStore, OfferClaim } from './eligibility-offer-store.js';
import type { ApplicationPage, EligibilityOffering } from './application-page.js';
import { walletPresentLink, walletReceiveLink } from '@citycred/credentials/wallet-links';

/** What `POST /apply/api/{page}/applications` answers: the request to show, not the state (read by `id`). */
export interface CreatedApplication {
  /** The application's id (its presentation request's): the page keeps it to follow the decision. */
  id: string;
  /** `openid4vp://…`, for the QR code (another device). */
  deepLink: string;
  /** The wallet on this device: `<WALLET_URL>/#present?request=…` (the deep link when no wallet URL is configured). */
  walletLink: string;
  /** The deep link as an SVG QR code. */
  qrSvg: string;
  expiresAt: string;
}

/** Why an application closed without a decision. */
export type ClosedReason = 'expired' | 'declined' | 'wallet-error' | 'not-verified';

/** What `GET /apply/api/{page}/applications/{id}` answers: the decision's criteria and reasons, never a claim. */
export type ApplicationStatus =
  | { id: string; state: 'pending'; expiresAt: string }
  | {
      id: string;
      state: 'decided';
      eligible: boolean;
      criteria: Array<{ id: string; result: 'passed' | 'failed'; reason: LocalisedText }>;
      /** The signed receipt can be downloaded (`…/receipt`). */
      receipt: boolean;
      /** An eligibility credential can be offered (`POST …/eligibility-offer`): eligible, and presented by one wallet. */
      offer: boolean;
    }
  | { id: string; state: 'closed'; reason: ClosedReason };

/** What `POST /apply/api/{page}/applications/{id}/eligibility-offer` answers (the offer's secrets, for this page only). */
export interface ShownOffer extends Omit<MadeOffer, 'offerId'> {
  /** The wallet on this device: `<WALLET_URL>/#receive?offer=…` (the offer link when no wallet URL is configured). */
  walletLink: string;
  /** The offer link as an SVG QR code. */
  qrSvg: string;
  /** What is offered, by its catalogue name. */
  credential: LocalisedText;
}

/** What the application pages are made of. */
export interface ApplicationsDependencies {
  /** The programs' pages by slug ({@link applicationPagesOf}). */
  pages: ReadonlyMap<string, ApplicationPage>;
  oid4vp: Pick<Oid4vpService, 'create' | 'status'>;
  offers: Pick<EligibilityOfferStore, 'claim' | 'reclaim' | 'offered' | 'received' | 'release'>;
  issuer: EligibilityIssuer;
  /** `WALLET_URL`, when configured. */
  walletUrl?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Applications to benefit programs from their pages (docs/youth-allowance.md, "The application page"): each is an
 * OpenID4VP request for the program's policy, followed by its id; its decision is shown criterion by criterion; an
 * eligible one is offered the program's eligibility credential by its issuing tenant, once per application.
 */
export class Applications {
  constructor(private readonly deps: ApplicationsDependencies) {}

  /**
   * A program's page.
   * @throws AppError `program.page-not-found`
   */
  page(slug: string): ApplicationPage {
    const page = this.deps.pages.get(slug);
    if (page === undefined) throw new AppError(ErrorCode.ProgramPageNotFound, 'No program has an application page at this address.');
    return page;
  }

  /**
   * Starts an application: a presentation request for the program's policy, answered encrypted (`direct_post.jwt`:
   * the wallet's answer carries personal data), stating the program's purpose on the wallet's consent screen.
   * @param baseUrl - the verifier's public URL
   * @throws AppError `program.page-not-found`
   */
  async create(slug: string, baseUrl: string): Promise<CreatedApplication> {
    const page = this.page(slug);
    const created = await this.deps.oid4vp.create({ policy: page.program, purpose: page.purpose.ko, responseMode: 'direct_post.jwt' }, baseUrl);
    return { id: created.id, deepLink: created.deepLink, walletLink: walletPresentLink(this.deps.walletUrl, created.deepLink), qrSvg: created.qrSvg, expiresAt: created.expiresAt };
  }

  /**
   * Where an application stands, and its decision once made.
   * @throws AppError `program.page-not-found`, `program.application-not-found` (no such request for this program)
   */
  async status(slug: string, id: string): Promise<ApplicationStatus> {
    const page = this.page(slug);
    const request = await this.request(page, id);
    if (request.state === 'pending') return { id, state: 'pending', expiresAt: request.expiresAt };
    if (request.state === 'expired') return { id, state: 'closed', reason: 'expired' };
    const result = request.result;
    if (result?.decision !== undefined) {
      const eligible = request.state === 'fulfilled' && result.verified && result.decision.satisfied;
      return {
        id,
        state: 'decided',
        eligible,
        criteria: result.decision.criteria.map(({ id: criterion, result: outcome, reason }) => ({ id: criterion, result: outcome, reason: { ko: reason.ko, en: reason.en } })),
        receipt: result.receipt !== undefined,
        offer: eligible && page.eligibility !== undefined && eligibilityHolderOf(result) !== null,
      };
    }
    if (result?.walletError !== undefined) return { id, state: 'closed', reason: result.walletError.error === 'access_denied' ? 'declined' : 'wallet-error' };
    return { id, state: 'closed', reason: 'not-verified' };
  }

  /**
   * The decision's signed receipt (docs/youth-allowance.md#decision-receipts), to keep for an appeal.
   * @returns the compact JWS and a file name for it
   * @throws AppError `program.page-not-found`, `program.application-not-found`, `program.application-not-decided`
   */
  async receipt(slug: string, id: string): Promise<{ receipt: string; filename: string }> {
    const page = this.page(slug);
    const request = await this.request(page, id);
    const receipt = request.result?.receipt;
    if (receipt === undefined) throw new AppError(ErrorCode.ProgramApplicationNotDecided, 'The application has no decision, so no receipt.');
    return { receipt, filename: `${page.program}-decision-${id.slice(0, 8)}.jwt` };
  }

  /**
   * The eligibility credential's offer for an eligible application: made by the program's issuing tenant, bound to the
   * wallet that presented ({@link eligibilityHolderOf}: only its key gets the credential), the first time it is asked
   * for, the same offer every time after while it is live. Once it expired, the issuer is asked what became of it:
   * expired or cancelled without being redeemed, a new offer is made (still one live offer per application); redeemed,
   * it is never offered again. When the issuer fails, the decision stands and the next call tries again.
   * @throws AppError `program.page-not-found`, `program.application-not-found`, `program.application-not-decided`
   *   (still pending), `program.not-eligible`, `program.no-eligibility-credential` (the program issues none),
   *   `program.no-single-holder` (the presentations name no one did:jwk / did:key wallet to bind the offer to),
   *   `program.offer-in-progress` (another request is making it: ask again shortly), `program.offer-received` (a
   *   wallet redeemed the offer), `program.issuer-not-configured`, `program.issuer-unavailable` (retry)
   */
  async offer(slug: string, id: string): Promise<ShownOffer> {
    const page = this.page(slug);
    const request = await this.request(page, id);
    if (request.state === 'pending') throw new AppError(ErrorCode.ProgramApplicationNotDecided, 'The application has no decision yet.');
    const decision = request.result?.decision;
    if (request.state !== 'fulfilled' || decision === undefined || !decision.satisfied || request.result?.verified !== true) {
      throw new AppError(ErrorCode.ProgramNotEligible, 'The decision is not eligible: no eligibility credential is offered.');
    }
    const eligibility = page.eligibility;
    if (eligibility === undefined) throw new AppError(ErrorCode.ProgramNoEligibilityCredential, 'This program issues no eligibility credential: the signed receipt is the proof of the decision.');
    const holder = eligibilityHolderOf(request.result);
    if (holder === null) {
      throw new AppError(ErrorCode.ProgramNoSingleHolder, 'The credentials were not presented by one wallet (a did:jwk or did:key): the eligibility credential cannot be bound to it, so none is offered.');
    }
    let claim = await this.deps.offers.claim(id, page.program);
    if (claim.kind === 'lapsed') claim = await this.afterExpiry(id, eligibility, claim.offer);
    if (claim.kind === 'received') throw received();
    if (claim.kind === 'in-progress') throw inProgress();
    let offer: MadeOffer;
    if (claim.kind === 'offered' || claim.kind === 'lapsed') offer = claim.offer;
    else {
      try {
        offer = await this.deps.issuer.offer(eligibility.tenant, eligibility.credentialConfigurationId, { ...eligibilityClaimsOf(decision) }, holder);
      } catch (error) {
        await this.deps.offers.release(id, claim.claimedAt);
        throw error;
      }
      // A claim taken over meanwhile (this request outlived it): the other request's offer is the one shown.
      if (!(await this.deps.offers.offered(id, claim.claimedAt, offer))) throw inProgress();
    }
    return {
      offerLink: offer.offerLink,
      txCode: offer.txCode,
      expiresAt: offer.expiresAt,
      walletLink: walletReceiveLink(this.deps.walletUrl, offer.offerLink),
      qrSvg: await QRCode.toString(offer.offerLink, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      credential: eligibility.label,
    };
  }

  /**
   * What to do about an offer that expired by this verifier's clock, by what the issuer says became of it: still
   * waiting (the issuer's clock is behind), shown again; redeemed or issued, never offered again; expired, cancelled
   * (burnt) or deleted (which the issuer does only to offers that issued nothing), claimed for a new offer. Once the
   * issuer says expired or burnt, the offer can no longer be redeemed, so the new one cannot mint a second credential.
   */
  private async afterExpiry(id: string, eligibility: EligibilityOffering, offer: MadeOffer): Promise<OfferClaim> {
    const state = await this.deps.issuer.offerState(eligibility.tenant, offer.offerId);
    switch (state) {
      case 'offered':
        return { kind: 'lapsed', offer };
      case 'redeemed':
      case 'issued':
        await this.deps.offers.received(id, offer.offerId);
        return { kind: 'received' };
      case 'expired':
      case 'burnt':
      case 'gone':
        return this.deps.offers.reclaim(id, offer.offerId);
    }
  }

  /** The application's request, when it was made for this page's program. */
  private async request(page: ApplicationPage, id: string): Promise<PresentationRequestStatus> {
    const notFound = () => new AppError(ErrorCode.ProgramApplicationNotFound, 'No application to this program with this id.');
    if (!UUID.test(id)) throw notFound();
    let request: PresentationRequestStatus;
    try {
      request = await this.deps.oid4vp.status(id);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.Oid4vpRequestNotFound) throw notFound();
      throw error;
    }
    if (request.policy.id !== page.program) throw notFound();
    return request;
  }
}

function inProgress(): AppError {
  return new AppError(ErrorCode.ProgramOfferInProgress, 'The eligibility credential is being offered; ask again in a moment.', { retryAfterSeconds: 1 });
}

function received(): AppError {
  return new AppError(ErrorCode.ProgramOfferReceived, 'The eligibility credential was already received with this application’s offer: look for it in the wallet that received it.');
}
