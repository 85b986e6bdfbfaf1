import { loadFormatVector, testJwsSigner } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { encodeJwsSection } from './jws.js';
import { jwtVcFormat } from './jwt-vc.js';
import { FormatErrorCode } from './types.js';

const vector = loadFormatVector('jwt_vc');
const signer = testJwsSigner('ES256K', vector.key.privateKeyHex, vector.key.kid);
const credential = vector.credential as Record<string, unknown>;
const json = vector.json as Record<string, unknown>;

describe('jwt_vc sign', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a VCDM 2.0 context', { ...credential, '@context': ['https://www.w3.org/ns/credentials/v2'] }],
    ['no VerifiableCredential type first', { ...credential, type: ['EnrollmentStatus', 'VerifiableCredential'] }],
    ['no issuanceDate', { ...credential, issuanceDate: undefined }],
    ['an issuanceDate without time zone', { ...credential, issuanceDate: '2026-03-02T09:00:00' }],
    ['an issuer DID URL', { ...credential, issuer: `${vector.key.did}#controller` }],
    ['a subject with only an id', { ...credential, credentialSubject: { id: 'did:example:1' } }],
    ['several subjects', { ...credential, credentialSubject: [{ a: 1 }, { b: 2 }] }],
    ['a JWT claim as member', { ...credential, nbf: 1 }],
    ['a proof', { ...credential, proof: { type: 'JwtProof2020', jwt: vector.encoded } }],
  ])('refuses %s', async (_name, input) => {
    await expect(jwtVcFormat.sign({ credential: input }, signer)).rejects.toMatchObject({ code: FormatErrorCode.InvalidRequest });
  });
});

describe('jwt_vc decode', () => {
  it('reads the JSON form when members are left out, or the issuer is given as its id', () => {
    const { credentialStatus: _s, description: _d, ...fewer } = json;
    expect(jwtVcFormat.decode({ ...fewer, issuer: vector.key.did }).id).toBe(vector.decoded['id']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an issuer that differs', { ...json, issuer: { id: 'did:ethr:citycred:0x0000000000000000000000000000000000000001' } }],
    ['an issuer object with members the JWT does not sign', { ...json, issuer: { id: vector.key.did, name: 'added' } }],
    ['an issuanceDate that differs', { ...json, issuanceDate: '2026-03-01T09:00:00.000Z' }],
    ['a type that differs', { ...json, type: ['VerifiableCredential'] }],
  ])('refuses a JSON form with %s', (_name, input) => {
    expect(() => jwtVcFormat.decode(input)).toThrow(expect.objectContaining({ code: FormatErrorCode.InvalidClaims }));
  });

  it('accepts an issuanceDate written differently for the same instant', () => {
    expect(() => jwtVcFormat.decode({ ...json, issuanceDate: '2026-03-02T18:00:00+09:00' })).not.toThrow();
  });

  it('refuses a proof with more than type and jwt', () => {
    expect(() => jwtVcFormat.decode({ ...json, proof: { ...(json['proof'] as object), verificationMethod: 'x' } })).toThrow(expect.objectContaining({ code: FormatErrorCode.Malformed }));
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no vc claim', { iss: 'did:example:1', nbf: 1_800_000_000 }, FormatErrorCode.InvalidClaims],
    ['a VCDM 2.0 context', { vc: { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'], credentialSubject: { a: 1 } }, iss: 'did:example:1', nbf: 1_800_000_000 }, FormatErrorCode.InvalidClaims],
    ['no issuance date', { vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { a: 1 } }, iss: 'did:example:1' }, FormatErrorCode.InvalidClaims],
    ['a string nbf', { vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { a: 1 } }, iss: 'did:example:1', nbf: '1800000000' }, FormatErrorCode.InvalidClaims],
  ])('refuses a JWT with %s', (_name, payload, code) => {
    const jwt = `${encodeJwsSection({ alg: 'ES256K', typ: 'JWT' })}.${encodeJwsSection(payload)}.${'A'.repeat(86)}`;
    expect(() => jwtVcFormat.decode(jwt)).toThrow(expect.objectContaining({ code }));
  });
});
