import { createHash } from 'node:crypto';
import {
  decodeCompactJws,
  DOCUMENT_HASH,
  nobleSignatureCrypto,
  publicJwkOfDid,
  readDocumentSignature,
  transactionDataBindingProblem,
  verifyJwsSignature,
  type PublicJwk,
} from '@citycred/formats';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Hex32 } from '@citycred/anchoring';
import type { DigestAnchoringApi } from '../digest-anchoring/digest-anchoring.js';
import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';

/** The JOSE `typ` of a signature receipt. */
export const SIGNATURE_RECEIPT_TYPE = 'citycred-signature-receipt+jwt';

const hex32 = z.string().regex(DOCUMENT_HASH);

/**
 * The payload of a signature receipt (docs/e-signature.md): what was signed, when, with which card and key — and the
 * holder's own signature (the KB-JWT), so anyone can check the citizen's part without the verifier. No claim of the
 * card except a name the signing page asked for and the citizen chose to disclose.
 */
export const signatureReceiptPayloadSchema = z.object({
  /** The verifier's did:jwk (its request-signing key, published at `GET /signatures/jwks`). */
  iss: z.string(),
  iat: z.number(),
  /** The signature request's id. */
  jti: z.string(),
  /** When the verifier checked the signature and the card (ISO 8601): the signing time. */
  signedAt: z.string(),
  document: z.object({ hash: hex32, fileName: z.string(), mediaType: z.string() }),
  /** The OpenID4VP `transaction_data` entry the holder signed (base64url JSON of the document's hash, name, type). */
  transactionData: z.string(),
  /** The request's nonce, which the KB-JWT answers. */
  nonce: z.string(),
  /** The verifier's OpenID4VP `client_id`, the KB-JWT's `aud`. */
  audience: z.string(),
  card: z.object({
    type: z.string(),
    format: z.string(),
    issuer: z.string(),
    /** `0x` + SHA-256 of the issuer-signed JWT (the anchored credential hash, docs/anchoring.md). */
    hash: hex32,
    issuedAt: z.string(),
    validUntil: z.string().nullable(),
  }),
  /** The key the card is bound to (`cnf.jwk`), which signed the KB-JWT, and its did:jwk. */
  holder: z.object({ did: z.string(), jwk: z.record(z.string(), z.unknown()) }),
  /** The holder's key-binding JWT as presented: `transaction_data_hashes` covers `transactionData`. */
  kbJwt: z.string(),
  /** What the citizen disclosed, when the signing page asked (only `name`). */
  disclosed: z.object({ name: z.string() }).partial().optional(),
});

/** A signature receipt's payload. */
export type SignatureReceiptPayload = z.infer<typeof signatureReceiptPayloadSchema>;

/** What a receipt is signed over, besides the verifier's own members. */
export type SignatureReceiptContent = Omit<SignatureReceiptPayload, 'iss' | 'iat' | 'audience'>;

/** `0x` + SHA-256 (hex) of a receipt's compact JWS: what anchoring would put on chain (ADR 0015). */
export function receiptHashOf(receipt: string): string {
  return `0x${createHash('sha256').update(receipt, 'utf8').digest('hex')}`;
}

/**
 * Signs signature receipts with the verifier's request-signing key: a compact JWS (ES256, `typ`
 * {@link SIGNATURE_RECEIPT_TYPE}, `kid` the verifier's did:jwk key), the same key as decision receipts and request
 * objects, so one published key checks them all.
 */
export class SignatureReceipts {
  constructor(private readonly key: RequestSigningKey) {}

  /** The JWKS the receipts verify with: the verifier's public key, `kid` its did:jwk key id. */
  get jwks(): { keys: Array<PublicJwk & { kid: string; alg: 'ES256'; use: 'sig' }> } {
    return { keys: [{ ...this.key.publicJwk, kid: this.key.kid, alg: 'ES256', use: 'sig' }] };
  }

  /** The verifier's did:jwk. */
  get did(): string {
    return this.key.did;
  }

  /** Signs a receipt at `signedAt`. */
  async sign(content: SignatureReceiptContent): Promise<string> {
    const signedAt = new Date(content.signedAt);
    return new SignJWT({ ...content, audience: this.key.clientId })
      .setProtectedHeader({ alg: 'ES256', typ: SIGNATURE_RECEIPT_TYPE, kid: this.key.kid })
      .setIssuer(this.key.did)
      .setIssuedAt(Math.floor(signedAt.getTime() / 1000))
      .sign(this.key.privateKey);
  }
}

/** One check of `POST /signatures/verify`. */
export interface SignatureCheck {
  id: 'receipt-signature' | 'document-hash' | 'holder-signature' | 'card-valid-at-signing' | 'receipt-anchored';
  /** `pending` only for `receipt-anchored`: the receipt's hash is queued for anchoring, not on chain yet. */
  status: 'passed' | 'failed' | 'pending' | 'skipped';
  detail: string;
  /** For `receipt-anchored` once passed: where the receipt's hash is anchored. */
  anchor?: { block: number; time: string; root: string; chainId: number; contract: string; issuer: string; txHash?: string };
}

