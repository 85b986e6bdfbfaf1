import { z } from 'zod';
import { verificationResultSchema } from '../verification/verify-request.js';

/** Body of `POST /presentations/verify` (W3C VC-API). Unknown options are refused, never ignored. */
export const verifyPresentationRequestSchema = z.object({
  verifiablePresentation: z
    .union([z.string().min(1), z.record(z.string(), z.unknown())])
    .describe("a JWT VP (compact, Veramo's JSON form or an EnvelopedVerifiablePresentation) or an SD-JWT VC with a key-binding JWT"),
  options: z
    .object({
      challenge: z.string().min(1).max(128).optional().describe('the challenge the holder signed (nonce): from POST /challenges, or one the caller chose; used once'),
      domain: z.string().min(1).max(512).optional().describe("the audience the holder addressed (aud); the verifier's public URL when not given"),
      policy: z.string().max(100).optional().describe('a trust policy for the credentials (city — the default —, city-strict, city-delegates, open) or a credential policy deciding on them (age-over-18, age-over-19, seoul-resident, work-history, and the benefit programs of config/programs.json such as youth-allowance-2026 and youth-rent-support-2026; `id@version` for one version)'),
      anchorProofs: z.array(z.unknown()).max(16).optional().describe("anchor proofs the wallet keeps for the presented credentials ({root, proof, leafIndex, …})"),
    })
    .strict()
    .optional(),
});

/** What a verified credential in a presentation says (absent for one that did not verify). */
const credentialSummarySchema = z.object({
  format: z.string(),
  type: z.string(),
  issuer: z.string(),
  hash: z.string().describe('the credential hash (what is anchored)'),
  claims: z.record(z.string(), z.unknown()).describe('the subject claims presented (for an SD-JWT VC: those disclosed)'),
  holder: z.object({ id: z.string().optional(), jwk: z.record(z.string(), z.unknown()).optional() }),
  issuedAt: z.string(),
  validUntil: z.string().nullable(),
});

/** A credential policy's decision, as presentation answers carry it. */
export const decisionSchema = z.object({
  policy: z.object({ id: z.string(), version: z.string() }),
  program: z
    .object({ id: z.string(), configVersion: z.string(), programYear: z.number(), monthlyAmountKrw: z.number(), months: z.number() })
    .optional()
    .describe("a benefit program's configuration the rules were parameterised by (its policy's decisions only)"),
  satisfied: z.boolean(),
  criteria: z.array(
    z.object({
      id: z.string(),
      result: z.enum(['passed', 'failed']),
      reason: z.object({ ko: z.string(), en: z.string() }),
      evidenceHash: z.string().nullable().describe('the hash of the credential the criterion relied on'),
    }),
  ),
});

/** What a credential policy shows beside its decision (`CredentialPolicy.shows`: the work history's hours), as answers carry it. */
export const shownCredentialsSchema = z
  .array(
    z.object({
      type: z.string().describe('the catalogue type, e.g. WorkExperience'),
      issuer: z.string().describe('the issuer DID, accredited for the type (only credentials that verified are shown)'),
      claims: z.record(z.string(), z.unknown()).describe('exactly the claims the policy shows, as disclosed (work-history: employer.name, role, period, totalHours, attendanceRoot)'),
    }),
  )
  .describe('what the policy shows of each verified credential of a shown type, in the order presented; only for a policy that shows something (work-history)');

/** The answer of `POST /presentations/verify`, verified or not. */
export const presentationResultSchema = verificationResultSchema.extend({
  decision: decisionSchema.optional().describe('the credential policy’s decision, when options.policy named one'),
  receipt: z.string().optional().describe("the decision's signed receipt (compact JWS, typ citycred-decision+jwt, by the verifier's did:jwk; docs/youth-allowance.md#decision-receipts)"),
  holder: z.string().optional().describe('the holder DID (a did:jwk of the cnf key for an SD-JWT VC)'),
  credentials: z.array(verificationResultSchema.extend({ credential: credentialSummarySchema.optional() })).describe('one result per presented credential, in order'),
});

/** The answer of `POST /challenges`. */
export const challengeSchema = z.object({ challenge: z.string(), expiresAt: z.string().describe('ISO 8601: a presentation must use it before') });
