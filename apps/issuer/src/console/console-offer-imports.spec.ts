import { describe, expect, it } from 'vitest';
import { columnOfPointer, offerConfigurationId } from './console-offer-imports.js';

describe('console bulk offers', () => {
  it('names the CSV column of a bulk row’s error pointer, nested claims with dots, or none for the whole row', () => {
    expect(columnOfPointer('/rows/1/claims/birthDate')).toBe('birthDate');
    expect(columnOfPointer('/rows/12/claims/residence/district')).toBe('residence.district');
    expect(columnOfPointer('/rows/0/claims/a~1b~0c')).toBe('a/b~c');
    expect(columnOfPointer('/rows/3')).toBeNull();
    expect(columnOfPointer('/rows/3/claims')).toBeNull();
    expect(columnOfPointer('/credential_configuration_id')).toBeNull();
  });

  it('offers the configuration the OpenID4VCI issuer publishes for the console’s formats', () => {
    expect(offerConfigurationId('SeoulCitizenCard', 'dc+sd-jwt')).toBe('SeoulCitizenCard_dc_sd_jwt');
    expect(offerConfigurationId('SeoulCitizenCard', 'jwt_vc')).toBe('SeoulCitizenCard_jwt_vc_json');
  });
});
