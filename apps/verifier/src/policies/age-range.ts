import { ageAt } from '@citycred/credentials/age';
import { dayNumberOf } from './calendar.js';
import { judgeEachOfType, NO_CITIZEN_CARD, SEOUL_CITIZEN_CARD } from './citizen-card.js';
import type { PolicyCriterion } from './compose.js';
import { text, type LocalisedText, type PresentedCredential } from './model.js';

/** Settings of {@link ageRangeCriterion}: both ends count (만 나이, completed years). */
export interface AgeRange {
  /** The youngest age admitted, e.g. 19. */
  readonly minimum: number;
  /** The oldest age admitted, e.g. 34: someone who turned 35 is out from that birthday on. */
  readonly maximum: number;
}

/**
 * The criterion `age-range`: the holder's age in completed years (만 나이) on the Korean (KST) calendar day of `at` is
 * between `minimum` and `maximum`, both included, by the `birthDate` of a presented `SeoulCitizenCard` (the card's
 * age flags cannot show an upper bound, so the birth date is asked for). Birthdays as in `ageAt`: the day of the
 * birthday counts; 29 February turns a year older on 1 March in common years. The reason names the range, never
 * the age or the date. Several citizen cards are judged each, the first that passes is kept.
 * @param range - the admitted ages
 * @throws RangeError when the range is not two whole numbers with `minimum` ≤ `maximum` (a configuration fault)
 */
export function ageRangeCriterion(range: AgeRange): PolicyCriterion {
  const { minimum, maximum } = range;
  if (!Number.isSafeInteger(minimum) || !Number.isSafeInteger(maximum) || minimum < 0 || maximum < minimum) {
    throw new RangeError(`an age range needs whole numbers 0 ≤ minimum ≤ maximum, not ${String(minimum)}–${String(maximum)}`);
  }
  const id = 'age-range';
  const reasons = {
    passed: text(`만 ${minimum}세 이상 ${maximum}세 이하입니다.`, `The holder is between ${minimum} and ${maximum} years old.`),
    younger: text(`만 ${minimum}세 미만입니다.`, `The holder is under ${minimum}.`),
    older: text(`만 ${maximum}세를 넘었습니다.`, `The holder is older than ${maximum}.`),
    notDisclosed: text('생년월일이 공개되지 않았습니다.', 'The birth date was not disclosed.'),
    unreadable: text('생년월일을 읽을 수 없습니다.', 'The birth date could not be read.'),
  } satisfies Record<string, LocalisedText>;
  const judge = (card: PresentedCredential, at: Date): { passed: boolean; reason: LocalisedText } => {
    const birthDate = card.claims.birthDate;
    if (birthDate === undefined) return { passed: false, reason: reasons.notDisclosed };
    if (dayNumberOf(birthDate) === undefined) return { passed: false, reason: reasons.unreadable };
    const age = ageAt(birthDate as string, at);
    if (age < minimum) return { passed: false, reason: reasons.younger };
    if (age > maximum) return { passed: false, reason: reasons.older };
    return { passed: true, reason: reasons.passed };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['birthDate']) })]),
    evaluate: (credentials: readonly PresentedCredential[], at: Date) => judgeEachOfType(id, credentials, SEOUL_CITIZEN_CARD, NO_CITIZEN_CARD, (card) => judge(card, at)),
  });
}
