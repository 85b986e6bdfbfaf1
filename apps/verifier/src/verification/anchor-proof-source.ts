import { isHex32, type Hex32 } from '@citycred/anchoring';
import { z } from 'zod';
import type { FetchGuard, GuardedAnswer } from '../outbound/fetch-guard.js';
import { upstreamRetryAfter } from './retry-after.js';

/** An anchor proof as the issuer's `GET /anchors/proofs/{hash}` returns it (or the wallet presents it). */
export const anchorProofSchema = z.object({
  root: z.string().refine(isHex32, 'root must be 0x + 64 lowercase hex'),
  proof: z.array(z.string().refine(isHex32, 'proof entries must be 0x + 64 lowercase hex')).max(32),
  leafIndex: z.number().int().min(0),
  txHash: z.string().optional(),
  blockNumber: z.number().int().optional(),
  chainId: z.number().int().optional(),
  contract: z.string().optional(),
});

/** A parsed anchor proof. Only `root` and `proof` are trusted after being checked against the chain. */
export type AnchorProof = Omit<z.output<typeof anchorProofSchema>, 'root' | 'proof'> & { root: Hex32; proof: Hex32[] };

/** The issuer's 202 answer: the credential is in its anchoring queue since `enqueuedAt`. */
const pendingAnswerSchema = z.object({ status: z.literal('pending'), enqueuedAt: z.iso.datetime({ offset: true }) });

/**
 * What a proof source knows about a credential hash:
 * - `proof`: the issuer says it is anchored and hands the proof (checked against the chain, never trusted);
 * - `pending`: the issuer positively says the credential is queued for anchoring, since `enqueuedAt`;
 * - `unknown`: the issuer says it never issued these bytes;
 * - `refused`: the issuer set the credential's batch aside because the chain refused to anchor it;
 * - `unreachable`: no usable answer (network, timeout, an answer that is not the issuer's) — nothing was learnt;
 *   `retryAfterSeconds` when the issuer said when to try again (it limited us, or is itself unavailable).
 */
export type ProofAnswer =
  | {
      kind: 'proof';
      proof: AnchorProof;
      /**
       * Set only by a source that computed the proof itself from a whole batch whose leaves it checked make the root
       * (and found the credential's hash among them): the proof then leads to its root by construction, and the
       * verifier need not hash its way up again. Never set for a proof someone else sent.
       */
      rootComputedHere?: true;
    }
  | { kind: 'pending'; enqueuedAt: Date }
  | { kind: 'unknown' }
  | { kind: 'refused' }
  | { kind: 'unreachable'; reason: string; retryAfterSeconds?: number };


/** What a proof source may know of the credential besides its hash (all of it read from the credential). */
export interface ProofContext {
  /** The issuer DID the credential names. */
  issuerDid: string;
  /** When it was issued: its batch was anchored after this. */
  issuedAt: Date;
}

/** Where the verifier gets anchor proofs it was not handed. */
export interface AnchorProofSource {
  /** What the source knows about `credentialHash`; never throws (a failure is `unreachable`). */
  fetchProof(credentialHash: Hex32, context: ProofContext): Promise<ProofAnswer>;
}

/** The largest answer of the proof endpoint taken: a proof has at most 32 hashes of 66 characters. */
const MAX_PROOF_ANSWER_BYTES = 64 * 1024;

/**
 * Reads proofs from an issuer service's public per-credential endpoint (`ANCHOR_PROOF_MODE=per-credential`): it tells
 * the issuer which credential is checked, so the verifier's default is {@link BatchAnchorProofSource}. Nothing it
 * returns is trusted: the verifier recomputes the root and reads the chain. Requests go through the {@link FetchGuard}
 * (no redirect outside what it allows, a bounded answer), whose allowed origins hold `baseUrl`'s.
 */
export class HttpAnchorProofSource implements AnchorProofSource {
  constructor(
    private readonly baseUrl: string,
    private readonly guard: Pick<FetchGuard, 'fetch'>,
    private readonly timeoutMs = 3_000,
  ) {}

  async fetchProof(credentialHash: Hex32): Promise<ProofAnswer> {
    // Relative to the base path, so an issuer behind a path prefix (…/issuer/) works.
    const base = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
    const response = await this.guard.fetch(new URL(`anchors/proofs/${credentialHash}`, base).href, { timeoutMs: this.timeoutMs, maxBytes: MAX_PROOF_ANSWER_BYTES });
    if (response.kind !== 'response') return { kind: 'unreachable', reason: unansweredReason(response, 'proof service') };
    if (response.status === 202) {
      // "Queued" counts only as the issuer's own statement of when: without it the answer says nothing usable.
      const pending = pendingAnswerSchema.safeParse(jsonOf(response.body));
      return pending.success ? { kind: 'pending', enqueuedAt: new Date(pending.data.enqueuedAt) } : { kind: 'unreachable', reason: 'proof service answered 202 without a readable enqueuedAt' };
    }
    // Only the issuer's own problem codes mean "never issued" or "refused"; a 404 or 409 from a proxy or a wrong URL does not.
    if (response.status === 404) {
      return problemCode(response.body) === 'anchor.proof-not-found' ? { kind: 'unknown' } : { kind: 'unreachable', reason: 'the proof URL answered 404 without the issuer\'s problem code' };
    }
    if (response.status === 409) {
      return problemCode(response.body) === 'anchor.refused' ? { kind: 'refused' } : { kind: 'unreachable', reason: 'the proof URL answered 409 without the issuer\'s problem code' };
    }
    if (response.status === 429 || response.status === 503) {
      // The verifier is one client of the issuer (rate limit) or the issuer is down: its own answer will be a 503,
      // and it can tell its caller when to retry.
      const retryAfterSeconds = upstreamRetryAfter(response.headers);
      return { kind: 'unreachable', reason: `proof service answered ${response.status}`, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
    }
    if (response.status !== 200) return { kind: 'unreachable', reason: `proof service answered ${response.status}` };
    const parsed = anchorProofSchema.safeParse(jsonOf(response.body));
    if (!parsed.success) return { kind: 'unreachable', reason: 'proof service answered a malformed proof' };
    return { kind: 'proof', proof: parsed.data as AnchorProof };
  }
}

/**
 * Why an issuer service gave no answer to use, for an `unreachable` reason.
 * @param service - what the reason calls the issuer's service ("proof service", "anchoring service")
 */
export function unansweredReason(answer: Exclude<GuardedAnswer, { kind: 'response' }>, service: string): string {
  switch (answer.kind) {
    case 'refused':
      return `the URL of the issuer's ${service} is refused: ${answer.reason}`;
    case 'too-large':
      return `the issuer's ${service} answered more than ${answer.limit} bytes`;
    case 'failed':
      return `the issuer's ${service} ${answer.failure === 'timeout' ? 'did not answer in time' : answer.failure === 'interrupted' ? 'stopped while answering' : 'could not be reached'}`;
  }
}

/** A body as JSON; undefined when it is none. */
export function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as unknown;
  } catch {
    return undefined;
  }
}

function problemCode(body: Buffer): unknown {
  const problem = jsonOf(body);
  return typeof problem === 'object' && problem !== null ? (problem as { code?: unknown }).code : undefined;
}
