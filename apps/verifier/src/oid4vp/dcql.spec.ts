import { describe, expect, it } from 'vitest';
import { defaultPolicyRegistry } from '../policies/index.js';
import { dcqlQueryOf } from './dcql.js';

describe('dcqlQueryOf', () => {
  const registry = defaultPolicyRegistry();

  it('asks for the citizen card as dc+sd-jwt by its vct, with the flag preferred over the birth date', () => {
    expect(dcqlQueryOf(registry.get('age-over-18')!)).toEqual({
      credentials: [
        {
          id: 'SeoulCitizenCard',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard'] },
          claims: [
            { id: 'ageOver18', path: ['ageOver18'] },
            { id: 'birthDate', path: ['birthDate'] },
          ],
          claim_sets: [['ageOver18'], ['birthDate']],
        },
      ],
    });
  });

  it('asks for a JWT-only type as jwt_vc_json by its W3C types, several credentials when the policy adds them up', () => {
    expect(dcqlQueryOf(registry.get('work-history')!)).toEqual({
      credentials: [
        {
          id: 'WorkExperience',
          format: 'jwt_vc_json',
          meta: { type_values: [['VerifiableCredential', 'WorkExperience']] },
          // What the criterion reads (period) and what the scanner shows: nothing else.
          claims: [
            { path: ['credentialSubject', 'period'] },
            { path: ['credentialSubject', 'employer'] },
            { path: ['credentialSubject', 'role'] },
            { path: ['credentialSubject', 'totalHours'] },
            { path: ['credentialSubject', 'attendanceRoot'] },
          ],
          multiple: true,
        },
      ],
    });
  });

  it('refuses a policy that requires a type outside the catalogue', () => {
    expect(() => dcqlQueryOf({ requires: [{ type: 'LibraryCard', claims: ['number'] }] })).toThrow(TypeError);
  });
});
