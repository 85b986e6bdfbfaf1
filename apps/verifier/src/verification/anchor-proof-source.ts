import { isHex32, type Hex32 } from '@citycred/anchoring';
import { z } from 'zod';

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

/** What a proof source knows about a credential hash. */
export type ProofAnswer = { kind: 'proof'; proof: AnchorProof } | { kind: 'pending' } | { kind: 'unknown' } | { kind: 'unreachable'; reason: string };

/** Where the verifier gets anchor proofs it was not handed. */
export interface AnchorProofSource {
  fetchProof(credentialHash: Hex32): Promise<ProofAnswer>;
}

/**
 * Reads proofs from an issuer service's public endpoint. Nothing it returns is trusted: the verifier recomputes
 * the root and reads the chain.
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
    if (response.status === 202) return { kind: 'pending' };
    if (response.status === 404) {
      // Only the issuer's own answer means "never issued"; a 404 from a proxy or a wrong URL does not.
      const problem = (await response.json().catch(() => null)) as { code?: unknown } | null;
      return problem?.code === 'anchor.proof-not-found' ? { kind: 'unknown' } : { kind: 'unreachable', reason: 'the proof URL answered 404 without the issuer\'s problem code' };
    }
    if (response.status !== 200) return { kind: 'unreachable', reason: `proof service answered ${response.status}` };
    const parsed = anchorProofSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) return { kind: 'unreachable', reason: 'proof service answered a malformed proof' };
    return { kind: 'proof', proof: parsed.data as AnchorProof };
  }
}
