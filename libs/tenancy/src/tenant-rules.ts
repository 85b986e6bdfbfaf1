import { CREDENTIAL_TYPES, credentialTypeInfo, isAccreditedEmployerIssuer, isCredentialType, type CredentialTypeName } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { readBusinessNumber } from '@citycred/labor';
import type { TenantKind } from '@citycred/persistence';

/** A tenant's slug: 1 to 64 lowercase letters, digits and inner hyphens. */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Printable text: a name is shown to operators, on certificates and in wallets, and stored in a 200-character column. */
const NAME = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}<>]{1,200}$/u;

/** A type an app operator issues under open issuance: a term, at most 64 characters (as the issuer accepts). */
const OPEN_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** The most types one tenant is configured for (each costs chain reads whenever its accreditation is read). */
export const MAX_TENANT_TYPES = 32;

/** The kinds of tenant. */
export const TENANT_KINDS: readonly TenantKind[] = Object.freeze(['department', 'employer', 'app']);

/**
 * One thing wrong with a request, by JSON pointer into it. The message is a predicate about the member ("is not a
 * credential type") and never repeats what the request said, so an HTTP answer can carry it and a command line can
 * print it after the flag and the value it was given.
 */
export interface TenantRequestIssue {
  readonly pointer: string;
  readonly message: string;
  /** An unknown catalogue type (answered `credential.unknown-type`); other issues are `tenant.invalid`. */
  readonly unknownType?: boolean;
}

/**
 * The error for a list of issues: `credential.unknown-type` (400) when every issue is an unknown type, else
 * `tenant.invalid` (400); `errors` lists them, and the detail says each one by pointer.
 */
export function invalidTenantRequest(issues: readonly TenantRequestIssue[], what = 'The tenant request cannot be carried out'): AppError {
  const code = issues.every((issue) => issue.unknownType) ? ErrorCode.CredentialUnknownType : ErrorCode.TenantInvalid;
  return new AppError(code, `${what}: ${issues.map((i) => `${i.pointer} ${i.message}`).join('; ')}.`, {
    extensions: { errors: issues.map(({ pointer, message }) => ({ pointer, message })) },
  });
}

/** Issues of a slug (`/slug`). */
export function slugIssues(slug: unknown): TenantRequestIssue[] {
  return typeof slug === 'string' && TENANT_SLUG.test(slug) ? [] : [{ pointer: '/slug', message: 'is 1 to 64 lowercase letters, digits and inner hyphens (e.g. mapo-welfare)' }];
}

/** Issues of a name (`/name`, `/nameEn`). */
export function nameIssues(name: unknown, pointer: string): TenantRequestIssue[] {
  return typeof name === 'string' && NAME.test(name) ? [] : [{ pointer, message: 'is 1 to 200 printable characters without "<" or ">"' }];
}

/** A catalogue type and the kind of tenant that may be configured for it ({@link catalogueTypesByKind}). */
export interface ConfigurableType {
  readonly type: string;
  readonly labels: { readonly ko: string; readonly en: string };
  /** `employer` for the labour types, `department` for the others; app operators are configured for none of them. */
  readonly kind: 'department' | 'employer';
}

/**
 * The catalogue's credential types, each with the one kind of tenant {@link typeIssues} lets be configured for it: what
 * the admin console offers when it creates a tenant or changes its types.
 */
export function catalogueTypesByKind(): ConfigurableType[] {
  return CREDENTIAL_TYPES.map((type) => {
    const info = credentialTypeInfo(type);
    return { type, labels: { ko: info.labels.ko, en: info.labels.en }, kind: kindIssuing(type) };
  });
}

/** The kind of tenant that issues a catalogue type, as the issuer's type authority decides at issuance. */
function kindIssuing(type: CredentialTypeName): 'department' | 'employer' {
  return isAccreditedEmployerIssuer(credentialTypeInfo(type).issuerTenants) ? 'employer' : 'department';
}

