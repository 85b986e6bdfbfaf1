import { ErrorCode } from '@citycred/errors';
import { buildOpenApiDocument, HEALTH_OPERATION, type ApiOperation } from '@citycred/http';
import { z } from 'zod';
import { verificationResultSchema, verifyRequestSchema } from './verification/verify-request.js';

/** The verifier's HTTP operations, for its OpenAPI document. */
export const VERIFIER_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/credentials/verify',
    summary: 'Verify a credential (W3C VC-API)',
    description:
      'Runs the checks format, signature, validity, schema, status, issuer-accreditation and anchor, and reports each. 200 when verified; 400 with the same members plus problem+json fields when not.',
    tag: 'verification',
    requestBody: verifyRequestSchema,
    responses: {
      200: { description: 'Verified', schema: verificationResultSchema },
      400: {
        description: 'Not verified (the result, with problem members), or a request that is not a verification request',
        schema: verificationResultSchema.extend({ type: z.string(), title: z.string(), status: z.number(), code: z.string(), detail: z.string().optional() }),
        contentType: 'application/problem+json',
        problems: [ErrorCode.VerificationFailed, ErrorCode.RequestInvalid, ErrorCode.RequestMalformedJson],
      },
      503: { description: 'The city chain or the issuer’s proof service is not answering: the credential could not be judged', problems: [ErrorCode.ServiceUnavailable] },
    },
  },
  HEALTH_OPERATION,
];

/** The verifier's OpenAPI 3.1 document, served at /docs/json. */
export function verifierOpenApiDocument(): Record<string, unknown> {
  return buildOpenApiDocument(
    { title: 'CityCred verifier', version: '0.1.0', description: 'Agencies and employers verify CityCred credentials against the city chain.' },
    VERIFIER_OPERATIONS,
  );
}
