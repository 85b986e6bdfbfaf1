import { isHolderDid } from '@citycred/formats';
import type { PresentationRequestResult } from '../oid4vp/oid4vp.service.js';
import type { PolicyDecision } from '../policies/index.js';

/** The claims of an eligibility credential (the catalogue's `YouthAllowanceEligibility` schema), without `id`. */
export interface EligibilityClaims {
  eligible: true;
  programYear: number;
  monthlyAmountKrw: number;
  months: number;
  /** `<policy id>@<rules version>+<configuration version>`, e.g. `youth-allowance-2026@1+2026.1`: both versions, as receipts name them. */
  ruleVersion: string;
  /** Each criterion's id, result and the hash of the credential it relied on — no reason, no claim value. */
  criteria: Array<{ id: string; result: 'passed'; evidenceHash: string }>;
}

/**
 * The eligibility credential's claims for an eligible decision of a program's policy.
 * @param decision - a satisfied decision that names its program
 * @throws Error when the decision is not satisfied, names no program, or a criterion cites no credential (none of
 *   which a satisfied program decision does: a fault of the caller)
 */
export function eligibilityClaimsOf(decision: PolicyDecision): EligibilityClaims {
  const { program, policy } = decision;
  if (!decision.satisfied || program === undefined) throw new Error('only a program’s eligible decision is turned into an eligibility credential');
  return {
    eligible: true,
    programYear: program.programYear,
    monthlyAmountKrw: program.monthlyAmountKrw,
    months: program.months,
    ruleVersion: `${policy.id}@${policy.version}+${program.configVersion}`,
    criteria: decision.criteria.map(({ id, result, evidenceHash }) => {
      if (result !== 'passed' || evidenceHash === null) throw new Error(`criterion ${id} of an eligible decision cites no credential`);
      return { id, result, evidenceHash };
    }),
  };
}

/**
 * The wallet an eligibility credential goes to: the one holder every presentation of the application was bound to —
 * the holder DID the verifier read from each (a JWT VP's holder, the did:jwk of an SD-JWT VC's `cnf` key), which the
 * `holder-binding` check tied to the presented credentials' own subject or `cnf`, the holder `holder.same` compares.
 * Read from the stored result, so nothing more is kept about the applicant.
 * @returns the did:jwk / did:key, or null when a presentation names none, they name different holders, or the holder
 *   is not a DID an offer can be bound to (a did:ethr)
 */
export function eligibilityHolderOf(result: Pick<PresentationRequestResult, 'presentations'>): string | null {
  const holders = new Set(result.presentations.map((presentation) => presentation.holder));
  if (holders.size !== 1) return null;
  const [holder] = holders;
  return holder !== undefined && isHolderDid(holder) && !/[?#]/.test(holder) ? holder : null;
}
