import { describe, expect, it } from 'vitest';
import { claimRows, describeCredential, parseInput } from './credential.js';

const b64 = (value: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(value))))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

describe('the check page’s reading of a credential', () => {
  it('finds the credential or the certificate reference in a fragment, a QR’s address, a JWT or JSON', () => {
    expect(parseInput('https://city.example/check#vc=eyJ.a.b')).toEqual({ credential: 'eyJ.a.b' });
    expect(parseInput(' #ref=https://issuer.example/certificates/ab/cd ')).toEqual({ reference: 'https://issuer.example/certificates/ab/cd' });
    expect(parseInput('{"proof":{"jwt":"x"}}')).toEqual({ credential: { proof: { jwt: 'x' } } });
    expect(parseInput('{not json')).toEqual({ credential: '{not json' });
  });

  it('describes an SD-JWT VC with its disclosed claims, leaving the JWT machinery out', () => {
    const payload = { iss: 'did:ethr:0x1', iat: 1_700_000_000, vct: 'https://city.example/types/SeoulCitizenCard', _sd: ['x'], cnf: {}, given: 'open' };
    const disclosure = b64(['salt', 'name', '김서연']);
    const described = describeCredential(`${b64({ alg: 'ES256K' })}.${b64(payload)}.sig~${disclosure}~`);
    expect(described).toEqual({
      types: ['SeoulCitizenCard'],
      issuer: 'did:ethr:0x1',
      issued: new Date(1_700_000_000_000),
      validUntil: undefined,
      claims: { given: 'open', name: '김서연' },
    });
  });

  it('labels nested claims with the schema’s titles and skips the subject id', () => {
    expect(claimRows({ id: 'did:x', residence: { city: '서울', district: '마포구' }, name: '김' }, { residence: '거주지', 'residence.city': '시' })).toEqual([
      ['거주지 · 시', '서울'],
      ['거주지 · district', '마포구'],
      ['name', '김'],
    ]);
  });
});
