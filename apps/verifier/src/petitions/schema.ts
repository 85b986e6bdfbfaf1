import { Petitions1767750000000 } from './1767750000000-petitions.js';
import { PetitionEntity, PetitionSecretEntity, PetitionSignatureEntity, PetitionSignatureRequestEntity } from './petition.entity.js';

/** The petitions context's tables. */
export const PETITION_ENTITIES = [PetitionEntity, PetitionSignatureEntity, PetitionSignatureRequestEntity, PetitionSecretEntity] as const;

/** Their migrations, in order. */
export const PETITION_MIGRATIONS = [Petitions1767750000000] as const;
