import { describe, expect, it } from 'vitest';
import { readDeepLink } from './deep-links.js';

const OFFER = 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcity.example%2Foid4vci%2Foffers%2Fa1';
const REQUEST = 'openid4vp://?client_id=decentralized_identifier%3Adid%3Ajwk%3Aabc&request_uri=https%3A%2F%2Fcity.example%2Fr';

describe('same-device links', () => {
  it('reads the offers of a receive link in order, each decoded once', () => {
    expect(readDeepLink(`#receive?offer=${encodeURIComponent(OFFER)}`)).toEqual({ flow: 'receive', offers: [OFFER] });
    const second = OFFER.replace('a1', 'b2');
    expect(readDeepLink(`#receive?offer=${encodeURIComponent(OFFER)}&offer=${encodeURIComponent(second)}`)).toEqual({ flow: 'receive', offers: [OFFER, second] });
    // A '+' encoded as %2B stays a '+'.
    expect(readDeepLink(`#receive?offer=${encodeURIComponent('a+b c')}`)).toEqual({ flow: 'receive', offers: ['a+b c'] });
  });

  it('reads the request of a present link', () => {
    expect(readDeepLink(`#present?request=${encodeURIComponent(REQUEST)}`)).toEqual({ flow: 'present', request: REQUEST });
  });

  it('hands garbage to the flow, which says what is wrong with it, and leaves other fragments alone', () => {
    expect(readDeepLink('#receive?offer=%E0%A4%A')).toEqual({ flow: 'receive', offers: [expect.any(String)] });
    expect(readDeepLink('#receive?offer=https%3A%2F%2Fevil.example')).toEqual({ flow: 'receive', offers: ['https://evil.example'] });
    expect(readDeepLink('#receive')).toEqual({ flow: 'receive', offers: [] });
    expect(readDeepLink('#present?other=1')).toEqual({ flow: 'present', request: undefined });
    expect(readDeepLink('')).toBeUndefined();
    expect(readDeepLink('#')).toBeUndefined();
    expect(readDeepLink('#settings')).toBeUndefined();
    expect(readDeepLink('#receiver?offer=x')).toBeUndefined();
  });
});
