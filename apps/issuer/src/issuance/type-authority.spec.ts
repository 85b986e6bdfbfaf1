import { AppError } from '@citycred/errors';
import { TenantEntity } from '@citycred/persistence';
import { describe, expect, it } from 'vitest';
import { TypeAuthority, type IssuanceAccreditation } from './type-authority.js';

const tenant = (slug: string, kind: TenantEntity['kind'], types: string[]): TenantEntity =>
  Object.assign(new TenantEntity(), { id: `id-${slug}`, slug, kind, did: `did:ethr:citycred:0x02${slug}`, address: '0x0', name: slug, createdAt: '', credentialTypesJson: JSON.stringify(types) });

/** The accreditation cache's answer from memory: accredited for the listed (tenant, type) pairs only. */
function accreditedFor(...pairs: Array<[string, string]>): IssuanceAccreditation & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    assertMayIssue(t, type) {
      asked.push(`${t.slug}:${type}`);
      if (!pairs.some(([slug, accredited]) => slug === t.slug && accredited === type)) {
        throw new AppError('issuance.not-accredited', 'not accredited');
      }
    },
  };
}

const city = tenant('seoul-citizen', 'department', ['SeoulCitizenCard']);
const cafe = tenant('hangang-cafe', 'employer', ['LaborContract', 'WorkExperience']);
const app = tenant('open-issuer', 'app', ['VerifiableCredential', 'ExampleMembershipCredential']);
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return (error as AppError).code;
  }
  return 'none';
};

describe('TypeAuthority', () => {
  const authority = new TypeAuthority(
    accreditedFor(['seoul-citizen', 'SeoulCitizenCard'], ['hangang-cafe', 'LaborContract'], ['open-issuer', 'VerifiableCredential'], ['open-issuer', 'ExampleMembershipCredential']),
  );

  it('lets a department issue its catalogue type, with the catalogue entry, once the chain accredits it', () => {
    const issuable = authority.authorise(city, ['VerifiableCredential', 'SeoulCitizenCard']);
    expect(issuable.accreditationType).toBe('SeoulCitizenCard');
    expect(issuable.catalogue?.labels.ko).toBe('서울시민카드');
  });

  it('lets an accredited employer issue labour types, and refuses them when the chain does not accredit it', () => {
    expect(authority.authorise(cafe, ['VerifiableCredential', 'LaborContract']).accreditationType).toBe('LaborContract');
    expect(codeOf(() => authority.authorise(cafe, ['VerifiableCredential', 'WorkExperience']))).toBe('issuance.not-accredited');
  });

  it('lets an app operator issue plain VerifiableCredential and its own types, the last type counting', () => {
    expect(authority.authorise(app, 'VerifiableCredential')).toEqual({ accreditationType: 'VerifiableCredential', catalogue: null });
    expect(authority.authorise(app, ['VerifiableCredential', 'ExampleMembershipCredential']).accreditationType).toBe('ExampleMembershipCredential');
  });

  it.each([
    ['a department issuing another department’s type', city, ['VerifiableCredential', 'EnrollmentStatus'], 'issuance.type-not-allowed'],
    ['a department issuing a labour type', city, ['VerifiableCredential', 'LaborContract'], 'issuance.type-not-allowed'],
    ['a department issuing a type outside the catalogue', city, ['VerifiableCredential', 'ExampleMembershipCredential'], 'credential.unknown-type'],
    ['a catalogue type beside another type', city, ['VerifiableCredential', 'SeoulCitizenCard', 'Extra'], 'credential.unknown-type'],
    ['an app operator issuing a catalogue type', app, ['VerifiableCredential', 'SeoulCitizenCard'], 'issuance.type-not-allowed'],
    ['an app operator issuing a type it is not configured for', app, ['VerifiableCredential', 'OtherCredential'], 'issuance.type-not-allowed'],
    ['a type name that is no term', app, ['VerifiableCredential', 'Bad Type'], 'credential.invalid'],
    ['no VerifiableCredential', city, ['SeoulCitizenCard'], 'credential.invalid'],
    ['a type named twice', city, ['VerifiableCredential', 'VerifiableCredential', 'SeoulCitizenCard'], 'credential.invalid'],
    ['a type that is not a list of strings', city, [1, 2], 'credential.invalid'],
    ['no type at all', city, undefined, 'credential.invalid'],
  ])('refuses %s', (_label, who, type, code) => {
    expect(codeOf(() => authority.authorise(who, type))).toBe(code);
  });

  it('asks the chain only after the catalogue and the configuration allow the type', () => {
    const accreditations = accreditedFor();
    const strict = new TypeAuthority(accreditations);
    codeOf(() => strict.authorise(city, ['VerifiableCredential', 'EnrollmentStatus']));
    codeOf(() => strict.authorise(app, ['VerifiableCredential', 'OtherCredential']));
    expect(accreditations.asked).toEqual([]);
    expect(codeOf(() => strict.authorise(city, ['VerifiableCredential', 'SeoulCitizenCard']))).toBe('issuance.not-accredited');
    expect(accreditations.asked).toEqual(['seoul-citizen:SeoulCitizenCard']);
  });
});
