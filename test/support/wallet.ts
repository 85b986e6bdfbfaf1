import { generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { credentialHash, encodeAnchorCode } from '@citycred/anchoring';
import { didJwkOf, type JwsSigner, type PublicJwk } from '@citycred/formats';
import { expect } from 'vitest';
import { citizenCardSubject, getJson, issueBody, postJson, type TestPlatform } from './platform.js';

/** A holder's wallet key as the tests play it: P-256 in node:crypto, its public JWK, its did:jwk and an ES256 signer. */
export interface WalletKey {
  jwk: PublicJwk;
  did: string;
  /** Signs key-binding JWTs and presentations; its kid is `<did>#0`. */
  signer: JwsSigner;
  privateKey: KeyObject;
}

/** A new wallet key (see {@link WalletKey}). */
export function walletKey(): WalletKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y } = publicKey.export({ format: 'jwk' }) as PublicJwk;
  const jwk = { kty, crv, x, y };
  const did = didJwkOf(jwk);
  return { jwk, did, privateKey, signer: { alg: 'ES256', kid: `${did}#0`, sign: (input) => nodeSign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }) } };
}

/**
 * Issues the demo citizen card as an SD-JWT VC bound to `holderJwk`, through the issuer's VC-API as `seoul-citizen`.
 * @returns the SD-JWT as issued (`<jwt>~<disclosures>~`)
 */
export async function issueSdJwtCitizenCard(p: TestPlatform, holderJwk: PublicJwk): Promise<string> {
  const city = p.tenants.get('seoul-citizen')!;
  const res = await postJson(`${p.issuer.url}/credentials/issue`, issueBody(city.did, 'SeoulCitizenCard', citizenCardSubject, { options: { format: 'dc+sd-jwt', holderJwk } }), {
    authorization: `Bearer ${city.apiKey}`,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return String(res.body.verifiableCredential.id).slice('data:application/dc+sd-jwt,'.length);
}

/**
 * What a wallet appends to its scanner QR code once it holds the SD-JWT VC's anchor proof (docs/wallet-protocols.md):
 * `#<anchor code>`, from the proof the issuer serves (`GET /anchors/proofs/{hash}`; the worker must have anchored it).
 * @returns `#` and the anchor code; the proof itself, as served
 */
export async function anchorCodeOf(p: TestPlatform, sdJwt: string): Promise<{ suffix: string; proof: { root: string; proof: string[]; leafIndex: number; blockNumber: number } }> {
  const answer = await getJson(`${p.issuer.url}/anchors/proofs/${credentialHash(sdJwt.slice(0, sdJwt.indexOf('~')))}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const proof = answer.body as { root: string; proof: string[]; leafIndex: number; blockNumber: number };
  return { suffix: `#${encodeAnchorCode({ leafIndex: proof.leafIndex, blockNumber: proof.blockNumber, proof: proof.proof as Array<`0x${string}`> })}`, proof };
}
