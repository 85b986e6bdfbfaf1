import { assertValidInstant, type ClaimRequirement, type ShownClaims, type EvaluationContext, type ProgramReference, type CredentialPolicy, type CriterionResult, type LocalisedText, type PolicyDecision, type PresentedCredential } from './model.js';
import { assertShownClaims, topLevelClaims } from './shown.js';
import { isPolicyVersion } from './version.js';

/**
 * One rule of a policy, usable in any policy that needs it: the Youth Allowance policy is the age, residence,
 * enrolment, income and employment criteria composed with {@link composePolicy}.
 */
export interface PolicyCriterion {
  /** Stable identifier, the `id` of every result it returns, e.g. `seoul-resident`. */
  readonly id: string;
  /** What the criterion reads, per credential type. */
  readonly requires: readonly ClaimRequirement[];
  /**
   * Applies the rule; never throws for what was presented.
   * @param credentials - the verified credentials of one presentation
   * @param at - a valid instant (the composed policy checks it)
   * @param context - what the caller gathered besides the credentials
   */
  evaluate(credentials: readonly PresentedCredential[], at: Date, context?: EvaluationContext): CriterionResult;
}

/** What {@link composePolicy} builds a policy from. */
export interface ComposedPolicyDefinition {
  /** Lower-case words joined by `-` or `.`, e.g. `youth-allowance-2026`. */
  readonly id: string;
  /** Dotted numeric version, e.g. `1` or `2026.1`. */
  readonly version: string;
  readonly title: LocalisedText;
  readonly purpose: LocalisedText;
  /** At least one; ids must differ. The decision lists their results in this order. */
  readonly criteria: readonly PolicyCriterion[];
  /** The benefit program the policy decides for, when it is a program's; its decisions name it. */
  readonly program?: ProgramReference;
  /**
   * What the policy shows beside its decision (`CredentialPolicy.shows`); each shown claim is added to `requires`, so
   * the policy asks for what its criteria read and what it shows, and nothing else.
   */
  readonly shows?: readonly ShownClaims[];
}

const POLICY_ID = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

/**
 * Builds a policy that is satisfied when every one of its criteria passes. Its `requires` merges the criteria's
 * requirements, and the claims it shows, per credential type: the union of their claims, and — when any of them offers alternatives — every
 * combination of one alternative from each (most preferred first), since one credential has to satisfy them all.
 * @param definition - id, version, texts and criteria
 * @returns a frozen policy
 * @throws RangeError when the id or version is malformed, there is no criterion, two share an id or a shown claim
 *   path is malformed (a wiring fault)
 */
export function composePolicy(definition: ComposedPolicyDefinition): CredentialPolicy {
  const { id, version, title, purpose } = definition;
  if (!POLICY_ID.test(id)) throw new RangeError(`policy id ${JSON.stringify(id)} is not lower-case words joined by - or .`);
  if (!isPolicyVersion(version)) throw new RangeError(`policy ${id}: version ${JSON.stringify(version)} is not dotted numbers`);
  const criteria = [...definition.criteria];
  if (criteria.length === 0) throw new RangeError(`policy ${id} has no criteria`);
  const ids = criteria.map((criterion) => criterion.id);
  const repeated = ids.find((criterionId, index) => ids.indexOf(criterionId) !== index);
  if (repeated !== undefined) throw new RangeError(`policy ${id} lists criterion ${repeated} twice`);

  const shows = definition.shows === undefined ? undefined : Object.freeze(definition.shows.map((shown) => Object.freeze({ type: shown.type, claims: Object.freeze([...shown.claims]) })));
  if (shows) assertShownClaims(id, shows);
  const shownRequirements = (shows ?? []).map((shown): ClaimRequirement => ({ type: shown.type, claims: topLevelClaims(shown) }));

  const identity = Object.freeze({ id, version });
  const program = definition.program === undefined ? undefined : Object.freeze({ ...definition.program });
  return Object.freeze({
    id,
    version,
    title: Object.freeze({ ...title }),
    purpose: Object.freeze({ ...purpose }),
    requires: mergeRequirements([...criteria.flatMap((criterion) => criterion.requires), ...shownRequirements]),
    ...(program ? { program } : {}),
    ...(shows && shows.length > 0 ? { shows } : {}),
    evaluate(credentials: readonly PresentedCredential[], at: Date, context: EvaluationContext = {}): PolicyDecision {
      assertValidInstant(at);
      const results = criteria.map((criterion) => criterion.evaluate(credentials, at, context));
      return { policy: identity, ...(program ? { program } : {}), satisfied: results.every((result) => result.result === 'passed'), criteria: results };
    },
  });
}

// Per credential type, in order of first appearance.
function mergeRequirements(requirements: readonly ClaimRequirement[]): readonly ClaimRequirement[] {
  const types = [...new Set(requirements.map((requirement) => requirement.type))];
  return Object.freeze(
    types.map((type) => {
      const ofType = requirements.filter((requirement) => requirement.type === type);
      const claims = Object.freeze(union(ofType.map((requirement) => requirement.claims)));
      const merged: { type: string; claims: readonly string[]; claimSets?: readonly (readonly string[])[]; multiple?: boolean } = { type, claims };
      if (ofType.some((requirement) => requirement.claimSets !== undefined)) {
        const combinations = ofType.reduce<string[][]>(
          (sofar, requirement) =>
            sofar.flatMap((chosen) => (requirement.claimSets ?? [requirement.claims]).map((alternative) => union([chosen, alternative]))),
          [[]],
        );
        merged.claimSets = Object.freeze(distinctSets(combinations).map((set) => Object.freeze(set)));
      }
      if (ofType.some((requirement) => requirement.multiple === true)) merged.multiple = true;
      return Object.freeze(merged);
    }),
  );
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

function distinctSets(sets: readonly string[][]): string[][] {
  const seen = new Set<string>();
  return sets.filter((set) => {
    const key = JSON.stringify([...set].sort());
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
