import { readFileSync } from 'node:fs';
import { credentialTypeInfo, isAccreditedEmployerIssuer, validateCredentialSubject, type CredentialTypeName, type Labels } from '@citycred/credentials';
import { z } from 'zod';
import { configurationsFor } from '../oid4vci/credential-configurations.js';

/** The credential types the demo agencies issue to demo citizens, in the order the wallet receives them. */
export const DEMO_CREDENTIAL_TYPES = Object.freeze([
  'SeoulCitizenCard',
  'EnrollmentStatus',
  'IncomeBracket',
  'EmploymentInsuranceStatus',
  'RentalStatus',
] as const satisfies readonly CredentialTypeName[]);

/** A credential type of {@link DEMO_CREDENTIAL_TYPES}. */
export type DemoCredentialType = (typeof DEMO_CREDENTIAL_TYPES)[number];

const claims = z.record(z.string(), z.unknown());
/** `eligible`, or the id of the one criterion a citizen fails (`age-range`, `income.household-median` …). */
const expectation = z.union([z.literal('eligible'), z.string().regex(/^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)*$/, 'must be "eligible" or a criterion id')]);
const text = z.string().min(1).max(200);

const citizenSchema = z
  .object({
    /** Stable, URL-safe: `kim-seoyeon`. */
    id: z.string().regex(/^[a-z]+(-[a-z]+)*$/, 'must be lower-case words joined by "-"').max(64),
    /** The display name (Korean), as on the citizen card. */
    name: text,
    nameEn: text,
    /** One line on who they are, for the demo page. */
    summary: z.object({ ko: text, en: text }).strict(),
    /** The youth-allowance-2026 outcome this citizen is made for. */
    youthAllowance: expectation,
    /** The youth-rent-support-2026 outcome, for citizens with a RentalStatus. */
    youthRentSupport: expectation.optional(),
    /** The claims each agency issues to them (without `id`: the holder is the wallet's key), by credential type. */
    credentials: z
      .object({
        SeoulCitizenCard: claims,
        EnrollmentStatus: claims.optional(),
        IncomeBracket: claims.optional(),
        EmploymentInsuranceStatus: claims.optional(),
        RentalStatus: claims.optional(),
      })
      .strict(),
  })
  .strict();

/**
 * `config/demo-citizens.json`: fictional citizens of the embedded demo and the claims the agencies issue to them
 * (docs/youth-allowance.md "Demo citizens"). Every credential's claims are checked against its type's JSON Schema.
 */
export const demoCitizensFileSchema = z
  .object({
    description: z.string().optional(),
    /** The program year the citizens' ages and outcomes are chosen for. */
    programYear: z.number().int().min(2020).max(2100),
    citizens: z.array(citizenSchema).min(1).max(100),
  })
  .strict()
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.citizens.forEach((citizen, index) => {
      if (seen.has(citizen.id)) context.addIssue({ code: 'custom', path: ['citizens', index, 'id'], message: `repeats the id ${citizen.id}` });
      seen.add(citizen.id);
      for (const type of DEMO_CREDENTIAL_TYPES) {
        const subject = citizen.credentials[type];
        if (subject === undefined) continue;
        if ('id' in subject) context.addIssue({ code: 'custom', path: ['citizens', index, 'credentials', type, 'id'], message: 'must not be set: the holder is the wallet key' });
        const validation = validateCredentialSubject(type, subject);
        if (!validation.valid) {
          for (const error of validation.errors) {
            context.addIssue({ code: 'custom', path: ['citizens', index, 'credentials', type, ...error.path.split('/').slice(1)], message: error.message });
          }
        }
      }
    });
  });

type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The demo citizens file, parsed (and frozen, as part of the issuer's configuration). */
export type DemoCitizensFile = DeepReadonly<z.output<typeof demoCitizensFileSchema>>;
/** One demo citizen. */
export type DemoCitizen = DemoCitizensFile['citizens'][number];

/**
 * Reads and checks a demo citizens file (`DEMO_CITIZENS_FILE`).
 * @param path - relative to the working directory
 * @returns the citizens, or the problems found (each naming the member at fault) — never throws
 */
export function readDemoCitizensFile(path: string): { ok: true; file: DemoCitizensFile } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, problem: `${path} cannot be read as JSON (${error instanceof SyntaxError ? 'not JSON' : 'no such file or not readable'})` };
  }
  const parsed = demoCitizensFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, file: parsed.data };
  return { ok: false, problem: `${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ')}` };
}

/** One credential an agency issues to a demo citizen: who, in which OpenID4VCI configuration, with which claims. */
export interface DemoAgencyCredential {
  readonly type: DemoCredentialType;
  /** The issuing tenant: the catalogue's issuer of the type. */
  readonly tenant: string;
  /** The OpenID4VCI configuration offered: the SD-JWT VC where the type has one (selective disclosure), else the JWT VC. */
  readonly configurationId: string;
  readonly labels: Labels;
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * The credentials the agencies issue to a citizen, in {@link DEMO_CREDENTIAL_TYPES} order.
 * @param citizen - a parsed demo citizen
 */
export function agencyCredentialsOf(citizen: DemoCitizen): DemoAgencyCredential[] {
  return DEMO_CREDENTIAL_TYPES.flatMap((type) => {
    const subject = citizen.credentials[type];
    if (subject === undefined) return [];
    const info = credentialTypeInfo(type);
    // Each demo type is issued by one department (none is a labour type any accredited employer issues).
    const tenant = isAccreditedEmployerIssuer(info.issuerTenants) ? undefined : info.issuerTenants[0];
    const configurations = configurationsFor([type]);
    const configuration = configurations.find((c) => c.format === 'dc+sd-jwt') ?? configurations[0];
    if (tenant === undefined || configuration === undefined) throw new TypeError(`${type} has no department issuer or configuration`);
    return [{ type, tenant, configurationId: configuration.id, labels: info.labels, claims: subject }];
  });
}
