/**
 * Policies as code: named, versioned rules a verifier applies to credentials that already verified, each criterion
 * answering passed or failed with a reason in Korean and English and the credential it relied on. Pure domain code —
 * no Nest, no HTTP, no storage; the evaluation instant is passed in.
 *
 * A policy is built from criteria with `composePolicy`; the Youth Allowance policy will be the shipped age and
 * residence criteria plus its own (enrolment, income, employment, prior participation) composed the same way.
 */
export { ageOverCriterion, ageOverPolicy, type AgeFlagYears } from './age-over.js';
export { SEOUL_CITIZEN_CARD } from './citizen-card.js';
export { composePolicy, type ComposedPolicyDefinition, type PolicyCriterion } from './compose.js';
export type { ClaimRequirement, CredentialPolicy, CriterionResult, LocalisedText, PolicyDecision, PresentedCredential } from './model.js';
export {
  defaultPolicyRegistry,
  PolicyRegistry,
  PolicyRegistryError,
  PolicyRegistryErrorCode,
  type DefaultPoliciesConfig,
} from './registry.js';
export { SEOUL_CITY, seoulResidentCriterion, seoulResidentPolicy } from './seoul-resident.js';
export { compareVersions, isPolicyVersion } from './version.js';
export { DEFAULT_WORK_HISTORY, WORK_EXPERIENCE, workHistoryCriterion, workHistoryPolicy, type WorkHistoryConfig } from './work-history.js';
