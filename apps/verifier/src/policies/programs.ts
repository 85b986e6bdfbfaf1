import { ageRangeCriterion } from './age-range.js';
import { composePolicy, type PolicyCriterion } from './compose.js';
import { notEnrolledCriterion } from './enrollment.js';
import type { ProgramConfig, ProgramCriterionConfig } from './program-config.js';
import { limitedEmploymentCriterion } from './employment.js';
import { householdIncomeCriterion, notBasicLivelihoodCriterion } from './income.js';
import type { CredentialPolicy } from './model.js';
import { firstParticipationCriterion } from './prior-participation.js';
import { rentingWithinCapsCriterion } from './rental.js';
import { sameHolderCriterion } from './same-holder.js';
import { seoulResidentCriterion } from './seoul-resident.js';

/**
 * The version of the program rules as code (the criteria's logic). A program's policy carries it as its `version`;
 * a change to any criterion's code is a new version. What a city officer changes — thresholds, amounts, the program
 * year — is the configuration, versioned by its own `configVersion`.
 */
export const PROGRAM_RULES_VERSION = '1';

/**
 * The policy of a program: `holder.same` (every credential it relies on is bound to one wallet) and then the
 * configured criteria in order, each the shared criterion of its kind with the configured thresholds. Its `version`
 * is {@link PROGRAM_RULES_VERSION}; its `program` names the configuration version, year and benefit.
 * @param config - a parsed program configuration
 * @throws RangeError for a threshold a criterion refuses (a configuration fault)
 */
export function programPolicy(config: ProgramConfig): CredentialPolicy {
  const criteria = config.criteria.map(criterionOf);
  const types = [...new Set(criteria.flatMap((criterion) => criterion.requires.map((requirement) => requirement.type)))];
  return composePolicy({
    id: config.id,
    version: PROGRAM_RULES_VERSION,
    title: config.title,
    purpose: config.purpose,
    program: {
      id: config.id,
      configVersion: config.configVersion,
      programYear: config.programYear,
      monthlyAmountKrw: config.benefit.monthlyAmountKrw,
      months: config.benefit.months,
    },
    criteria: [sameHolderCriterion(types), ...criteria],
  });
}

function criterionOf(config: ProgramCriterionConfig): PolicyCriterion {
  switch (config.kind) {
    case 'age-range':
      return ageRangeCriterion(config);
    case 'seoul-resident':
      return seoulResidentCriterion();
    case 'not-enrolled':
      return notEnrolledCriterion();
    case 'household-income':
      return householdIncomeCriterion(config);
    case 'not-basic-livelihood':
      return notBasicLivelihoodCriterion();
    case 'limited-employment':
      return limitedEmploymentCriterion(config);
    case 'renting-within-caps':
      return rentingWithinCapsCriterion(config);
    case 'first-participation':
      return firstParticipationCriterion();
  }
}
