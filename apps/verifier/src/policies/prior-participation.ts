import { judgeEachOfType, NO_CITIZEN_CARD, SEOUL_CITIZEN_CARD } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type EvaluationContext, type LocalisedText, type PresentedCredential } from './model.js';

/** The id of {@link firstParticipationCriterion}: the decision service records a participation for its evidence. */
export const FIRST_PARTICIPATION = 'participation.first-time';

/**
 * The reasons of {@link firstParticipationCriterion}. `prior` says only that this program has a participation on
 * record for the card's holder: not when, not what else.
 */
export const PARTICIPATION_REASONS = {
  first: text('이 사업에 참여한 이력이 없습니다.', 'The holder has not taken part in this program before.'),
  prior: text('이 사업에 이미 참여한 이력이 있어 다시 신청할 수 없습니다.', 'The holder has already taken part in this program and cannot apply again.'),
  notDisclosed: text('서울시민카드의 개인 식별값이 공개되지 않았습니다.', "The citizen card's person identifier was not disclosed."),
  unavailable: text('참여 이력을 확인하지 못했습니다.', 'Prior participation could not be checked.'),
} satisfies Record<string, LocalisedText>;

/**
 * The criterion `participation.first-time`: the holder of a presented `SeoulCitizenCard` has not taken part in the
 * program before, by the card's `personId` (an opaque UUID) as the caller's {@link EvaluationContext.priorParticipation}
 * answers — which the verifier backs with keyed pseudonyms per program, never a list of people. Fails when the
 * caller did not look the personId up. Several citizen cards are judged each, the first that passes is kept; its hash
 * is the evidence the participation is recorded under.
 */
export function firstParticipationCriterion(): PolicyCriterion {
  const id = FIRST_PARTICIPATION;
  const judge = (card: PresentedCredential, context: EvaluationContext): { passed: boolean; reason: LocalisedText } => {
    const personId = card.claims.personId;
    if (typeof personId !== 'string' || personId === '') return { passed: false, reason: PARTICIPATION_REASONS.notDisclosed };
    const prior = context.priorParticipation?.(personId);
    if (prior === undefined) return { passed: false, reason: PARTICIPATION_REASONS.unavailable };
    return prior ? { passed: false, reason: PARTICIPATION_REASONS.prior } : { passed: true, reason: PARTICIPATION_REASONS.first };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['personId']) })]),
    evaluate: (credentials: readonly PresentedCredential[], _at: Date, context: EvaluationContext = {}) =>
      judgeEachOfType(id, credentials, SEOUL_CITIZEN_CARD, NO_CITIZEN_CARD, (card) => judge(card, context)),
  });
}
