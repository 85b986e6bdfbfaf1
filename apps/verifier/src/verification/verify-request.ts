import { z } from 'zod';
import { CHECK_IDS, CHECK_STATUSES } from './result.js';

const checkId = z.enum(CHECK_IDS);
const checkStatus = z.enum(CHECK_STATUSES);

/** Body of `POST /credentials/verify` (W3C VC-API). */
export const verifyRequestSchema = z.object({
  verifiableCredential: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe("the credential: a compact JWT (jwt_vc or vc+jwt) or SD-JWT VC, Veramo's JSON form (proof.jwt), or an EnvelopedVerifiableCredential"),
  options: z
    .object({
      anchorProof: z.unknown().optional().describe('an anchor proof the holder presents; otherwise it is fetched from the issuer'),
      policy: z
        .string()
        .optional()
        .describe('the trust policy to judge by: `city` (default), `city-strict` (the credential must already be anchored), `city-delegates` (also accepts keys the issuer registered as delegates) or `open` (issuers outside the city registry: proof, validity, schema and status only)'),
    })
    .strict()
    .optional(),
});

/** Where the chain holds the credential's anchor: the `anchor` member of a passed `anchor` check (`CheckAnchoring`). */
export const checkAnchoringSchema = z
  .object({
    root: z.string().describe('the Merkle root the credential’s hash leads to (0x + 64 hex)'),
    blockNumber: z.number().int().describe('the block of the anchoring transaction'),
    anchoredAt: z.string().describe('the time of that block, ISO 8601 in UTC'),
    chainId: z.number().int().describe('the chain id of the city chain the verifier reads'),
    contract: z.string().describe('the address of the CredentialAnchor contract the verifier reads'),
  })
  .describe('only on the anchor check, and only when it passed: the anchor as data (an extension member; the detail says the same in words, not to be parsed)');

/** One check of a verification answer: what it looked at and what it found. */
export const checkSchema = z.object({
  id: checkId,
  status: checkStatus,
  detail: z.string(),
  anchor: checkAnchoringSchema.optional(),
});

/** The verification answer, verified or not (PRODUCT.md section 6), with the policy that decided `verified`. */
export const verificationResultSchema = z.object({
  verified: z.boolean(),
  checks: z.array(checkSchema),
  warnings: z.array(z.string()),
  errors: z.array(z.string()),
  policy: z
    .object({
      id: z.string(),
      accepted: z.partialRecord(checkId, z.array(checkStatus)),
      acceptDelegates: z.boolean().describe("whether keys the issuer's DID registered as delegates could sign for it (else only the DID owner's key)"),
      requireCityIssuer: z.boolean().describe('whether the issuer had to be accredited by the city and anchor its credentials (false only for the open policy)'),
    })
    .describe('the policy the result was judged by and, per check, the statuses it accepted'),
});
