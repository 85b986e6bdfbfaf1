import { isHex32, type Hex32 } from '@citycred/anchoring';
import { z } from 'zod';
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
  | { kind: 'proof'; proof: AnchorProof }
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

/**
 * Reads proofs from an issuer service's public per-credential endpoint (`ANCHOR_PROOF_MODE=per-credential`): it tells
 * the issuer which credential is checked, so the verifier's default is {@link BatchAnchorProofSource}. Nothing it
 * returns is trusted: the verifier recomputes the root and reads the chain.
 */
export class HttpAnchorProofSource implements AnchorProofSource {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async fetchProof(credentialHash: Hex32): Promise<ProofAnswer> {
    let response: Response;
    try {
      // Relative to the base path, so an issuer behind a path prefix (…/issuer/) works.
      const base = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
      response = await fetch(new URL(`anchors/proofs/${credentialHash}`, base), { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
    }
    if (response.status === 202) {
      // "Queued" counts only as the issuer's own statement of when: without it the answer says nothing usable.
      const pending = pendingAnswerSchema.safeParse(await response.json().catch(() => null));
      return pending.success ? { kind: 'pending', enqueuedAt: new Date(pending.data.enqueuedAt) } : { kind: 'unreachable', reason: 'proof service answered 202 without a readable enqueuedAt' };
    }
    // Only the issuer's own problem codes mean "never issued" or "refused"; a 404 or 409 from a proxy or a wrong URL does not.
    if (response.status === 404) {
      return (await problemCode(response)) === 'anchor.proof-not-found' ? { kind: 'unknown' } : { kind: 'unreachable', reason: 'the proof URL answered 404 without the issuer\'s problem code' };
    }
    if (response.status === 409) {
      return (await problemCode(response)) === 'anchor.refused' ? { kind: 'refused' } : { kind: 'unreachable', reason: 'the proof URL answered 409 without the issuer\'s problem code' };
    }
    if (response.status === 429 || response.status === 503) {
      // The verifier is one client of the issuer (rate limit) or the issuer is down: its own answer will be a 503,
      // and it can tell its caller when to retry.
      const retryAfterSeconds = upstreamRetryAfter(response.headers);
      void response.body?.cancel();
      return { kind: 'unreachable', reason: `proof service answered ${response.status}`, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
    }
    if (response.status !== 200) return { kind: 'unreachable', reason: `proof service answered ${response.status}` };
    const parsed = anchorProofSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) return { kind: 'unreachable', reason: 'proof service answered a malformed proof' };
    return { kind: 'proof', proof: parsed.data as AnchorProof };
  }
}

async function problemCode(response: Response): Promise<unknown> {
  const problem = (await response.json().catch(() => null)) as { code?: unknown } | null;
  return problem?.code;
}
