import { z } from 'zod';
import { isPolicyVersion } from './version.js';

/*
 * The benefit programs' configuration (config/programs.json) as a schema: parsed once at start-up by the verifier's
 * configuration (`PROGRAMS_FILE`). Apart from programs.ts so that the policies the browser's offline scanner bundles
 * do not carry the schema library.
 */

const localised = z.object({ ko: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }).strict();
const wholeNumber = z.number().int().nonnegative();

/** One criterion of a program, by kind, with its thresholds. */
const programCriterionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('age-range'), minimum: wholeNumber.max(150), maximum: wholeNumber.max(150) }).strict()
    .refine((range) => range.minimum <= range.maximum, { message: 'minimum must not be above maximum' }),
  z.object({ kind: z.literal('seoul-resident') }).strict(),
  z.object({ kind: z.literal('not-enrolled') }).strict(),
  z.object({ kind: z.literal('household-income'), maxPercentOfMedian: wholeNumber.max(1000) }).strict(),
  z.object({ kind: z.literal('not-basic-livelihood') }).strict(),
  z.object({ kind: z.literal('limited-employment'), weeklyHoursBelow: z.number().positive().max(168), contractMonthsBelow: z.number().int().positive().max(120) }).strict(),
  z.object({ kind: z.literal('renting-within-caps'), maxDepositKrw: wholeNumber, maxMonthlyRentKrw: wholeNumber }).strict(),
  z.object({ kind: z.literal('first-participation') }).strict(),
]);

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by -').max(64);

type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** One criterion of a program's configuration. */
export type ProgramCriterionConfig = DeepReadonly<z.infer<typeof programCriterionSchema>>;

/** A benefit program's configuration: everything program-specific, no code. */
export const programConfigSchema = z
  .object({
    /** The program's id, which is also its policy's id (`options.policy`), e.g. `youth-allowance-2026`. */
    id: slug,
    /** Dotted numbers, raised with every change an officer makes, e.g. `2026.1`; decisions and receipts cite it. */
    configVersion: z.string().refine(isPolicyVersion, 'dotted numbers, e.g. 2026.1'),
    programYear: z.number().int().min(2000).max(2100),
    title: localised,
    purpose: localised,
    benefit: z.object({ monthlyAmountKrw: wholeNumber, months: z.number().int().positive().max(120) }).strict(),
    /** The slug of the program's application page, `/apply/<page>` (docs/youth-allowance.md); absent: no page. */
    page: slug.optional(),
    /**
     * The credential an eligible applicant receives, offered by `tenant` (its API key is the verifier's
     * `PROGRAM_ISSUER_API_KEYS`); absent: an eligible decision is shown with its signed receipt only.
     */
    eligibility: z
      .object({ tenant: slug, credentialType: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a catalogue type name, e.g. YouthAllowanceEligibility').max(64) })
      .strict()
      .optional(),
    /** In the order decisions list them; each kind at most once. */
    criteria: z.array(programCriterionSchema).min(1).max(20)
      .refine((criteria) => new Set(criteria.map((c) => c.kind)).size === criteria.length, { message: 'each kind of criterion at most once' }),
  })
  .strict();

/** A parsed {@link programConfigSchema}. */
export type ProgramConfig = DeepReadonly<z.infer<typeof programConfigSchema>>;

/** The programs file: `{programs: [...]}`, ids distinct. */
export const programsFileSchema = z
  .object({ programs: z.array(programConfigSchema).max(100) })
  .strict()
  .refine((file) => new Set(file.programs.map((p) => p.id)).size === file.programs.length, { message: 'program ids must differ' })
  .refine((file) => {
    const pages = file.programs.flatMap((p) => (p.page === undefined ? [] : [p.page]));
    return new Set(pages).size === pages.length;
  }, { message: 'program pages must differ' });

/**
 * Parses a programs file's content (JSON already parsed) into frozen program configurations.
 * @param value - the file's JSON
 * @returns the programs
 * @throws ZodError naming each bad member (start-up reports it as a configuration fault)
 */
export function parsePrograms(value: unknown): readonly ProgramConfig[] {
  return Object.freeze(programsFileSchema.parse(value).programs.map((program) => deepFreeze(program)));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
