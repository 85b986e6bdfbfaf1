import { isHex32, type Hex32 } from '@citycred/anchoring';
import { z } from 'zod';
import { anchorProofSchema, type AnchorProof } from '../verification/anchor-proof-source.js';
import type { DigestKind } from './digest-anchoring.js';

/** What the issuer answered to a submission (`POST /anchors/digests`). */
export type SubmitAnswer = { ok: true; issuerDid: string } | { ok: false; reason: string };

/** What the issuer says of a submitted digest (`GET /anchors/proofs/{digest}`). */
export type DigestProofAnswer =
  | { kind: 'proof'; proof: AnchorProof }
  | { kind: 'pending' }
  | { kind: 'unknown' }
  | { kind: 'refused'; reason: string }
  | { kind: 'unreachable'; reason: string };

/** The issuer's anchoring as the outbox uses it (the HTTP adapter is {@link HttpDigestAnchorClient}). */
export interface DigestAnchorClient {
  /** Hands a digest to the issuer's queue; never throws (a failure is `ok: false`). */
  submit(kind: DigestKind, digest: Hex32): Promise<SubmitAnswer>;
  /** Where the issuer's anchoring of a digest stands; never throws. */
  proof(digest: Hex32): Promise<DigestProofAnswer>;
}

/** Settings of {@link HttpDigestAnchorClient}. */
export interface HttpDigestAnchorClientSettings {
  /** The city issuer (`ANCHOR_DIGEST_URL`). */
  issuerUrl: string;
  /** The city tenant's API key (`ANCHOR_DIGEST_API_KEY`); undefined: nothing is submitted. */
  apiKey: string | undefined;
  /** How long one request may take. */
  timeoutMs: number;
}

const acceptedSchema = z.object({
  digest: z.string(),
  status: z.enum(['pending', 'anchored', 'refused']),
  issuer: z.string().startsWith('did:ethr:').max(200),
});

/**
 * The issuer's `POST /anchors/digests` (with the city tenant's API key) and `GET /anchors/proofs/{digest}`. The issuer
 * is the operator's own configured service (not a URL a request chose), so it is called directly, without following
 * redirects. Nothing it says about anchoring is trusted: the outbox checks every proof against the chain.
 */
export class HttpDigestAnchorClient implements DigestAnchorClient {
  constructor(private readonly settings: HttpDigestAnchorClientSettings) {}

  async submit(kind: DigestKind, digest: Hex32): Promise<SubmitAnswer> {
    if (this.settings.apiKey === undefined) return { ok: false, reason: 'no API key of the city tenant is configured (ANCHOR_DIGEST_API_KEY)' };
    const answer = await this.call('anchors/digests', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.settings.apiKey}` },
      body: JSON.stringify({ kind, digest }),
    });
    if (!answer.ok) return answer;
    if (answer.status !== 202) return { ok: false, reason: `the issuer answered ${answer.status} (${problemCode(answer.body)})` };
    const parsed = acceptedSchema.safeParse(answer.body);
    if (!parsed.success || parsed.data.digest !== digest) return { ok: false, reason: "the issuer's answer is not an accepted digest" };
    return { ok: true, issuerDid: parsed.data.issuer };
  }

  async proof(digest: Hex32): Promise<DigestProofAnswer> {
    const answer = await this.call(`anchors/proofs/${digest}`, { method: 'GET' });
    if (!answer.ok) return { kind: 'unreachable', reason: answer.reason };
    const code = problemCode(answer.body);
    if (answer.status === 202) return { kind: 'pending' };
    if (answer.status === 404 && code === 'anchor.proof-not-found') return { kind: 'unknown' };
    if (answer.status === 409 && code === 'anchor.refused') {
      const reason = (answer.body as { reason?: unknown }).reason;
      return { kind: 'refused', reason: typeof reason === 'string' ? reason : 'refused' };
    }
    if (answer.status !== 200) return { kind: 'unreachable', reason: `the issuer's proof service answered ${answer.status} (${code})` };
    const parsed = anchorProofSchema.safeParse(answer.body);
    if (!parsed.success || !parsed.data.proof.every(isHex32)) return { kind: 'unreachable', reason: "the issuer's proof service answered a malformed proof" };
    return { kind: 'proof', proof: parsed.data as AnchorProof };
  }

  private async call(path: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<{ ok: true; status: number; body: unknown } | { ok: false; reason: string }> {
    const base = this.settings.issuerUrl.endsWith('/') ? this.settings.issuerUrl : `${this.settings.issuerUrl}/`;
    try {
      const res = await fetch(new URL(path, base), { ...init, redirect: 'manual', signal: AbortSignal.timeout(this.settings.timeoutMs) });
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = null;
      }
      return { ok: true, status: res.status, body };
    } catch (error) {
      const timeout = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { ok: false, reason: timeout ? "the issuer's anchoring did not answer in time" : "the issuer's anchoring could not be reached" };
    }
  }
}

function problemCode(body: unknown): string {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : 'no problem code';
}
