import { assessContractTerms, contractHash, hasErrors, readBusinessNumber, signDetached, type ContractAssessment, type ContractDocument, type ContractTerms, type LaborFinding, type MinimumWageTable } from '@citycred/labor';
import type { JwsSigner } from '@citycred/formats';
import { z } from 'zod';
import type { HolderKey } from '../holder-key.js';
import { contactableUrl, isRecord, type WalletTransport } from '../oid4vci/http.js';
import { LaborWalletError, LaborWalletErrorCode } from './errors.js';
import { laborErrorOf, laborRequest } from './http.js';
import type { LaborContractRecord } from './record.js';

/** A contract review URL taken apart: `<issuer>/labor/contracts/<id>?t=<token>`. */
export interface ContractReviewLink {
  readonly reviewUrl: string;
  readonly id: string;
  readonly token: string;
}

const ID = /^[\w.:-]{1,128}$/;

/**
 * Reads what a worker scanned or opened for a contract: the wallet's `#contract?url=<review URL>` link (or only its
 * fragment), or the review URL itself.
 * @throws LaborWalletError `labor.link-invalid`
 */
export function parseContractLink(text: string, allowInsecureHttp = false): ContractReviewLink {
  const trimmed = text.trim();
  const fragment = trimmed.indexOf('#contract?');
  let candidate = trimmed;
  if (fragment !== -1) candidate = new URLSearchParams(trimmed.slice(fragment + '#contract?'.length)).get('url') ?? '';
  const url = contactableUrl(candidate, allowInsecureHttp);
  const match = url ? /\/labor\/contracts\/([^/]+)$/.exec(url.pathname) : null;
  const token = url?.searchParams.get('t');
  const id = match ? decodeURIComponent(match[1]!) : undefined;
  if (!url || !id || !ID.test(id) || !token) throw new LaborWalletError(LaborWalletErrorCode.LinkInvalid, 'not a labour contract review link');
  return { reviewUrl: url.href, id, token };
}

