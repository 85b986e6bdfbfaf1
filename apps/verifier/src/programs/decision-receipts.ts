import { createHash } from 'node:crypto';
import { canonicalJson, publicJwkOfDid, type PublicJwk } from '@citycred/formats';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { PolicyDecision } from '../policies/index.js';
import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';

/** The JOSE `typ` of a decision receipt. */
export const DECISION_RECEIPT_TYPE = 'citycred-decision+jwt';

const localised = z.object({ ko: z.string(), en: z.string() });

/** The payload of a decision receipt: what was decided, by which rules, over which presentation — no claim values. */
export const decisionReceiptPayloadSchema = z.object({
  /** The verifier's did:jwk (its request-signing key). */
  iss: z.string(),
  /** When the receipt was signed (seconds since the epoch). */
  iat: z.number(),
  /** The decision instant (ISO 8601), which the rules were applied at. */
  decidedAt: z.string(),
  policy: z.object({ id: z.string(), version: z.string() }),
  /** The program and its configuration version, for a program's policy. */
  program: z.object({ id: z.string(), configVersion: z.string(), programYear: z.number(), monthlyAmountKrw: z.number(), months: z.number() }).optional(),
  satisfied: z.boolean(),
  criteria: z.array(z.object({ id: z.string(), result: z.enum(['passed', 'failed']), reason: localised, evidenceHash: z.string().nullable() })),
  /** `0x` + SHA-256 of the presentation as it was sent (the compact string's bytes, or a JSON form's canonical JSON). */
  presentationHash: z.string(),
});

/** A verified receipt's payload. */
export type DecisionReceiptPayload = z.infer<typeof decisionReceiptPayloadSchema>;

/**
 * `0x` + SHA-256 (hex) of a presentation as it was sent: the UTF-8 bytes of a compact presentation, or the canonical
 * JSON (RFC 8785-style key order) of one sent as a JSON object.
 */
export function presentationHashOf(presentation: unknown): string {
  const bytes = typeof presentation === 'string' ? presentation : canonicalJson(presentation);
  return `0x${createHash('sha256').update(bytes, 'utf8').digest('hex')}`;
}

/**
 * Signs decision receipts: a compact JWS (ES256, `typ` {@link DECISION_RECEIPT_TYPE}, `kid` the verifier's did:jwk
 * key) by the verifier's request-signing key, which anyone checks with the key its did:jwk spells out (the same DID
 * is the verifier's OpenID4VP `client_id` and is served at `GET /programs/receipt-key`).
 */
export class DecisionReceipts {
  constructor(private readonly key: RequestSigningKey) {}

  /** The verifier's did:jwk that receipts are signed under, and its public key. */
  get verificationKey(): { did: string; kid: string; publicJwk: PublicJwk } {
    return { did: this.key.did, kid: this.key.kid, publicJwk: this.key.publicJwk };
  }

  /**
   * The receipt of one decision.
   * @param decision - the policy's decision (its reasons are the policy's texts: no personal data)
   * @param presentationHash - {@link presentationHashOf} the presentation decided on
   * @param decidedAt - the instant the rules were applied at
   */
  async sign(decision: PolicyDecision, presentationHash: string, decidedAt: Date): Promise<string> {
    const payload: Omit<DecisionReceiptPayload, 'iss' | 'iat'> = {
      decidedAt: decidedAt.toISOString(),
      policy: { id: decision.policy.id, version: decision.policy.version },
      ...(decision.program ? { program: { ...decision.program } } : {}),
      satisfied: decision.satisfied,
      criteria: decision.criteria.map(({ id, result, reason, evidenceHash }) => ({ id, result, reason: { ko: reason.ko, en: reason.en }, evidenceHash })),
      presentationHash,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: DECISION_RECEIPT_TYPE, kid: this.key.kid })
      .setIssuer(this.key.did)
      .setIssuedAt(Math.floor(decidedAt.getTime() / 1000))
      .sign(this.key.privateKey);
  }
}

/** Why {@link verifyDecisionReceipt} refused a receipt. */
export type ReceiptRefusal = 'receipt.malformed' | 'receipt.signature-invalid' | 'receipt.wrong-issuer';

/**
 * Checks a decision receipt against the verifier's did:jwk (or its public JWK): the signature, the `typ`, the issuer.
 * Never throws for a bad receipt.
 * @param receipt - the compact JWS
 * @param verifier - the verifier's did:jwk, as published (`GET /programs/receipt-key`, or the `client_id` of its requests)
 */
export async function verifyDecisionReceipt(receipt: string, verifier: string): Promise<{ valid: true; payload: DecisionReceiptPayload } | { valid: false; reason: ReceiptRefusal }> {
  let jwk: PublicJwk;
  try {
    jwk = publicJwkOfDid(verifier);
  } catch {
    return { valid: false, reason: 'receipt.wrong-issuer' };
  }
  let verified;
  try {
    const key = await importJWK({ ...jwk }, 'ES256');
    verified = await jwtVerify(receipt, key, { algorithms: ['ES256'], typ: DECISION_RECEIPT_TYPE });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { valid: false, reason: code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' ? 'receipt.signature-invalid' : 'receipt.malformed' };
  }
  const parsed = decisionReceiptPayloadSchema.safeParse(verified.payload);
  if (!parsed.success) return { valid: false, reason: 'receipt.malformed' };
  if (parsed.data.iss !== verifier) return { valid: false, reason: 'receipt.wrong-issuer' };
  return { valid: true, payload: parsed.data };
}
