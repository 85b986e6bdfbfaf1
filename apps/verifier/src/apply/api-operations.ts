import { ErrorCode } from '@citycred/errors';
import type { ApiOperation } from '@citycred/http';
import { z } from 'zod';

const localised = z.object({ ko: z.string(), en: z.string() });
const pageParameter = { name: 'page', in: 'path' as const, description: 'the program’s page slug (`page` in PROGRAMS_FILE), e.g. youth-allowance', schema: z.string() };
const idParameter = { name: 'id', in: 'path' as const, description: 'the application’s id (a UUID), answered only to the page that made it', schema: z.string() };
const NO_PAGE = { description: 'No program has this page, or no application of this program has this id', problems: [ErrorCode.ProgramPageNotFound, ErrorCode.ProgramApplicationNotFound] };
const RATE_LIMITED = { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] };
const UNAVAILABLE = { description: 'The database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] };
const NO_STORE = { 'Cache-Control': 'no-store' };

const programPageSchema = z.object({
  page: z.string(),
  program: z.string().describe('the program, which is also its policy’s id'),
  programYear: z.number().int(),
  title: localised,
  purpose: localised,
  benefit: z.object({ monthlyAmountKrw: z.number().int(), months: z.number().int() }),
  criteria: z.array(z.object({ id: z.string().describe('the id the decision’s result carries'), text: localised.describe('the condition, with the configured thresholds') })),
  credentials: z.array(z.object({ type: z.string(), label: localised })).describe('what the wallet is asked for, in the order of the request’s DCQL query'),
  eligibility: z
    .object({ tenant: z.string(), credentialType: z.string(), credentialConfigurationId: z.string(), label: localised })
    .optional()
    .describe('the credential an eligible applicant is offered; absent when the program issues none'),
});

const createdApplicationSchema = z.object({
  id: z.string().describe('the application’s id: keep it in the page (it is in neither the QR code nor the links)'),
  deepLink: z.string().describe('openid4vp://… for the QR code'),
  walletLink: z.string().describe('<WALLET_URL>/#present?request=<deep link>, the wallet on this device (the deep link itself without WALLET_URL)'),
  qrSvg: z.string().describe('the deep link as an SVG QR code'),
  expiresAt: z.string(),
});

const applicationStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['pending', 'decided', 'closed']),
  expiresAt: z.string().optional().describe('pending: when the request expires'),
  eligible: z.boolean().optional().describe('decided: every criterion passed'),
  criteria: z.array(z.object({ id: z.string(), result: z.enum(['passed', 'failed']), reason: localised })).optional().describe('decided: each criterion with the policy’s reason — never a claim'),
  receipt: z.boolean().optional().describe('decided: the signed receipt can be downloaded'),
  offer: z.boolean().optional().describe('decided: an eligibility credential can be offered'),
  reason: z.enum(['expired', 'declined', 'wallet-error', 'not-verified']).optional().describe('closed without a decision: why'),
});

const offerSchema = z.object({
  offerLink: z.string().describe('openid-credential-offer://… (by reference)'),
  walletLink: z.string().describe('<WALLET_URL>/#receive?offer=<offer link>, the wallet on this device (the offer link itself without WALLET_URL)'),
  qrSvg: z.string().describe('the offer link as an SVG QR code'),
  txCode: z.string().nullable().describe('the transaction code the wallet asks for'),
  expiresAt: z.string(),
  credential: localised.describe('the credential offered, by its catalogue name'),
});

