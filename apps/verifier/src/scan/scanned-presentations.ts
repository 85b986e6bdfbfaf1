import { credentialHash, decodeAnchorCode, rootFromProof, splitAnchorCode } from '@citycred/anchoring';
import type { VerifierMetrics } from '../metrics/verifier-metrics.js';
import { shownCredentials, type PolicyDecision, type PolicyRegistry, type PresentedCredential, type ShownCredential } from '../policies/index.js';
import { requireCredentialPolicy } from '../presentations/policy-choice.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import type { AppliedPolicy, Check, VerificationResult } from '../verification/result.js';
import { CITY_POLICY } from '../verification/verification-policy.js';
import { presentationOfQrText } from './qr-text.js';

export { PRESENTATION_QR_PREFIX, presentationOfQrText } from './qr-text.js';

/** The path, under the verifier's public URL, that a presentation shown as a QR code is addressed to (`aud`). */
export const SCAN_AUDIENCE_PATH = '/scan';

/**
 * The answer for a presentation shown to the employer scanner: what `POST /presentations/verify` answers with a
 * credential policy, without what the credentials say (claims, holder keys and DIDs) but what the policy shows: the
 * employer sees the decision and its reasons (and for work history each credential's employer, role, period, hours
 * and attendance root), and the verifier keeps nothing of the person.
 */
export interface ScanVerdict {
  /** True only when the presentation and its credentials verified and the policy is satisfied. */
  verified: boolean;
  /** The presentation's own checks: `format`, `holder-binding`. */
  checks: Check[];
  warnings: string[];
  errors: string[];
  policy: AppliedPolicy;
  /** The credential policy's decision, once the presentation and its credentials verified. */
  decision?: PolicyDecision;
  /** What the policy shows of the credentials (`CredentialPolicy.shows`), with the decision; absent for a policy that shows nothing. */
  shown?: ShownCredential[];
  /** Each credential's checks, in the order presented. */
  credentials: Array<Omit<VerificationResult, 'credential'>>;
}

/** Settings of {@link ScannedPresentations}. */
export interface ScannedPresentationsSettings {
  /** How old a presentation shown as a QR code may be (`SCAN_PRESENTATION_MAX_AGE_SECONDS`). */
  maxAgeSeconds: number;
}

/**
 * The employer scanner's side of a wallet's "show QR" mode (docs/presentations.md): the wallet made the presentation
 * with no request before it, for this verifier's `/scan` and a nonce it chose; the scanner sends the QR code's text
 * here. The presentation is verified by the {@link PresentationVerifier} under the `city` trust policy, its nonce is
 * used once (in the database: a second scan, on any verifier process, is a replay), and the credential policy
 * decides. A code that carries its credential's anchor proof (`#<anchor code>`) has it checked as a presented proof
 * (the root it folds to must be anchored on chain by the issuer, accredited then), and no batch is fetched.
 */
export class ScannedPresentations {
  constructor(
    private readonly presentations: Pick<PresentationVerifier, 'verify'>,
    private readonly policies: PolicyRegistry,
    private readonly metrics: Pick<VerifierMetrics, 'measure'>,
    private readonly settings: ScannedPresentationsSettings,
  ) {}

  /**
   * Verifies a scanned presentation and decides by a credential policy; counted as `scan-presentation` in the
   * metrics.
   * @param qrText - the QR code's text: `citycred-vp:<presentation>`, or the presentation alone
   * @param policyName - a credential policy: `age-over-18`, or `age-over-18@1` for one version
   * @param publicUrl - the verifier's public URL (no trailing slash); the presentation must name `<publicUrl>/scan`
   * @returns the verdict; a bad presentation is a verdict, never an error
   * @throws AppError `verification.unknown-policy` for a name that is no credential policy (before anything is
   *   verified: no nonce is used); `service.unavailable` as the credential verifier throws it for an outage
   */
  async verify(qrText: string, policyName: string, publicUrl: string): Promise<ScanVerdict> {
    const credentialPolicy = requireCredentialPolicy(policyName, this.policies, 'age-over-18@1');
    const { presentation, anchorProof } = scannedCode(qrText);
    const result = await this.metrics.measure('scan-presentation', () =>
      this.presentations.verify(presentation, {
        policy: CITY_POLICY,
        credentialPolicy,
        domain: `${publicUrl}${SCAN_AUDIENCE_PATH}`,
        holderNonce: { maxAgeSeconds: this.settings.maxAgeSeconds },
        ...(anchorProof ? { anchorProofs: [anchorProof] } : {}),
      }),
    );
    // Shown only beside a decision: the presentation and every credential verified.
    const presented = result.credentials.flatMap((c): PresentedCredential[] => (c.verified && c.credential ? [c.credential] : []));
    const shown = result.decision && credentialPolicy.shows ? shownCredentials(credentialPolicy, presented) : undefined;
    return {
      verified: result.verified,
      checks: result.checks,
      warnings: result.warnings,
      errors: result.errors,
      policy: result.policy,
      ...(result.decision ? { decision: result.decision } : {}),
      ...(shown ? { shown } : {}),
      credentials: result.credentials.map(({ verified, checks, warnings, errors, policy }) => ({ verified, checks, warnings, errors, policy })),
    };
  }
}

/** An anchor proof as `POST /presentations/verify` takes one in `anchorProofs` (docs/anchoring.md). */
export interface ScannedAnchorProof {
  root: string;
  proof: string[];
  leafIndex: number;
  blockNumber: number;
}

/**
 * A QR code's text read: the presentation, and the anchor proof its anchor code carries, completed with the root its
 * siblings fold to from the hash of the presented SD-JWT VC's issuer-signed part (the code leaves the root out). No
 * proof for a code without an anchor code, one that cannot be read (the credential is then looked up in the issuer's
 * batches, as without one), or one after a presentation that is not an SD-JWT VC.
 */
export function scannedCode(text: string): { presentation: string; anchorProof?: ScannedAnchorProof } {
  const { presentation, anchorCode } = splitAnchorCode(presentationOfQrText(text));
  const issuerSigned = presentation.includes('~') ? presentation.slice(0, presentation.indexOf('~')) : undefined;
  const code = anchorCode === undefined ? undefined : decodeAnchorCode(anchorCode);
  if (!code || !issuerSigned) return { presentation };
  const proof = [...code.proof];
  return { presentation, anchorProof: { root: rootFromProof(credentialHash(issuerSigned), proof), proof, leafIndex: code.leafIndex, blockNumber: code.blockNumber } };
}
