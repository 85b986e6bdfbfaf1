import { issuerDirectorySchema } from '@citycred/credentials';
import { ErrorCode } from '@citycred/errors';
import { CREDENTIAL_FORMAT_IDS } from '@citycred/formats';
import { buildOpenApiDocument, FORM_MEDIA_TYPE, HEALTH_OPERATION, METRICS_BEARER_SCHEME, METRICS_OPERATION, type ApiOperation, type ApiResponse } from '@citycred/http';
import { STATUS_LIST_JWT_MEDIA_TYPE } from '@citycred/status-list';
import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2';
import { z } from 'zod';
import { MAX_BATCHES_PER_ANSWER, MAX_QUEUE_HASHES } from './anchoring/anchor-batch-reads.js';
import { issueRequestSchema } from './issuance/issue-request.js';
import { workerSignatureSchema } from './labor/labor-requests.js';
import { attendanceOperations } from './labor/attendance/attendance-api.js';
import { MAX_TYPE_SCHEMA_BYTES } from './issuance/type-schemas.js';
import { BATCH_SIZE } from './oid4vci/credential-configurations.js';
import { bulkOfferRequestSchema, MAX_BULK_ROWS, offerRequestSchema } from './oid4vci/offer-request.js';
import { ACCESS_TOKEN_TTL_SECONDS, MAX_TX_CODE_FAILURES, NONCE_TTL_SECONDS } from './oid4vci/oid4vci.service.js';
import { statusRequestSchema } from './status-list/status-request.js';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

const contractSignatureSchema = z.object({ signer: z.string(), signedAt: z.string(), jws: z.string().describe('compact JWS, detached payload') });
const workerContractSchema = z.object({
  id: z.string(),
  contractId: z.string().describe('the contract’s lineage (its first version’s id)'),
  version: z.number().int(),
  state: z.enum(['awaiting-worker', 'awaiting-employer', 'active', 'ended', 'superseded']),
  document: z.record(z.string(), z.unknown()).describe('the signed ContractDocument (docs/labor.md)'),
  hash: hex32,
  assessment: z.record(z.string(), z.unknown()).describe('assessContractTerms: findings and figures'),
  employer: z.object({ name: z.string(), did: z.string() }),
  workerSignature: contractSignatureSchema.optional(),
  employerSignature: contractSignatureSchema.optional(),
  offers: z.array(z.object({ type: z.string(), link: z.string().describe('openid-credential-offer://…'), state: z.string() })),
  pendingCorrections: z.array(z.unknown()),
});

const jwtVcJsonForm = z
  .object({
    '@context': z.array(z.string()),
    id: z.string(),
    type: z.array(z.string()),
    issuer: z.union([z.string(), z.object({ id: z.string() }).loose()]),
    issuanceDate: z.string(),
    expirationDate: z.string().optional(),
    credentialSchema: z.object({ id: z.string(), type: z.literal('JsonSchema') }).optional(),
    credentialStatus: z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))]).optional(),
    credentialSubject: z.record(z.string(), z.unknown()),
    proof: z.object({ type: z.literal('JwtProof2020'), jwt: z.string() }),
  })
  .loose()
  .describe("jwt_vc (VC Data Model 1.1): Veramo's JSON form of the JWT VC; the JWT is what is signed and anchored");

const envelopedForm = z
  .object({
    '@context': z.literal('https://www.w3.org/ns/credentials/v2'),
    id: z.string().regex(/^data:application\/(vc\+jwt|dc\+sd-jwt),/),
    type: z.literal('EnvelopedVerifiableCredential'),
  })
  .describe('vc+jwt (VC Data Model 2.0 secured with JOSE) or dc+sd-jwt (SD-JWT VC): the credential in a data: URL');

const issuedSchema = z.object({ verifiableCredential: z.union([jwtVcJsonForm, envelopedForm]) });

const anchoredSchema = z.object({
  credentialHash: hex32,
  status: z.literal('anchored'),
  root: hex32,
  proof: z.array(hex32).describe('sibling hashes, bottom-up (docs/anchoring.md)'),
  leafIndex: z.number().int(),
  txHash: z.string(),
  blockNumber: z.number().int(),
  chainId: z.number().int(),
  contract: z.string().describe('CredentialAnchor address'),
  anchoredAt: z.string(),
});

const pendingSchema = z.object({ credentialHash: hex32, status: z.literal('pending'), enqueuedAt: z.string() });

const anchoredBatchSchema = z.object({
  root: hex32,
  leafCount: z.number().int(),
  anchoredAt: z.string().describe('when the block holding the transaction was mined (ISO 8601, UTC)'),
  txHash: z.string(),
  blockNumber: z.number().int(),
  chainId: z.number().int(),
  contract: z.string().describe('CredentialAnchor address'),
});

const batchWindowSchema = z.object({
  issuer: z.string(),
  from: z.string().describe('the window’s start as asked, in UTC (ISO 8601)'),
  to: z.string().describe('the window’s end (excluded), in UTC'),
  batches: z.array(anchoredBatchSchema).max(MAX_BATCHES_PER_ANSWER).describe('ordered by anchoredAt, then root'),
  truncated: z.boolean().describe(`more than ${MAX_BATCHES_PER_ANSWER} batches lie in the window: ask again for narrower windows`),
  pending: z
    .object({ count: z.number().int(), since: z.string().nullable().describe('when the oldest was queued, or null') })
    .describe('the issuer’s digests not in an anchored batch yet (none, or sealed and not confirmed); set-aside batches are not pending'),
});

