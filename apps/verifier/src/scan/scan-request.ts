import { z } from 'zod';
import { decisionSchema, shownCredentialsSchema } from '../presentations/presentation-request.js';
import { verificationResultSchema } from '../verification/verify-request.js';

/** Body of `POST /scan/presentations`. Unknown members are refused, never ignored. */
export const scanPresentationRequestSchema = z
  .object({
    presentation: z
      .string()
      .min(1)
      .describe("the text of the QR code the wallet shows: citycred-vp: followed by an SD-JWT VC with a key-binding JWT or a JWT VP, bound to the nonce the wallet chose and aud = <VERIFIER_PUBLIC_URL>/scan (the prefix may be left out); after an SD-JWT VC, optionally # and the credential's anchor code (base64url of version 1, leaf index and block as varints, the proof's siblings), checked as a presented anchor proof"),
    policy: z.string().min(1).max(100).describe('the credential policy to decide by (age-over-18, age-over-19, seoul-resident, work-history; `id@version` for one version)'),
  })
  .strict();

/** The answer of `POST /scan/presentations`, verified or not: the decision and its reasons, no holder, and no claims but those the policy shows. */
export const scanVerdictSchema = verificationResultSchema.extend({
  decision: decisionSchema.optional().describe('the credential policy’s decision, once the presentation and its credentials verified'),
  shown: shownCredentialsSchema.optional(),
  credentials: z.array(verificationResultSchema).describe('the checks of each presented credential, in order (what it says is not returned)'),
});