/**
 * Issues of the credential types a tenant of `kind` is configured for (`pointer`, e.g. `/types`): departments the
 * catalogue types that departments issue, employers the labour types (the catalogue says which kind issues each type,
 * as the issuer's type authority decides at issuance), app operators their own type names or plain
 * `VerifiableCredential` under open issuance, never a catalogue type. At least one (none with `allowNone`: a
 * department that only accredits employers for the labour types delegated to it), at most {@link MAX_TENANT_TYPES},
 * none twice.
 */
export function typeIssues(types: readonly unknown[], kind: TenantKind, pointer = '/types', options: { allowNone?: boolean } = {}): TenantRequestIssue[] {
  if (types.length === 0) return options.allowNone ? [] : [{ pointer, message: 'needs at least one credential type' }];
  if (types.length > MAX_TENANT_TYPES) return [{ pointer, message: `holds at most ${MAX_TENANT_TYPES} types` }];
  const issues: TenantRequestIssue[] = [];
  types.forEach((type, index) => {
    const at = `${pointer}/${index}`;
    if (kind === 'app') {
      if (isCredentialType(type)) issues.push({ pointer: at, message: "is a catalogue type, which only the city's departments and accredited employers issue" });
      else if (typeof type !== 'string' || !OPEN_TYPE.test(type)) issues.push({ pointer: at, message: 'is not a type name (a letter, then letters, digits, "_", "." or "-"; at most 64)' });
      return;
    }
    if (!isCredentialType(type)) {
      issues.push({ pointer: at, message: `is not a credential type; known types: ${CREDENTIAL_TYPES.join(', ')}`, unknownType: true });
      return;
    }
    const issuerKind = kindIssuing(type);
    if (issuerKind !== kind) issues.push({ pointer: at, message: issuerKind === 'employer' ? 'is a labour type, which employers issue, not departments' : 'is a type the city\'s departments issue, not employers' });
  });
  if (new Set(types).size !== types.length) issues.push({ pointer, message: 'names a type twice' });
  return issues;
}

/** Issues of the types a department may accredit employers for (`/mayAccredit`): labour types of the catalogue. */
export function delegatedTypeIssues(types: readonly unknown[]): TenantRequestIssue[] {
  return typeIssues(types, 'employer', '/mayAccredit');
}

/**
 * Checks a list of types for a tenant of `kind`.
 * @throws AppError `credential.unknown-type` or `tenant.invalid` (400) naming each issue
 */
export function assertTypes(types: readonly unknown[], kind: TenantKind, pointer = '/types'): void {
  const issues = typeIssues(types, kind, pointer);
  if (issues.length > 0) throw invalidTenantRequest(issues);
}

/**
 * An employer's business registration number (사업자등록번호) read with `readBusinessNumber` (the National Tax
 * Service's check digit), as `NNN-NN-NNNNN`: what the `business_number` column holds.
 * @throws AppError `tenant.invalid` (400, `/businessNumber`) when an employer has none or another kind of tenant has one;
 *   `tenant.business-number-invalid` (400, extension `reason`: `format` or `checksum`) when it is not a valid number
 * @returns null for a tenant that is not an employer
 */
export function checkedBusinessNumber(value: string | undefined, kind: TenantKind): string | null {
  if (kind !== 'employer') {
    if (value !== undefined) throw invalidTenantRequest([{ pointer: '/businessNumber', message: 'is for employers only' }]);
    return null;
  }
  if (value === undefined || value.trim() === '') {
    throw invalidTenantRequest([{ pointer: '/businessNumber', message: "is required for an employer: its business registration number (사업자등록번호), e.g. 123-45-67891" }]);
  }
  const reading = readBusinessNumber(value);
  if (!reading.ok) {
    const why = reading.problem === 'format' ? 'is not ten digits written NNN-NN-NNNNN' : 'has a check digit that does not match the National Tax Service rule (a digit is wrong)';
    throw new AppError(ErrorCode.TenantBusinessNumberInvalid, `The business registration number ${why}.`, {
      extensions: { reason: reading.problem, errors: [{ pointer: '/businessNumber', message: why }] },
    });
  }
  return reading.formatted;
}