const batchLeavesSchema = z.object({
  root: hex32,
  leaves: z.array(hex32).describe('the digests in leaf order: buildMerkleTree(leaves).root = root (docs/anchoring.md)'),
});

const issuerQueueSchema = z.object({
  issuer: z.string(),
  pending: z.array(z.object({ credentialHash: hex32, enqueuedAt: z.string() })).max(MAX_QUEUE_HASHES).describe('oldest first'),
  refused: z.array(hex32).max(MAX_QUEUE_HASHES).describe('digests in the issuer’s set-aside batches: the chain refuses them, they are not pending'),
  truncated: z.boolean().describe(`either list was cut at ${MAX_QUEUE_HASHES}`),
});

const issuerDidParameter = { name: 'issuer', in: 'query' as const, description: 'The issuer’s DID, exactly as in its credentials (percent-encoded)', schema: z.string() };

const typeList = z.array(z.string());

const healthSchema = z.object({
  status: z.literal('ok'),
  details: z.object({
    accreditation: z
      .object({
        current: z.boolean().describe('false once the last reading of the chain is older than ACCREDITATION_MAX_STALENESS_MS'),
        readAt: z.string().nullable(),
        block: z.number().int().nullable(),
        tenants: z.record(
          z.string(),
          z.object({ state: z.enum(['accredited', 'partly-accredited', 'not-accredited', 'unknown']), accredited: typeList, notAccredited: typeList, unknown: typeList }),
        ),
      })
      .nullable()
      .describe('by tenant slug: the credential types it is accredited for on the city chain now'),
    anchoring: z
      .object({
        refusedBatches: z.array(z.object({ tenantSlug: z.string(), reason: z.string(), batches: z.number().int(), credentials: z.number().int(), since: z.string() })),
      })
      .nullable()
      .describe('batches set aside because the chain refuses them'),
  }),
});

const credentialStatusValue = z.enum(['active', 'suspended', 'revoked']);

const statusChangeSchema = z.object({
  credentialId: z.string(),
  status: credentialStatusValue.describe('the status after the request'),
  changed: z.boolean().describe('false when the credential already had the asked status: nothing was published'),
  lists: z.array(z.object({ id: z.string(), url: z.string(), version: z.number().int() })).describe('the lists re-published, with their new version'),
});

/** What a tenant registers and verifiers read: checked as JSON Schema 2020-12 by the issuer, not by zod. */
const subjectSchemaDocument = z
  .object({ type: z.literal('object') })
  .loose()
  .describe(`JSON Schema 2020-12 of the credential subject: an object schema of at most ${MAX_TYPE_SCHEMA_BYTES} bytes; $ref resolves only inside the document`);

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

const credentialOfferSchema = z
  .object({
    credential_issuer: z.string(),
    credential_configuration_ids: z.array(z.string()).min(1),
    grants: z.object({
      [preAuthorizedCodeGrantIdentifier]: z
        .object({
          'pre-authorized_code': z.string(),
          tx_code: z.object({ input_mode: z.literal('numeric'), length: z.number().int(), description: z.string() }).optional(),
        })
        .loose(),
    }),
  })
  .loose()
  .describe('OpenID4VCI 1.0 §4.1.1 credential offer (pre-authorized code grant)');

const createdOfferSchema = z.object({
  offerId: uuid,
  credential_offer: credentialOfferSchema,
  credential_offer_uri: z.string().describe('where a wallet fetches the offer by reference (GET /oid4vci/offers/{id})'),
  credential_offer_link: z.string().describe('openid-credential-offer://?credential_offer_uri=…, for a QR code or a link'),
  tx_code: z.string().regex(/^[0-9]{6}$/).optional().describe('the transaction code the holder must enter, shown this once; absent when tx_code was false'),
  expiresAt: z.string(),
});

const offerStatusSchema = z.object({
  offerId: uuid,
  credentialConfigurationId: z.string(),
  state: z
    .enum(['offered', 'expired', 'redeemed', 'issued', 'burnt'])
    .describe('offered: waiting, live; expired: waited past expiresAt, never redeemable; redeemed: the code was exchanged for an access token, no credential yet; issued: its credentials were issued; burnt: cancelled after too many wrong transaction codes'),
  createdAt: z.string(),
  expiresAt: z.string(),
  redeemedAt: z.string().optional().describe('redeemed and issued offers'),
  issuedAt: z.string().optional().describe('issued offers'),
});

const bulkRowError = z.object({ row: z.number().int(), error: z.object({ code: z.string().describe('an ErrorCode'), pointer: z.string().describe('JSON Pointer into the request body') }) });

const bulkJobProgress = {
  jobId: uuid,
  total: z.number().int(),
  processed: z.number().int(),
};

const issuerMetadataSchema = z
  .object({
    credential_issuer: z.string(),
    credential_endpoint: z.string(),
    nonce_endpoint: z.string(),
    batch_credential_issuance: z.object({ batch_size: z.number().int() }),
    display: z.array(z.object({ name: z.string() }).loose()),
    credential_configurations_supported: z.record(z.string(), z.object({ format: z.enum(['jwt_vc_json', 'dc+sd-jwt']) }).loose()),
  })
  .loose()
  .describe('OpenID4VCI 1.0 §12.2 credential issuer metadata');

