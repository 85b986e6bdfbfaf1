import { ProgramEligibilityOffers1766200000000 } from './1766200000000-program-eligibility-offers.js';
import { EligibilityOfferEntity } from './eligibility-offer.entity.js';

/** The application pages' tables. */
export const APPLY_ENTITIES = [EligibilityOfferEntity] as const;

/** Their migrations, in order. */
export const APPLY_MIGRATIONS = [ProgramEligibilityOffers1766200000000] as const;
