import { credentialTypeInfo, isAccreditedEmployerIssuer, isCredentialType, type CredentialTypeInfo } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';

/** The base type every W3C credential carries. */
export const VERIFIABLE_CREDENTIAL = 'VerifiableCredential';

/** A type name a tenant may issue under open issuance: a term (letters, digits, `_.-`), at most 64 characters. */
const OPEN_TYPE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/** What issuing a credential of some types is allowed as. */
export interface IssuableType {
  /** The type the credential is accredited for on the IssuerRegistry: its catalogue type, or its most specific open type. */
  readonly accreditationType: string;
  /** The catalogue entry, for a catalogue type; null under open issuance. */
  readonly catalogue: CredentialTypeInfo | null;
}

/** What deciding asks of the accreditation cache: an answer from memory, no chain call. */
export type IssuanceAccreditation = Pick<TenantAccreditations, 'assertMayIssue'>;

/**
 * The one place that decides which tenant may issue which type. A credential's type list holds
 * `VerifiableCredential` and either exactly one catalogue type (schema, labels and the kind of tenant that issues it
 * from the catalogue: departments, or employers for the labour types) or,
 * for a tenant configured for open issuance (kind `app`), its own types (the last is the one accredited; plain
 * `VerifiableCredential` is accredited as itself). Either way the tenant must be configured for the type (the
 * types whose accreditation it watches) and accredited for it on the IssuerRegistry now — so what it may issue
 * is what the chain says, and verifiers checking the registry agree.
 */
export class TypeAuthority {
  constructor(private readonly accreditations: IssuanceAccreditation) {}

  /**
   * @param tenant - the calling tenant
   * @param type - the credential's `type` member, untrusted
   * @throws AppError `credential.invalid` (400: no `VerifiableCredential`, malformed names), `credential.unknown-type`
   *   (400: a catalogue type beside others), `issuance.type-not-allowed` (403), `issuance.not-accredited` (403),
   *   `service.unavailable` (503: the accreditation could not be confirmed recently)
   */
  authorise(tenant: TenantEntity, type: unknown): IssuableType {
    const types = typeof type === 'string' ? [type] : Array.isArray(type) ? type : null;
    if (!types || types.length === 0 || !types.every((t): t is string => typeof t === 'string' && t.length > 0 && t.length <= 64)) {
      throw invalidType('must be a list of type names of at most 64 characters');
    }
    if (!types.includes(VERIFIABLE_CREDENTIAL)) throw invalidType(`must include ${VERIFIABLE_CREDENTIAL}`);
    if (new Set(types).size !== types.length) throw invalidType('names a type twice');
    const specific = types.filter((t) => t !== VERIFIABLE_CREDENTIAL);
    const catalogued = specific.filter((t) => isCredentialType(t));

    let issuable: IssuableType;
    if (catalogued.length > 0) {
      if (specific.length !== 1) {
        throw new AppError(ErrorCode.CredentialUnknownType, `A CityCred catalogue credential has exactly two types: ${VERIFIABLE_CREDENTIAL} and its own.`);
      }
      const catalogue = credentialTypeInfo(catalogued[0] as Parameters<typeof credentialTypeInfo>[0]) as CredentialTypeInfo;
      // The catalogue says which kind of tenant issues a type (labour types: employers; the others: departments);
      // which department, or which employer, is the city's decision on chain — a district office onboarded for
      // SeoulCitizenCard issues it as the demo's seoul-citizen does.
      const issuerKind = isAccreditedEmployerIssuer(catalogue.issuerTenants) ? 'employer' : 'department';
      if (tenant.kind !== issuerKind) throw notAllowed(tenant, catalogue.type);
      issuable = { accreditationType: catalogue.type, catalogue };
    } else {
      if (tenant.kind !== 'app') {
        throw new AppError(
          ErrorCode.CredentialUnknownType,
          `credential.type names no catalogue credential type, and tenant ${tenant.slug} is not configured for open issuance of its own types.`,
        );
      }
      if (!specific.every((t) => OPEN_TYPE_NAME.test(t))) throw invalidType('names a type that is not a term (letters, digits, "_", "." or "-", starting with a letter)');
      issuable = { accreditationType: specific.at(-1) ?? VERIFIABLE_CREDENTIAL, catalogue: null };
    }
    if (!tenant.credentialTypes.includes(issuable.accreditationType)) throw notAllowed(tenant, issuable.accreditationType);
    this.accreditations.assertMayIssue(tenant, issuable.accreditationType);
    return issuable;
  }
}

function invalidType(message: string): AppError {
  return new AppError(ErrorCode.CredentialInvalid, 'The credential cannot be issued as given; see errors.', { extensions: { errors: [{ pointer: '/type', message }] } });
}

function notAllowed(tenant: TenantEntity, type: string): AppError {
  // The type is echoed only when it is a catalogue or configured name: it came from the request.
  const named = isCredentialType(type) || tenant.credentialTypes.includes(type) ? type : 'this type';
  const why = isCredentialType(type) && !tenant.credentialTypes.includes(type) ? 'is not configured to issue' : 'may not issue';
  return new AppError(ErrorCode.IssuanceTypeNotAllowed, `Tenant ${tenant.slug} (${tenant.kind}) ${why} ${named}.`);
}