/** The answer of `POST /signatures/verify`. */
export interface SignatureVerification {
  /**
   * True when every check passed, `receipt-anchored` apart: that one counts only when it failed (a receipt is valid
   * while its anchor is pending: ADR 0015).
   */
  valid: boolean;
  checks: SignatureCheck[];
  /** The receipt's members once its signature held: what was signed, when, by which card. */
  receipt?: Pick<SignatureReceiptPayload, 'jti' | 'signedAt' | 'document' | 'card' | 'disclosed'> & { holder: string; hash: string };
}

/** Where receipts' anchors are looked up (ADR 0015), and the tolerated clock difference (`CLOCK_SKEW_SECONDS`). */
export interface ReceiptAnchors {
  anchoring: Pick<DigestAnchoringApi, 'status'>;
  clockSkewSeconds: number;
}

/**
 * Checks a document against a signature receipt, never throwing: the receipt's signature by the verifier's key (`typ`,
 * `iss`), the document's hash against the receipt's, the holder's KB-JWT (signed by the receipt's holder key, for its
 * nonce and audience, binding the receipt's transaction data, which names this document), that the card was valid
 * at the signing time the receipt states — not now: a card that expired or was revoked later leaves the signature valid
 * — and, with `anchors`, that the receipt's hash is anchored ({@link receiptAnchoredCheck}).
 * @param documentHash - `0x` + SHA-256 hex of the document
 * @param receipt - the receipt's compact JWS
 * @param verifier - the verifier's did:jwk (its request-signing key)
 * @param anchors - where receipt anchors are looked up; without it `receipt-anchored` is `skipped`
 */
export async function verifySignatureReceipt(documentHash: string, receipt: string, verifier: string, anchors?: ReceiptAnchors): Promise<SignatureVerification> {
  const checks: SignatureCheck[] = [];
  const skipRest = (detail: string) => {
    for (const id of ['document-hash', 'holder-signature', 'card-valid-at-signing'] as const) checks.push({ id, status: 'skipped', detail });
    checks.push({ id: 'receipt-anchored', status: 'skipped', detail });
    return { valid: false, checks };
  };
  let payload: SignatureReceiptPayload;
  try {
    const key = await importJWK({ ...publicJwkOfDid(verifier) }, 'ES256');
    const verified = await jwtVerify(receipt, key, { algorithms: ['ES256'], typ: SIGNATURE_RECEIPT_TYPE, issuer: verifier });
    const parsed = signatureReceiptPayloadSchema.safeParse(verified.payload);
    if (!parsed.success) {
      checks.push({ id: 'receipt-signature', status: 'failed', detail: 'the receipt is signed by this verifier but its members are not those of a signature receipt' });
      return skipRest('not checked: the receipt could not be read');
    }
    payload = parsed.data;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const detail =
      code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
        ? "the receipt's signature does not verify with this verifier's key: it was altered or signed by someone else"
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? 'the receipt is of another type or issuer'
          : 'the receipt is not a signed JWT (compact JWS)';
    checks.push({ id: 'receipt-signature', status: 'failed', detail });
    return skipRest('not checked: the receipt did not verify');
  }
  checks.push({ id: 'receipt-signature', status: 'passed', detail: `signed by this verifier (${verifier.slice(0, 24)}…) as a ${SIGNATURE_RECEIPT_TYPE}` });
  checks.push(
    payload.document.hash === documentHash
      ? { id: 'document-hash', status: 'passed', detail: `the document's SHA-256 is the one signed (${payload.document.fileName})` }
      : { id: 'document-hash', status: 'failed', detail: 'the document is not the one signed: its SHA-256 differs from the receipt’s (altered, or another file)' },
  );
  checks.push(await holderSignatureCheck(payload));
  checks.push(validityCheck(payload));
  checks.push(anchors ? await receiptAnchoredCheck(payload, receiptHashOf(receipt) as Hex32, anchors) : { id: 'receipt-anchored', status: 'skipped', detail: 'not checked: no anchoring is configured here' });
  return {
    valid: checks.every((check) => check.status === 'passed' || (check.id === 'receipt-anchored' && check.status !== 'failed')),
    checks,
    receipt: { jti: payload.jti, signedAt: payload.signedAt, document: payload.document, card: payload.card, ...(payload.disclosed ? { disclosed: payload.disclosed } : {}), holder: payload.holder.did, hash: receiptHashOf(receipt) },
  };
}

