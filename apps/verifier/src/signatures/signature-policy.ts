import { composePolicy, PolicyRegistry, SEOUL_CITIZEN_CARD, type CredentialPolicy, type PolicyCriterion, type PresentedCredential } from '../policies/index.js';
import { NO_CITIZEN_CARD } from '../policies/citizen-card.js';
import { text } from '../policies/model.js';

/** The policy of a document signature that discloses nothing of the card (docs/e-signature.md). */
export const SIGNATURE_POLICY = 'e-signature';
/** The policy of a document signature that discloses the card's name, for a signing page that asks for it. */
export const SIGNATURE_WITH_NAME_POLICY = 'e-signature.name';

/** A citizen card was presented (and verified: the presentation's checks ran before). Asks the wallet for no claim. */
function cardCriterion(): PolicyCriterion {
  const id = 'e-signature.card';
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze([]) })]),
    evaluate(credentials: readonly PresentedCredential[]) {
      const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD);
      if (card) return { id, result: 'passed' as const, reason: text('서울시민카드가 확인되었습니다.', 'The citizen card was verified.'), evidenceHash: card.hash };
      return { id, result: 'failed' as const, reason: NO_CITIZEN_CARD, evidenceHash: null };
    },
  });
}

/** The card discloses a name. */
function nameCriterion(): PolicyCriterion {
  const id = 'e-signature.name';
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze(['name']) })]),
    evaluate(credentials: readonly PresentedCredential[]) {
      const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD && typeof c.claims['name'] === 'string' && c.claims['name'] !== '');
      if (card) return { id, result: 'passed' as const, reason: text('이름이 공개되었습니다.', 'The name was disclosed.'), evidenceHash: card.hash };
      return { id, result: 'failed' as const, reason: text('이름이 공개되지 않았습니다.', 'The name was not disclosed.'), evidenceHash: null };
    },
  });
}

/**
 * The credential policy of a document signature: a verified Seoul citizen card (its signature, holder binding, nonce,
 * status and accredited issuer are the presentation's checks), disclosing nothing — or only its name when `withName`.
 */
export function signaturePolicy(withName: boolean): CredentialPolicy {
  return composePolicy({
    id: withName ? SIGNATURE_WITH_NAME_POLICY : SIGNATURE_POLICY,
    version: '1',
    title: text('서울시민카드로 문서에 서명', 'Sign a document with the Seoul citizen card'),
    purpose: text('문서의 해시에 서명하고 서명 시점에 카드가 유효했는지 확인합니다.', "Signs the document's hash and confirms the card was valid when it signed."),
    criteria: withName ? [cardCriterion(), nameCriterion()] : [cardCriterion()],
  });
}

/** The two signature policies, for the signatures' own OpenID4VP service. */
export function signaturePolicyRegistry(): PolicyRegistry {
  return new PolicyRegistry([signaturePolicy(false), signaturePolicy(true)]);
}
