// The employer scanner's reading of a presentation request's state (docs/oid4vp.md, "The employer scanner").

/** A sentence in Korean and English, as a policy's criterion gives its reason. */
export interface Reason {
  ko: string;
  en: string;
}

/** A plain reason for a red outcome, when the criteria alone do not say why. */
export type PlainReason = 'expired' | 'declined' | 'wallet-error' | 'not-verified' | 'refused';

/**
 * One work experience as the `work-history` policy shows it (the answer's `shown`): the employer's name, the role, the
 * period, the total hours from the attendance chain and the chain's root. A member the credential did not carry in
 * the expected form is left out.
 */
export interface WorkRecord {
  employer?: string;
  role?: string;
  period?: { start: string; end: string };
  totalHours?: number;
  attendanceRoot?: string;
}

/** A final outcome: green or red, with the decision's criteria (and, for work history, what each credential says). */
export interface FinalOutcome {
  final: true;
  verified: boolean;
  criteria: Array<{ passed: boolean; reason: Reason }>;
  reason?: PlainReason;
  /** The work experiences the policy shows, in the order presented; absent when it shows none. */
  work?: WorkRecord[];
}

/** What the employer scanner shows for a presentation request's state. */
export type Outcome = { final: false } | FinalOutcome;

/**
 * What the scanner shows for a state of `GET /presentation-requests/{id}` (or one of its events): nothing final while
 * the request is pending; green only for a fulfilled request whose presentations verified and whose decision is
 * satisfied; red otherwise, with the decision's criteria (their reasons as the policy wrote them) and, when the
 * criteria alone do not say why, a plain reason: `expired`, `declined` (the holder said no in the wallet),
 * `wallet-error` (the wallet answered another error) or `not-verified` (a presentation did not verify). Beside a
 * decision, the work experiences the policy shows (`result.shown`, {@link workRecordsOf}).
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
  // What the policy shows comes with a decision only (every credential verified), green or red.
  const work = decision ? workRecordsOf(result?.['shown']) : [];
  const outcome = outcomeWithoutWork(state, result, decision, criteria, verified);
  return work.length > 0 ? { ...outcome, work } : outcome;
}

function outcomeWithoutWork(
  state: unknown,
  result: Record<string, any> | undefined,
  decision: Record<string, any> | undefined,
  criteria: FinalOutcome['criteria'],
  verified: boolean,
): FinalOutcome {
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

/**
 * The work experiences in an answer's `shown` (`{type: 'WorkExperience', claims: {employer: {name}, role, period,
 * totalHours, attendanceRoot}}`), each member kept only in its expected form; entries of other types are ignored.
 */
export function workRecordsOf(shown: unknown): WorkRecord[] {
  if (!Array.isArray(shown)) return [];
  return shown.flatMap((entry): WorkRecord[] => {
    if (!isObject(entry) || entry['type'] !== 'WorkExperience' || !isObject(entry['claims'])) return [];
    const claims = entry['claims'];
    const record: WorkRecord = {};
    const employer = isObject(claims['employer']) ? claims['employer']['name'] : undefined;
    if (typeof employer === 'string') record.employer = employer;
    if (typeof claims['role'] === 'string') record.role = claims['role'];
    const period = claims['period'];
    if (isObject(period) && typeof period['start'] === 'string' && typeof period['end'] === 'string') record.period = { start: period['start'], end: period['end'] };
    if (typeof claims['totalHours'] === 'number' && Number.isFinite(claims['totalHours'])) record.totalHours = claims['totalHours'];
    if (typeof claims['attendanceRoot'] === 'string') record.attendanceRoot = claims['attendanceRoot'];
    return [record];
  });
}

/** A hash as people compare it by eye: `0x` and the first 8 and last 4 hex digits (`0x1a2b3c4d…9f0e`). */
export function shortHash(hash: string): string {
  return /^0x[0-9a-fA-F]{16,}$/.test(hash) ? `${hash.slice(0, 10)}…${hash.slice(-4)}` : hash;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
