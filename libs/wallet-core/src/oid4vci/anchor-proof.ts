import { MAX_PROOF_LENGTH, verifyMerkleProof, type Hex32 } from '@citycred/anchoring/browser';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import { contactableUrl, isRecord, sendRequest, type WalletTransport } from './http.js';
import { errorDetailsOf, networkError } from './offer.js';
import { credentialHashOf } from './received.js';

/** An anchor proof as the issuer serves it (`GET /anchors/proofs/{credentialHash}`, docs/anchoring.md). */
export interface AnchorProof {
  readonly credentialHash: string;
  readonly root: string;
  /** Sibling hashes from the leaf up (`0x` + 64 hex digits each). */
  readonly proof: readonly string[];
  readonly leafIndex: number;
  readonly txHash: string;
  readonly blockNumber: number;
  readonly chainId: number;
  readonly contract: string;
}

/**
 * Where a credential's anchoring stands, as the issuer says:
 * - `anchored`: the proof, which leads from the credential's hash to the root (checked here; whether the root is on
 *   chain for this issuer is the verifier's check);
 * - `pending`: queued, not anchored yet — ask again later (`retryAfterSeconds`);
 * - `refused`: the chain refused the batch (the issuer was not accredited, or its key not its identity's owner);
 * - `unknown`: the issuer has no record of these bytes.
 */
export type AnchorProofState =
  | { readonly state: 'anchored'; readonly proof: AnchorProof }
  | { readonly state: 'pending'; readonly enqueuedAt?: string; readonly retryAfterSeconds?: number }
  | { readonly state: 'refused'; readonly reason?: string }
  | { readonly state: 'unknown' };

const HEX32 = /^0x[0-9a-f]{64}$/;

/**
 * The base URL of the issuer service a credential came from: for an OpenID4VCI issuer `<ISSUER_PUBLIC_URL>/oid4vci/<slug>`,
 * `<ISSUER_PUBLIC_URL>`; otherwise the issuer identifier's origin.
 * @param credentialIssuer - the record's `credentialIssuer`
 */
export function issuerServiceUrlOf(credentialIssuer: string): string {
  const url = new URL(credentialIssuer);
  const match = /^(.*)\/oid4vci\/[^/]+\/?$/.exec(url.pathname);
  return `${url.origin}${match ? match[1] : ''}`;
}

/**
 * Asks the issuer for a credential's anchor proof, once: the wallet keeps the proof when it is `anchored` and asks
 * again only while `pending`. The question names the credential (its hash), but it goes to the issuer that made it,
 * which knows it already; verifiers never ask it.
 * @param credential - the credential as issued (its hash is computed here: {@link credentialHashOf})
 * @param issuerServiceUrl - the issuer service (`issuerServiceUrlOf(credentialIssuer)` for an OpenID4VCI issuer)
 * @throws Oid4vciError `oid4vci.issuer-unavailable` (429, 5xx), `oid4vci.issuer-error` (another answer, or a proof
 *   that does not lead to its root), `oid4vci.network`; TypeError when the URL may not be contacted
 */
export async function fetchAnchorProof(credential: { readonly encoded: string }, issuerServiceUrl: string, transport: WalletTransport): Promise<AnchorProofState> {
  const credentialHash = await credentialHashOf(credential.encoded);
  const url = contactableUrl(`${issuerServiceUrl.replace(/\/$/, '')}/anchors/proofs/${credentialHash}`, transport.allowInsecureHttp);
  if (!url) throw new TypeError('the issuer service URL must be https');
  const answer = await sendRequest(transport.fetch, url.href, { method: 'GET', headers: { accept: 'application/json' } }, networkError);
  const details = { status: answer.status, ...errorDetailsOf(answer) };
  const body = isRecord(answer.json) ? answer.json : {};
  if (answer.status === 202) {
    const retryAfter = Number(answer.headers.get('retry-after'));
    return {
      state: 'pending',
      ...(typeof body['enqueuedAt'] === 'string' ? { enqueuedAt: body['enqueuedAt'] } : {}),
      ...(Number.isSafeInteger(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    };
  }
  if (answer.status === 404) return { state: 'unknown' };
  if (answer.status === 409) return { state: 'refused', ...(typeof body['reason'] === 'string' ? { reason: body['reason'] } : {}) };
  if (answer.status === 429 || answer.status >= 500) throw new Oid4vciError(Oid4vciErrorCode.IssuerUnavailable, `the proof endpoint answered ${answer.status}`, details);
  if (answer.status !== 200) throw new Oid4vciError(Oid4vciErrorCode.IssuerError, `the proof endpoint answered ${answer.status}`, details);
  const proof = anchorProofOf(body, credentialHash);
  if (!(await proofLeadsToRoot(credentialHash, proof.proof, proof.root))) throw new Oid4vciError(Oid4vciErrorCode.IssuerError, 'the anchor proof does not lead from the credential to its root', details);
  return { state: 'anchored', proof };
}

/**
 * Whether an anchor proof folds from the credential's hash to its root (docs/anchoring.md), with the one fold the
 * verifier and the offline scanner use too (`@citycred/anchoring/browser`). Malformed input is a proof that does not
 * hold. Asynchronous for its callers' sake; the fold itself is synchronous.
 */
export async function proofLeadsToRoot(credentialHash: string, proof: readonly string[], root: string): Promise<boolean> {
  if (!HEX32.test(credentialHash) || !HEX32.test(root) || proof.length > MAX_PROOF_LENGTH || !proof.every((p) => HEX32.test(p))) return false;
  return verifyMerkleProof(credentialHash as Hex32, proof as Hex32[], root as Hex32);
}

function anchorProofOf(body: Record<string, unknown>, credentialHash: string): AnchorProof {
  const { root, proof, leafIndex, txHash, blockNumber, chainId, contract } = body;
  if (
    typeof root !== 'string' ||
    !Array.isArray(proof) ||
    !proof.every((p) => typeof p === 'string') ||
    typeof leafIndex !== 'number' ||
    typeof txHash !== 'string' ||
    typeof blockNumber !== 'number' ||
    typeof chainId !== 'number' ||
    typeof contract !== 'string'
  ) {
    throw new Oid4vciError(Oid4vciErrorCode.IssuerError, 'the anchor proof is not {root, proof[], leafIndex, txHash, blockNumber, chainId, contract}');
  }
  return { credentialHash, root: root.toLowerCase(), proof: (proof as string[]).map((p) => p.toLowerCase()), leafIndex, txHash, blockNumber, chainId, contract };
}
