import { describe, expect, it } from 'vitest';
import { failureOf, pageSlugOf, readApplication, readOffer, readProgramPage, won } from './application.js';

describe('the application page’s reading of the page API', () => {
  it('reads a decision’s criteria with their reasons, and nothing it does not know', () => {
    const answer = {
      id: 'x', state: 'decided', eligible: false, receipt: true, offer: false,
      criteria: [
        { id: 'age-range', result: 'passed', reason: { ko: '나이 기준을 충족합니다.', en: 'Age met.' } },
        { id: 'income.household-median', result: 'failed', reason: { ko: '소득 초과', en: 'Income above.' }, birthDate: '2001-04-12' },
        { id: 'broken', result: 'failed' },
      ],
    };
    expect(readApplication(answer)).toEqual({
      state: 'decided', eligible: false, receipt: true, offer: false,
      criteria: [
        { id: 'age-range', passed: true, reason: { ko: '나이 기준을 충족합니다.', en: 'Age met.' } },
        { id: 'income.household-median', passed: false, reason: { ko: '소득 초과', en: 'Income above.' } },
      ],
    });
    expect(readApplication({ state: 'pending', expiresAt: 'x' })).toEqual({ state: 'pending' });
    expect(readApplication({ state: 'closed', reason: 'declined' })).toEqual({ state: 'closed', reason: 'declined' });
    expect(readApplication({ state: 'closed', reason: 'anything' })).toEqual({ state: 'closed', reason: 'not-verified' });
    expect(readApplication({ state: 'decided' })).toBeNull();
    expect(readApplication('decided')).toBeNull();
  });

  it('reads a program’s page, and refuses one without its texts', () => {
    const page = {
      page: 'youth-allowance', program: 'youth-allowance-2026', title: { ko: '청년수당', en: 'Youth Allowance' }, purpose: { ko: '목적', en: 'Purpose' },
      benefit: { monthlyAmountKrw: 500000, months: 6 }, criteria: [{ id: 'age-range', text: { ko: '만 19세', en: 'Aged 19' } }],
      credentials: [{ type: 'SeoulCitizenCard', label: { ko: '서울시민카드', en: 'Seoul Citizen Card' } }], eligibility: { label: { ko: '수급 자격', en: 'Eligibility' } },
    };
    expect(readProgramPage(page)).toEqual(page);
    const { eligibility: _e, ...withoutEligibility } = page;
    expect(readProgramPage(withoutEligibility)).not.toHaveProperty('eligibility');
    expect(readProgramPage({ ...page, title: 'Youth' })).toBeNull();
    expect(readProgramPage({ ...page, benefit: { monthlyAmountKrw: '500000', months: 6 } })).toBeNull();
  });

  it('reads an offer only with a credential offer link and a wallet or offer link to open', () => {
    const offer = { offerLink: 'openid-credential-offer://?credential_offer_uri=x', walletLink: 'http://127.0.0.1:3003/#receive?offer=x', qrSvg: '<svg/>', txCode: '042917', expiresAt: '2026-06-01T00:10:00.000Z', credential: { ko: '수급 자격', en: 'Eligibility' } };
    expect(readOffer(offer)).toEqual(offer);
    expect(readOffer({ ...offer, txCode: null })?.txCode).toBeNull();
    expect(readOffer({ ...offer, walletLink: 'javascript:alert(1)' })).toBeNull();
    expect(readOffer({ ...offer, offerLink: 'https://example.org' })).toBeNull();
  });

  it('says what failed by the problem’s code: an unknown page, the issuer down or unconfigured, an offer being made', () => {
    expect(failureOf(404, { code: 'program.page-not-found' })).toBe('not-found');
    expect(failureOf(404, { code: 'program.application-not-found' })).toBe('not-found');
    expect(failureOf(503, { code: 'program.issuer-unavailable' })).toBe('issuer-unavailable');
    expect(failureOf(503, { code: 'program.issuer-not-configured' })).toBe('issuer-not-configured');
    expect(failureOf(409, { code: 'program.offer-in-progress' })).toBe('in-progress');
    expect(failureOf(409, { code: 'program.offer-received' })).toBe('received');
    expect(failureOf(503, { code: 'service.unavailable' })).toBe('unavailable');
    expect(failureOf(null, null)).toBe('unavailable');
  });

  it('finds the page’s program in its path and writes amounts in the page’s language', () => {
    expect(pageSlugOf('/apply/youth-allowance')).toBe('youth-allowance');
    expect(pageSlugOf('/apply/youth-allowance/')).toBe('youth-allowance');
    expect(pageSlugOf('/apply/')).toBeNull();
    expect(pageSlugOf('/apply/../scan')).toBeNull();
    expect(won(500000, 'ko')).toBe('500,000원');
    expect(won(500000, 'en')).toBe('KRW 500,000');
  });
});