/** A URL under the review's path, with the review's token (`…/labor/contracts/<id>/<sub>?t=`). */
export function contractSubUrl(reviewUrl: string, sub: string): string {
  const url = new URL(reviewUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${sub}`;
  return url.href;
}

const signatureSchema = z.object({ signer: z.string(), signedAt: z.string(), jws: z.string() });
const findingSchema = z.object({ code: z.string(), severity: z.enum(['error', 'warning']), path: z.string().optional(), message: z.object({ ko: z.string(), en: z.string() }) });

/** A correction the employer proposed, for the worker to sign (or leave). */
export const pendingCorrectionSchema = z.object({
  id: z.string().optional(),
  /** The check-in or -out it corrects. */
  eventHash: z.string(),
  /** The time it should have had. */
  at: z.string(),
  reason: z.string(),
  proposedAt: z.string().optional(),
});
/** See {@link pendingCorrectionSchema}. */
export type PendingCorrection = z.infer<typeof pendingCorrectionSchema>;

const reviewSchema = z.object({
  id: z.string().regex(ID),
  version: z.number().int().min(1),
  state: z.string().max(64),
  document: z.record(z.string(), z.unknown()),
  hash: z.string(),
  assessment: z.object({ findings: z.array(findingSchema) }).passthrough().optional(),
  employer: z.object({ name: z.string(), did: z.string() }),
  workerSignature: signatureSchema.nullish(),
  employerSignature: signatureSchema.nullish(),
  offers: z.array(z.object({ type: z.string(), link: z.string(), state: z.string().optional() })).default([]),
  pendingCorrections: z.array(pendingCorrectionSchema).default([]),
});

/** What the worker's review answers (`GET /labor/contracts/:id?t=`), read by the wallet. */
export interface ContractReview {
  readonly id: string;
  readonly version: number;
  readonly state: string;
  /** The contract document exactly as the service sent it (the JSON value, unchanged: it is hashed). */
  readonly document: Readonly<Record<string, unknown>>;
  readonly hash: string;
  /** The service's assessment as it sent it (its findings; figures the wallet recomputes). */
  readonly assessment?: { readonly findings: readonly LaborFinding[] };
  readonly employer: { readonly name: string; readonly did: string };
  readonly workerSignature?: { readonly signer: string; readonly signedAt: string; readonly jws: string } | null;
  readonly employerSignature?: { readonly signer: string; readonly signedAt: string; readonly jws: string } | null;
  /** Live offers for the worker (`openid-credential-offer://` links). */
  readonly offers: readonly { readonly type: string; readonly link: string; readonly state?: string }[];
  readonly pendingCorrections: readonly PendingCorrection[];
}

/**
 * Fetches a contract's review with its token.
 * @throws LaborWalletError `labor.contract-not-found` (a wrong id or token), `labor.review-invalid`, `labor.network`…
 */
export async function fetchContractReview(reviewUrl: string, transport: WalletTransport): Promise<ContractReview> {
  const answer = await laborRequest(transport, reviewUrl);
  if (answer.status !== 200) throw laborErrorOf(answer, 'reading the contract review');
  const parsed = reviewSchema.safeParse(answer.json);
  if (!parsed.success || !isRecord(answer.json) || !isRecord(answer.json['document'])) throw new LaborWalletError(LaborWalletErrorCode.ReviewInvalid, 'the contract review has an unexpected shape', { cause: parsed.error });
  // The document is kept as the JSON value the service sent: its canonical JSON is what both parties sign.
  return { ...(parsed.data as Omit<ContractReview, 'document'>), document: answer.json['document'] } as ContractReview;
}

/** The wallet's own reading of a contract before the worker signs it. */
export interface ContractReviewCheck {
  /** `contractHash` of the document, computed on the phone. */
  readonly recomputedHash: string;
  /** Whether the service's hash is the document's (else the wallet refuses to sign). */
  readonly hashMatches: boolean;
  /** The wallet's own assessment with its own minimum-wage table; undefined without a table. */
  readonly assessment?: ContractAssessment;
  /** Error findings of the wallet's own assessment (any refuses signing). */
  readonly errors: readonly LaborFinding[];
  /** Error codes the wallet found that the service's assessment did not report (the service said less than the truth). */
  readonly unreported: readonly string[];
  /** Whether the employer's business registration number passes its check digit. */
  readonly businessNumberValid: boolean;
  /** Whether the worker may sign: the hash matches and the wallet's own assessment found no error. */
  readonly canSign: boolean;
}

/**
 * Checks a review on the phone: the hash recomputed from the document (RFC 8785 + SHA-256, `contractHash`), the terms
 * assessed with the wallet's own minimum-wage table (`assessContractTerms`) and compared with what the service
 * reported, and the employer's business number's check digit. Never throws.
 * @param minimumWage - the wallet's table (from its own server's settings), or undefined when it has none
 */
export function checkContractReview(review: ContractReview, minimumWage: MinimumWageTable | undefined): ContractReviewCheck {
  let recomputedHash = '';
  try {
    recomputedHash = contractHash(review.document as unknown as ContractDocument);
  } catch {
    recomputedHash = '';
  }
  const hashMatches = recomputedHash !== '' && recomputedHash === review.hash;
  let assessment: ContractAssessment | undefined;
  if (minimumWage) {
    try {
      assessment = assessContractTerms(review.document as unknown as ContractTerms, minimumWage);
    } catch {
      assessment = { findings: [{ code: 'labor.item-missing', severity: 'error', path: '', message: { ko: '계약서를 읽을 수 없습니다.', en: 'The contract cannot be read.' } }], days: [], weeklyWorkMinutes: 0, weeklyHolidayHours: 0, weeklyHolidayPayKrw: 0, weeklyPayKrw: 0, monthlyEstimateKrw: 0 };
    }
  }
  const errors = assessment?.findings.filter((f) => f.severity === 'error') ?? [];
  const reported = new Set((review.assessment?.findings ?? []).filter((f) => f.severity === 'error').map((f) => f.code));
  const unreported = [...new Set(errors.map((f) => f.code).filter((code) => !reported.has(code)))];
  const employer = review.document['employer'];
  const number = isRecord(employer) && typeof employer['businessRegistrationNumber'] === 'string' ? employer['businessRegistrationNumber'] : '';
  const businessNumberValid = readBusinessNumber(number).ok;
  return { recomputedHash, hashMatches, ...(assessment ? { assessment } : {}), errors, unreported, businessNumberValid, canSign: hashMatches && !(assessment && hasErrors(assessment.findings)) };
}

/**
 * Signs a `0x…` hash as a compact JWS with a detached payload (`header..signature`, docs/labor.md): the signing input
 * is `base64url(header) + "." + base64url(UTF-8 of the hash)`.
 */
export async function signDetachedHash(hash: string, signer: JwsSigner): Promise<string> {
  return signDetached({ alg: signer.alg, kid: signer.kid }, hash, (input) => signer.sign(input));
}

/**
 * Signs the contract the worker reviewed and sends the signature (`POST …/worker-signature?t=`), after checking it
 * once more: the hash must be the document's and the wallet's own assessment clean.
 * @returns the record to keep in the vault (state as the service answered, usually `awaiting-employer`)
 * @throws LaborWalletError `labor.hash-mismatch`, `labor.terms-refused-locally`, the service's refusals
 *   (`labor.contract-state` when already signed, `labor.signature-invalid`), `labor.network`…
 */
export async function signContract(review: ContractReview, link: ContractReviewLink, holder: HolderKey, minimumWage: MinimumWageTable | undefined, transport: WalletTransport): Promise<LaborContractRecord> {
  const check = checkContractReview(review, minimumWage);
  if (!check.hashMatches) throw new LaborWalletError(LaborWalletErrorCode.HashMismatch, `the document hashes to ${check.recomputedHash}, the service asks to sign ${review.hash}`);
  if (!check.canSign) throw new LaborWalletError(LaborWalletErrorCode.TermsRefusedLocally, 'the wallet’s assessment of the terms found errors', { findings: check.errors.map((f) => f.code) });
  const jws = await signDetachedHash(check.recomputedHash, holder.signer);
  const answer = await laborRequest(transport, contractSubUrl(link.reviewUrl, 'worker-signature'), { method: 'POST', body: JSON.stringify({ jws }) });
  if (answer.status !== 200 && answer.status !== 201) throw laborErrorOf(answer, 'sending the worker signature');
  const body = isRecord(answer.json) ? answer.json : {};
  const signed = signatureSchema.safeParse(body['workerSignature']);
  const now = transport.clock.now().toISOString();
  const document = review.document;
  return {
    id: review.id,
    contractId: typeof document['contractId'] === 'string' ? document['contractId'] : review.id,
    version: review.version,
    reviewUrl: link.reviewUrl,
    employer: { name: review.employer.name, did: review.employer.did },
    document: { ...document },
    hash: check.recomputedHash,
    workerSignature: { signer: holder.did, signedAt: signed.success && !Number.isNaN(Date.parse(signed.data.signedAt)) ? signed.data.signedAt : now, jws },
    state: typeof body['state'] === 'string' ? body['state'] : 'awaiting-employer',
    receivedOffers: [],
    events: [],
    savedAt: now,
    checkedAt: now,
  };
}

/**
 * The review's offers the wallet can receive and has not yet (a LaborContract after the countersignature, later
 * others): those still `offered` (not `redeemed`, `issued`, `expired` or `burnt` by wrong codes).
 */
export function waitingOffers(record: LaborContractRecord, review: ContractReview): ContractReview['offers'] {
  const received = new Set(record.receivedOffers);
  return review.offers.filter((offer) => !received.has(offer.link) && (offer.state === undefined || offer.state === 'offered'));
}

/** The record with the review's latest state (the contract became active, ended…) and the employer's countersignature once it shows. */
export function withReview(record: LaborContractRecord, review: ContractReview, now: Date): LaborContractRecord {
  const employerSignature = review.employerSignature && !Number.isNaN(Date.parse(review.employerSignature.signedAt)) ? { employerSignature: { ...review.employerSignature } } : {};
  return { ...record, ...employerSignature, state: review.state, employer: { name: review.employer.name, did: review.employer.did }, checkedAt: now.toISOString() };
}

/**
 * Reads a remembered contract's review again: its state now and the offers waiting for the worker (the LaborContract
 * once the employer countersigned, later SocialInsuranceEnrollment and WorkExperience).
 * @returns the record with the review's state (to save) and the offers not received yet
 * @throws LaborWalletError as {@link fetchContractReview}
 */
export async function refreshContract(record: LaborContractRecord, transport: WalletTransport): Promise<{ record: LaborContractRecord; review: ContractReview; offers: ContractReview['offers'] }> {
  const review = await fetchContractReview(record.reviewUrl, transport);
  const updated = withReview(record, review, transport.clock.now());
  return { record: updated, review, offers: waitingOffers(updated, review) };
}