const authorizationServerMetadataSchema = z
  .object({
    issuer: z.string(),
    token_endpoint: z.string(),
    grant_types_supported: z.array(z.literal(preAuthorizedCodeGrantIdentifier)),
    token_endpoint_auth_methods_supported: z.array(z.literal('none')),
    'pre-authorized_grant_anonymous_access_supported': z.literal(true),
  })
  .loose()
  .describe('RFC 8414 authorization server metadata: the issuer is its own, pre-authorized code grant only, anonymous');

/** What the token endpoint reads (the @openid4vc/oauth2 library parses it). */
const tokenRequestSchema = z.object({
  grant_type: z.literal(preAuthorizedCodeGrantIdentifier),
  'pre-authorized_code': z.string().describe('from the offer’s grants'),
  tx_code: z.string().optional().describe('the transaction code, when the offer has one (and only then)'),
});

/** What the credential endpoint reads (the @openid4vc/openid4vci library parses it). */
const credentialRequestSchema = z.object({
  credential_configuration_id: z.string().describe('the configuration the offer named'),
  proofs: z
    .object({ jwt: z.array(z.string()).min(1).max(BATCH_SIZE).describe('one openid4vci-proof+jwt per holder key (ES256 or ES256K), each with the one c_nonce and aud = the credential issuer') })
    .describe('one credential is issued per proof'),
});

/** RFC 6749 §5.2 error answer, which the OAuth endpoints use instead of problem+json. */
function oauthError(codes: readonly string[], description: string): ApiResponse {
  return {
    description: `${description}; an OAuth error (RFC 6749 §5.2), not problem+json: ${codes.join(', ')}`,
    schema: z.object({ error: z.string().describe(`one of ${codes.join(', ')}`), error_description: z.string().optional() }),
    headers: { 'Cache-Control': 'no-store' },
  };
}

const RATE_LIMITED: ApiResponse = {
  description: 'This client sent more than RATE_LIMIT_PER_MINUTE (burst RATE_LIMIT_BURST); retry after Retry-After seconds',
  problems: [ErrorCode.RequestRateLimited],
};
const API_KEY_REFUSED: ApiResponse = { description: 'Missing or invalid API key', problems: [ErrorCode.AuthMissingApiKey, ErrorCode.AuthInvalidApiKey] };
const JSON_BODY_REFUSED = {
  413: { description: 'Body over 1 MiB', problems: [ErrorCode.RequestTooLarge] },
  415: { description: 'Not UTF-8 JSON sent as is (another media type or charset, or a Content-Encoding)', problems: [ErrorCode.RequestUnsupportedMediaType] },
} satisfies Record<number, ApiResponse>;
const UNAVAILABLE: ApiResponse = { description: 'The database is not answering', problems: [ErrorCode.ServiceUnavailable] };
const UNKNOWN_ISSUER: ApiResponse = { description: 'No tenant with this slug (problem+json, not an OAuth error)', problems: [ErrorCode.Oid4vciUnknownIssuer] };
const tenantParameter = { name: 'tenant', in: 'path' as const, description: 'The tenant’s slug; its credential issuer is <ISSUER_PUBLIC_URL>/oid4vci/{tenant}', schema: z.string() };
const badRequest = (description: string, ...more: ErrorCode[]): ApiResponse => ({
  description,
  problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData, ...more],
});

