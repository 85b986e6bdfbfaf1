import { didJwkOf, type PublicJwk } from '@citycred/formats';
import type { PolicyCriterion } from './compose.js';
import { text, type CriterionResult, type LocalisedText, type PresentedCredential } from './model.js';

const REASONS = {
  passed: text('제시된 증명서가 모두 같은 지갑의 것입니다.', 'Every credential presented is bound to the same wallet.'),
  different: text('제시된 증명서가 서로 다른 지갑의 것입니다.', 'The credentials presented are bound to different wallets.'),
  unbound: text('지갑에 묶이지 않은 증명서가 있습니다.', 'A credential presented is not bound to a wallet.'),
} satisfies Record<string, LocalisedText>;

/**
 * The criterion `holder.same`: every presented credential of `types` is bound to one holder — its subject DID, or the
 * did:jwk of its `cnf` key — so that one person's card cannot be combined with another's income or employment
 * credential when they arrive as separate presentations (OpenID4VP answers one presentation per credential). The
 * evidence is the first credential's hash. It reads no claim.
 * @param types - the credential types the policy relies on
 */
export function sameHolderCriterion(types: readonly string[]): PolicyCriterion {
  const id = 'holder.same';
  const relevant = new Set(types);
  return Object.freeze({
    id,
    requires: Object.freeze([]),
    evaluate(credentials: readonly PresentedCredential[]): CriterionResult {
      const presented = credentials.filter((credential) => relevant.has(credential.type));
      const evidenceHash = presented[0]?.hash ?? null;
      const holders = presented.map(holderOf);
      if (holders.some((holder) => holder === undefined)) return { id, result: 'failed', reason: REASONS.unbound, evidenceHash };
      if (new Set(holders).size > 1) return { id, result: 'failed', reason: REASONS.different, evidenceHash };
      return { id, result: 'passed', reason: REASONS.passed, evidenceHash };
    },
  });
}

function holderOf(credential: PresentedCredential): string | undefined {
  const { holder } = credential;
  if (holder?.id !== undefined) return holder.id;
  if (holder?.jwk === undefined) return undefined;
  try {
    return didJwkOf(holder.jwk as unknown as PublicJwk);
  } catch {
    return undefined;
  }
}
