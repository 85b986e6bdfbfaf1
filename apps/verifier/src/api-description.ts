import { ErrorCode } from '@citycred/errors';
import { buildOpenApiDocument, HEALTH_OPERATION, METRICS_BEARER_SCHEME, METRICS_OPERATION, type ApiOperation } from '@citycred/http';
import { z } from 'zod';
import { challengeSchema, presentationResultSchema, verifyPresentationRequestSchema } from './presentations/presentation-request.js';
import { verificationResultSchema, verifyRequestSchema } from './verification/verify-request.js';
import { APPLY_OPERATIONS } from './apply/api-operations.js';
import { OID4VP_OPERATIONS } from './oid4vp/api-operations.js';
import { SIGNATURE_OPERATIONS } from './signatures/api-operations.js';
import { PETITION_ADMIN_SCHEME, PETITION_OPERATIONS } from './petitions/api-operations.js';
import { scanPresentationRequestSchema, scanVerdictSchema } from './scan/scan-request.js';

const checkIssuersSchema = z.object({
  didNetwork: z.string().describe('the did:ethr network of the city chain'),
  readAt: z.string().describe('when the accreditation was read (ISO 8601)'),
  block: z.number().int().describe('the block it was read at'),
  directoryFetchedAt: z.string().describe('when the issuer service last answered its directory (ISO 8601)'),
  issuers: z.array(
    z.object({
      did: z.string().describe('the DID as the issuer’s credentials name it'),
      address: z.string().describe('its identity address, lower case'),
      kind: z.enum(['department', 'employer', 'app']),
      name: z.object({ ko: z.string(), en: z.string().nullable() }),
    }),
  ),
});

const didResolutionSchema = z.object({
  '@context': z.literal('https://w3id.org/did-resolution/v1'),
  didDocument: z.record(z.string(), z.unknown()).describe('the DID document (DID Core): id, verificationMethod, assertionMethod, authentication'),
  didDocumentMetadata: z.record(z.string(), z.unknown()).describe('as the did:ethr resolver reports it (versionId, updated, deactivated); empty for did:jwk and did:key'),
  didResolutionMetadata: z.object({ contentType: z.literal('application/did+ld+json') }),
});

const localisedSchema = z.object({ ko: z.string(), en: z.string() });
const programsSchema = z.object({
  programs: z.array(
    z.object({
      id: z.string(),
      policy: z.object({ id: z.string(), version: z.string().describe('the version of the rules as code') }),
      configVersion: z.string().describe('the version of the program’s configuration'),
      programYear: z.number().int(),
      title: localisedSchema,
      purpose: localisedSchema,
      benefit: z.object({ monthlyAmountKrw: z.number().int(), months: z.number().int() }),
      criteria: z.array(z.record(z.string(), z.unknown()).describe('{kind, …thresholds}')),
      dcqlQuery: z.record(z.string(), z.unknown()).describe('the DCQL query (OpenID4VP 1.0 §6) the program’s requests carry'),
      page: z.string().optional().describe('the slug of the program’s application page (`page` in PROGRAMS_FILE); absent: no page'),
      pagePath: z.string().optional().describe('the application page’s path on this verifier, `/apply/<page>`'),
      eligibility: z
        .object({ tenant: z.string().describe('the issuing tenant’s slug'), credentialType: z.string() })
        .optional()
        .describe('the eligibility credential an eligible applicant is offered from the page; absent: none'),
    }),
  ),
});
const receiptKeySchema = z.object({
  did: z.string().describe('did:jwk of the verifier’s request-signing key'),
  kid: z.string(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }),
});

