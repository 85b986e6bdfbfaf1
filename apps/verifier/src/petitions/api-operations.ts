import { ErrorCode } from '@citycred/errors';
import type { ApiOperation } from '@citycred/http';
import { z } from 'zod';

const RATE_LIMITED = { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] };
const UNAVAILABLE = { description: 'The database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] };
const NOT_FOUND = { description: 'No petition with this id', problems: [ErrorCode.PetitionNotFound] };
const UNAUTHORISED = { description: 'No or another key than a PETITION_ADMIN_KEYS one', problems: [ErrorCode.AuthMissingApiKey, ErrorCode.AuthInvalidApiKey] };
const hash = z.string().describe('"0x" and 64 lower-case hex digits');
const localised = z.object({ ko: z.string(), en: z.string() });
const id = { name: 'id', in: 'path' as const, description: 'the petition id (UUID)', schema: z.string() };

/** The name of the petition administrators' bearer scheme in the OpenAPI document. */
export const PETITION_ADMIN_SCHEME = { petitionAdminKey: 'A PETITION_ADMIN_KEYS key of an official' } as const;

const openSchema = z.object({ title: z.string().max(200), description: z.string().max(5000), threshold: z.number().int().min(1), deadline: z.string().describe('ISO 8601 date-time with its offset, in the future') });
const petitionSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  threshold: z.number().int(),
  deadline: z.string(),
  state: z.enum(['open', 'closed']),
  count: z.number().int().describe('the live count; the final one once closed'),
  thresholdReached: z.boolean(),
  createdAt: z.string(),
  result: z
    .object({
      count: z.number().int(),
      root: hash.nullable().describe('the Merkle root of the leaf list; null when nobody signed'),
      closedAt: z.string(),
      closedBy: z.enum(['deadline', 'official']),
      tallyDigest: hash.describe('SHA-256 of the tally statement {"petitionId","count","root","closedAt"}'),
      signaturesUrl: z.string(),
      anchoring: z
        .object({
          state: z.enum(['pending', 'anchored', 'failed', 'not-anchored']),
          reason: localised.optional(),
          submitted: z.boolean().optional().describe('pending: the issuer accepted the digest into its queue'),
          detail: z.string().optional().describe('failed: why'),
          block: z.number().int().optional(),
          time: z.string().optional(),
          batchRoot: hash.optional().describe('anchored: the root the issuer anchored, which proof leads tallyDigest to'),
          proof: z.array(hash).optional(),
          leafIndex: z.number().int().optional(),
          issuerDid: z.string().optional(),
          chainId: z.number().int().optional(),
          contract: z.string().optional(),
          txHash: z.string().optional(),
        })
        .optional()
        .describe('how the tally digest stands on the city chain (ADR 0015); not in GET /petitions'),
    })
    .optional(),
});
const tallySchema = z.object({
  petitionId: z.string(),
  count: z.number().int(),
  root: hash.nullable(),
  closedAt: z.string(),
  leaves: z.array(hash).describe('the signatures’ leaf hashes in tree order: buildMerkleTree(leaves).root = root'),
  digest: hash,
  statement: z.string().describe('the exact JSON whose SHA-256 is digest'),
});
const createdSchema = z.object({ requestId: z.string(), requestLink: z.string(), walletLink: z.string(), qrSvg: z.string(), expiresAt: z.string() });
const statusSchema = z.object({
  requestId: z.string(),
  state: z.enum(['pending', 'signed', 'refused', 'expired']),
  expiresAt: z.string().optional(),
  leafHash: hash.optional().describe('signed: the signature’s leaf hash, to find in the published list'),
  code: z
    .enum(['petition.already-signed', 'petition.closed', 'petition.not-eligible', 'petition.card-revoked', 'petition.card-suspended', 'petition.card-not-verified', 'petition.declined'])
    .optional(),
  reason: localised.optional(),
});

/** The petition operations of the verifier, for its OpenAPI document (docs/petitions.md). */
export const PETITION_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/petitions',
    summary: 'Open a petition (resident audit claim)',
    description: 'An official, with a PETITION_ADMIN_KEYS key, opens a petition: its title, description, the threshold of signers and the deadline.',
    tag: 'petitions',
    bearer: 'petitionAdminKey',
    requestBody: openSchema,
    responses: {
      201: { description: 'Opened', schema: petitionSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'Not a title, description, threshold and future deadline', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestPersonalData] },
      401: UNAUTHORISED,
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/petitions',
    summary: 'The petitions, the newest first',
    tag: 'petitions',
    responses: { 200: { description: 'At most 100', schema: z.object({ petitions: z.array(petitionSchema) }) }, 400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] }, 429: RATE_LIMITED },
  },
  {
    method: 'get',
    path: '/petitions/{id}',
    summary: 'A petition: its live count, and its tally once closed',
    description: 'JSON; a browser navigating (Accept naming text/html before any JSON type) gets the public page instead. A petition past its deadline is closed when read.',
    tag: 'petitions',
    parameters: [id],
    responses: { 200: { description: 'The petition', schema: petitionSchema }, 404: NOT_FOUND, 429: RATE_LIMITED },
  },
  {
    method: 'post',
    path: '/petitions/{id}/close',
    summary: 'Close a petition now',
    description: 'An official closes the petition before its deadline: the tally (count, Merkle root, digest) is computed once. A closed petition is answered as it is.',
    tag: 'petitions',
    bearer: 'petitionAdminKey',
    parameters: [id],
    responses: { 200: { description: 'Closed', schema: petitionSchema }, 401: UNAUTHORISED, 404: NOT_FOUND, 429: RATE_LIMITED },
  },
  {
    method: 'get',
    path: '/petitions/{id}/signatures',
    summary: 'The published tally of a closed petition: its leaf list',
    description: 'Anyone recomputes the count (the number of leaves), the root (libs/anchoring’s Merkle tree over the leaves in this order) and the digest.',
    tag: 'petitions',
    parameters: [id],
    responses: { 200: { description: 'The tally', schema: tallySchema }, 404: NOT_FOUND, 409: { description: 'Still open', problems: [ErrorCode.PetitionOpen] }, 429: RATE_LIMITED },
  },
  {
    method: 'post',
    path: '/petitions/{id}/signature-requests',
    summary: 'Make a request to sign the petition with the citizen card',
    description: 'An OpenID4VP 1.0 request for the SD-JWT SeoulCitizenCard asking personId, ageOver19 and residence: show requestLink as a QR code or open walletLink on the same device, then follow GET /petitions/{id}/signature-requests/{rid}.',
    tag: 'petitions',
    parameters: [id],
    responses: {
      201: { description: 'Made', schema: createdSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'A body other than {}', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson] },
      404: NOT_FOUND,
      409: { description: 'The petition is closed', problems: [ErrorCode.PetitionClosed] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/petitions/{id}/signature-requests/{rid}',
    summary: 'How a signing request ended',
    description: 'pending; signed (with the leaf hash); refused with a code and a reason (already signed — without saying who —, closed, under 19 or not a Seoul resident, a revoked or suspended card, declined); or expired.',
    tag: 'petitions',
    parameters: [id, { name: 'rid', in: 'path' as const, description: 'the requestId', schema: z.string() }],
    responses: { 200: { description: 'The state', schema: statusSchema, headers: { 'Cache-Control': 'no-store' } }, 404: { description: 'No such request of this petition', problems: [ErrorCode.PetitionRequestNotFound] }, 429: RATE_LIMITED },
  },
];
