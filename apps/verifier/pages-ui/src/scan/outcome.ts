// The employer scanner's reading of a presentation request's state (docs/oid4vp.md, "The employer scanner").

/** A sentence in Korean and English, as a policy's criterion gives its reason. */
export interface Reason {
  ko: string;
  en: string;
}

/** A plain reason for a red outcome, when the criteria alone do not say why. */
export type PlainReason = 'expired' | 'declined' | 'wallet-error' | 'not-verified' | 'refused';

/** A final outcome: green or red, with the decision's criteria. */
export interface FinalOutcome {
  final: true;
  verified: boolean;
  criteria: Array<{ passed: boolean; reason: Reason }>;
  reason?: PlainReason;
}

/** What the employer scanner shows for a presentation request's state. */
export type Outcome = { final: false } | FinalOutcome;

/**
 * What the scanner shows for a state of `GET /presentation-requests/{id}` (or one of its events): nothing final while
 * the request is pending; green only for a fulfilled request whose presentations verified and whose decision is
 * satisfied; red otherwise, with the decision's criteria (their reasons as the policy wrote them) and, when the
 * criteria alone do not say why, a plain reason: `expired`, `declined` (the holder said no in the wallet),
 * `wallet-error` (the wallet answered another error) or `not-verified` (a presentation did not verify).
 * @param status - the parsed JSON of the state
 */
export function outcomeOf(status: unknown): Outcome {
  const state = isObject(status) ? status['state'] : undefined;
  if (state === 'pending') return { final: false };
  const result = isObject(status) && isObject(status['result']) ? status['result'] : undefined;
  const decision = result && isObject(result['decision']) ? result['decision'] : undefined;
  const criteria = (decision && Array.isArray(decision['criteria']) ? (decision['criteria'] as unknown[]) : [])
    .filter((c): c is Record<string, unknown> & { reason: Reason } => isObject(c) && isObject(c['reason']) && typeof c['reason']['ko'] === 'string' && typeof c['reason']['en'] === 'string')
    .map((c) => ({ passed: c['result'] === 'passed', reason: { ko: c.reason.ko, en: c.reason.en } }));
  const verified = state === 'fulfilled' && result?.['verified'] === true && decision?.['satisfied'] === true;
  if (verified) return { final: true, verified, criteria };
  if (state === 'expired') return { final: true, verified, criteria, reason: 'expired' };
  if (result && isObject(result['walletError'])) {
    return { final: true, verified, criteria, reason: result['walletError']['error'] === 'access_denied' ? 'declined' : 'wallet-error' };
  }
  // A decision that was not satisfied says why in its failed criteria; anything else needs a plain reason.
  if (decision && decision['satisfied'] === false && criteria.some((c) => !c.passed)) return { final: true, verified, criteria };
  return { final: true, verified, criteria, reason: 'not-verified' };
}

/**
 * What the scanner shows for the answer of `POST /scan/presentations` (a presentation read from the worker's QR code;
 * 200 and 400 carry the same members), or of the offline verifier: as {@link outcomeOf} shows a fulfilled request
 * with this result — green only when verified with a satisfied decision, red with the decision's criteria — and, when
 * the criteria do not say why, the plain reason `refused` for a failed holder binding (a QR code used before, too old,
 * or made for another verifier: the worker can show a new one) or `not-verified`.
 * @param answer - the parsed JSON of the answer
 */
export function outcomeOfVerdict(answer: unknown): FinalOutcome {
  const outcome = outcomeOf({ state: 'fulfilled', result: isObject(answer) ? answer : {} }) as FinalOutcome;
  if (outcome.verified || outcome.reason !== 'not-verified') return outcome;
  const checks = isObject(answer) && Array.isArray(answer['checks']) ? (answer['checks'] as unknown[]) : [];
  const refused = checks.some((check) => isObject(check) && check['id'] === 'holder-binding' && check['status'] === 'failed');
  return refused ? { ...outcome, reason: 'refused' } : outcome;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
