import { ageOverCriterion, composePolicy, PolicyRegistry, SEOUL_CITIZEN_CARD, seoulResidentCriterion, type CredentialPolicy, type PolicyCriterion, type PresentedCredential } from '../policies/index.js';
import { text } from '../policies/model.js';

/** The id of the petition signature policy (docs/petitions.md). */
export const PETITION_POLICY = 'petition-signature';

/**
 * The card discloses its `personId`, the only input of the signer's per-petition pseudonym (never stored). Without it
 * a person could not be counted once, so the signature is refused.
 */
function personIdCriterion(): PolicyCriterion {
  const id = 'petition.person-id';
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['personId']) })]),
    evaluate(credentials: readonly PresentedCredential[]) {
      const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD && typeof c.claims['personId'] === 'string' && c.claims['personId'] !== '');
      if (card) return { id, result: 'passed' as const, reason: text('서울시민카드가 확인되었습니다.', 'The citizen card was verified.'), evidenceHash: card.hash };
      return {
        id,
        result: 'failed' as const,
        reason: text('서울시민카드의 개인 식별값이 공개되지 않아 한 사람이 한 번만 서명하는지 확인할 수 없습니다.', "The citizen card's person identifier was not disclosed, so the signature cannot be counted once."),
        evidenceHash: credentials.find((c) => c.type === SEOUL_CITIZEN_CARD)?.hash ?? null,
      };
    },
  });
}

/**
 * 만 19세 이상, asking the wallet for the `ageOver19` flag only (never the birth date): the flag as the card's issuer
 * computed it. A card issued before its holder turned 19 says `false` and is refused ("under 19 when the card was
 * issued"); the holder gets a new card.
 */
function ageOver19FlagCriterion(): PolicyCriterion {
  const criterion = ageOverCriterion(19);
  return Object.freeze({ ...criterion, requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['ageOver19']) })]) });
}

/**
 * The credential policy of a petition signature: a verified Seoul citizen card (signature, holder binding, nonce,
 * status and accredited issuer are the presentation's checks) whose holder is 19 or over and lives in Seoul, disclosing
 * `personId`, `ageOver19` and `residence` only. (`residence` is one disclosure on the card, `{city, district}`: the
 * district comes with the city; neither is stored.)
 */
export function petitionPolicy(): CredentialPolicy {
  return composePolicy({
    id: PETITION_POLICY,
    version: '1',
    title: text('주민감사청구 서명', 'Sign a resident audit claim'),
    purpose: text('만 19세 이상 서울시민인지 확인하고 한 사람이 한 번만 서명하도록 합니다.', 'Confirms you are a Seoul resident aged 19 or over, and that each person signs once.'),
    criteria: [personIdCriterion(), ageOver19FlagCriterion(), seoulResidentCriterion()],
  });
}

/** The registry of the petitions' own OpenID4VP service: the petition signature policy alone. */
export function petitionPolicyRegistry(): PolicyRegistry {
  return new PolicyRegistry([petitionPolicy()]);
}
