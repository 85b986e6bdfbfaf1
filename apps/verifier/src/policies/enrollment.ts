import { judgeEachOfType } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type LocalisedText, type PresentedCredential } from './model.js';

/** The catalogue type of the education office's enrolment status (재학·휴학·졸업 증명). */
export const ENROLLMENT_STATUS = 'EnrollmentStatus';

const REASONS = {
  passed: text('재학 또는 휴학 중이 아닙니다.', 'The holder is neither enrolled nor on leave.'),
  enrolled: text('재학 중입니다.', 'The holder is enrolled.'),
  onLeave: text('휴학 중입니다.', 'The holder is on leave from school.'),
  unreadable: text('학적 상태를 읽을 수 없습니다.', 'The enrolment status could not be read.'),
  none: text('재학·휴학·졸업 증명이 제시되지 않았습니다.', 'No enrolment status credential was presented.'),
} satisfies Record<string, LocalisedText>;

/**
 * The criterion `enrollment.not-enrolled`: a presented `EnrollmentStatus` whose `status` is `graduated` or
 * `withdrawn` — not `enrolled` and not `on-leave` (a student on leave is still a student). Any other value fails as
 * unreadable. The institution is not asked for. Several credentials are judged each, the first that passes is kept.
 */
export function notEnrolledCriterion(): PolicyCriterion {
  const id = 'enrollment.not-enrolled';
  const judge = (credential: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    switch (credential.claims.status) {
      case 'graduated':
      case 'withdrawn':
        return { passed: true, reason: REASONS.passed };
      case 'enrolled':
        return { passed: false, reason: REASONS.enrolled };
      case 'on-leave':
        return { passed: false, reason: REASONS.onLeave };
      default:
        return { passed: false, reason: REASONS.unreadable };
    }
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: ENROLLMENT_STATUS, claims: Object.freeze(['status']) })]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, ENROLLMENT_STATUS, REASONS.none, judge),
  });
}
