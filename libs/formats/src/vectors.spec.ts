import { credentialHash } from '@citycred/anchoring';
import { loadFormatVector, testJwsSigner, type FormatVector } from '@citycred/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { encodeBase64url } from './base64url.js';
import { ethereumAddress, nobleSignatureCrypto } from './noble-crypto.js';
import { credentialFormat, credentialHashInput, detectFormat } from './registry.js';
import { FormatError, type NormalisedCredential, type VerificationKey } from './types.js';

/** The frozen vectors of libs/testing/fixtures/formats: a failure here means the issued bytes changed. */

function fields(c: NormalisedCredential): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      format: c.format, header: c.header, id: c.id, types: c.types, primaryType: c.primaryType, issuer: c.issuer, claims: c.claims, holder: c.holder,
      issuedAt: c.issuedAt?.toISOString(), validFrom: c.validFrom?.toISOString(), validUntil: c.validUntil?.toISOString(), status: c.status, schemas: c.schemas, credential: c.credential,
    }),
  ) as Record<string, unknown>;
}

function keysOf(publicKeyHex: string): VerificationKey[] {
  return [{ kind: 'secp256k1', id: 'key', publicKey: Buffer.from(publicKeyHex, 'hex') }];
}

describe.each(['jwt_vc', 'vc+jwt'] as const)('frozen %s vector', (id) => {
  const vector: FormatVector = loadFormatVector(id);
  const format = credentialFormat(id);
  const signer = testJwsSigner(vector.key.alg, vector.key.privateKeyHex, vector.key.kid);

  it('is made from its test key', () => {
    const publicKey = secp256k1.getPublicKey(Buffer.from(vector.key.privateKeyHex, 'hex'), true);
    expect(Buffer.from(publicKey).toString('hex')).toBe(vector.key.publicKeyHex);
    expect(ethereumAddress(publicKey)).toBe(vector.key.address);
  });

  it('signing the input reproduces the encoded bytes, anchored part and credential hash', async () => {
    const signed = await format.sign({ credential: vector.credential }, signer);
    expect(signed.encoded).toBe(vector.encoded);
    expect(signed.anchoredPart).toBe(vector.anchoredPart);
    expect(credentialHashInput(signed.encoded)).toBe(vector.anchoredPart);
    expect(credentialHash(signed.anchoredPart)).toBe(vector.credentialHash);
    expect(format.toJson(signed)).toEqual(vector.json);
  });

  it('decodes the encoded form and the JSON form into the frozen fields', () => {
    expect(fields(format.decode(vector.encoded))).toEqual(vector.decoded);
    expect(fields(format.decode(vector.json as Record<string, unknown>))).toEqual(vector.decoded);
    expect(detectFormat(vector.encoded)).toBe(id);
    expect(detectFormat(vector.json)).toBe(id);
  });

  it('verifies against the public key, its JWK and its Ethereum address', async () => {
    const decoded = format.decode(vector.encoded);
    const point = secp256k1.ProjectivePoint.fromHex(vector.key.publicKeyHex!).toRawBytes(false);
    const jwk = { kty: 'EC', crv: 'secp256k1', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33)) };
    const candidates: VerificationKey[][] = [keysOf(vector.key.publicKeyHex!), [{ kind: 'jwk', id: 'key', jwk }], [{ kind: 'ethereum-address', id: 'key', address: vector.key.address! }]];
    for (const keys of candidates) expect(await format.verifyProof(decoded, keys, nobleSignatureCrypto)).toEqual({ valid: true, keyId: 'key' });
    expect(await format.verifyProof(decoded, [], nobleSignatureCrypto)).toEqual({ valid: false, reason: 'signature.no-key' });
  });

  it.each(vector.tampered.map((t) => [t.name, t] as const))('refuses the tampered vector "%s"', async (_name, tampered) => {
    const input = (tampered.encoded ?? tampered.json)!;
    if (tampered.decodeError) {
      const error = (() => {
        try {
          format.decode(input);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).code).toBe(tampered.decodeError);
      return;
    }
    expect(tampered.proofReason).toBeDefined();
    const check = await format.verifyProof(format.decode(input), keysOf(tampered.publicKeyHex ?? vector.key.publicKeyHex!), nobleSignatureCrypto);
    expect(check).toEqual({ valid: false, reason: tampered.proofReason });
  });
});
