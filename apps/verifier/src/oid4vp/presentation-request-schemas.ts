import { z } from 'zod';
import { shownCredentialsSchema } from '../presentations/presentation-request.js';
import { checkAnchoringSchema } from '../verification/verify-request.js';

/** Body of `POST /presentation-requests`. Unknown members are refused. */
export const createPresentationRequestSchema = z
  .object({
    policy: z.string().min(1).max(100).describe('the credential policy the wallet’s answer is decided by: age-over-18, age-over-19, seoul-resident, work-history (`id@version` for one version)'),
    purpose: z.string().min(1).max(200).optional().describe('why the request is made, returned with its state and signed into the request object’s verifier_info, so the citizen’s wallet shows it on its consent screen'),
    responseMode: z
      .enum(['direct_post', 'direct_post.jwt'])
      .optional()
      .describe('how the wallet answers: direct_post (the default: a plain form) or direct_post.jwt (the answer encrypted to a key made for this request)'),
  })
  .strict();

/** The answer of `POST /presentation-requests`. */
export const createdPresentationRequestSchema = z.object({
  id: z.string().describe('the request’s id, to read its state with; keep it to yourself (it is in neither the QR code nor the deep link)'),
  requestUri: z.string().describe('the request_uri: where the wallet fetches the signed request object, under a wallet handle that gives no access to the state'),
  deepLink: z.string().describe('openid4vp://?client_id=…&request_uri=…, to show as a QR code or open on the same device'),
  qrSvg: z.string().describe('the deep link as an SVG QR code'),
  expiresAt: z.string().describe('ISO 8601: no answer is taken after it'),
  responseMode: z.enum(['direct_post', 'direct_post.jwt']),
});

const checkSchema = z.object({ id: z.string(), status: z.string(), detail: z.string(), anchor: checkAnchoringSchema.optional() });
const decisionSchema = z.object({
  policy: z.object({ id: z.string(), version: z.string() }),
  program: z.object({ id: z.string(), configVersion: z.string(), programYear: z.number(), monthlyAmountKrw: z.number(), months: z.number() }).optional(),
  satisfied: z.boolean(),
  criteria: z.array(z.object({ id: z.string(), result: z.enum(['passed', 'failed']), reason: z.object({ ko: z.string(), en: z.string() }), evidenceHash: z.string().nullable() })),
});

/** The answer of `GET /presentation-requests/{id}` (and each event of its stream). */
export const presentationRequestStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['pending', 'fulfilled', 'failed', 'expired']),
  policy: z.object({ id: z.string(), version: z.string() }),
  purpose: z.string().optional(),
  expiresAt: z.string(),
  result: z
    .object({
      verified: z.boolean(),
      decision: decisionSchema.optional(),
      receipt: z.string().optional().describe("the decision's signed receipt (compact JWS, typ citycred-decision+jwt; docs/youth-allowance.md#decision-receipts)"),
      shown: shownCredentialsSchema.optional(),
      errors: z.array(z.string()),
      presentations: z.array(
        z.object({
          credentialQueryId: z.string(),
          verified: z.boolean(),
          holder: z.string().optional(),
          checks: z.array(checkSchema),
          errors: z.array(z.string()),
          warnings: z.array(z.string()),
          credentials: z.array(
            z.object({
              verified: z.boolean(),
              checks: z.array(checkSchema),
              errors: z.array(z.string()),
              warnings: z.array(z.string()),
              credential: z
                .object({ format: z.string(), type: z.string(), issuer: z.string(), hash: z.string(), issuedAt: z.string(), validUntil: z.string().nullable() })
                .optional()
                .describe('what the credential is (never the claims it disclosed), when it verified'),
            }),
          ),
        }),
      ),
      walletError: z.object({ error: z.string(), description: z.string().optional() }).optional(),
    })
    .optional()
    .describe('once fulfilled or failed: the outcome, without the claims disclosed but those the policy shows (`shown`)'),
});

/** Form body of `POST /presentation-requests/{handle}/response` (`direct_post`, or `direct_post.jwt`: `response` only). */
export const directPostResponseSchema = z.object({
  response: z.string().optional().describe('direct_post.jwt: a compact JWE (ECDH-ES to the request object’s client_metadata.jwks key, enc A128GCM or A256GCM) whose payload is the JSON object {vp_token, state}'),
  vp_token: z.string().optional().describe('direct_post: JSON object: credential query id → array of presentations'),
  state: z.string().optional().describe('direct_post: the state of the request object'),
  error: z.string().optional().describe('instead of vp_token: the wallet’s OAuth error (e.g. access_denied)'),
  error_description: z.string().optional(),
});

/** An OAuth error of the response endpoint. */
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });
