import { sha256 } from '@noble/hashes/sha2.js';
import { loadFixture } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import { encodeBase64url, utf8Bytes } from '../base64url.js';
import { signCompactJws } from '../jws.js';
import { nobleSignatureCrypto } from '../noble-crypto.js';
import type { JwsHeader, PublicJwk, SignRequest, VerificationKey } from '../types.js';
import { FormatErrorCode } from '../types.js';
import { encodeDisclosure } from './disclosures.js';
import { SdJwtFormatError } from './errors.js';
import { createSdJwtVcFormat, sdJwtVcFormat } from './sd-jwt-vc-format.js';
import { es256kTestSigner, hexBytes } from './test-signers.js';

interface Vectors {
  issuer: { privateKeyHex: string; publicKeyHex: string; address: string; did: string; kid: string };
  holder: { privateKeyHex: string; publicJwk: PublicJwk };
  salts: string[];
  request: Omit<SignRequest, 'salt'> & { credential: Record<string, unknown> };
  expected: { header: JwsHeader; payload: Record<string, unknown> };
  encoded: string;
  anchoredPart: string;
  credentialHash: string;
  presentation: { encoded: string };
}

const vectors = loadFixture<Vectors>('formats/sd-jwt-vc/vectors.json');
const issuerSigner = es256kTestSigner(hexBytes(vectors.issuer.privateKeyHex), vectors.issuer.kid);
const issuerKey: VerificationKey = { kind: 'secp256k1', id: vectors.issuer.kid, publicKey: hexBytes(vectors.issuer.publicKeyHex) };
const otherSigner = es256kTestSigner(hexBytes('aa'.repeat(32)), 'did:ethr:citycred:0xother#controllerKey');

function fixedSalts(salts: readonly string[] = vectors.salts): () => string {
  let next = 0;
  return () => salts[next++ % salts.length]!;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Signs an arbitrary issuer payload, for SD-JWTs our `sign` would never make. */
async function issuerJwt(payload: Record<string, unknown>, header: Partial<JwsHeader> = {}): Promise<string> {
  return signCompactJws({ alg: 'ES256K', typ: 'dc+sd-jwt', kid: vectors.issuer.kid, ...header }, payload, issuerSigner);
}

function disclosureDigest(disclosure: string): string {
  return encodeBase64url(sha256(utf8Bytes(disclosure)));
}

function refusal(run: () => unknown): { code: string; reason: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof SdJwtFormatError) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error('expected an SdJwtFormatError');
}

const basePayload = { iss: vectors.issuer.did, iat: 1772442000, vct: 'https://citycred.example/credentials/Test', _sd_alg: 'sha-256' };

