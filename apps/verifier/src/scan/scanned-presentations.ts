import type { VerifierMetrics } from '../metrics/verifier-metrics.js';
import type { PolicyDecision, PolicyRegistry } from '../policies/index.js';
import { requireCredentialPolicy } from '../presentations/policy-choice.js';
import type { PresentationVerifier } from '../presentations/presentation-verifier.js';
import type { AppliedPolicy, Check, VerificationResult } from '../verification/result.js';
import { CITY_POLICY } from '../verification/verification-policy.js';

/** What the text of a wallet's presentation QR code starts with, before the presentation (docs/presentations.md). */
export const PRESENTATION_QR_PREFIX = 'citycred-vp:';

/** The path, under the verifier's public URL, that a presentation shown as a QR code is addressed to (`aud`). */
export const SCAN_AUDIENCE_PATH = '/scan';

/**
 * The answer for a presentation shown to the employer scanner: what `POST /presentations/verify` answers with a
 * credential policy, without what the credentials say (claims, holder keys and DIDs): the employer sees the decision
 * and its reasons, and the verifier keeps nothing of the person.
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
 * decides.
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
    const result = await this.metrics.measure('scan-presentation', () =>
      this.presentations.verify(presentationOfQrText(qrText), {
        policy: CITY_POLICY,
        credentialPolicy,
        domain: `${publicUrl}${SCAN_AUDIENCE_PATH}`,
        holderNonce: { maxAgeSeconds: this.settings.maxAgeSeconds },
      }),
    );
    return {
      verified: result.verified,
      checks: result.checks,
      warnings: result.warnings,
      errors: result.errors,
      policy: result.policy,
      ...(result.decision ? { decision: result.decision } : {}),
      credentials: result.credentials.map(({ verified, checks, warnings, errors, policy }) => ({ verified, checks, warnings, errors, policy })),
    };
  }
}

/**
 * The presentation in a QR code's text: without the `citycred-vp:` prefix (in any case, as a URI scheme) and the
 * white space a scanner may add around it.
 */
export function presentationOfQrText(text: string): string {
  const trimmed = text.trim();
  return trimmed.slice(0, PRESENTATION_QR_PREFIX.length).toLowerCase() === PRESENTATION_QR_PREFIX ? trimmed.slice(PRESENTATION_QR_PREFIX.length).trim() : trimmed;
}
