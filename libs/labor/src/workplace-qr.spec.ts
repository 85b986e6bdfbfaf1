import { encodeBase64url } from '@citycred/formats';
import { describe, expect, it } from 'vitest';
import { readWorkplaceQr, WORKPLACE_QR_TYP } from './workplace-qr.js';

const section = (value: unknown) => encodeBase64url(JSON.stringify(value));
const SIGNATURE = encodeBase64url(new Uint8Array(64).fill(7));
const payload = { iss: 'did:ethr:citycred:0x5b9c1a7e2f4d8c3b6a0e9f1d2c4b7a8e3f6d1c09', workplace: 'hangang-cafe', nonce: encodeBase64url(new Uint8Array(16).fill(1)), iat: 1_772_400_000, exp: 1_772_400_030 };
const qr = (p: unknown, header: Record<string, unknown> = { alg: 'ES256K', typ: WORKPLACE_QR_TYP, kid: `${payload.iss}#controller` }) => `${section(header)}.${section(p)}.${SIGNATURE}`;

describe('readWorkplaceQr', () => {
  it('reads a well-formed workplace QR and hands back the parts to verify', () => {
    const reading = readWorkplaceQr(qr(payload));
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.payload).toEqual(payload);
    expect(reading.jws.header.alg).toBe('ES256K');
    expect(reading.jws.signature).toHaveLength(64);
  });

  it.each([
    ['another typ', qr(payload, { alg: 'ES256K', typ: 'JWT' }), /typ/],
    ['an extra member', qr({ ...payload, worker: 'x' }), /unexpected payload members: worker/],
    ['no DID as iss', qr({ ...payload, iss: 'hangang-cafe' }), /iss/],
    ['a bad slug', qr({ ...payload, workplace: 'Hangang Cafe' }), /workplace/],
    ['a short nonce', qr({ ...payload, nonce: 'abc' }), /nonce/],
    ['a fractional iat', qr({ ...payload, iat: 1.5, exp: 31.5 }), /iat/],
    ['a lifetime other than 30 s', qr({ ...payload, exp: payload.iat + 300 }), /exp must be iat \+ 30/],
    ['no JWS at all', 'not-a-jws', /compact JWS/],
    ['alg none', qr(payload, { alg: 'none', typ: WORKPLACE_QR_TYP }), /alg/],
  ])('refuses %s', (_name, jws, reason) => {
    const reading = readWorkplaceQr(jws);
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason).toMatch(reason);
  });
});
