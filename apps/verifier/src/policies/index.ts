/**
 * Policies as code: named, versioned rules a verifier applies to credentials that already verified, each criterion
 * answering passed or failed with a reason in Korean and English and the credential it relied on. Pure domain code —
 * no Nest, no HTTP, no storage; the evaluation instant is passed in.
 *
 * A policy is built from criteria with `composePolicy`; a benefit program's policy (`youth-allowance-2026`,
 * `youth-rent-support-2026`) is composed from the shared criteria by its configuration (`programs.ts`,
 * config/programs.json).
 */
export { ageOverCriterion, ageOverPolicy, type AgeFlagYears } from './age-over.js';
export { SEOUL_CITIZEN_CARD } from './citizen-card.js';
export { composePolicy, type ComposedPolicyDefinition, type PolicyCriterion } from './compose.js';
export { ageRangeCriterion, type AgeRange } from './age-range.js';
export { ENROLLMENT_STATUS, notEnrolledCriterion } from './enrollment.js';
export { EMPLOYMENT_INSURANCE_STATUS, limitedEmploymentCriterion, type EmploymentLimits } from './employment.js';
export { householdIncomeCriterion, INCOME_BRACKET, notBasicLivelihoodCriterion, type HouseholdIncomeLimit } from './income.js';
export type { ClaimRequirement, CredentialPolicy, CriterionResult, EvaluationContext, LocalisedText, PolicyDecision, PresentedCredential, ProgramReference, ShownClaims, ShownCredential } from './model.js';
export { FIRST_PARTICIPATION, firstParticipationCriterion, PARTICIPATION_REASONS } from './prior-participation.js';
export { parsePrograms, programConfigSchema, programsFileSchema, type ProgramConfig, type ProgramCriterionConfig } from './program-config.js';
export { PROGRAM_RULES_VERSION, programPolicy } from './programs.js';
export { RENTAL_STATUS, rentingWithinCapsCriterion, type RentCaps } from './rental.js';
export { sameHolderCriterion } from './same-holder.js';
export {
  defaultPolicyRegistry,
  PolicyRegistry,
  PolicyRegistryError,
  PolicyRegistryErrorCode,
  type DefaultPoliciesConfig,
} from './registry.js';
export { SEOUL_CITY, seoulResidentCriterion, seoulResidentPolicy } from './seoul-resident.js';
export { compareVersions, isPolicyVersion } from './version.js';
export { shownCredentials } from './shown.js';
export { DEFAULT_WORK_HISTORY, WORK_EXPERIENCE, WORK_HISTORY_SHOWS, workHistoryCriterion, workHistoryPolicy, workHistoryVersion, workHoursCriterion, type WorkHistoryConfig } from './work-history.js';
