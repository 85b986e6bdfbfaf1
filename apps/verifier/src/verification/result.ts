/** Check ids of PRODUCT.md section 6, in the order they run. */
export type CheckId = 'format' | 'signature' | 'validity' | 'schema' | 'status' | 'issuer-accreditation' | 'anchor' | 'holder-binding';

/** Outcome of one check. `pending` does not fail verification (an anchor inside its grace period). */
export type CheckStatus = 'passed' | 'failed' | 'pending' | 'skipped';

/** One check: what it looked at and what it found. */
export interface Check {
  id: CheckId;
  status: CheckStatus;
  detail: string;
}

/** The answer of a verification, verified or not. */
export interface VerificationResult {
  verified: boolean;
  checks: Check[];
  warnings: string[];
  errors: string[];
}

/** Builds the result from the checks: verified only when none failed and the format could be read. */
export function resultOf(checks: Check[], warnings: string[] = []): VerificationResult {
  const failed = checks.filter((c) => c.status === 'failed');
  return {
    verified: failed.length === 0 && checks.some((c) => c.id === 'format' && c.status === 'passed'),
    checks,
    warnings,
    errors: failed.map((c) => `${c.id}: ${c.detail}`),
  };
}
