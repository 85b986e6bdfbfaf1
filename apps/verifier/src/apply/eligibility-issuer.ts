import { AppError, ErrorCode } from '@citycred/errors';
import { z } from 'zod';

/** An offer the issuer made: what the applicant's wallet needs, shown once on the application page. */
export interface MadeOffer {
  /** The issuer's id of the offer: what its status is asked by. */
  offerId: string;
  /** `openid-credential-offer://?credential_offer_uri=…` (by reference, so the QR code stays small). */
  offerLink: string;
  /** The transaction code the wallet asks for; null for an offer without one. */
  txCode: string | null;
  expiresAt: string;
}

/**
 * What became of an offer, as the issuer's `GET /oid4vci/offers/<offerId>/status` says (docs/oid4vci.md): its
 * states, and `gone` for the issuer's 404 — an offer it deleted, which it does only to offers that issued no
 * credential once none can come of them.
 */
export type IssuerOfferState = 'offered' | 'expired' | 'redeemed' | 'issued' | 'burnt' | 'gone';

/** Where eligibility credentials are offered: the issuer's tenant API (port; the HTTP adapter is below). */
export interface EligibilityIssuer {
  /**
   * Has `tenant` make an OpenID4VCI offer of one credential.
   * @param tenant - the issuing tenant's slug
   * @param credentialConfigurationId - e.g. `YouthAllowanceEligibility_jwt_vc_json`
   * @param claims - the credential subject's claims, without `id` (the wallet's key becomes the subject)
   * @param holder - the did:jwk / did:key of the wallet the offer is bound to: only its key's proofs get the credential
   * @throws AppError `program.issuer-not-configured` (no API key for the tenant), `program.issuer-unavailable`
   *   (the issuer could not be reached, or refused)
   */
  offer(tenant: string, credentialConfigurationId: string, claims: Record<string, unknown>, holder: string): Promise<MadeOffer>;

  /**
   * What became of an offer `tenant` made.
   * @throws AppError `program.issuer-not-configured`, `program.issuer-unavailable`
   */
  offerState(tenant: string, offerId: string): Promise<IssuerOfferState>;
}

/** The part of the issuer's `POST /oid4vci/offers` answer the page uses (docs/oid4vci.md). */
const offerAnswer = z.object({
  offerId: z.string().uuid(),
  credential_offer_link: z.string().startsWith('openid-credential-offer://').max(2000),
  tx_code: z.string().regex(/^[0-9]{4,8}$/).optional(),
  expiresAt: z.string().datetime({ offset: true }),
});

/** The part of the issuer's `GET /oid4vci/offers/<offerId>/status` answer the page uses. */
const statusAnswer = z.object({ state: z.enum(['offered', 'expired', 'redeemed', 'issued', 'burnt']) });

/** Settings of {@link HttpEligibilityIssuer}. */
export interface HttpEligibilityIssuerSettings {
  /** The issuer service (`PROGRAM_ISSUER_URL`), without a trailing slash. */
  issuerUrl: string;
  /** API keys by tenant slug (`PROGRAM_ISSUER_API_KEYS`). */
  apiKeys: Readonly<Record<string, string>>;
  /** How long one offer request may take. */
  timeoutMs: number;
  /** The fetch to use (Node's by default). */
  fetch?: typeof fetch;
}

/**
 * The issuer's tenant API over HTTP with the tenant's API key: `POST <issuer>/oid4vci/offers` (a transaction code
 * asked for, bound to the applicant's wallet) and `GET <issuer>/oid4vci/offers/<offerId>/status`. The issuer is the operator's own configured service
 * (not a URL a request chose), so it is called directly, without following redirects.
 */
export class HttpEligibilityIssuer implements EligibilityIssuer {
  private readonly fetch: typeof fetch;

  constructor(private readonly settings: HttpEligibilityIssuerSettings) {
    this.fetch = settings.fetch ?? ((input, init) => fetch(input, init));
  }

  async offer(tenant: string, credentialConfigurationId: string, claims: Record<string, unknown>, holder: string): Promise<MadeOffer> {
    const { status, body } = await this.call(tenant, '/oid4vci/offers', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_id: credentialConfigurationId, claims, tx_code: true, holder }),
    });
    if (status !== 201) throw unavailable(`the issuer answered ${status} (${problemCode(body)})`);
    const parsed = offerAnswer.safeParse(body);
    if (!parsed.success) throw unavailable('the issuer’s answer is not an offer');
    const { offerId, credential_offer_link, tx_code, expiresAt } = parsed.data;
    return { offerId, offerLink: credential_offer_link, txCode: tx_code ?? null, expiresAt: new Date(expiresAt).toISOString() };
  }

  async offerState(tenant: string, offerId: string): Promise<IssuerOfferState> {
    const { status, body } = await this.call(tenant, `/oid4vci/offers/${encodeURIComponent(offerId)}/status`, { method: 'GET' });
    if (status === 404 && problemCode(body) === ErrorCode.Oid4vciOfferNotFound) return 'gone';
    if (status !== 200) throw unavailable(`the issuer answered ${status} (${problemCode(body)}) about the offer made before`);
    const parsed = statusAnswer.safeParse(body);
    if (!parsed.success) throw unavailable('the issuer’s answer is not an offer’s state');
    return parsed.data.state;
  }

  /** One call of the tenant API with the tenant's key, without following redirects. */
  private async call(tenant: string, path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: unknown }> {
    const apiKey = this.settings.apiKeys[tenant];
    if (apiKey === undefined) throw new AppError(ErrorCode.ProgramIssuerNotConfigured, `The verifier holds no API key for the tenant ${tenant} (PROGRAM_ISSUER_API_KEYS).`);
    try {
      const res = await this.fetch(`${this.settings.issuerUrl.replace(/\/+$/, '')}${path}`, {
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${apiKey}` },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    } catch (cause) {
      throw unavailable('the issuer could not be reached', cause);
    }
  }
}

function problemCode(body: unknown): string {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : 'no problem code';
}

function unavailable(why: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.ProgramIssuerUnavailable, `The eligibility credential could not be offered now: ${why}. The decision stands; try again.`, {
    ...(cause === undefined ? {} : { cause }),
    retryAfterSeconds: 5,
  });
}
