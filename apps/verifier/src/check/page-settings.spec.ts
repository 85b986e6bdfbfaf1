import { describe, expect, it } from 'vitest';
import { checkPageSettings, schemaTitles } from './page-settings.js';

describe('check page settings', () => {
  it('lets #ref= reach only the configured issuer, and a loopback issuer under both of its names', () => {
    expect(checkPageSettings('https://issuer.citycred.example/base').issuerOrigins).toEqual(['https://issuer.citycred.example']);
    expect(checkPageSettings('http://127.0.0.1:3001').issuerOrigins).toEqual(['http://127.0.0.1:3001', 'http://localhost:3001']);
    expect(checkPageSettings('http://localhost:3001').issuerOrigins).toEqual(['http://localhost:3001', 'http://127.0.0.1:3001']);
  });

  it('labels the catalogue types in Korean and English', () => {
    expect(checkPageSettings('http://127.0.0.1:3001').types['SeoulCitizenCard']).toMatchObject({ ko: '서울시민카드', en: 'Seoul Citizen Card' });
  });

  it('collects the schema titles of nested claims by dotted path', () => {
    expect(schemaTitles({ properties: { residence: { title: '거주지', properties: { city: { title: '시·도' }, district: {} } }, name: {} } })).toEqual({
      residence: '거주지',
      'residence.city': '시·도',
    });
  });

  it('follows shared definitions of common.json, so an employer’s name is labelled too', () => {
    const titles = checkPageSettings('http://127.0.0.1:3001').types['SocialInsuranceEnrollment']!.titles;
    expect(titles['employer']).toMatch(/[가-힣]/);
    expect(titles['employer.name']).toMatch(/[가-힣]/);
  });
});