/** The KB-JWT: by the holder key, for the receipt's nonce and audience, binding the receipt's transaction data, which names its document. */
async function holderSignatureCheck(payload: SignatureReceiptPayload): Promise<SignatureCheck> {
  const failed = (detail: string): SignatureCheck => ({ id: 'holder-signature', status: 'failed', detail });
  try {
    const kb = decodeCompactJws(payload.kbJwt);
    if (kb.header.typ !== 'kb+jwt') return failed('the holder signature is not a key-binding JWT (typ kb+jwt)');
    const signature = await verifyJwsSignature(kb, [{ kind: 'jwk', id: 'holder', jwk: payload.holder.jwk as unknown as PublicJwk }], nobleSignatureCrypto);
    if (!signature.valid) return failed("the key-binding JWT is not signed by the card's holder key");
    if (kb.payload['nonce'] !== payload.nonce || kb.payload['aud'] !== payload.audience) return failed('the key-binding JWT answers another request (nonce or aud)');
    const problem = transactionDataBindingProblem(kb.payload, [payload.transactionData]);
    if (problem !== undefined) return failed(problem);
    const data = readDocumentSignature(payload.transactionData);
    if (!data.ok) return failed(`the signed transaction data is not a document signature: ${data.detail}`);
    if (data.value.document_hash !== payload.document.hash || data.value.file_name !== payload.document.fileName || data.value.media_type !== payload.document.mediaType) {
      return failed('the signed transaction data names another document than the receipt');
    }
    return { id: 'holder-signature', status: 'passed', detail: "the citizen's key signed this document's hash (KB-JWT transaction_data_hashes)" };
  } catch {
    return failed('the key-binding JWT could not be read');
  }
}

/** The card was valid at the signing time (its validity window; status, signature and accreditation were checked then, or no receipt was signed). */
function validityCheck(payload: SignatureReceiptPayload): SignatureCheck {
  const at = Date.parse(payload.signedAt);
  const from = Date.parse(payload.card.issuedAt);
  const until = payload.card.validUntil === null ? Number.POSITIVE_INFINITY : Date.parse(payload.card.validUntil);
  if (!Number.isFinite(at) || Number.isNaN(from) || Number.isNaN(until)) return { id: 'card-valid-at-signing', status: 'failed', detail: 'the receipt’s dates cannot be read' };
  if (at < from || at > until) return { id: 'card-valid-at-signing', status: 'failed', detail: 'the receipt says the card was outside its validity period when it signed' };
  return {
    id: 'card-valid-at-signing',
    status: 'passed',
    detail: `the card was within its validity period at ${payload.signedAt}, and its signature, status (not revoked or suspended) and accredited issuer were checked then`,
  };
}

/**
 * `receipt-anchored` (ADR 0015): `passed` with the block and its time once the issuer's proof of the receipt's hash
 * folds to a root the city tenant anchored while accredited for `SignatureReceipt` — and the receipt's `signedAt` is
 * not later than that block's time plus the clock skew (a later one was dated after its hash was on chain: forged
 * with the verifier's key after the fact); `pending` while queued (the receipt is valid meanwhile); `failed` when
 * the anchoring failed (the chain refused it, the issuer lost it past the grace period, the proof does not hold);
 * `skipped` for a receipt this verifier never queued (signed before receipts were anchored).
 */
export async function receiptAnchoredCheck(payload: Pick<SignatureReceiptPayload, 'signedAt'>, receiptHash: Hex32, anchors: ReceiptAnchors): Promise<SignatureCheck> {
  const status = await anchors.anchoring.status(receiptHash);
  switch (status.state) {
    case 'unknown':
      return { id: 'receipt-anchored', status: 'skipped', detail: 'not checked: this receipt was never queued for anchoring here (signed before receipts were anchored)' };
    case 'pending':
      return {
        id: 'receipt-anchored',
        status: 'pending',
        detail: `the receipt's hash is queued for anchoring since ${status.enqueuedAt.toISOString()} (${status.submitted ? "in the city issuer's queue" : `not yet handed to the city issuer${status.lastError ? `: ${status.lastError}` : ''}`})`,
      };
    case 'failed':
      return { id: 'receipt-anchored', status: 'failed', detail: `the receipt's hash could not be anchored: ${status.reason}` };
    case 'anchored': {
      const signedAt = Date.parse(payload.signedAt);
      if (!Number.isFinite(signedAt) || signedAt > status.time.getTime() + anchors.clockSkewSeconds * 1000) {
        return { id: 'receipt-anchored', status: 'failed', detail: `the receipt says it was signed at ${payload.signedAt}, after its hash was anchored in block ${status.block} (${status.time.toISOString()})` };
      }
      return {
        id: 'receipt-anchored',
        status: 'passed',
        detail: `anchored in root ${status.root} at block ${status.block} (${status.time.toISOString()}) on chain ${status.chainId} by ${status.issuerDid}`,
        anchor: { block: status.block, time: status.time.toISOString(), root: status.root, chainId: status.chainId, contract: status.contract, issuer: status.issuerDid, ...(status.txHash ? { txHash: status.txHash } : {}) },
      };
    }
  }
}
