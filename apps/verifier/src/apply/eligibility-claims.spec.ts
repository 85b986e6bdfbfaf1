import { describe, expect, it } from 'vitest';
import { eligibilityHolderOf } from './eligibility-claims.js';

const didJwk = `did:jwk:${Buffer.from(JSON.stringify({ crv: 'P-256', kty: 'EC', x: 'x', y: 'y' })).toString('base64url')}`;
const presented = (...holders: Array<string | undefined>) => ({
  presentations: holders.map((holder) => ({ credentialQueryId: 'q', verified: true, ...(holder === undefined ? {} : { holder }), checks: [], errors: [], warnings: [], credentials: [] })),
});

describe('eligibilityHolderOf: the wallet an eligibility offer is bound to', () => {
  it('is the one did:jwk / did:key every presentation names', () => {
    expect(eligibilityHolderOf(presented(didJwk, didJwk, didJwk))).toBe(didJwk);
    expect(eligibilityHolderOf(presented('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK'))).toBe('did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK');
  });

  it.each([
    ['no presentation', presented()],
    ['two holders', presented(didJwk, 'did:jwk:eyJvdGhlciI6MX0')],
    ['a presentation without holder', presented(didJwk, undefined)],
    ['a holder no offer can be bound to', presented('did:ethr:citycred:0x01')],
    ['a DID URL', presented(`${didJwk}#0`)],
  ])('is null for %s', (_, result) => {
    expect(eligibilityHolderOf(result)).toBeNull();
  });
});
