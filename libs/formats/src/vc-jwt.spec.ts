import { loadFormatVector, testJwsSigner } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { encodeBase64url, utf8Bytes } from './base64url.js';
import { decodeCompactJws, encodeJwsSection } from './jws.js';
import { FormatErrorCode } from './types.js';
import { vcJwtFormat } from './vc-jwt.js';

const vector = loadFormatVector('vc+jwt');
const signer = testJwsSigner('ES256K', vector.key.privateKeyHex, vector.key.kid);
const credential = vector.credential as Record<string, unknown>;

/** Signs a claims set as the issuer would, bypassing `sign`'s checks, to see what `decode` makes of it. */
function signed(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: 'ES256K', kid: vector.key.kid, typ: 'vc+jwt', cty: 'vc' }): string {
  const input = `${encodeJwsSection(header)}.${encodeJwsSection(payload)}`;
  return `${input}.${encodeBase64url(signer.sign(utf8Bytes(input)))}`;
}

describe('vc+jwt sign', () => {
  it('signs the credential itself as the claims set with header {alg, kid, typ, cty}', async () => {
    const { header, payload } = decodeCompactJws((await vcJwtFormat.sign({ credential }, signer)).encoded);
    expect(Object.keys(header)).toEqual(['alg', 'kid', 'typ', 'cty']);
    expect(header).toEqual({ alg: 'ES256K', kid: vector.key.kid, typ: 'vc+jwt', cty: 'vc' });
    expect(JSON.stringify(payload)).toBe(JSON.stringify(credential));
  });

  it.each<[string, Record<string, unknown>]>([
    ['a VCDM 1.1 issuanceDate', { ...credential, issuanceDate: '2026-03-02T09:00:00Z' }],
    ['a VCDM 1.1 expirationDate', { ...credential, expirationDate: '2027-03-02T09:00:00Z' }],
    ['a VCDM 1.1 context', { ...credential, '@context': ['https://www.w3.org/2018/credentials/v1'] }],
    ['a vc wrapper', { vc: credential }],
    ['a JWT claim as member', { ...credential, exp: 1_900_000_000 }],
    ['a validFrom that is not a date-time', { ...credential, validFrom: '2026-03-02' }],
    ['no issuer', { ...credential, issuer: undefined }],
  ])('refuses %s', async (_name, input) => {
    await expect(vcJwtFormat.sign({ credential: input }, signer)).rejects.toMatchObject({ code: FormatErrorCode.InvalidRequest });
  });

  it('refuses a kid that is not a DID URL of the issuer', async () => {
    const stranger = testJwsSigner('ES256K', vector.key.privateKeyHex, 'did:ethr:citycred:0x0000000000000000000000000000000000000001#controller');
    await expect(vcJwtFormat.sign({ credential }, stranger)).rejects.toMatchObject({ code: FormatErrorCode.InvalidRequest });
  });
});

describe('vc+jwt decode', () => {
  it('reads JWT claims that agree with the credential; iat is the issue time, exp and nbf narrow the validity', () => {
    const decoded = vcJwtFormat.decode(
      signed({ ...credential, iss: vector.key.did, jti: credential['id'], sub: (credential['credentialSubject'] as { id: string }).id, iat: 1_772_442_000, nbf: 1_772_500_000, exp: 1_790_000_000 }),
    );
    expect(decoded.issuedAt?.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(decoded.validFrom?.toISOString()).toBe(new Date(1_772_500_000_000).toISOString());
    expect(decoded.validUntil?.toISOString()).toBe(new Date(1_790_000_000_000).toISOString());
  });

  it('takes the issue time from validFrom without iat', () => {
    const decoded = vcJwtFormat.decode(vector.encoded);
    expect(decoded.issuedAt?.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(decoded.validUntil?.toISOString()).toBe('2027-02-28T15:00:00.000Z');
  });

  it.each<[string, Record<string, unknown>]>([
    ['a jti that is not the id', { ...credential, jti: 'urn:uuid:other' }],
    ['a sub that is not the subject', { ...credential, sub: 'did:example:other' }],
    ['several subjects', { ...credential, credentialSubject: [{ a: 1 }, { b: 2 }] }],
  ])('refuses %s', (_name, payload) => {
    expect(() => vcJwtFormat.decode(signed(payload))).toThrow(expect.objectContaining({ code: FormatErrorCode.InvalidClaims }));
  });

  it('refuses a kid outside the issuer DID and a typ other than vc+jwt', () => {
    expect(() => vcJwtFormat.decode(signed(credential, { alg: 'ES256K', kid: 'did:example:other#key', typ: 'vc+jwt' }))).toThrow(expect.objectContaining({ code: FormatErrorCode.InvalidClaims }));
    expect(() => vcJwtFormat.decode(signed(credential, { alg: 'ES256K', typ: 'vc-ld+jwt' }))).toThrow(expect.objectContaining({ code: FormatErrorCode.UnsupportedType }));
    expect(() => vcJwtFormat.decode(signed(credential, { alg: 'ES256K' }))).toThrow(expect.objectContaining({ code: FormatErrorCode.UnsupportedType }));
  });

  it('reads the envelope with a one-element type list and refuses one for another media type', () => {
    expect(vcJwtFormat.decode({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['EnvelopedVerifiableCredential'], id: `data:application/vc+jwt,${vector.encoded}` }).id).toBe(credential['id']);
    expect(() => vcJwtFormat.decode({ ...(vector.json as object), id: `data:application/vc+sd-jwt,${vector.encoded}` })).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
  });
});
