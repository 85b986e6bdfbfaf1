import { PresentationChallenges1764900000000 } from './1764900000000-presentation-challenges.js';
import { PresentationChallengeEntity } from './challenge.entity.js';

/** The presentations context's tables. */
export const PRESENTATION_ENTITIES = [PresentationChallengeEntity] as const;

/** Their migrations, in order. */
export const PRESENTATION_MIGRATIONS = [PresentationChallenges1764900000000] as const;
