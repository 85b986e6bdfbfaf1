import { describe, expect, it } from 'vitest';
import { walletAttendLink, walletContractLink, walletPresentLink, walletReceiveLink } from './wallet-links.js';

describe('wallet links', () => {
  it('opens presentation requests and offers in the wallet, or falls back to the protocol link', () => {
    expect(walletPresentLink('http://wallet.test/', 'openid4vp://?request_uri=x')).toBe('http://wallet.test/#present?request=openid4vp%3A%2F%2F%3Frequest_uri%3Dx');
    expect(walletPresentLink(undefined, 'openid4vp://?a')).toBe('openid4vp://?a');
    expect(walletReceiveLink('http://wallet.test', 'openid-credential-offer://?a', 'openid-credential-offer://?b')).toBe(
      'http://wallet.test/#receive?offer=openid-credential-offer%3A%2F%2F%3Fa&offer=openid-credential-offer%3A%2F%2F%3Fb',
    );
  });

  it('opens a labour contract\'s review URL in the wallet, the URL encoded whole', () => {
    const review = 'http://127.0.0.1:3001/labor/contracts/7b6f3c1e-0d9a-4c55-9f3e-2a1b4c5d6e7f?t=Ab_c-d';
    const link = walletContractLink('http://localhost:3003//', review);
    expect(link).toBe(`http://localhost:3003/#contract?url=${encodeURIComponent(review)}`);
    expect(decodeURIComponent(new URLSearchParams(link.split('#contract?')[1]).get('url')!)).toBe(review);
    expect(walletContractLink(undefined, review)).toBe(review);
  });

  it('carries a workplace QR\'s JWS into the wallet\'s check-in screen, or is the JWS itself', () => {
    const jws = 'eyJhbGciOiJFUzI1NksifQ.eyJub25jZSI6IngifQ.c2ln';
    expect(walletAttendLink('https://wallet.example/app/', jws)).toBe(`https://wallet.example/app/#attend?qr=${jws}`);
    expect(new URLSearchParams(walletAttendLink('https://w.example', jws).split('#attend?')[1]).get('qr')).toBe(jws);
    expect(walletAttendLink(undefined, jws)).toBe(jws);
  });
});
