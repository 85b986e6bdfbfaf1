// The check page's one verdict from the verifier's answer (docs/certificates.md, "Verdicts"). Runs in the browser
// as an ES module; verdict.d.ts types it for the unit test.

/** Checks whose failure means the bytes are not what the issuer issued: altered, forged or unreadable. */
const ALTERED = ['format', 'signature', 'anchor'];

/**
 * The verdict a reader sees for a verification answer, in this order of precedence: 변조됨 (format, signature or
 * anchor failed), 알 수 없는 발급기관 (issuer-accreditation failed), 폐기·정지됨 (status failed), 만료됨 (validity
 * failed), 검증 실패 (anything else not verified), 확인 중 (verified, anchor pending), 진본 (verified).
 * @param {{verified?: unknown, checks?: unknown}} answer - the body of `POST /credentials/verify` (200 or 400)
 * @returns {'genuine'|'pending'|'altered'|'unknown-issuer'|'revoked'|'expired'|'not-verified'}
 */
export function verdictOf(answer) {
  const checks = Array.isArray(answer?.checks) ? answer.checks : [];
  const failed = (id) => checks.some((check) => check?.id === id && check?.status === 'failed');
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
 * @param {{checks?: unknown}} answer
 */
export function claimsTrusted(answer) {
  const checks = Array.isArray(answer?.checks) ? answer.checks : [];
  return checks.some((check) => check?.id === 'signature' && check?.status === 'passed');
}