describe('dc+sd-jwt frozen vector', () => {
  it('signs the vector request into the exact frozen bytes, anchoring only the issuer-signed JWT', async () => {
    const signed = await sdJwtVcFormat.sign({ ...vectors.request, salt: fixedSalts() }, issuerSigner);
    expect(signed.encoded).toBe(vectors.encoded);
    expect(signed.anchoredPart).toBe(vectors.anchoredPart);
    expect(signed.encoded.startsWith(`${signed.anchoredPart}~`)).toBe(true);
    expect(hex(sha256(utf8Bytes(signed.anchoredPart)))).toBe(vectors.credentialHash);
  });

  it('decodes the vector into the normalised credential', () => {
    const decoded = sdJwtVcFormat.decode(vectors.encoded);
    expect(decoded.header).toEqual({ alg: 'ES256K', typ: 'dc+sd-jwt', kid: vectors.issuer.kid });
    expect(decoded.signedPayload).toEqual(vectors.expected.payload);
    expect(decoded).toMatchObject({
      format: 'dc+sd-jwt',
      id: 'urn:uuid:3f1c6a0e-7b8e-4d3c-9a51-2c0b6f1d8e42',
      types: ['https://citycred.example/credentials/SeoulCitizenCard'],
      primaryType: 'https://citycred.example/credentials/SeoulCitizenCard',
      issuer: vectors.issuer.did,
      holder: { id: (vectors.request.credential.credentialSubject as { id: string }).id, jwk: vectors.holder.publicJwk },
      issuedAt: new Date('2026-03-02T09:00:00Z'),
      validUntil: new Date('2031-03-02T09:00:00Z'),
      status: [{ kind: 'token', uri: 'https://citycred.example/status/token/1', index: 42 }],
      schemas: [],
      anchoredPart: vectors.anchoredPart,
    });
    expect(decoded.validFrom).toBeUndefined();
    expect(decoded.claims).toEqual({
      name: '김서연',
      birthDate: '2001-04-17',
      ageOver19: true,
      residence: { city: '서울특별시', district: '마포구' },
      residentSince: '2019-03-02',
    });
    expect(decoded.credential).not.toHaveProperty('_sd');
    expect(decoded.credential).not.toHaveProperty('_sd_alg');
    expect(decoded.keyBinding).toBeUndefined();
  });

  it('verifies the issuer signature with the did:ethr key, as a public key or as an Ethereum address', async () => {
    const decoded = sdJwtVcFormat.decode(vectors.encoded);
    expect(await sdJwtVcFormat.verifyProof(decoded, [issuerKey], nobleSignatureCrypto)).toEqual({ valid: true, keyId: vectors.issuer.kid });
    const address: VerificationKey = { kind: 'ethereum-address', id: `${vectors.issuer.did}#controller`, address: `eip155:1:${vectors.issuer.address}` };
    expect(await sdJwtVcFormat.verifyProof(decoded, [address], nobleSignatureCrypto)).toEqual({ valid: true, keyId: address.id });
  });

  it('refuses the proof under another key, or with no key at all', async () => {
    const decoded = sdJwtVcFormat.decode(vectors.encoded);
    const stranger: VerificationKey = { kind: 'secp256k1', publicKey: hexBytes('03' + 'ab'.repeat(32)) };
    expect(await sdJwtVcFormat.verifyProof(decoded, [stranger], nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.invalid' });
    expect(await sdJwtVcFormat.verifyProof(decoded, [], nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.no-key' });
  });

  it('refuses the proof when the issuer-signed payload was altered', async () => {
    const [jwt, ...rest] = vectors.encoded.split('~');
    const [header, payload, signature] = jwt!.split('.');
    const altered = encodeBase64url(JSON.stringify({ ...vectors.expected.payload, residentSince: '1999-01-01' }));
    const decoded = sdJwtVcFormat.decode([`${header}.${altered}.${signature}`, ...rest].join('~'));
    expect(await sdJwtVcFormat.verifyProof(decoded, [issuerKey], nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.invalid' });
    expect(payload).not.toBe(altered);
  });

  it('keeps the anchored part and the proof when only some disclosures are presented', async () => {
    const decoded = sdJwtVcFormat.decode(vectors.presentation.encoded);
    expect(decoded.anchoredPart).toBe(vectors.anchoredPart);
    expect(decoded.claims).toEqual({ ageOver19: true, residentSince: '2019-03-02' });
    expect(decoded.keyBinding?.header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    expect(await sdJwtVcFormat.verifyProof(decoded, [issuerKey], nobleSignatureCrypto)).toMatchObject({ valid: true });
  });

  it('reads back its JSON form, an EnvelopedVerifiableCredential with a data: URL', () => {
    const json = sdJwtVcFormat.toJson({ format: 'dc+sd-jwt', encoded: vectors.encoded, anchoredPart: vectors.anchoredPart });
    expect(json).toEqual({
      '@context': 'https://www.w3.org/ns/credentials/v2',
      id: `data:application/dc+sd-jwt,${vectors.encoded}`,
      type: 'EnvelopedVerifiableCredential',
    });
    expect(sdJwtVcFormat.decode(json).claims).toEqual(sdJwtVcFormat.decode(vectors.encoded).claims);
    const jwtEnvelope = { ...json, id: `data:application/vc+jwt,${vectors.anchoredPart}` };
    expect(refusal(() => sdJwtVcFormat.decode(jwtEnvelope))).toEqual({ code: FormatErrorCode.UnsupportedType, reason: 'sd-jwt.typ-unsupported' });
  });

  it.each([
    ['an added member, which nothing signs', { credentialSubject: { name: 'Evil' } }],
    ['another @context', { '@context': 'https://example.com/x' }],
    ['no @context', { '@context': undefined }],
  ])('refuses an envelope with %s (found by the verifier fuzz test)', (_label, change) => {
    const json = JSON.parse(JSON.stringify({ ...(sdJwtVcFormat.toJson({ format: 'dc+sd-jwt', encoded: vectors.encoded, anchoredPart: vectors.anchoredPart }) as object), ...change }));
    expect(refusal(() => sdJwtVcFormat.decode(json))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.malformed' });
  });
});

describe('dc+sd-jwt decoding refuses what RFC 9901 §7.1 refuses', () => {
  const [jwt, ...issuedDisclosures] = vectors.encoded.split('~').slice(0, -1) as [string, ...string[]];

  it('a tampered disclosure (its digest is no longer in the payload)', () => {
    const tampered = encodeDisclosure(vectors.salts[2]!, 'ageOver19', false);
    const encoded = [jwt, ...issuedDisclosures.slice(0, 2), tampered, issuedDisclosures[3], ''].join('~');
    expect(refusal(() => sdJwtVcFormat.decode(encoded))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.disclosure-unreferenced' });
  });

  it('a disclosure the issuer never referenced', () => {
    const foreign = encodeDisclosure('c29tZSBvdGhlciBzYWx0', 'ageOver65', true);
    expect(refusal(() => sdJwtVcFormat.decode(`${vectors.encoded}${foreign}~`))).toEqual({
      code: FormatErrorCode.InvalidClaims,
      reason: 'sd-jwt.disclosure-unreferenced',
    });
  });

  it('the same disclosure sent twice', () => {
    expect(refusal(() => sdJwtVcFormat.decode(`${vectors.encoded}${issuedDisclosures[0]}~`))).toEqual({
      code: FormatErrorCode.InvalidClaims,
      reason: 'sd-jwt.disclosure-repeated',
    });
  });

  it('a digest that appears twice in the payload', async () => {
    const disclosure = encodeDisclosure('c2FsdC1kdXBsaWNhdGU', 'name', '김서연');
    const digest = disclosureDigest(disclosure);
    const duplicated = await issuerJwt({ ...basePayload, _sd: [digest, digest] });
    expect(refusal(() => sdJwtVcFormat.decode(`${duplicated}~${disclosure}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.digest-duplicate' });
    const nested = await issuerJwt({ ...basePayload, _sd: [digest], residence: { _sd: [digest] } });
    expect(refusal(() => sdJwtVcFormat.decode(`${nested}~${disclosure}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.digest-duplicate' });
  });

  it('a disclosed name that already is a clear claim, and a disclosure in the wrong kind of place', async () => {
    const property = encodeDisclosure('c2FsdC1jb2xsaXNpb24', 'residentSince', '2020-01-01');
    const collision = await issuerJwt({ ...basePayload, residentSince: '2019-03-02', _sd: [disclosureDigest(property)] });
    expect(refusal(() => sdJwtVcFormat.decode(`${collision}~${property}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.claim-collision' });
    const element = encodeBase64url(JSON.stringify(['c2FsdC1lbGVtZW50', 'Korean']));
    const misplaced = await issuerJwt({ ...basePayload, _sd: [disclosureDigest(element)] });
    expect(refusal(() => sdJwtVcFormat.decode(`${misplaced}~${element}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.disclosure-misplaced' });
    const inArray = await issuerJwt({ ...basePayload, languages: [{ '...': disclosureDigest(property) }] });
    expect(refusal(() => sdJwtVcFormat.decode(`${inArray}~${property}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.disclosure-misplaced' });
  });

  it('a typ other than dc+sd-jwt or vc+sd-jwt, while accepting the legacy vc+sd-jwt', async () => {
    const plainJwt = await issuerJwt(basePayload, { typ: 'JWT' });
    expect(refusal(() => sdJwtVcFormat.decode(`${plainJwt}~`))).toEqual({ code: FormatErrorCode.UnsupportedType, reason: 'sd-jwt.typ-unsupported' });
    const untyped = await issuerJwt(basePayload, { typ: undefined });
    expect(refusal(() => sdJwtVcFormat.decode(`${untyped}~`))).toEqual({ code: FormatErrorCode.UnsupportedType, reason: 'sd-jwt.typ-unsupported' });
    const legacy = await issuerJwt(basePayload, { typ: 'vc+sd-jwt' });
    expect(sdJwtVcFormat.decode(`${legacy}~`).header.typ).toBe('vc+sd-jwt');
  });

  it('an unsigned issuer JWT (alg none), whether the old signature is kept or dropped', () => {
    const [, payload, signature] = jwt.split('.');
    const none = encodeBase64url(JSON.stringify({ alg: 'none', typ: 'dc+sd-jwt' }));
    expect(refusal(() => sdJwtVcFormat.decode(`${none}.${payload}.${signature}~`))).toEqual({
      code: FormatErrorCode.UnsupportedAlgorithm,
      reason: 'sd-jwt.alg-unsupported',
    });
    expect(refusal(() => sdJwtVcFormat.decode(`${none}.${payload}.~`))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.malformed' });
  });

  it('an _sd_alg other than sha-256', async () => {
    const sha512 = await issuerJwt({ ...basePayload, _sd_alg: 'sha-512' });
    expect(refusal(() => sdJwtVcFormat.decode(`${sha512}~`))).toEqual({ code: FormatErrorCode.UnsupportedAlgorithm, reason: 'sd-jwt.hash-alg-unsupported' });
  });

  it('broken serialisations and disclosures', () => {
    expect(refusal(() => sdJwtVcFormat.decode(jwt))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.malformed' });
    expect(refusal(() => sdJwtVcFormat.decode(`${jwt}~~`))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.malformed' });
    const notJson = encodeBase64url('not json');
    expect(refusal(() => sdJwtVcFormat.decode(`${jwt}~${notJson}~`))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.disclosure-malformed' });
    const reserved = encodeDisclosure('c2FsdA', '_sd', ['x']);
    expect(refusal(() => sdJwtVcFormat.decode(`${jwt}~${reserved}~`))).toEqual({ code: FormatErrorCode.Malformed, reason: 'sd-jwt.disclosure-malformed' });
  });

  it('a payload without vct or iss', async () => {
    const { vct: _vct, ...withoutVct } = basePayload;
    const { iss: _iss, ...withoutIss } = basePayload;
    for (const payload of [withoutVct, withoutIss]) {
      const jwt = await issuerJwt(payload);
      expect(refusal(() => sdJwtVcFormat.decode(`${jwt}~`))).toEqual({ code: FormatErrorCode.InvalidClaims, reason: 'sd-jwt.claims-invalid' });
    }
  });
});

describe('dc+sd-jwt decoding of structures our issuer does not make', () => {
  it('rebuilds nested objects and array elements, dropping what is not disclosed', async () => {
    const city = encodeDisclosure('c2FsdC1jaXR5', 'city', '서울특별시');
    const korean = encodeBase64url(JSON.stringify(['c2FsdC1rbw', 'ko']));
    const english = encodeBase64url(JSON.stringify(['c2FsdC1lbg', 'en']));
    const residence = encodeDisclosure('c2FsdC1yZXNpZGVuY2U', 'residence', { _sd: [disclosureDigest(city)], district: '마포구' });
    const jwt = await issuerJwt({
      ...basePayload,
      _sd: [disclosureDigest(residence)],
      languages: [{ '...': disclosureDigest(korean) }, { '...': disclosureDigest(english) }, 'sign'],
    });
    const decoded = sdJwtVcFormat.decode(`${jwt}~${residence}~${city}~${korean}~`);
    expect(decoded.claims).toEqual({ residence: { city: '서울특별시', district: '마포구' }, languages: ['ko', 'sign'] });
  });

  it('adds a claim named __proto__ as a claim, not as a prototype', async () => {
    const proto = encodeDisclosure('c2FsdC1wcm90bw', '__proto__', { polluted: true });
    const decoded = sdJwtVcFormat.decode(`${await issuerJwt({ ...basePayload, _sd: [disclosureDigest(proto)] })}~${proto}~`);
    expect(Object.getPrototypeOf(decoded.claims)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(decoded.claims, '__proto__')?.value).toEqual({ polluted: true });
    expect((decoded.claims as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('dc+sd-jwt signing', () => {
  const request = vectors.request;
  const subject = request.credential.credentialSubject as Record<string, unknown>;

  it('draws 128-bit salts from crypto.getRandomValues when none is injected', async () => {
    const first = sdJwtVcFormat.decode((await sdJwtVcFormat.sign(request, issuerSigner)).encoded);
    const second = sdJwtVcFormat.decode((await sdJwtVcFormat.sign(request, issuerSigner)).encoded);
    expect(first.disclosures.map((d) => d.salt)).not.toEqual(second.disclosures.map((d) => d.salt));
    for (const { salt } of first.disclosures) expect(salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.claims).toEqual(second.claims);
  });

  it('adds sorted decoy digests only when asked, which decoding ignores', async () => {
    const plain = sdJwtVcFormat.decode(vectors.encoded);
    expect(plain.signedPayload._sd).toHaveLength(4);
    const withDecoys = createSdJwtVcFormat({ decoyDigests: 3 });
    const decoded = withDecoys.decode((await withDecoys.sign({ ...request, salt: fixedSalts([...vectors.salts, 'ZGVjb3ktMQ', 'ZGVjb3ktMg', 'ZGVjb3ktMw']) }, issuerSigner)).encoded);
    const digests = decoded.signedPayload._sd as string[];
    expect(digests).toHaveLength(7);
    expect(digests).toEqual([...digests].sort());
    expect(decoded.disclosures).toHaveLength(4);
    expect(decoded.claims).toEqual(plain.claims);
  });

  it('maps validFrom to nbf only when it is later than the issuance date, and expirationDate to exp', async () => {
    const credential = { ...request.credential, issuanceDate: '2026-03-01T00:00:00Z', validFrom: '2026-04-01T00:00:00Z', validUntil: undefined, expirationDate: '2027-04-01T00:00:00Z' };
    const decoded = sdJwtVcFormat.decode((await sdJwtVcFormat.sign({ ...request, credential, salt: fixedSalts() }, issuerSigner)).encoded);
    expect(decoded.signedPayload).toMatchObject({ iat: 1772323200, nbf: 1775001600, exp: 1806537600 });
    expect(decoded.validFrom).toEqual(new Date('2026-04-01T00:00:00Z'));
  });

  it('makes the subject id disclosable when `id` is named, and leaves out what it is not given', async () => {
    const signed = await sdJwtVcFormat.sign(
      { credential: { ...request.credential, id: undefined }, vct: request.vct!, disclosable: ['id', 'name'], salt: fixedSalts() },
      issuerSigner,
    );
    const decoded = sdJwtVcFormat.decode(signed.encoded);
    expect(decoded.signedPayload).not.toHaveProperty('sub');
    expect(decoded.signedPayload).not.toHaveProperty('cnf');
    expect(decoded.signedPayload).not.toHaveProperty('status');
    expect(decoded.signedPayload).not.toHaveProperty('jti');
    expect(decoded.holder).toEqual({ id: subject.id });
    expect(decoded.status).toEqual([]);
    expect(decoded.id).toBeUndefined();
  });

  it('refuses requests that do not fit an SD-JWT VC', async () => {
    const refused = async (patch: Partial<SignRequest>) => {
      try {
        await sdJwtVcFormat.sign({ ...request, salt: fixedSalts(), ...patch }, issuerSigner);
      } catch (error) {
        if (error instanceof SdJwtFormatError) return [error.code, error.reason];
        throw error;
      }
      return 'signed';
    };
    const invalid = [FormatErrorCode.InvalidRequest, 'sd-jwt.request-invalid'];
    expect(await refused({ vct: undefined })).toEqual(invalid);
    expect(await refused({ disclosable: ['ageOver65'] })).toEqual(invalid);
    expect(await refused({ disclosable: ['name', 'name'] })).toEqual(invalid);
    expect(await refused({ holderJwk: { ...vectors.holder.publicJwk, d: 'c2VjcmV0' } })).toEqual(invalid);
    expect(await refused({ tokenStatus: { uri: 'https://citycred.example/status/token/1', index: -1 } })).toEqual(invalid);
    expect(await refused({ credential: { ...request.credential, credentialSubject: { ...subject, vct: 'x' } } })).toEqual(invalid);
    expect(await refused({ credential: { ...request.credential, credentialSubject: [subject] } })).toEqual(invalid);
    expect(await refused({ credential: { ...request.credential, validFrom: 'yesterday' } })).toEqual(invalid);
    expect(await refused({ credential: { ...request.credential, issuer: undefined } })).toEqual(invalid);
    expect(await refused({})).toBe('signed');
  });

  it('signs with the signer it is given, and only that signer verifies', async () => {
    const signed = await sdJwtVcFormat.sign({ ...request, salt: fixedSalts() }, otherSigner);
    const decoded = sdJwtVcFormat.decode(signed.encoded);
    expect(decoded.header.kid).toBe(otherSigner.kid);
    expect(await sdJwtVcFormat.verifyProof(decoded, [issuerKey], nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.invalid' });
  });
});
