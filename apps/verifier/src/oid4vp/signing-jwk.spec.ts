import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadVerifierConfig } from '../config.js';

describe('OID4VP_SIGNING_KEY', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });

  it('takes a P-256 private JWK', () => {
    expect(loadVerifierConfig({ OID4VP_SIGNING_KEY: JSON.stringify(jwk) }).OID4VP_SIGNING_KEY).toMatchObject({ kty: 'EC', crv: 'P-256', d: jwk.d });
    expect(loadVerifierConfig({}).OID4VP_SIGNING_KEY).toBeUndefined();
  });

  it.each([
    ['not JSON', 'P-256'],
    ['a public key', JSON.stringify({ ...jwk, d: undefined })],
    ['another curve', JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ format: 'jwk' }))],
  ])('stops start-up naming the variable for %s', (_label, value) => {
    expect(() => loadVerifierConfig({ OID4VP_SIGNING_KEY: value })).toThrow(/OID4VP_SIGNING_KEY/);
  });

  it('never repeats the value in the message', () => {
    const secret = JSON.stringify({ ...jwk, crv: 'P-384' });
    expect(() => loadVerifierConfig({ OID4VP_SIGNING_KEY: secret })).toThrow(expect.objectContaining({ message: expect.not.stringContaining(String(jwk.d)) }));
  });
});
