/** Nest injection token of the configured benefit programs (`PROGRAMS_FILE`, parsed). */
export const PROGRAM_CONFIGS = Symbol('PROGRAM_CONFIGS');
