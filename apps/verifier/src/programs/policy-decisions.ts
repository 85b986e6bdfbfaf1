import type { Clock } from '@citycred/config';
import {
  FIRST_PARTICIPATION,
  PARTICIPATION_REASONS,
  SEOUL_CITIZEN_CARD,
  type CredentialPolicy,
  type CriterionResult,
  type PolicyDecision,
  type PresentedCredential,
} from '../policies/index.js';
import type { DecisionReceipts } from './decision-receipts.js';
import type { ParticipationRegister } from './participation-register.js';

/** A decision and its signed receipt. */
export interface SignedDecision {
  readonly decision: PolicyDecision;
  /** Compact JWS: see {@link DecisionReceipts}. */
  readonly receipt: string;
}

/**
 * Makes credential-policy decisions for presentations that held: gathers what a program's policy consults (prior
 * participation, by keyed pseudonym), evaluates, records the participation of an eligible application and signs a
 * receipt for every decision. The one place decisions are made for `POST /presentations/verify`.
 */
export class PolicyDecisions {
  constructor(
    private readonly participations: ParticipationRegister,
    private readonly receipts: DecisionReceipts,
    private readonly clock: Clock,
  ) {}

  /**
   * Decides on the verified credentials of one presentation.
   *
   * For a program's policy, an eligible decision is an application granted: the participation is recorded under the
   * pseudonym of the citizen card the `participation.first-time` criterion relied on. When another application of
   * the same person was recorded first (two at once), this decision turns into a refusal by that criterion.
   * @param policy - the credential policy
   * @param credentials - the presentation's verified credentials
   * @param presentationHash - the hash of the presentation, which the receipt names
   * @throws database errors (the caller's 503)
   */
  async decide(policy: CredentialPolicy, credentials: readonly PresentedCredential[], presentationHash: string): Promise<SignedDecision> {
    const at = this.clock.now();
    const program = policy.program;
    let decision: PolicyDecision;
    if (program === undefined) decision = policy.evaluate(credentials, at);
    else {
      const personIds = [...new Set(credentials.flatMap((c) => (c.type === SEOUL_CITIZEN_CARD && typeof c.claims.personId === 'string' ? [c.claims.personId] : [])))];
      const prior = await this.participations.participated(program.id, personIds);
      decision = policy.evaluate(credentials, at, { priorParticipation: (personId) => (personIds.includes(personId) ? prior.has(personId) : undefined) });
      if (decision.satisfied) decision = await this.recordParticipation(decision, credentials, at);
    }
    return { decision, receipt: await this.receipts.sign(decision, presentationHash, at) };
  }

  private async recordParticipation(decision: PolicyDecision, credentials: readonly PresentedCredential[], at: Date): Promise<PolicyDecision> {
    const program = decision.program!;
    const criterion = decision.criteria.find((c) => c.id === FIRST_PARTICIPATION);
    // A program without the criterion does not limit participation: nothing to record.
    if (criterion === undefined) return decision;
    const card = credentials.find((c) => c.hash === criterion.evidenceHash && c.type === SEOUL_CITIZEN_CARD);
    const personId = card?.claims.personId;
    if (typeof personId !== 'string') throw new Error('an eligible decision relied on a citizen card without a personId');
    if ((await this.participations.record(program.id, personId, program.configVersion, at)) === 'recorded') return decision;
    const refused: CriterionResult = { ...criterion, result: 'failed', reason: PARTICIPATION_REASONS.prior };
    return { ...decision, satisfied: false, criteria: decision.criteria.map((c) => (c.id === FIRST_PARTICIPATION ? refused : c)) };
  }
}
