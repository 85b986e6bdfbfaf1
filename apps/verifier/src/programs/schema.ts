import { ProgramParticipations1766100000000 } from './1766100000000-program-participations.js';
import { ProgramParticipationEntity, ProgramSecretEntity } from './participation.entity.js';

/** The programs context's tables. */
export const PROGRAM_ENTITIES = [ProgramParticipationEntity, ProgramSecretEntity] as const;

/** Their migrations, in order. */
export const PROGRAM_MIGRATIONS = [ProgramParticipations1766100000000] as const;
