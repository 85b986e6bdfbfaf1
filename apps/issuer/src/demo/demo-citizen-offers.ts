import type { Clock } from '@citycred/config';
import { ageAt, type Labels } from '@citycred/credentials';
import { walletReceiveLink } from '@citycred/credentials/wallet-links';
import { AppError, ErrorCode } from '@citycred/errors';
import type { Oid4vciService, OfferActor } from '../oid4vci/oid4vci.service.js';
import { agencyCredentialsOf, type DemoCitizen, type DemoCitizensFile } from './demo-citizens.js';

/** Who the demo's offers are made by, in the offers' `created_by` and the audit log. */
export const DEMO_ACTOR: OfferActor = Object.freeze({ kind: 'operator', id: 'demo-citizens-page' });

/** A demo citizen as the demo page lists them: who, the outcomes they are made for, which agencies issue to them. */
export interface DemoCitizenListing {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly summary: Labels;
  /** Completed years today (the issuer's clock, KST). */
  readonly age: number;
  readonly youthAllowance: string;
  readonly youthRentSupport?: string;
  readonly credentials: ReadonlyArray<{ readonly type: string; readonly tenant: string; readonly labels: Labels }>;
}

/** One agency's offer to a demo citizen, as `POST /demo/citizens/<id>/offers` answers it. */
export interface DemoOffer {
  readonly type: string;
  readonly tenant: string;
  readonly labels: Labels;
  readonly offerId: string;
  /** `openid-credential-offer://?credential_offer_uri=…`: for a QR code (a phone's wallet) or the wallet link. */
  readonly credential_offer_link: string;
  readonly expiresAt: string;
}

/** Every agency's offer to one demo citizen, and the wallet link that receives them all. */
export interface DemoOffers {
  readonly citizen: string;
  readonly offers: readonly DemoOffer[];
  /** `<WALLET_URL>/#receive?offer=…&offer=…` (the wallet's same-device receive link); null without `WALLET_URL`. */
  readonly walletLink: string | null;
}

/**
 * The embedded demo's citizens: lists them and has each agency offer a citizen the credentials it issues them, through
 * the same offer service (and checks) as the tenants' API, as the owning tenant. The offers carry no transaction code:
 * the demo page is the citizen's own screen, where a code shown next to its offer would protect nothing and make the
 * citizen type six digits per credential; the offers are short-lived (`OID4VCI_OFFER_TTL_SECONDS`) and single-use.
 */
export class DemoCitizenOffers {
  private readonly byId: ReadonlyMap<string, DemoCitizen>;

  /**
   * @param demo - the parsed `DEMO_CITIZENS_FILE`
   * @param offers - the OpenID4VCI offer service
   * @param walletUrl - `WALLET_URL`, or undefined
   * @param clock - the issuer's clock (ages on the page)
   */
  constructor(
    private readonly demo: DemoCitizensFile,
    private readonly offers: Pick<Oid4vciService, 'tenant' | 'createOffer'>,
    private readonly walletUrl: string | undefined,
    private readonly clock: Clock,
  ) {
    this.byId = new Map(demo.citizens.map((citizen) => [citizen.id, citizen]));
  }

  /** The demo citizens, in the file's order, with the wallet URL the page opens (or null). */
  list(): { programYear: number; walletUrl: string | null; citizens: DemoCitizenListing[] } {
    const now = this.clock.now();
    return {
      programYear: this.demo.programYear,
      walletUrl: this.walletUrl ?? null,
      citizens: this.demo.citizens.map((citizen) => ({
        id: citizen.id,
        name: citizen.name,
        nameEn: citizen.nameEn,
        summary: citizen.summary,
        age: ageAt(String(citizen.credentials.SeoulCitizenCard['birthDate']), now),
        youthAllowance: citizen.youthAllowance,
        ...(citizen.youthRentSupport === undefined ? {} : { youthRentSupport: citizen.youthRentSupport }),
        credentials: agencyCredentialsOf(citizen).map(({ type, tenant, labels }) => ({ type, tenant, labels })),
      })),
    };
  }

  /**
   * Makes one offer per credential the agencies issue to a citizen, each as its tenant.
   * @param id - the citizen's `id`
   * @throws AppError `demo.citizen-not-found` (404); `oid4vci.unknown-issuer` (404) when an agency is not a tenant
   *   here; `credential.schema-invalid` (422) when a claim no longer holds today (an age flag); `service.unavailable`
   */
  async offersFor(id: string): Promise<DemoOffers> {
    const citizen = this.byId.get(id);
    if (!citizen) throw new AppError(ErrorCode.DemoCitizenNotFound, 'No demo citizen has this id: GET /demo/citizens lists them.');
    const made: DemoOffer[] = [];
    for (const credential of agencyCredentialsOf(citizen)) {
      const tenant = await this.offers.tenant(credential.tenant);
      const offer = await this.offers.createOffer(tenant, { credentialConfigurationId: credential.configurationId, claims: { ...credential.claims }, txCode: false }, DEMO_ACTOR);
      made.push({
        type: credential.type,
        tenant: credential.tenant,
        labels: credential.labels,
        offerId: offer.offerId,
        credential_offer_link: offer.credential_offer_link,
        expiresAt: offer.expiresAt,
      });
    }
    const [first, ...rest] = made.map((offer) => offer.credential_offer_link);
    return { citizen: citizen.id, offers: made, walletLink: this.walletUrl === undefined || first === undefined ? null : walletReceiveLink(this.walletUrl, first, ...rest) };
  }
}
