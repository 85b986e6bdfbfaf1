import { ErrorCode } from '@citycred/errors';
import type { ApiOperation } from '@citycred/http';
import { z } from 'zod';

const RATE_LIMITED = { description: 'Rate limited; retry after Retry-After seconds', problems: [ErrorCode.RequestRateLimited] };
const UNAVAILABLE = { description: 'The database is not answering: retry after Retry-After seconds', problems: [ErrorCode.ServiceUnavailable] };
const hash = z.string().describe('"0x" and the 64 lower-case hex digits of the SHA-256');
const documentSchema = z.object({ hash, fileName: z.string(), mediaType: z.string() });

/** `POST /signatures/requests`'s body. */
export const createSignatureRequestSchema = z.object({ documentHash: hash, fileName: z.string().max(255), mediaType: z.string(), withName: z.boolean().optional() });
const createdSchema = z.object({ requestId: z.string(), requestLink: z.string(), walletLink: z.string(), qrSvg: z.string(), expiresAt: z.string() });
const statusSchema = z.object({
  requestId: z.string(),
  state: z.enum(['pending', 'fulfilled', 'failed', 'expired']),
  document: documentSchema,
  expiresAt: z.string(),
  receipt: z.string().optional(),
  receiptHash: hash.optional(),
  errors: z.array(z.string()).optional(),
});
const verifyBodySchema = z.union([z.object({ documentHash: hash, receipt: z.string() }), z.object({ document: z.string().describe('the file, base64, at most 1 MB'), receipt: z.string() })]);
const checkSchema = z.object({
  id: z.enum(['receipt-signature', 'document-hash', 'holder-signature', 'card-valid-at-signing', 'receipt-anchored']),
  status: z.enum(['passed', 'failed', 'pending', 'skipped']).describe('pending only for receipt-anchored: the receipt’s hash is queued for anchoring (ADR 0015)'),
  detail: z.string(),
  anchor: z
    .object({ block: z.number().int(), time: z.string(), root: z.string(), chainId: z.number().int(), contract: z.string(), issuer: z.string(), txHash: z.string().optional() })
    .optional()
    .describe('receipt-anchored once passed: the block (and its time) whose root holds the receipt’s hash, anchored by the city tenant'),
});
const verificationSchema = z.object({ valid: z.boolean(), checks: z.array(checkSchema), receipt: z.record(z.string(), z.unknown()).optional() });
const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });

/** The e-signature operations of the verifier, for its OpenAPI document (docs/e-signature.md). */
export const SIGNATURE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/signatures/requests',
    summary: 'Make a request to sign a document with the citizen card',
    description:
      'An OpenID4VP 1.0 request for the SD-JWT SeoulCitizenCard (no claim asked; `name` when `withName`) carrying the document as `transaction_data` (type citycred-document-signature): show `requestLink` as a QR code or open `walletLink` on the same device, then follow GET /signatures/requests/{requestId}. Only the hash is sent: the document stays in the browser.',
    tag: 'signatures',
    requestBody: createSignatureRequestSchema,
    responses: {
      201: { description: 'Made', schema: createdSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'Not a hash, file name and media type', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestPersonalData] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'get',
    path: '/signatures/requests/{id}',
    summary: 'The state of a signing request, and its receipt once signed',
    description: 'pending, then fulfilled (with the receipt, a citycred-signature-receipt+jwt, and its SHA-256), failed (with the reasons: a revoked card, a KB-JWT that does not bind the document, the citizen declined) or expired.',
    tag: 'signatures',
    parameters: [{ name: 'id', in: 'path' as const, description: 'the requestId', schema: z.string() }],
    responses: {
      200: { description: 'The state', schema: statusSchema, headers: { 'Cache-Control': 'no-store' } },
      404: { description: 'No signing request with this id', problems: [ErrorCode.SignatureRequestNotFound] },
      429: RATE_LIMITED,
      503: UNAVAILABLE,
    },
  },
  {
    method: 'post',
    path: '/signatures/verify',
    summary: 'Check a document and its signature receipt',
    description:
      'Checks, never an error for a bad pair: the receipt’s signature by this verifier, the document’s hash, the citizen’s KB-JWT binding the document, and the card’s validity at the signing time the receipt states (not now: a card expired or revoked later leaves the signature valid). `receipt-anchored` is skipped: receipts are not anchored yet.',
    tag: 'signatures',
    requestBody: verifyBodySchema,
    responses: {
      200: { description: 'The checks', schema: verificationSchema, headers: { 'Cache-Control': 'no-store' } },
      400: { description: 'Not a document (or its hash) and a compact JWS', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson, ErrorCode.RequestPersonalData] },
      429: RATE_LIMITED,
    },
  },
  {
    method: 'get',
    path: '/signatures/jwks',
    summary: 'The key signature receipts are signed with',
    description: 'The verifier’s request-signing key (its did:jwk, `kid` `<did>#0`) as a JWKS.',
    tag: 'signatures',
    responses: { 200: { description: 'The JWKS', schema: jwksSchema }, 400: { description: 'A query parameter (it takes none)', problems: [ErrorCode.RequestInvalid, ErrorCode.RequestPersonalData] }, 429: RATE_LIMITED },
  },
];
