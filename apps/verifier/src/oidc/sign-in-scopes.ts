import {
  ageOverCriterion,
  composePolicy,
  PolicyRegistry,
  SEOUL_CITIZEN_CARD,
  seoulResidentCriterion,
  type CredentialPolicy,
  type LocalisedText,
  type PolicyCriterion,
  type PresentedCredential,
} from '../policies/index.js';
import { text } from '../policies/model.js';

/**
 * The scopes a site may ask for besides `openid`, each releasing one claim of the same name in the ID token — and
 * asking the wallet for no more than that claim needs (docs/oidc-provider.md):
 *
 * | scope | claim | asked of the citizen card |
 * | --- | --- | --- |
 * | `age_over_19` | `age_over_19: true` | `ageOver19`, or else `birthDate` |
 * | `age_over_18` | `age_over_18: true` | `ageOver18`, or else `birthDate` |
 * | `seoul_resident` | `seoul_resident: true` | `residence` |
 * | `name` | `name` (the card's name) | `name` |
 *
 * The flags are released only as `true`: a card that does not satisfy a requested scope's rule is refused, so a site
 * never learns "under 19" — only that the sign-in was refused.
 */
export const SIGN_IN_SCOPES = ['age_over_19', 'age_over_18', 'seoul_resident', 'name'] as const;

/** One of {@link SIGN_IN_SCOPES}. */
export type SignInScope = (typeof SIGN_IN_SCOPES)[number];

/** The claims a sign-in releases: those of {@link SIGN_IN_SCOPES} (the ID token adds `sub`, pairwise per site). */
export interface SignInClaims {
  age_over_19?: true;
  age_over_18?: true;
  seoul_resident?: true;
  name?: string;
}

/** Whether `value` is one of {@link SIGN_IN_SCOPES}. */
export function isSignInScope(value: string): value is SignInScope {
  return (SIGN_IN_SCOPES as readonly string[]).includes(value);
}

/**
 * The sign-in scopes of a space-separated `scope` parameter, in the order of {@link SIGN_IN_SCOPES} (`openid` and
 * anything unknown left out: the provider refuses scopes a client may not ask for before the interaction).
 */
export function signInScopesOf(scope: string | undefined): SignInScope[] {
  const asked = new Set((scope ?? '').split(' ').filter((s) => s !== ''));
  return SIGN_IN_SCOPES.filter((s) => asked.has(s));
}

/** The criterion every sign-in has: the card discloses its `personId`, from which the account is derived (never stored). */
function personIdCriterion(): PolicyCriterion {
  return disclosedCriterion('sign-in.person-id', 'personId', text('서울시민카드의 개인 식별값이 공개되지 않았습니다.', "The citizen card's person identifier was not disclosed."), text('서울시민카드가 확인되었습니다.', 'The citizen card was verified.'));
}

/** The criterion of the `name` scope: the card discloses a name. */
function nameCriterion(): PolicyCriterion {
  return disclosedCriterion('sign-in.name', 'name', text('이름이 공개되지 않았습니다.', 'The name was not disclosed.'), text('이름이 공개되었습니다.', 'The name was disclosed.'));
}

function disclosedCriterion(id: string, claim: string, missing: LocalisedText, passed: LocalisedText): PolicyCriterion {
  return Object.freeze({
    id,
    requires: Object.freeze([Object.freeze({ type: SEOUL_CITIZEN_CARD, claims: Object.freeze([claim]) })]),
    evaluate(credentials: readonly PresentedCredential[]) {
      const card = credentials.find((c) => c.type === SEOUL_CITIZEN_CARD && typeof c.claims[claim] === 'string' && c.claims[claim] !== '');
      if (card) return { id, result: 'passed' as const, reason: passed, evidenceHash: card.hash };
      return { id, result: 'failed' as const, reason: missing, evidenceHash: credentials.find((c) => c.type === SEOUL_CITIZEN_CARD)?.hash ?? null };
    },
  });
}

const CRITERIA: Readonly<Record<SignInScope, () => PolicyCriterion>> = {
  age_over_19: () => ageOverCriterion(19),
  age_over_18: () => ageOverCriterion(18),
  seoul_resident: () => seoulResidentCriterion(),
  name: nameCriterion,
};

/** The id of the sign-in policy for a set of scopes: `sign-in`, then the scopes in kebab case, e.g. `sign-in.age-over-19.name`. */
export function signInPolicyId(scopes: readonly SignInScope[]): string {
  return ['sign-in', ...SIGN_IN_SCOPES.filter((s) => scopes.includes(s)).map((s) => s.replaceAll('_', '-'))].join('.');
}

/**
 * The credential policy a sign-in with these scopes is decided by: the card's `personId` disclosed, and each scope's
 * rule ({@link SIGN_IN_SCOPES}). Its `requires` is what the OpenID4VP request asks the wallet for (DCQL), so the wallet
 * discloses the personId and the requested scopes' claims only.
 */
export function signInPolicy(scopes: readonly SignInScope[]): CredentialPolicy {
  const chosen = SIGN_IN_SCOPES.filter((s) => scopes.includes(s));
  return composePolicy({
    id: signInPolicyId(chosen),
    version: '1',
    title: text('서울시민카드로 로그인', 'Sign in with the Seoul citizen card'),
    purpose: text('공공시설 누리집 로그인을 위해 요청한 정보만 확인합니다.', 'Confirms only what the site you sign in to asked for.'),
    criteria: [personIdCriterion(), ...chosen.map((s) => CRITERIA[s]())],
  });
}

/** A registry of the sign-in policies of every combination of scopes (16): the sign-in's OpenID4VP requests name them. */
export function signInPolicyRegistry(): PolicyRegistry {
  const combinations: SignInScope[][] = SIGN_IN_SCOPES.reduce<SignInScope[][]>((sets, scope) => [...sets, ...sets.map((set) => [...set, scope])], [[]]);
  return new PolicyRegistry(combinations.map(signInPolicy));
}

/**
 * The claims a satisfied sign-in releases for its scopes, from the citizen card it relied on. The flags are `true`
 * (the policy passed them); `name` is the card's.
 * @param scopes - the scopes of the sign-in
 * @param card - the verified citizen card, with what it disclosed
 */
export function signInClaimsOf(scopes: readonly SignInScope[], card: PresentedCredential): SignInClaims {
  const claims: SignInClaims = {};
  if (scopes.includes('age_over_19')) claims.age_over_19 = true;
  if (scopes.includes('age_over_18')) claims.age_over_18 = true;
  if (scopes.includes('seoul_resident')) claims.seoul_resident = true;
  if (scopes.includes('name') && typeof card.claims['name'] === 'string') claims.name = card.claims['name'];
  return claims;
}
