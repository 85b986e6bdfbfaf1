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

  it('reads the review URL of a contract link and the workplace QR of an attend link (as @citycred/credentials/wallet-links builds them)', async () => {
    const { walletAttendLink, walletContractLink } = await import('@citycred/credentials/wallet-links');
    const review = 'http://127.0.0.1:3001/labor/contracts/3f2a?t=a+b/c%3D';
    expect(readDeepLink(new URL(walletContractLink('http://127.0.0.1:3003/', review)).hash)).toEqual({ flow: 'contract', url: review });
    const jws = 'eyJhbGciOiJFUzI1NksifQ.eyJpc3MiOiJkaWQ6ZXRocjp4In0.c2ln_-';
    expect(readDeepLink(new URL(walletAttendLink('http://127.0.0.1:3003', jws)).hash)).toEqual({ flow: 'attend', qr: jws });
    expect(readDeepLink('#contract')).toEqual({ flow: 'contract', url: undefined });
    expect(readDeepLink('#attend?x=1')).toEqual({ flow: 'attend', qr: undefined });
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
