// The check page's one verdict from the verifier's answer (docs/certificates.md, "Verdicts").

/** One of the check page's verdicts. */
export type Verdict = 'genuine' | 'pending' | 'altered' | 'unknown-issuer' | 'revoked' | 'expired' | 'not-verified';

/** What the page reads of `POST /credentials/verify`'s body (200 or 400): nothing in it is trusted to be well formed. */
export interface VerifyAnswer {
  verified?: unknown;
  checks?: unknown;
}

/** Checks whose failure means the bytes are not what the issuer issued: altered, forged or unreadable. */
const ALTERED = ['format', 'signature', 'anchor'];

function checksOf(answer: VerifyAnswer | null | undefined): Array<{ id?: unknown; status?: unknown } | null> {
  return Array.isArray(answer?.checks) ? (answer.checks as Array<{ id?: unknown; status?: unknown } | null>) : [];
}

/**
 * The verdict a reader sees for a verification answer, in this order of precedence: 변조됨 (format, signature or
 * anchor failed), 알 수 없는 발급기관 (issuer-accreditation failed), 폐기·정지됨 (status failed), 만료됨 (validity
 * failed), 검증 실패 (anything else not verified), 확인 중 (verified, anchor pending), 진본 (verified).
 */
export function verdictOf(answer: VerifyAnswer | null | undefined): Verdict {
  const checks = checksOf(answer);
  const failed = (id: string) => checks.some((check) => check?.id === id && check?.status === 'failed');
  if (ALTERED.some(failed)) return 'altered';
  if (failed('issuer-accreditation')) return 'unknown-issuer';
  if (failed('status')) return 'revoked';
  if (failed('validity')) return 'expired';
  if (answer?.verified !== true) return 'not-verified';
  return checks.some((check) => check?.id === 'anchor' && check?.status === 'pending') ? 'pending' : 'genuine';
}

/**
 * Whether the claims may be shown: only when the issuer's signature over them was checked and held, so the page never
 * displays what a forger wrote.
 */
export function claimsTrusted(answer: VerifyAnswer | null | undefined): boolean {
  return checksOf(answer).some((check) => check?.id === 'signature' && check?.status === 'passed');
}
