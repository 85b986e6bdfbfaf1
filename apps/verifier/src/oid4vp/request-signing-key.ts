import type { Clock } from '@citycred/config';
import { didJwkOf, type PublicJwk } from '@citycred/formats';
import { isUniqueViolation } from '@citycred/persistence';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { isP256PrivateJwk, type P256PrivateJwk } from './signing-jwk.js';
import type { DataSource } from 'typeorm';
import { VerifierSigningKeyEntity } from './presentation-request.entity.js';

/** The OpenID4VP 1.0 Client Identifier Prefix the verifier uses (docs/adr/0009-oid4vp-client-identifier.md). */
export const CLIENT_ID_PREFIX = 'decentralized_identifier:';

/** The key request objects are signed with, and the identifiers derived from it. */
export interface RequestSigningKey {
  /** P-256, for ES256 signatures. */
  readonly privateKey: CryptoKey;
  readonly publicJwk: PublicJwk;
  /** `did:jwk:…` of the public key. */
  readonly did: string;
  /** The `kid` of the request object's header: the DID URL of the key's verification method (`<did>#0`). */
  readonly kid: string;
  /** `decentralized_identifier:<did>`: the verifier's `client_id`, and the audience a wallet's presentation names. */
  readonly clientId: string;
}

const PURPOSE = 'request-signing';

/**
 * The verifier's request-signing key: `configured` (a P-256 private JWK, from `OID4VP_SIGNING_KEY`) when given;
 * else the one in the database, made and stored by the first process that asked (two processes starting together
 * both end up with the row that was inserted first).
 * @param configured - a P-256 private JWK already checked by the configuration schema, or undefined
 * @throws Error when a stored key is not a P-256 private JWK (the database was altered); database errors as they come
 */
export async function loadRequestSigningKey(dataSource: DataSource, clock: Clock, configured?: P256PrivateJwk): Promise<RequestSigningKey> {
  if (configured) return keyOf(configured);
  const rows = dataSource.getRepository(VerifierSigningKeyEntity);
  const stored = await rows.findOneBy({ purpose: PURPOSE });
  if (stored) return keyOf(JSON.parse(stored.privateJwk) as JWK);
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  try {
    await rows.insert({ purpose: PURPOSE, privateJwk: JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, d: jwk.d }), createdAt: clock.now().toISOString() });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await rows.findOneBy({ purpose: PURPOSE });
    if (!winner) throw error;
    return keyOf(JSON.parse(winner.privateJwk) as JWK);
  }
  return keyOf(jwk);
}

async function keyOf(jwk: JWK | P256PrivateJwk): Promise<RequestSigningKey> {
  if (!isP256PrivateJwk(jwk)) throw new Error('the OpenID4VP request-signing key is not a P-256 private JWK');
  const privateKey = (await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, d: jwk.d }, 'ES256')) as CryptoKey;
  const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  const did = didJwkOf(publicJwk);
  return Object.freeze({ privateKey, publicJwk, did, kid: `${did}#0`, clientId: `${CLIENT_ID_PREFIX}${did}` });
}
