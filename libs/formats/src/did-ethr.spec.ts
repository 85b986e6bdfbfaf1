import { describe, expect, it } from 'vitest';
import { didEthrAddress } from './did-ethr.js';
import { ethereumAddress } from './noble-crypto.js';

describe('didEthrAddress', () => {
  // A compressed secp256k1 public key: the generator point G.
  const G = '0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';

  it('reads the address of an address DID and of a public-key DID on the network', () => {
    expect(didEthrAddress('did:ethr:citycred:0xAbCdEf0123456789aBcDeF0123456789AbCdEf01', 'citycred')).toBe('0xabcdef0123456789abcdef0123456789abcdef01');
    const fromKey = didEthrAddress(`did:ethr:citycred:${G}`, 'citycred');
    expect(fromKey).toBe(ethereumAddress(Uint8Array.from(Buffer.from(G.slice(2), 'hex'))));
    expect(fromKey).toBe('0x7e5f4552091a69125d5dfcb7b8c2659029395bdf');
  });

  it('gives null for another network or method, a malformed id and a key off the curve', () => {
    expect(didEthrAddress(`did:ethr:mainnet:${G}`, 'citycred')).toBeNull();
    expect(didEthrAddress('did:jwk:eyJrdHkiOiJFQyJ9', 'citycred')).toBeNull();
    expect(didEthrAddress('did:ethr:citycred:0x1234', 'citycred')).toBeNull();
    expect(didEthrAddress(`did:ethr:citycred:0x02${'00'.repeat(32)}`, 'citycred')).toBeNull();
  });
});
