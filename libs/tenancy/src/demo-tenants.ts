import { DIGEST_ANCHOR_TYPES } from '@citycred/anchoring';
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
  /** For an employer: its business registration number, `NNN-NN-NNNNN` (checked by `readBusinessNumber`). */
  businessNumber?: string;
  /**
   * Record types (not credential types: nobody issues them) the tenant is accredited for on chain so that it may
   * anchor other services' digests (`POST /anchors/digests`, ADR 0015): the city tenant's `SignatureReceipt` and
   * `PetitionTally`. Provisioning accredits them like `credentialTypes`; they are never configured as the tenant's
   * types (no catalogue entry, no issuance, no directory listing).
   */
  recordTypes?: string[];
}

/**
 * The demo tenants (fictional: Korean names, with English ones for the console's English view, certificates and
 * OpenID4VCI metadata): the departments of the product's catalogue, the labour department (`labor`, which issues
 * nothing itself and accredits employers for the labour types), two employers it accredits (fictional business
 * registration numbers with a valid check digit), and one app operator configured for
 * open issuance (plain `VerifiableCredential`s and its own `ExampleMembershipCredential`, as a VC-API client issues). Only the embedded mode (no
 * `CHAIN_RPC_URL`) creates them, each once: against a real chain tenants are onboarded by the operator.
 */
export const DEMO_TENANTS: readonly TenantSeed[] = Object.freeze([
  {
    slug: 'seoul-citizen',
    name: '서울특별시 주민등록과',
    nameEn: 'Seoul Metropolitan Government — Resident Registration',
    kind: 'department',
    credentialTypes: ['SeoulCitizenCard'],
    // The city tenant anchors the verifier's e-signature receipts and petition tallies (ADR 0015).
    recordTypes: Object.values(DIGEST_ANCHOR_TYPES),
  },
  { slug: 'education-office', name: '서울특별시교육청', nameEn: 'Seoul Metropolitan Office of Education', kind: 'department', credentialTypes: ['EnrollmentStatus'] },
  { slug: 'health-insurance', name: '국민건강보험공단 서울지역본부', nameEn: 'National Health Insurance Service (Seoul)', kind: 'department', credentialTypes: ['IncomeBracket'] },
  {
    slug: 'employment-insurance',
    name: '서울지방고용노동청 고용보험', nameEn: 'Employment Insurance (Seoul Regional Labor Office)',
    kind: 'department',
    credentialTypes: ['EmploymentInsuranceStatus', 'SocialInsuranceEnrollment'],
  },
  {
    // Issues nothing itself: it accredits employers for the labour types after checking their business registration.
    slug: 'labor',
    name: '서울지방고용노동청 근로개선지도과', nameEn: 'Seoul Regional Labor Office — Labor Standards',
    kind: 'department',
    credentialTypes: [],
    delegatedTypes: ['LaborContract', 'WorkExperience'],
  },
  { slug: 'youth-policy', name: '서울특별시 청년정책과', nameEn: 'Seoul Youth Policy Division', kind: 'department', credentialTypes: ['YouthAllowanceEligibility'] },
  { slug: 'housing', name: '서울특별시 주택정책과', nameEn: 'Seoul Housing Policy Division', kind: 'department', credentialTypes: ['RentalStatus'] },
  {
    slug: 'hangang-cafe',
    name: '한강카페 (데모 사업장)',
    nameEn: 'Hangang Café (demo employer)',
    kind: 'employer',
    credentialTypes: ['LaborContract', 'WorkExperience'],
    accreditedBy: 'labor',
    businessNumber: '123-45-67891',
  },
  {
    // The "new employer" whose scanner checks a worker's work history.
    slug: 'mangwon-bakery',
    name: '망원동 빵집 (데모 사업장)',
    nameEn: 'Mangwon Bakery (demo employer)',
    kind: 'employer',
    credentialTypes: ['LaborContract', 'WorkExperience'],
    accreditedBy: 'labor',
    businessNumber: '220-81-11115',
  },
  {
    slug: 'open-issuer',
    name: '오픈 발급자 (데모 앱 운영자)',
    nameEn: 'Open Issuer (demo app operator)',
    kind: 'app',
    credentialTypes: ['VerifiableCredential', 'ExampleMembershipCredential'],
  },
]);
