import type { TenantKind } from '@citycred/persistence';

/**
 * What a tenant is made of: one of the demo tenants the embedded mode provisions once, or one an operator onboards
 * (`citycred tenants onboard`).
 */
export interface TenantSeed {
  slug: string;
  name: string;
  /** The name in English, when the tenant has one besides `name`. */
  nameEn?: string;
  kind: TenantKind;
  /** Credential types the tenant is accredited for on chain and may issue. */
  credentialTypes: string[];
  /** For an employer: the department that accredits it (delegated labour types). */
  accreditedBy?: string;
  /** For a department: the types it may accredit employers for. */
  delegatedTypes?: string[];
}

/**
 * The demo tenants: the departments of the product's catalogue, one employer, and one app operator configured for
 * open issuance (plain `VerifiableCredential`s and its own `ExampleMembershipCredential`, as a VC-API client issues). Only the embedded mode (no
 * `CHAIN_RPC_URL`) creates them, each once: against a real chain tenants are onboarded by the operator.
 */
export const DEMO_TENANTS: readonly TenantSeed[] = Object.freeze([
  { slug: 'seoul-citizen', name: 'Seoul Metropolitan Government — Resident Registration', kind: 'department', credentialTypes: ['SeoulCitizenCard'] },
  { slug: 'education-office', name: 'Seoul Metropolitan Office of Education', kind: 'department', credentialTypes: ['EnrollmentStatus'] },
  { slug: 'health-insurance', name: 'National Health Insurance (Seoul)', kind: 'department', credentialTypes: ['IncomeBracket'] },
  {
    slug: 'employment-insurance',
    name: 'Employment Insurance (Seoul)',
    kind: 'department',
    credentialTypes: ['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment'],
    delegatedTypes: ['LaborContract', 'WorkExperience'],
  },
  { slug: 'youth-policy', name: 'Seoul Youth Policy Division', kind: 'department', credentialTypes: ['YouthAllowanceEligibility'] },
  {
    slug: 'hangang-cafe',
    name: 'Hangang Café (demo employer)',
    kind: 'employer',
    credentialTypes: ['LaborContract', 'WorkExperience'],
    accreditedBy: 'employment-insurance',
  },
  {
    slug: 'open-issuer',
    name: 'Open Issuer (demo app operator)',
    kind: 'app',
    credentialTypes: ['VerifiableCredential', 'ExampleMembershipCredential'],
  },
]);
