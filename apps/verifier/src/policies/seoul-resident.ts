import { judgeEachOfType, NO_CITIZEN_CARD, SEOUL_CITIZEN_CARD } from './citizen-card.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import { text, type CredentialPolicy, type LocalisedText, type PresentedCredential } from './model.js';

/** The 시·도 value of the citizen card's `residence.city` for Seoul. */
export const SEOUL_CITY = '서울특별시';

const REASONS = {
  passed: text('서울특별시에 거주합니다.', 'The holder lives in Seoul.'),
  elsewhere: text('서울특별시 거주자가 아닙니다.', 'The holder does not live in Seoul.'),
  notDisclosed: text('거주지가 공개되지 않았습니다.', 'The residence was not disclosed.'),
} satisfies Record<string, LocalisedText>;

/**
 * The criterion `seoul-resident`: a presented `SeoulCitizenCard` whose registered address (`residence`, an object
 * `{city, district}`, disclosed whole) has `city` 서울특별시. The district is not looked at: the card's schema only
 * admits Seoul's 25 autonomous districts with that city. The reason never names the city or district.
 * Several citizen cards are judged each, the first that passes is kept. `evidenceHash` is the card relied on.
 */
export function seoulResidentCriterion(): PolicyCriterion {
  const id = 'seoul-resident';
  const judge = (card: PresentedCredential): { passed: boolean; reason: LocalisedText } => {
    const residence = card.claims.residence;
    const city = residence !== null && typeof residence === 'object' ? (residence as Record<string, unknown>).city : undefined;
    if (typeof city !== 'string') return { passed: false, reason: REASONS.notDisclosed };
    return city === SEOUL_CITY ? { passed: true, reason: REASONS.passed } : { passed: false, reason: REASONS.elsewhere };
  };
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['residence']) })]),
    evaluate: (credentials: readonly PresentedCredential[]) => judgeEachOfType(id, credentials, SEOUL_CITIZEN_CARD, NO_CITIZEN_CARD, judge),
  });
}

/** The policy `seoul-resident` (version 1): {@link seoulResidentCriterion} alone. */
export function seoulResidentPolicy(): CredentialPolicy {
  return composePolicy({
    id: 'seoul-resident',
    version: '1',
    title: text('서울시 거주 확인', 'Seoul residence'),
    purpose: text('주민등록상 주소가 서울특별시인지 확인합니다.', 'Confirms the registered address is in Seoul.'),
    criteria: [seoulResidentCriterion()],
  });
}
