import { exampleSubject } from '@citycred/credentials';
import { didJwkOf, encodeBase64url, nobleSignatureCrypto, publicJwkOfDid } from '@citycred/formats';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';
import { contractFromCredentialSubject, contractHash, detachedSigningInput, signDetached, verifyDetached, type ContractDocument, type DetachedJwsVerifier } from './contract.js';

const document: ContractDocument = {
  v: 1,
  contractId: '7b6f3c1e-0d9a-4c55-9f3e-2a1b4c5d6e7f',
  version: 1,
  employer: { id: 'did:ethr:citycred:0x5b9c1a7e2f4d8c3b6a0e9f1d2c4b7a8e3f6d1c09', name: '한강카페', businessRegistrationNumber: '214-86-35127' },
  worker: { name: '김서연' },
  workplace: { name: '한강카페 망원점', address: '서울특별시 마포구 포은로 12' },
  duties: '음료 제조',
  period: { start: '2026-03-02', end: '2026-08-31' },
  hourlyWageKrw: 10320,
  weeklyHours: 15,
  workDays: [{ day: 'mon', startTime: '09:00', endTime: '14:30' }],
  breaks: [{ startTime: '12:00', endTime: '12:30' }],
  weeklyHolidayAllowance: true,
  weeklyHoliday: 'sun',
  annualLeave: 'statutory',
  wagePayment: { payDay: 10, method: 'bank-transfer' },
  socialInsurance: { nationalPension: true, healthInsurance: true, employmentInsurance: true, industrialAccident: true },
};

/** A worker's wallet key (P-256) and its did:jwk. */
function workerKey() {
  const secret = p256.utils.randomPrivateKey();
  const point = p256.getPublicKey(secret, false);
  const did = didJwkOf({ kty: 'EC', crv: 'P-256', x: encodeBase64url(point.slice(1, 33)), y: encodeBase64url(point.slice(33)) });
  return { did, sign: (input: Uint8Array) => p256.sign(sha256(input), secret).toCompactRawBytes() };
}

/** Verifies by the did:jwk the header's kid names (what the issuer does for the worker's signature). */
const byKid: DetachedJwsVerifier = ({ header, signingInput, signature }) =>
  nobleSignatureCrypto.verify('ES256', { kind: 'jwk', jwk: publicJwkOfDid(header.kid!) }, signingInput, signature) as boolean;

describe('contract hash and detached signatures', () => {
  it('hashes the RFC 8785 canonical JSON, whatever the members\' order', () => {
    const hash = contractHash(document);
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(hash).toBe(`0x${Buffer.from(sha256(Buffer.from(canonicalJson(document)))).toString('hex')}`);
    const reordered = Object.fromEntries(Object.entries(document).reverse()) as unknown as ContractDocument;
    expect(contractHash(reordered)).toBe(hash);
    expect(contractHash({ ...document, hourlyWageKrw: 10321 })).not.toBe(hash);
  });

  it('signs the hash with a detached payload and verifies it by the did:jwk of the kid', async () => {
    const worker = workerKey();
    const hash = contractHash(document);
    const jws = await signDetached({ alg: 'ES256', kid: `${worker.did}#0` }, hash, worker.sign);
    expect(jws).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const headerB64 = jws.split('.')[0]!;
    expect(detachedSigningInput(headerB64, hash)).toBe(`${headerB64}.${Buffer.from(hash).toString('base64url')}`);
    expect(await verifyDetached(jws, hash, byKid)).toEqual({ valid: true, header: { alg: 'ES256', kid: `${worker.did}#0` } });
  });

  it('refuses a signature over another hash, by another key, with an attached payload, or malformed', async () => {
    const worker = workerKey();
    const hash = contractHash(document);
    const jws = await signDetached({ alg: 'ES256', kid: `${worker.did}#0` }, hash, worker.sign);
    expect(await verifyDetached(jws, contractHash({ ...document, weeklyHours: 14 }), byKid)).toMatchObject({ valid: false, problem: 'signature' });
    // signed by another key but naming the worker's DID
    const forged = await signDetached({ alg: 'ES256', kid: `${worker.did}#0` }, hash, workerKey().sign);
    expect(await verifyDetached(forged, hash, byKid)).toMatchObject({ valid: false, problem: 'signature' });
    const [h, , s] = jws.split('.');
    expect(await verifyDetached(`${h}.${Buffer.from(hash).toString('base64url')}.${s}`, hash, byKid)).toMatchObject({ valid: false, problem: 'not-detached' });
    expect(await verifyDetached('nonsense', hash, byKid)).toMatchObject({ valid: false, problem: 'malformed' });
    expect(await verifyDetached(`${Buffer.from('{"alg":"none"}').toString('base64url')}..${s}`, hash, byKid)).toMatchObject({ valid: false, problem: 'malformed' });
    expect(await verifyDetached(jws, hash, () => { throw new Error('boom'); })).toMatchObject({ valid: false, problem: 'signature' });
  });

  it('verifies an employer\'s ES256K signature the same way', async () => {
    const secret = secp256k1.utils.randomPrivateKey();
    const hash = contractHash(document);
    const jws = await signDetached({ alg: 'ES256K', kid: 'did:ethr:citycred:0xabc#controller' }, hash, (input) => secp256k1.sign(sha256(input), secret).toCompactRawBytes());
    const check = await verifyDetached(jws, hash, ({ signingInput, signature }) =>
      nobleSignatureCrypto.verify('ES256K', { kind: 'secp256k1', publicKey: secp256k1.getPublicKey(secret) }, signingInput, signature) as boolean);
    expect(check.valid).toBe(true);
  });
});

describe('contractFromCredentialSubject', () => {
  it('recovers the signed document from a credential subject: without id and signatures, with v', () => {
    const subject = { id: 'did:jwk:abc', ...Object.fromEntries(Object.entries(document).filter(([k]) => k !== 'v')), workerSignature: { signer: 'x', signedAt: 'y', jws: 'z' }, employerSignature: { signer: 'x', signedAt: 'y', jws: 'z' } };
    expect(contractHash(contractFromCredentialSubject(subject))).toBe(contractHash(document));
    // an altered subject no longer gives the signed hash
    expect(contractHash(contractFromCredentialSubject({ ...subject, hourlyWageKrw: 9000 }))).not.toBe(contractHash(document));
  });

  it('reads the catalogue\'s example LaborContract', () => {
    const recovered = contractFromCredentialSubject(exampleSubject('LaborContract') as unknown as Record<string, unknown>);
    expect(recovered.v).toBe(1);
    expect(Object.keys(recovered)).not.toContain('workerSignature');
    expect(Object.keys(recovered)).not.toContain('id');
  });
});
