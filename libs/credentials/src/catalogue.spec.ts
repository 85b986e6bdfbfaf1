import { describe, expect, it } from 'vitest';
import { assetExists } from './assets.js';
import {
  CATALOGUE_TYPES,
  CREDENTIAL_TYPES,
  credentialExpiry,
  credentialTypeInfo,
  isAccreditedEmployerIssuer,
  isCatalogueType,
  isCredentialType,
  mayTenantIssue,
} from './catalogue.js';
import { exampleSubject } from './fixtures.js';
import { credentialSchema } from './schemas.js';

const HANGUL = /[\uAC00-\uD7A3]/;

describe('catalogue', () => {
  it('lists the credential types of PRODUCT.md §2 (and RentalStatus, for rent support) and keeps AttendanceRecord out of them', () => {
    expect(CREDENTIAL_TYPES).toEqual([
      'SeoulCitizenCard',
      'EnrollmentStatus',
      'IncomeBracket',
      'EmploymentInsuranceStatus',
      'SocialInsuranceEnrollment',
      'YouthAllowanceEligibility',
      'LaborContract',
      'WorkExperience',
      'RentalStatus',
    ]);
    expect(CATALOGUE_TYPES).toContain('AttendanceRecord');
    expect(isCredentialType('AttendanceRecord')).toBe(false);
    expect(isCatalogueType('AttendanceRecord')).toBe(true);
    expect(credentialTypeInfo('AttendanceRecord').isCredential).toBe(false);
  });

  it.each(CATALOGUE_TYPES)('%s has labels, a schema file and a valid-example fixture', (type) => {
    const entry = credentialTypeInfo(type);
    expect(entry.type).toBe(type);
    expect(entry.labels.ko).toMatch(HANGUL);
    expect(entry.labels.en).toMatch(/^[A-Z][A-Za-z ]+$/);
    expect(assetExists(`schemas/${type}.json`)).toBe(true);
    expect(assetExists(`fixtures/${type}.valid.json`)).toBe(true);
    expect(exampleSubject(type)).toBeTypeOf('object');
  });

  it.each(CREDENTIAL_TYPES)('%s is a JWT credential with both status purposes and real disclosable claims', (type) => {
    const entry = credentialTypeInfo(type);
    expect(entry.formats).toContain('jwt');
    expect(entry.statusPurposes).toEqual(['revocation', 'suspension']);
    const claims = Object.keys((credentialSchema(type) as unknown as { properties: object }).properties);
    for (const claim of entry.selectivelyDisclosable) expect(claims).toContain(claim);
    expect(entry.selectivelyDisclosable.length > 0).toBe(entry.formats.includes('sd-jwt'));
    expect(entry.validity === null || /^P(\d+Y)?(\d+M)?(\d+D)?$/.test(entry.validity)).toBe(true);
  });

  it('offers SD-JWT exactly for the citizen card, income bracket, employment insurance status and rental status', () => {
    const sdJwt = CREDENTIAL_TYPES.filter((type) => credentialTypeInfo(type).formats.includes('sd-jwt'));
    expect(sdJwt).toEqual(['SeoulCitizenCard', 'IncomeBracket', 'EmploymentInsuranceStatus', 'RentalStatus']);
  });

  it('makes every citizen card claim selectively disclosable (all but the holder id)', () => {
    const claims = Object.keys((credentialSchema('SeoulCitizenCard') as unknown as { properties: object }).properties);
    expect([...credentialTypeInfo('SeoulCitizenCard').selectivelyDisclosable].sort()).toEqual(
      claims.filter((claim) => claim !== 'id').sort(),
    );
  });

  it('names the issuing department tenants and leaves labour types to accredited employers', () => {
    expect(credentialTypeInfo('SeoulCitizenCard').issuerTenants).toEqual(['seoul-citizen']);
    expect(credentialTypeInfo('EnrollmentStatus').issuerTenants).toEqual(['education-office']);
    expect(credentialTypeInfo('IncomeBracket').issuerTenants).toEqual(['health-insurance']);
    expect(credentialTypeInfo('EmploymentInsuranceStatus').issuerTenants).toEqual(['employment-insurance']);
    expect(credentialTypeInfo('SocialInsuranceEnrollment').issuerTenants).toEqual(['employment-insurance']);
    expect(credentialTypeInfo('YouthAllowanceEligibility').issuerTenants).toEqual(['youth-policy']);
    expect(credentialTypeInfo('RentalStatus').issuerTenants).toEqual(['housing']);
    expect(credentialTypeInfo('LaborContract').issuerTenants).toEqual({ kind: 'accredited-employer' });
    expect(isAccreditedEmployerIssuer(credentialTypeInfo('WorkExperience').issuerTenants)).toBe(true);
  });

  it('decides which tenant may issue what', () => {
    const department = { slug: 'seoul-citizen', accreditedEmployer: false };
    const cafe = { slug: 'cafe-hangangnaru', accreditedEmployer: true };
    const unaccredited = { slug: 'new-bakery', accreditedEmployer: false };
    expect(mayTenantIssue('SeoulCitizenCard', department)).toBe(true);
    expect(mayTenantIssue('SeoulCitizenCard', cafe)).toBe(false);
    expect(mayTenantIssue('IncomeBracket', department)).toBe(false);
    expect(mayTenantIssue('LaborContract', cafe)).toBe(true);
    expect(mayTenantIssue('WorkExperience', unaccredited)).toBe(false);
  });

  it('computes expiry from the validity, and none for labour types', () => {
    const issued = new Date('2026-03-02T00:00:00Z');
    expect(credentialExpiry('SeoulCitizenCard', issued)?.toISOString()).toBe('2031-03-02T00:00:00.000Z');
    expect(credentialExpiry('EnrollmentStatus', issued)?.toISOString()).toBe('2027-03-02T00:00:00.000Z');
    expect(credentialExpiry('IncomeBracket', issued)?.toISOString()).toBe('2026-09-02T00:00:00.000Z');
    expect(credentialExpiry('EmploymentInsuranceStatus', issued)?.toISOString()).toBe('2026-06-02T00:00:00.000Z');
    expect(credentialExpiry('SocialInsuranceEnrollment', issued)?.toISOString()).toBe('2027-03-02T00:00:00.000Z');
    expect(credentialExpiry('YouthAllowanceEligibility', issued)?.toISOString()).toBe('2027-03-02T00:00:00.000Z');
    expect(credentialExpiry('LaborContract', issued)).toBeNull();
    expect(credentialExpiry('WorkExperience', issued)).toBeNull();
  });

  it('refuses unknown names with a TypeError and rejects non-strings', () => {
    expect(() => credentialTypeInfo('DriverLicence' as never)).toThrow(TypeError);
    expect(isCredentialType('VerifiableCredential')).toBe(false);
    expect(isCredentialType(42)).toBe(false);
    expect(isCredentialType('SeoulCitizenCard')).toBe(true);
  });

  it('hands out entries that cannot be altered', () => {
    const entry = credentialTypeInfo('SeoulCitizenCard');
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry.selectivelyDisclosable)).toBe(true);
    expect(Object.isFrozen(entry.labels)).toBe(true);
  });
});
