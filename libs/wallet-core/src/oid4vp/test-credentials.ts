import { credentialFormat, didJwkOf, encodeBase64url, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { HolderKey } from '../holder-key.js';

// Keys and credentials for this library's specs (the product's holder key lives in WebCrypto, its credentials come
// from issuers). Pure JavaScript, so the specs need no Node built-in either.

/** A P-256 holder key with a deterministic ES256 signer. */
export function testHolderKey(seed: number): HolderKey {
  const privateKey = new Uint8Array(32).fill(seed);
  const point = p256.getPublicKey(privateKey, false);
  const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33, 65)) };
  const did = didJwkOf(jwk);
  return { did, jwk, signer: { alg: 'ES256', kid: `${did}#0`, sign: (input) => p256.sign(sha256(input), privateKey).toCompactRawBytes() } };
}

/** An issuer: a secp256k1 key named as a did:ethr by its compressed public key. */
export function testIssuer(seed: number): { did: string; signer: JwsSigner } {
  const privateKey = new Uint8Array(32).fill(seed);
  const publicKey = secp256k1.getPublicKey(privateKey, true);
  const did = `did:ethr:citycred:0x${Array.from(publicKey, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return { did, signer: { alg: 'ES256K', kid: `${did}#controllerKey`, sign: (input) => secp256k1.sign(sha256(input), privateKey, { lowS: true }).toCompactRawBytes() } };
}

export const CITIZEN_CARD_VCT = 'https://schemas.citycred.seoul.go.kr/vct/SeoulCitizenCard';

/** A citizen card as an SD-JWT VC bound to `holder`, every subject claim disclosable. */
export async function testCitizenCard(holder: HolderKey, claims: Record<string, unknown> = { name: '김서연', birthDate: '2001-04-17', ageOver18: true, ageOver19: true, residence: { city: '서울특별시', district: '마포구' } }): Promise<string> {
  const issuer = testIssuer(7);
  const signed = await credentialFormat('dc+sd-jwt').sign(
    {
      credential: { issuer: issuer.did, validFrom: '2026-01-01T00:00:00Z', validUntil: '2031-01-01T00:00:00Z', credentialSubject: claims },
      issuedAt: new Date('2026-01-01T00:00:00Z'),
      vct: CITIZEN_CARD_VCT,
      disclosable: Object.keys(claims),
      holderJwk: holder.jwk,
    },
    issuer.signer,
  );
  return signed.encoded;
}

/** A VCDM 1.1 JWT VC of `type` whose subject is `subjectDid`. */
export async function testJwtVc(type: string, subjectDid: string, subject: Record<string, unknown>): Promise<string> {
  const issuer = testIssuer(9);
  const signed = await credentialFormat('jwt_vc').sign(
    {
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        id: `urn:uuid:00000000-0000-4000-8000-${String(subjectDid.length).padStart(12, '0')}`,
        type: ['VerifiableCredential', type],
        issuer: issuer.did,
        issuanceDate: '2026-01-01T00:00:00Z',
        credentialSubject: { id: subjectDid, ...subject },
      },
    },
    issuer.signer,
  );
  return signed.encoded;
}