/** The application pages' API, for the verifier's OpenAPI document (docs/youth-allowance.md, docs/http-api.md). */
export const APPLY_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'get',
    path: '/apply/api/{page}',
    summary: 'A program’s application page, derived from its configuration',
    description: 'What the page `/apply/{page}` shows: the program’s title, purpose and benefit, its criteria as conditions with their thresholds, the credentials asked for and the eligibility credential offered, if any.',
    tag: 'verification',
    parameters: [pageParameter],
    responses: {
      200: { description: 'The page', schema: programPageSchema, headers: NO_STORE },
      400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      404: { description: 'No program has this page', problems: [ErrorCode.ProgramPageNotFound] },
    },
  },
  {
    method: 'post',
    path: '/apply/api/{page}/applications',
    summary: 'Apply: an OpenID4VP request for the program’s policy',
    description: 'Body `{}` (or none). The request asks the wallet for exactly what the program’s criteria read, to be answered encrypted (direct_post.jwt), and lives CHALLENGE_TTL_SECONDS. Follow it with GET …/applications/{id}.',
    tag: 'verification',
    parameters: [pageParameter],
    responses: {
      201: { description: 'Made', schema: createdApplicationSchema, headers: NO_STORE },
      400: { description: 'A body other than {}', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson] },
      404: { description: 'No program has this page', problems: [ErrorCode.ProgramPageNotFound] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/apply/api/{page}/applications/{id}',
    summary: 'Where an application stands, and its decision',
    description: 'pending until the wallet answered; then decided (eligible or not, every criterion with its reason in Korean and English) or closed without a decision (expired, declined in the wallet, a wallet error, credentials that did not verify). No claim value, ever.',
    tag: 'verification',
    parameters: [pageParameter, idParameter],
    responses: { 200: { description: 'The state', schema: applicationStatusSchema, headers: NO_STORE }, 404: NO_PAGE, 503: UNAVAILABLE },
  },
  {
    method: 'post',
    path: '/apply/api/{page}/applications/{id}/eligibility-offer',
    summary: 'The eligibility credential’s offer for an eligible application',
    description:
      'The program’s eligibility tenant makes an OpenID4VCI offer (POST /oid4vci/offers on PROGRAM_ISSUER_URL with its key from PROGRAM_ISSUER_API_KEYS) of the credential with the decision’s criteria (id, result, evidence hash), the benefit and both versions, bound to the wallet that presented (its did:jwk as `holder`: no other wallet can redeem it); one live offer per application: asked again, the same offer. Once it expired, the issuer is asked what became of it (GET /oid4vci/offers/{offerId}/status): expired or cancelled unredeemed, a new offer is made; redeemed, none ever again (409 program.offer-received). When the issuer fails, the decision stands and a later call tries again.',
    tag: 'verification',
    parameters: [pageParameter, idParameter],
    responses: {
      200: { description: 'The offer (its transaction code included: show it to the applicant only)', schema: offerSchema, headers: NO_STORE },
      404: NO_PAGE,
      409: {
        description: 'No decision yet, not eligible, a program without an eligibility credential, presentations that name no single wallet, another request making the offer (retry after Retry-After), or the offer already received (redeemed by a wallet)',
        problems: [ErrorCode.ProgramApplicationNotDecided, ErrorCode.ProgramNotEligible, ErrorCode.ProgramNoEligibilityCredential, ErrorCode.ProgramNoSingleHolder, ErrorCode.ProgramOfferInProgress, ErrorCode.ProgramOfferReceived],
      },
      429: RATE_LIMITED,
      503: { description: 'The issuer could not make the offer or say what became of the expired one (retry), or the verifier has no key for its tenant; or the database is not answering', problems: [ErrorCode.ProgramIssuerUnavailable, ErrorCode.ProgramIssuerNotConfigured, ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/apply/api/{page}/applications/{id}/receipt',
    summary: 'The decision’s signed receipt, as a file',
    description: 'The compact JWS (typ citycred-decision+jwt; docs/youth-allowance.md#decision-receipts) as `application/jwt` with `Content-Disposition: attachment`, to keep for an appeal.',
    tag: 'verification',
    parameters: [pageParameter, idParameter],
    responses: {
      200: { description: 'The receipt', contentType: 'application/jwt', headers: { ...NO_STORE, 'Content-Disposition': 'attachment; filename="<program>-decision-<id prefix>.jwt"' } },
      404: NO_PAGE,
      409: { description: 'No decision yet', problems: [ErrorCode.ProgramApplicationNotDecided] },
      503: UNAVAILABLE,
    },
  },
];