/** The verifier's HTTP operations, for its OpenAPI document. */
export const VERIFIER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/credentials/verify',
    summary: 'Verify a credential (W3C VC-API)',
    description:
      'Reads a JWT VC (compact or Veramo JSON form), a vc+jwt or an SD-JWT VC (compact or enveloped), runs the checks format, signature, validity, schema, status, issuer-accreditation and anchor, and reports each (a passed anchor check also gives its anchor as data: `anchor: {root, blockNumber, anchoredAt, chainId, contract}`, an extension member); the policy (`options.policy`: `city`, the default, `city-strict`, `city-delegates` or `open`) says which statuses count, and the answer names it. 200 when verified; 400 with the same members plus problem+json fields when not.',
    tag: 'verification',
    requestBody: verifyRequestSchema,
    responses: {
      200: { description: 'Verified', schema: verificationResultSchema },
      400: {
        description: 'Not verified (the result, with problem members), or a request that is not a verification request',
        schema: verificationResultSchema.extend({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() }),
        contentType: 'application/problem+json',
        problems: [ErrorCode.VerificationFailed, ErrorCode.VerificationUnknownPolicy, ErrorCode.VerificationUnknownOption, ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      415: { description: 'Not UTF-8 JSON sent as is (another media type or charset, or a Content-Encoding)', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: { description: 'This client sent more than RATE_LIMIT_PER_MINUTE (burst RATE_LIMIT_BURST); retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: {
        description: 'The city chain or the issuer’s proof service is not answering (or limits this verifier): the credential could not be judged; retry after Retry-After seconds (the issuer’s own when it gave one)',
        problems: [ErrorCode.ServiceUnavailable],
      },
    },
  },
  {
    method: 'post',
    path: '/presentations/verify',
    summary: 'Verify a presentation (W3C VC-API)',
    description:
      'A JWT VP signed by its holder, or an SD-JWT VC with a key-binding JWT. Each credential is verified as by /credentials/verify; the presentation adds format and holder-binding (the holder’s signature over options.challenge and options.domain, fresh, each credential the holder’s; the challenge is used once). 200 when everything verified; 400 with the same members plus problem+json fields when not.',
    tag: 'verification',
    requestBody: verifyPresentationRequestSchema,
    responses: {
      200: { description: 'Verified', schema: presentationResultSchema },
      400: {
        description: 'Not verified (the result, with problem members), or a request that is not a verification request',
        schema: presentationResultSchema.extend({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() }),
        contentType: 'application/problem+json',
        problems: [ErrorCode.VerificationFailed, ErrorCode.VerificationUnknownPolicy, ErrorCode.VerificationUnknownOption, ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      415: { description: 'Not UTF-8 JSON sent as is', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: { description: 'The city chain, the issuer’s services or the database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'post',
    path: '/challenges',
    summary: 'Get a single-use challenge for a presentation (W3C VC-API)',
    description: 'A random challenge the holder signs as the presentation’s nonce; it may be used once, within CHALLENGE_TTL_SECONDS.',
    tag: 'verification',
    responses: {
      200: { description: 'A new challenge', schema: challengeSchema },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: { description: 'The database is not answering', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'post',
    path: '/scan/presentations',
    summary: 'Verify a presentation a wallet shows as a QR code (employer scanner)',
    description:
      'The text of the QR code (`citycred-vp:` + an SD-JWT VC with a key-binding JWT or a JWT VP) and a credential policy. The holder signed over a nonce it chose (base64url, at least 22 characters) and aud = VERIFIER_PUBLIC_URL + `/scan`, at most SCAN_PRESENTATION_MAX_AGE_SECONDS ago; the nonce is used once (a second scan is a replay). Judged under the city trust policy, then decided by the policy. The answer has the decision and the checks, never the holder, nor the claims but those the policy shows (`shown`; work-history: each work experience’s employer name, role, period, total hours and attendance root). 200 when verified and satisfied; 400 with the same members plus problem+json fields when not.',
    tag: 'verification',
    requestBody: scanPresentationRequestSchema,
    responses: {
      200: { description: 'Verified, and the policy is satisfied', schema: scanVerdictSchema },
      400: {
        description: 'Not verified or not satisfied (the verdict, with problem members), or a request that is not a scan request',
        schema: scanVerdictSchema.extend({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() }),
        contentType: 'application/problem+json',
        problems: [ErrorCode.VerificationFailed, ErrorCode.VerificationUnknownPolicy, ErrorCode.VerificationUnknownOption, ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      415: { description: 'Not UTF-8 JSON sent as is', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: { description: 'The city chain, the issuer’s services or the database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/scan/offline-bundle',
    summary: 'The employer scanner’s signed offline bundle',
    description:
      'A compact JWS (`typ: citycred-scan-bundle+jwt`, ES256, signed by the verifier’s request-signing key: `kid` is its did:jwk key, `iss` its DID) whose payload holds the city’s accredited issuers (DID, address, the owner keys that may sign for them now, the catalogue types they are accredited for now, read from the IssuerRegistry, with their Korean and English `name` from the city issuer’s directory), the status lists of those issuers as their issuers serve them — every Token Status List the issuer directory names for them, checked to be signed by the issuer, and the lists this verifier has trusted — (`missing` names those it could not fetch or that were not the issuer’s; `directory` says when the directory was read), what a presentation shown to the scanner must meet (`scan`: audience, age, clock skew), `iat` and `exp` (SCAN_OFFLINE_BUNDLE_TTL_SECONDS later). It also carries the roots each of those issuers anchored on the CredentialAnchor contract in the last 30 days (at most 200 per issuer, newest first: `anchors: {since, roots: [{root, block, at, types}]}`, `anchoring: {checked: true, days, rootsPerIssuer}`), against which the page checks the anchor proof a QR code carries. The same bundle is handed out for 60 s; while the chain does not answer, the last one until it expires. The scanner page keeps it and verifies a worker’s QR code with it without network (`/scan/offline.js`).',
    tag: 'verification',
    responses: {
      200: { description: 'The bundle, a compact JWS', contentType: 'application/jwt' },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: { description: 'The city chain is not answering and no bundle built before is still valid: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/check/issuers',
    summary: 'The names of the issuers the city accredits, for the check page',
    description:
      'One document for every reader (the check page reads it once, whatever it checks): the issuers the city issuer’s directory (`GET /issuers` of the issuer service, read through the verifier’s cache) names whose address the IssuerRegistry accredits now for at least one of the types the directory lists for them. The directory is display information; a DID the chain does not accredit gets no name. A credential’s issuer is found by `did`, or by the address its did:ethr names (`didNetwork`). Handed out again for 60 s; when the issuer or the chain does not answer, the last answer.',
    tag: 'verification',
    responses: {
      200: { description: 'The names', schema: checkIssuersSchema, headers: { 'Cache-Control': 'public, max-age=60' } },
      400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      503: { description: 'Neither the issuer’s directory nor the chain could be read yet: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/check/dids/{did}',
    summary: 'Resolve an issuer’s DID (for citizen wallets)',
    description:
      'A W3C DID resolution result (`didDocument`, `didDocumentMetadata`, `didResolutionMetadata`; media type `application/did-resolution`) for a did:ethr of the city chain’s network (`DID_ETHR_NETWORK`), read from the ERC-1056 DID registry as it is now, or for a did:jwk or did:key (from the DID itself). A citizen wallet checks the issuer’s signature on a credential it receives with it: the request names only the DID, never a credential or a holder, and any origin may read it. Handed out again for 60 s, as the verifier itself reuses a resolved document. A refusal carries `didResolutionMetadata.error` (`invalidDid`, `methodNotSupported`, `notFound`, `internalError`) besides the problem code. No query parameter (`versionId` neither): the keys as of now.',
    tag: 'verification',
    parameters: [{ name: 'did', in: 'path', description: 'the DID, e.g. did:ethr:citycred:0x… (its colons may be percent-encoded)', schema: z.string().max(2048) }],
    responses: {
      200: { description: 'The DID resolution result', schema: didResolutionSchema, contentType: 'application/did-resolution', headers: { 'Cache-Control': 'public, max-age=60' } },
      400: { description: 'Not a DID, a did:ethr / did:jwk / did:key that names no address or key, or a query parameter', problems: [ErrorCode.DidMalformed, ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      404: { description: 'A did:ethr of another network than the city chain’s', problems: [ErrorCode.DidForeignNetwork] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
      501: { description: 'A DID method other than ethr, jwk and key', problems: [ErrorCode.DidMethodNotSupported] },
      503: { description: 'The city chain is not answering: retry after Retry-After seconds', problems: [ErrorCode.DidResolutionUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/programs',
    summary: 'The benefit programs this verifier decides on',
    description:
      'Each program of the configuration (`PROGRAMS_FILE`, config/programs.json): its policy (`options.policy` of POST /presentations/verify and of POST /presentation-requests), configuration version, year, benefit, criteria with their thresholds, the DCQL query that asks a wallet for exactly the claims the criteria read, its application page (slug and path) if it has one, and the eligibility credential (issuing tenant, type) it offers, if any. docs/youth-allowance.md.',
    tag: 'verification',
    responses: {
      200: { description: 'The programs', schema: programsSchema },
      400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
    },
  },
  {
    method: 'get',
    path: '/programs/receipt-key',
    summary: 'The key decision receipts are signed with',
    description:
      'The verifier’s did:jwk (its request-signing key, also the `client_id` of its OpenID4VP requests) and the same public key as a JWKS. A receipt (`receipt` of a POST /presentations/verify answer with a credential policy) is a compact JWS, typ citycred-decision+jwt, ES256, whose `kid` is this DID’s key.',
    tag: 'verification',
    responses: {
      200: { description: 'The key', schema: receiptKeySchema },
      400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      429: { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
    },
  },
  ...OID4VP_OPERATIONS,
  ...APPLY_OPERATIONS,
  ...SIGNATURE_OPERATIONS,
  ...PETITION_OPERATIONS,
  METRICS_OPERATION,
  HEALTH_OPERATION,
];

/** The verifier's OpenAPI 3.1 document, served at /docs/json. */
export function verifierOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    { title: 'CityCred verifier', version: '0.1.0', description: 'Agencies and employers verify CityCred credentials against the city chain.' },
    VERIFIER_OPERATIONS,
    { bearerSchemes: { ...METRICS_BEARER_SCHEME, ...PETITION_ADMIN_SCHEME } },
  );
}
