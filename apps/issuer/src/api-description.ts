import { ErrorCode } from '@citycred/errors';
import { buildOpenApiDocument, HEALTH_OPERATION, type ApiOperation } from '@citycred/http';
import { z } from 'zod';
import { issueRequestSchema } from './issuance/issue-request.js';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);

const issuedSchema = z.object({
  verifiableCredential: z
    .object({
      '@context': z.array(z.string()),
      id: z.string(),
      type: z.array(z.string()),
      issuer: z.object({ id: z.string() }),
      issuanceDate: z.string(),
      expirationDate: z.string().optional(),
      credentialSchema: z.object({ id: z.string(), type: z.literal('JsonSchema') }),
      credentialSubject: z.record(z.string(), z.unknown()),
      proof: z.object({ type: z.literal('JwtProof2020'), jwt: z.string() }),
    })
    .describe("Veramo's JSON form of a JWT VC; the JWT is what is signed and anchored"),
});

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

/** The issuer's HTTP operations, for its OpenAPI document. */
export const ISSUER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/credentials/issue',
    summary: 'Issue a credential as the calling tenant (W3C VC-API)',
    description:
      'Only type and credentialSubject are needed: the service adds the contexts, id, issuer (the tenant DID), dates and credentialSchema, signs an ES256K JWT with the tenant key, and queues its hash for anchoring.',
    tag: 'issuance',
    apiKey: true,
    requestBody: issueRequestSchema,
    responses: {
      201: { description: 'Issued', schema: issuedSchema },
      400: { description: 'Malformed or invalid request', problems: [ErrorCode.RequestMalformedJson, ErrorCode.RequestInvalidEncoding, ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData, ErrorCode.CredentialUnknownType, ErrorCode.IssuanceUnsupportedFormat] },
      401: { description: 'Missing or invalid API key', problems: [ErrorCode.AuthMissingApiKey, ErrorCode.AuthInvalidApiKey] },
      403: {
        description: 'Not this tenant’s to issue (not configured, not accredited on the city chain for the type now, or another issuer)',
        problems: [ErrorCode.IssuanceTypeNotAllowed, ErrorCode.IssuanceNotAccredited, ErrorCode.IssuanceIssuerMismatch],
      },
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
    ...HEALTH_OPERATION,
    responses: { ...HEALTH_OPERATION.responses, 200: { description: 'Everything answers; `details` reports the tenants’ accreditation and set-aside batches', schema: healthSchema } },
  },
];

/** The issuer's OpenAPI 3.1 document, served at /docs/json. */
export function issuerOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    { title: 'CityCred issuer', version: '0.1.0', description: 'Departments and employers issue W3C Verifiable Credentials; their hashes are anchored on the city chain.' },
    ISSUER_OPERATIONS,
  );
}
