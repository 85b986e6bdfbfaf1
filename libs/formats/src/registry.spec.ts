import { loadFormatVector } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.js';
import { encodeJwsSection } from './jws.js';
import { credentialFormat, credentialHashInput, detectFormat } from './registry.js';
import { FormatErrorCode } from './types.js';

const signature = encodeBase64url(new Uint8Array(64));
const jwt = (header: Record<string, unknown>) => `${encodeJwsSection(header)}.${encodeJwsSection({})}.${signature}`;

describe('format registry', () => {
  it('finds the formats by id and refuses an unregistered one', () => {
    expect(credentialFormat('jwt_vc').id).toBe('jwt_vc');
    expect(credentialFormat('vc+jwt').id).toBe('vc+jwt');
    expect(() => credentialFormat('ldp_vc' as never)).toThrow(expect.objectContaining({ code: FormatErrorCode.UnsupportedType }));
  });

  it.each<[string, unknown, string]>([
    ['a JWT with typ JWT', jwt({ alg: 'ES256K', typ: 'JWT' }), 'jwt_vc'],
    ['a JWT without typ', jwt({ alg: 'ES256K' }), 'jwt_vc'],
    ['a JWT with typ vc+jwt', jwt({ alg: 'ES256K', typ: 'vc+jwt' }), 'vc+jwt'],
    ['a JWT with typ dc+sd-jwt', jwt({ alg: 'ES256K', typ: 'dc+sd-jwt' }), 'dc+sd-jwt'],
    ['a JWT with the older typ vc+sd-jwt', jwt({ alg: 'ES256K', typ: 'vc+sd-jwt' }), 'dc+sd-jwt'],
    ['an SD-JWT', `${jwt({ alg: 'ES256K' })}~WyJzYWx0IiwiYSIsMV0~`, 'dc+sd-jwt'],
    ["Veramo's JSON form", loadFormatVector('jwt_vc').json, 'jwt_vc'],
    ['a vc+jwt envelope', loadFormatVector('vc+jwt').json, 'vc+jwt'],
    ['an SD-JWT envelope', { '@context': 'https://www.w3.org/ns/credentials/v2', type: 'EnvelopedVerifiableCredential', id: 'data:application/dc+sd-jwt,x~' }, 'dc+sd-jwt'],
  ])('detects %s', (_name, input, id) => {
    expect(detectFormat(input)).toBe(id);
  });

  it.each<[string, unknown, string]>([
    ['a JWT of another typ', jwt({ alg: 'ES256K', typ: 'kb+jwt' }), FormatErrorCode.UnsupportedType],
    ['a JSON credential with an embedded proof', { proof: { type: 'DataIntegrityProof' } }, FormatErrorCode.UnsupportedType],
    ['text that is no JWT', 'hello', FormatErrorCode.Malformed],
    ['a number', 42, FormatErrorCode.Malformed],
  ])('refuses %s', (_name, input, code) => {
    expect(() => detectFormat(input)).toThrow(expect.objectContaining({ code }));
  });

  it('hashes the issuer-signed part of an SD-JWT and a JWT whole', () => {
    const issuerSigned = jwt({ alg: 'ES256K', typ: 'dc+sd-jwt' });
    expect(credentialHashInput(`${issuerSigned}~WyJzIiwiYSIsMV0~`)).toBe(issuerSigned);
    expect(credentialHashInput(issuerSigned)).toBe(issuerSigned);
  });
});