/** The issuer's HTTP operations, for its OpenAPI document. */
export const ISSUER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/credentials/issue',
    summary: 'Issue a credential as the calling tenant (W3C VC-API)',
    description:
      'A complete credential without proof (@context, type, issuer = the tenant DID, credentialSubject; id, dates and the other data-model members signed as given when valid). The service fills in only what is missing (id, dates, schema, status entries), signs it with the tenant key in the format the data model or options.format picks (jwt_vc, vc+jwt, dc+sd-jwt) and queues its hash for anchoring (docs/issuing.md).',
    tag: 'issuance',
    apiKey: true,
    requestBody: issueRequestSchema,
    responses: {
      201: { description: 'Issued', schema: issuedSchema },
      400: {
        description: 'Malformed or invalid request; `credential.invalid` lists each problem by JSON pointer',
        problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData, ErrorCode.CredentialInvalid, ErrorCode.CredentialUnknownType, ErrorCode.IssuanceUnsupportedFormat],
      },
      401: { description: 'Missing or invalid API key', problems: [ErrorCode.AuthMissingApiKey, ErrorCode.AuthInvalidApiKey] },
      403: {
        description: 'Not this tenant’s to issue (not configured, not accredited on the city chain for the type now, or another issuer)',
        problems: [ErrorCode.IssuanceTypeNotAllowed, ErrorCode.IssuanceNotAccredited, ErrorCode.IssuanceIssuerMismatch],
      },
      409: { description: 'The credential id was used before', problems: [ErrorCode.CredentialIdTaken] },
      413: { description: 'Body over 1 MiB', problems: [ErrorCode.RequestTooLarge] },
      415: { description: 'Not UTF-8 JSON sent as is (another media type or charset, or a Content-Encoding)', problems: [ErrorCode.RequestUnsupportedMediaType] },
      422: { description: 'The subject does not match the type’s JSON Schema; `errors` lists each path', problems: [ErrorCode.CredentialSchemaInvalid] },
      503: { description: 'The database is not answering, or the tenant’s accreditation could not be confirmed recently (chain not answering)', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/anchors/proofs/{credentialHash}',
    summary: 'The Merkle proof anchoring a credential on the city chain',
    description: 'Public. credentialHash is the SHA-256 of the issued bytes (the compact JWT), hex with or without 0x.',
    tag: 'anchoring',
    parameters: [{ name: 'credentialHash', in: 'path', description: 'SHA-256 of the credential, 64 hex characters', schema: z.string() }],
    responses: {
      200: { description: 'Anchored', schema: anchoredSchema },
      202: { description: 'Issued here, not anchored yet; retry after Retry-After seconds', schema: pendingSchema },
      400: { description: 'Not 32 bytes of hex, or a resident registration number in the path', problems: [ErrorCode.AnchorInvalidHash, ErrorCode.RequestPersonalData] },
      404: { description: 'No credential with this hash was issued here', problems: [ErrorCode.AnchorProofNotFound] },
      409: { description: 'Issued here, but the chain refused its batch (`IssuerNotAccredited`: the issuer is not accredited; `NotIdentityOwner`: its key does not own its identity): set aside, not pending; `reason` and `refusedAt` say why and since when', problems: [ErrorCode.AnchorRefused] },
      429: { description: 'This client sent more than RATE_LIMIT_PER_MINUTE (burst RATE_LIMIT_BURST); retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] },
    },
  },
  {
    method: 'post',
    path: '/anchors/digests',
    summary: 'Queue another service’s digest for anchoring under the tenant (ADR 0015)',
    description:
      'With the tenant API key. kind is signature-receipt (an e-signature receipt’s SHA-256) or petition-tally (a closed petition’s tally digest); the tenant must be accredited on the city chain for the kind’s record type (SignatureReceipt, PetitionTally) now. The digest is batched and anchored with the tenant’s credentials; its proof is at GET /anchors/proofs/{digest}. Idempotent: the same digest again (same tenant and kind) answers its current state (docs/anchoring.md).',
    tag: 'anchoring',
    apiKey: true,
    requestBody: z.object({ kind: z.enum(['signature-receipt', 'petition-tally']), digest: hex32 }).strict(),
    responses: {
      202: {
        description: 'Queued (or queued before): where it stands',
        schema: z.object({
          digest: hex32,
          kind: z.enum(['signature-receipt', 'petition-tally']),
          type: z.string().describe('the record type the tenant is accredited for'),
          issuer: z.string().describe('the tenant’s did:ethr, the identity the digest is anchored under'),
          status: z.enum(['pending', 'anchored', 'refused']),
          enqueuedAt: z.string(),
        }),
        headers: { 'Cache-Control': 'no-store' },
      },
      400: { description: 'Not {kind, digest}: an unknown kind, another member, or a digest that is not 0x + 64 lower-case hex', problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalid, ErrorCode.AnchorInvalidHash] },
      401: { description: 'Missing or invalid API key', problems: [ErrorCode.AuthMissingApiKey, ErrorCode.AuthInvalidApiKey] },
      403: { description: 'The tenant is not accredited on the city chain for the kind’s record type now (extension recordType)', problems: [ErrorCode.AnchorDigestNotAccredited] },
      409: { description: 'The digest is queued already as another kind or by another tenant', problems: [ErrorCode.AnchorDigestConflict] },
      429: RATE_LIMITED,
      503: { description: 'The database or the chain is not answering (the accreditation cannot be told)', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/anchors/batches',
    summary: 'An issuer’s anchored batches in a time window, to compute proofs without asking per credential',
    description:
      'Public, cacheable for 30 s. The issuer’s batches confirmed on chain whose anchoredAt lies in [from, to), with the issuer’s backlog. A verifier fetches the leaves of a batch (GET /anchors/batches/{root}/leaves) and computes the proof of the credential in front of it, so the issuer never learns which credential is checked (docs/anchoring.md). from and to are ISO 8601 instants with Z or an offset (percent-encode “+”), from before to, at most 7 days apart.',
    tag: 'anchoring',
    parameters: [
      issuerDidParameter,
      { name: 'from', in: 'query', description: 'Start of the window (included), ISO 8601 with Z or an offset', schema: z.string() },
      { name: 'to', in: 'query', description: 'End of the window (excluded), at most 7 days after from', schema: z.string() },
    ],
    responses: {
      200: { description: 'The batches in the window', schema: batchWindowSchema, headers: { 'Cache-Control': 'public, max-age=30' } },
      400: { description: 'A parameter missing, repeated, unknown or malformed; from not before to; a window over 7 days', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      404: { description: 'No issuer of this service has this DID', problems: [ErrorCode.AnchorIssuerNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/anchors/batches/{root}/leaves',
    summary: 'The digests of an anchored batch, in leaf order',
    description: 'Public and immutable (a root is a digest of its leaves). buildMerkleTree(leaves).root equals root; a verifier computes the proof of any of them itself.',
    tag: 'anchoring',
    parameters: [{ name: 'root', in: 'path', description: 'The batch’s Merkle root, 64 hex characters with or without 0x', schema: z.string() }],
    responses: {
      200: { description: 'The batch’s leaves', schema: batchLeavesSchema, headers: { ETag: 'The root, quoted', 'Cache-Control': 'public, max-age=31536000, immutable' } },
      304: { description: 'If-None-Match names the root', headers: { ETag: 'The root, quoted' } },
      400: { description: 'Not 32 bytes of hex, or a resident registration number in the path', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      404: { description: 'No batch with this root is anchored here (unknown, or not confirmed on chain yet)', problems: [ErrorCode.AnchorBatchNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/anchors/pending',
    summary: 'An issuer’s digests not anchored yet, and those the chain refused',
    description: `Public, cacheable for 5 s. Lets a verifier tell “queued, not anchored yet” from “never issued here” for a credential without naming it. At most ${MAX_QUEUE_HASHES} of each list.`,
    tag: 'anchoring',
    parameters: [issuerDidParameter],
    responses: {
      200: { description: 'The issuer’s queue', schema: issuerQueueSchema, headers: { 'Cache-Control': 'public, max-age=5' } },
      400: { description: 'issuer missing, repeated or not a DID, or another parameter', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      404: { description: 'No issuer of this service has this DID', problems: [ErrorCode.AnchorIssuerNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'post',
    path: '/credentials/status',
    summary: 'Revoke, suspend or reinstate a credential the calling tenant issued (W3C VC-API)',
    description:
      'The VC-API shape: the credential id, the status mechanism and purpose, and whether the status is set (`true`) or cleared (`false`). Revocation is final: `revocation`/`false` only confirms a credential is not revoked. Each change re-signs the lists concerned and queues them for anchoring; asking for the status the credential already has changes nothing (`changed: false`). `reason` is kept in the status history (docs/revocation.md).',
    tag: 'status',
    apiKey: true,
    requestBody: statusRequestSchema,
    responses: {
      200: { description: 'The credential’s status now', schema: statusChangeSchema },
      400: badRequest('Malformed or invalid request; `request.invalid` lists each problem by JSON pointer in `errors`'),
      401: API_KEY_REFUSED,
      404: { description: 'This tenant issued no credential with this id (another tenant’s included)', problems: [ErrorCode.StatusUnknownCredential] },
      409: {
        description: 'The credential is revoked (revocation is final), or carries no status entry for this change (e.g. no suspension list)',
        problems: [ErrorCode.StatusRevoked, ErrorCode.StatusPurposeNotSupported],
      },
      ...JSON_BODY_REFUSED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/status-lists/{id}',
    summary: 'A published status list, signed by its tenant',
    description:
      'Public, cacheable. The URL credentials name in `credentialStatus`: a Bitstring Status List credential (`application/vc+jwt`, VC Data Model 2.0) or an IETF Token Status List (`application/statuslist+jwt`), as the credential’s format uses. The body is the compact JWT.',
    tag: 'status',
    parameters: [{ name: 'id', in: 'path', description: 'The list’s UUID', schema: z.string() }],
    responses: {
      200: {
        description: 'The signed list as last published',
        contentType: ['application/vc+jwt', STATUS_LIST_JWT_MEDIA_TYPE],
        headers: { ETag: 'Strong validator of this version', 'Cache-Control': 'public, max-age=STATUS_LIST_MAX_AGE_SECONDS' },
      },
      304: { description: 'If-None-Match names the current ETag', headers: { ETag: 'The current version’s' } },
      404: { description: 'No status list with this id is published here', problems: [ErrorCode.StatusListNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/issuers',
    summary: 'The issuer directory: every tenant that issues here, with its names and status lists',
    description:
      'Public, cacheable, readable from any origin. Each tenant configured for at least one credential type, by slug: its DID and identity address, kind, Korean and English name, the types it is configured for and the URLs of every status list it opened (oldest first; the last of each takes new credentials). Display information for verifiers and wallets: whether an issuer is trusted is read from the city chain (IssuerRegistry accreditation), never from here (docs/issuer-directory.md).',
    tag: 'status',
    responses: {
      200: {
        description: 'The directory',
        schema: issuerDirectorySchema,
        headers: { ETag: 'Strong validator of this content', 'Cache-Control': 'public, max-age=STATUS_LIST_MAX_AGE_SECONDS', 'Access-Control-Allow-Origin': '*' },
      },
      304: { description: 'If-None-Match names the current ETag', headers: { ETag: 'The current one' } },
      400: { description: 'A query parameter (the directory takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'put',
    path: '/credential-types/{type}/schema',
    summary: 'Register the JSON Schema of an open credential type',
    description:
      'Only for a tenant configured for open issuance, and only for the types it is configured for. Registers (or replaces) the JSON Schema every credential subject of the type is then checked against at issuance; verifiers read it at the URL the credentials name in `credentialSchema`.',
    tag: 'issuance',
    apiKey: true,
    parameters: [{ name: 'type', in: 'path', description: 'The credential type', schema: z.string() }],
    requestBody: subjectSchemaDocument,
    responses: {
      200: { description: 'Registered', schema: z.object({ type: z.string(), registeredAt: z.string() }) },
      400: {
        description: 'Not JSON, too large, not an object schema or not valid JSON Schema 2020-12',
        problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData, ErrorCode.CredentialTypeSchemaInvalid],
      },
      401: API_KEY_REFUSED,
      403: { description: 'Not an open-issuance tenant, or a type it is not configured for', problems: [ErrorCode.IssuanceTypeNotAllowed] },
      ...JSON_BODY_REFUSED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/credential-types/{tenant}/{type}/schema',
    summary: 'The JSON Schema a tenant registered for an open credential type',
    description: 'Public, cacheable for 5 minutes: the `credentialSchema` of the tenant’s credentials of this type.',
    tag: 'issuance',
    parameters: [
      { name: 'tenant', in: 'path', description: 'The tenant’s slug', schema: z.string() },
      { name: 'type', in: 'path', description: 'The credential type', schema: z.string() },
    ],
    responses: {
      200: { description: 'The schema as registered', schema: subjectSchemaDocument, contentType: 'application/schema+json', headers: { 'Last-Modified': 'When it was registered' } },
      404: { description: 'No schema is registered for this tenant and type', problems: [ErrorCode.NotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'post',
    path: '/oid4vci/offers',
    summary: 'Offer a credential to a wallet (OpenID4VCI 1.0, pre-authorized code)',
    description:
      'The claims are checked against the configuration’s type schema now; the credential is issued when the wallet redeems the offer. The answer holds the offer’s secrets (the pre-authorized code inside the offer, `tx_code`) this once, and is never cached. `expires_in` may be at most OID4VCI_OFFER_TTL_SECONDS (also the default); more is refused with `oid4vci.offer-lifetime-too-long`. With `holder` (a did:jwk or did:key) the offer is bound to that wallet: only proofs signed by its key get the credential (`invalid_proof` otherwise, which spends nothing), and the credential names it as its subject.',
    tag: 'oid4vci',
    apiKey: true,
    requestBody: offerRequestSchema,
    responses: {
      201: { description: 'Offered', schema: createdOfferSchema },
      400: badRequest(
        'Malformed or invalid request (`errors` lists each problem by JSON pointer), a configuration this tenant does not offer, `expires_in` above OID4VCI_OFFER_TTL_SECONDS (`maxExpiresIn`), or a `holder` that is not a did:jwk / did:key of a P-256 or secp256k1 key',
        ErrorCode.Oid4vciUnknownConfiguration,
        ErrorCode.Oid4vciOfferLifetimeTooLong,
        ErrorCode.Oid4vciInvalidHolder,
      ),
      401: API_KEY_REFUSED,
      422: { description: 'The claims do not match the type’s schema, or the age claims disagree with the birth date; `errors` lists each path', problems: [ErrorCode.CredentialSchemaInvalid] },
      ...JSON_BODY_REFUSED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/oid4vci/offers/{id}',
    summary: 'A credential offer by reference (the target of credential_offer_uri)',
    description: 'Public: the URI is the bearer of the offer, the transaction code its second factor. Never cached.',
    tag: 'oid4vci',
    parameters: [{ name: 'id', in: 'path', description: 'The offer id', schema: z.string() }],
    responses: {
      200: { description: 'The offer', schema: credentialOfferSchema },
      404: { description: 'No live offer with this id: it never existed, was redeemed, was cancelled or has expired', problems: [ErrorCode.Oid4vciOfferNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/oid4vci/offers/{id}/status',
    summary: 'Where one of the tenant’s offers stands',
    description:
      'The calling tenant’s offer: its state and times, no claim and no secret, never cached. Another tenant’s offer is answered 404 like an unknown id, and so is an offer the issuer deleted (it deletes only offers that issued no credential, a few minutes after they expired). docs/oid4vci.md.',
    tag: 'oid4vci',
    apiKey: true,
    parameters: [{ name: 'id', in: 'path', description: 'The offer id (offerId of the POST /oid4vci/offers answer)', schema: z.string() }],
    responses: {
      200: { description: 'The offer’s state', schema: offerStatusSchema, headers: { 'Cache-Control': 'no-store' } },
      401: API_KEY_REFUSED,
      404: { description: 'This tenant has no offer with this id (another tenant’s, never made, or expired unredeemed and deleted)', problems: [ErrorCode.Oid4vciOfferNotFound] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/oid4vci/offers/bulk',
    summary: 'Offer one credential configuration to many holders',
    description: `Rows as \`rows\` (one claims object each) or as \`csv\` (a header line of claim names, dotted for nested claims, then one line per offer); at most ${MAX_BULK_ROWS}. Each row is offered on its own: a bad row is reported in its place and does not stop the others. The offers live \`expires_in\` seconds, at most and by default OID4VCI_BULK_OFFER_TTL_SECONDS (7 days unless configured); one living longer than OID4VCI_OFFER_TTL_SECONDS needs its transaction code (\`tx_code\` true, the default). The answer holds each offer with its secrets this once; GET /oid4vci/offers/bulk/{jobId} reports the job without them for 24 hours, or as long as its offers live when longer.`,
    tag: 'oid4vci',
    apiKey: true,
    requestBody: bulkOfferRequestSchema,
    responses: {
      201: {
        description: 'Done; one entry per row, in order',
        schema: z.object({ ...bulkJobProgress, state: z.literal('done'), rows: z.array(z.union([createdOfferSchema.extend({ row: z.number().int() }), bulkRowError])) }),
      },
      400: badRequest(
        'Malformed or invalid request (neither or both of rows and csv, an unreadable CSV, too many rows), a configuration this tenant does not offer (with csv), `expires_in` above OID4VCI_BULK_OFFER_TTL_SECONDS, or `tx_code: false` with a lifetime above OID4VCI_OFFER_TTL_SECONDS (`maxExpiresIn` says the longest allowed); nothing is offered then',
        ErrorCode.Oid4vciUnknownConfiguration,
        ErrorCode.Oid4vciOfferLifetimeTooLong,
        ErrorCode.Oid4vciTxCodeRequired,
      ),
      401: API_KEY_REFUSED,
      ...JSON_BODY_REFUSED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/oid4vci/offers/bulk/{jobId}',
    summary: 'Progress and per-row report of a bulk offer job',
    description: 'The calling tenant’s job: offer ids and row errors, no claim and no secret. Kept 24 hours, or as long as its offers live when longer.',
    tag: 'oid4vci',
    apiKey: true,
    parameters: [{ name: 'jobId', in: 'path', description: 'The job id the bulk request answered', schema: z.string() }],
    responses: {
      200: {
        description: 'The job',
        schema: z.object({ ...bulkJobProgress, state: z.enum(['running', 'done']), rows: z.array(z.union([z.object({ row: z.number().int(), offerId: uuid }), bulkRowError])) }),
      },
      401: API_KEY_REFUSED,
      404: { description: 'This tenant has no job with this id (or its report has expired)', problems: [ErrorCode.Oid4vciBulkJobNotFound] },
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/.well-known/openid-credential-issuer/oid4vci/{tenant}',
    summary: 'Credential issuer metadata of a tenant (OpenID4VCI 1.0 §12.2)',
    description: 'Public, cacheable for 5 minutes. The well-known path is inserted between host and path of the credential issuer identifier <ISSUER_PUBLIC_URL>/oid4vci/{tenant}.',
    tag: 'oid4vci',
    parameters: [tenantParameter],
    responses: {
      200: { description: 'The metadata: each catalogue type the tenant issues, in each of its formats', schema: issuerMetadataSchema },
      404: UNKNOWN_ISSUER,
    },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-authorization-server/oid4vci/{tenant}',
    summary: 'Authorization server metadata of a tenant (RFC 8414)',
    description: 'Public, cacheable for 5 minutes.',
    tag: 'oid4vci',
    parameters: [tenantParameter],
    responses: {
      200: { description: 'The metadata', schema: authorizationServerMetadataSchema },
      404: UNKNOWN_ISSUER,
    },
  },
  {
    method: 'post',
    path: '/oid4vci/{tenant}/token',
    summary: 'Token endpoint: redeem a pre-authorized code (OpenID4VCI 1.0 §6)',
    description: `A form body (RFC 6749 §3.2), each parameter once. Answers an opaque access token good for one credential request within ${ACCESS_TOKEN_TTL_SECONDS} seconds; never cached. The ${MAX_TX_CODE_FAILURES}th wrong transaction code cancels the offer.`,
    tag: 'oid4vci',
    parameters: [tenantParameter],
    requestBody: tokenRequestSchema,
    requestContentType: FORM_MEDIA_TYPE,
    responses: {
      200: {
        description: 'Redeemed',
        schema: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.literal(ACCESS_TOKEN_TTL_SECONDS) }),
        headers: { 'Cache-Control': 'no-store' },
      },
      400: {
        ...oauthError(['invalid_request', 'invalid_grant', 'unsupported_grant_type'], 'Not a form body, a repeated parameter, a code that is unknown, used or expired, or a wrong or missing transaction code'),
        problems: [ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      404: UNKNOWN_ISSUER,
      413: JSON_BODY_REFUSED[413],
      415: { description: 'Neither a form body nor JSON', problems: [ErrorCode.RequestUnsupportedMediaType] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/oid4vci/{tenant}/nonce',
    summary: 'Nonce endpoint: a fresh c_nonce for the proofs (OpenID4VCI 1.0 §7)',
    description: `No body. The nonce is good for one credential request within ${NONCE_TTL_SECONDS} seconds; never cached.`,
    tag: 'oid4vci',
    parameters: [tenantParameter],
    responses: {
      200: { description: 'A nonce', schema: z.object({ c_nonce: z.string() }).loose(), headers: { 'Cache-Control': 'no-store' } },
      404: UNKNOWN_ISSUER,
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/oid4vci/{tenant}/credential',
    summary: 'Credential endpoint: issue the offered credential to the wallet’s keys (OpenID4VCI 1.0 §8)',
    description: `With the access token from the token endpoint, once. One credential per \`jwt\` proof (at most ${BATCH_SIZE}), each bound to the key that signed the proof; issued and anchored like any other.`,
    tag: 'oid4vci',
    bearer: 'oid4vciAccessToken',
    parameters: [tenantParameter],
    requestBody: credentialRequestSchema,
    responses: {
      200: {
        description: 'Issued',
        schema: z.object({ credentials: z.array(z.object({ credential: z.string().describe('the compact JWT VC, or the SD-JWT VC with its disclosures') })).min(1) }).loose(),
        headers: { 'Cache-Control': 'no-store' },
      },
      400: {
        ...oauthError(
          ['invalid_credential_request', 'unknown_credential_configuration', 'invalid_proof', 'invalid_nonce', 'credential_request_denied'],
          'A request the access token does not grant, a bad proof, an unknown, used or expired c_nonce, or a credential the issuer refuses now',
        ),
        problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestPersonalData],
      },
      401: { ...oauthError(['invalid_token'], 'No access token, or one that is unknown, expired or used'), headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"', 'Cache-Control': 'no-store' } },
      404: UNKNOWN_ISSUER,
      ...JSON_BODY_REFUSED,
      503: { description: 'The database or the chain is not answering', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  {
    method: 'get',
    path: '/credentials/{id}/certificate.pdf',
    summary: 'The printable A4 certificate of a credential the calling tenant issued',
    description: 'A PDF with the credential’s claims and a QR code a verifier scans (docs/certificates.md). It carries personal data: never cached.',
    tag: 'certificates',
    apiKey: true,
    parameters: [{ name: 'id', in: 'path', description: 'The credential id (`urn:uuid:…`, or the bare UUID)', schema: z.string() }],
    responses: {
      200: { description: 'The certificate', contentType: 'application/pdf', headers: { 'Content-Disposition': 'attachment; filename="certificate-<uuid>.pdf"' } },
      401: API_KEY_REFUSED,
      404: { description: 'This tenant issued no credential with this id (another tenant’s included)', problems: [ErrorCode.CredentialNotFound] },
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/certificates/{credentialHash}/{secret}',
    summary: 'The credential a certificate’s QR code refers to',
    description:
      'Public, for a certificate whose credential did not fit its QR code: the QR carries this reference instead (docs/certificates.md). A wrong secret is answered exactly like an unknown hash. Any origin may read it; never cached.',
    tag: 'certificates',
    parameters: [
      { name: 'credentialHash', in: 'path', description: 'SHA-256 of the credential, as the QR code gives it', schema: z.string() },
      { name: 'secret', in: 'path', description: 'The secret the QR code gives', schema: z.string() },
    ],
    responses: {
      200: { description: 'The credential', schema: z.object({ format: z.enum(CREDENTIAL_FORMAT_IDS), credential: z.string().describe('as issued (compact JWT or SD-JWT)') }) },
      404: { description: 'No certificate has this reference', problems: [ErrorCode.CredentialNotFound] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/labor/contracts/{id}',
    summary: 'A labour contract version as its worker reviews it',
    description:
      'Public with the contract’s token `t` (in the review link the employer gave the worker): the signed document, its hash and assessment, the signatures given, the holder-bound credential offers made from it and the attendance corrections waiting for the worker. A wrong id or token is the same 404. Never cached. docs/labor.md#contract-lifecycle.',
    tag: 'labor',
    parameters: [
      { name: 'id', in: 'path', description: 'The contract version’s id', schema: z.string() },
      { name: 't', in: 'query', description: 'The contract’s token', schema: z.string() },
    ],
    responses: {
      200: { description: 'The worker’s view of the contract', schema: workerContractSchema, headers: { 'Cache-Control': 'no-store' } },
      404: { description: 'No contract with this id and token', problems: [ErrorCode.LaborContractNotFound] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/labor/contracts/{id}/worker-signature',
    summary: 'The worker signs the contract’s hash',
    description:
      'A compact JWS with a detached payload (`header..signature`) over the UTF-8 of the `0x…` contract hash, ES256 by the wallet key named by `kid` `<did:jwk>#0`. The contract then awaits the employer’s countersignature; every later offer is bound to that did:jwk. docs/labor.md#contract-lifecycle.',
    tag: 'labor',
    parameters: [
      { name: 'id', in: 'path', description: 'The contract version’s id', schema: z.string() },
      { name: 't', in: 'query', description: 'The contract’s token', schema: z.string() },
    ],
    requestBody: workerSignatureSchema,
    responses: {
      200: { description: 'Signed: the worker’s view, state awaiting-employer', schema: workerContractSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'The JWS is malformed, not detached, or does not verify over the contract hash with the did:jwk’s key (`reason`)', problems: [ErrorCode.LaborSignatureInvalid, ErrorCode.RequestInvalid] },
      404: { description: 'No contract with this id and token', problems: [ErrorCode.LaborContractNotFound] },
      409: { description: 'The contract is not awaiting the worker’s signature, or a later version replaces it (`state`)', problems: [ErrorCode.LaborContractState] },
      ...JSON_BODY_REFUSED,
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  ...attendanceOperations({ rateLimited: RATE_LIMITED, unavailable: UNAVAILABLE, jsonBodyRefused: JSON_BODY_REFUSED }),
  METRICS_OPERATION,
  {
    ...HEALTH_OPERATION,
    responses: { ...HEALTH_OPERATION.responses, 200: { description: 'Everything answers; `details` reports the tenants’ accreditation and set-aside batches', schema: healthSchema } },
  },
];

/** The issuer's OpenAPI 3.1 document, served at /docs/json. */
export function issuerOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    {
      title: 'CityCred issuer',
      version: '0.1.0',
      description:
        'Departments and employers issue W3C Verifiable Credentials (VC-API, or OpenID4VCI offers to wallets), revoke and suspend them through status lists, and print certificates; the credentials’ and lists’ hashes are anchored on the city chain. The issuer console (/console and its /console/api/*) is internal to the console app and not described here; its admin API for the city’s administrators (/console/api/admin: tenants, accreditation, key rotation, delegates, API keys; a console session, not an API key) is described in docs/console.md#admin-api.',
    },
    ISSUER_OPERATIONS,
    {
      bearerSchemes: {
        oid4vciAccessToken: 'An OpenID4VCI access token from the tenant’s token endpoint (opaque, single use)',
        ...METRICS_BEARER_SCHEME,
      },
    },
  );
}
