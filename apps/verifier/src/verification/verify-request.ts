import { z } from 'zod';

/** Body of `POST /credentials/verify` (W3C VC-API). */
export const verifyRequestSchema = z.object({
  verifiableCredential: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe("the credential in Veramo's JSON form (proof.jwt), or a compact JWT"),
  options: z
    .object({ anchorProof: z.unknown().optional().describe('an anchor proof the holder presents; otherwise it is fetched from the issuer') })
    .loose()
    .optional(),
});

/** The verification answer, verified or not (PRODUCT.md section 6). */
export const verificationResultSchema = z.object({
  verified: z.boolean(),
  checks: z.array(
    z.object({
      id: z.enum(['format', 'signature', 'validity', 'schema', 'status', 'issuer-accreditation', 'anchor', 'holder-binding']),
      status: z.enum(['passed', 'failed', 'pending', 'skipped']),
      detail: z.string(),
    }),
  ),
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
});
