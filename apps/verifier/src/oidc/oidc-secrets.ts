import { randomBytes } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { isUniqueViolation } from '@citycred/persistence';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { OidcSecretEntity } from './oidc.entity.js';

/** What the provider signs and keys with. */
export interface OidcSecrets {
  /** Private JWKs (ES256 on P-256, RS256 on RSA-2048), each with `kid` (its RFC 7638 thumbprint), `alg` and `use`. */
  readonly signingKeys: readonly JWK[];
  /** Signs the provider's cookies (Koa's keygrip). */
  readonly cookieKey: string;
  /** Derives accounts from personIds ({@link SignInSubjects}). */
  readonly accountKey: Uint8Array;
  /** Derives each site's pairwise subjects from accounts. */
  readonly pairwiseSalt: Uint8Array;
}

/**
 * The provider's secrets, kept in the verifier database as its other keys are (the request-signing key, the
 * participation secret): made by the first process that needs them, shared by every process on the database (two
 * processes starting together both end up with the row inserted first). Never in the repository.
 * @throws Error when a stored secret is malformed (the database was altered); database errors as they come
 */
export async function loadOidcSecrets(dataSource: DataSource, clock: Clock): Promise<OidcSecrets> {
  const rows = dataSource.getRepository(OidcSecretEntity);
  const stored = async (purpose: string, make: () => Promise<string>): Promise<string> => {
    const found = await rows.findOneBy({ purpose });
    if (found) return found.value;
    const value = await make();
    try {
      await rows.insert({ purpose, value, createdAt: clock.now().toISOString() });
      return value;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const winner = await rows.findOneBy({ purpose });
      if (!winner) throw error;
      return winner.value;
    }
  };
  const hex = async () => randomBytes(32).toString('hex');
  const es256 = readJwk(await stored('signing-es256', () => newSigningJwk('ES256')), 'signing-es256');
  const rs256 = readJwk(await stored('signing-rs256', () => newSigningJwk('RS256')), 'signing-rs256');
  return Object.freeze({
    signingKeys: Object.freeze([es256, rs256]),
    cookieKey: readHex(await stored('cookie-key', hex), 'cookie-key').toString('hex'),
    accountKey: readHex(await stored('account-key', hex), 'account-key'),
    pairwiseSalt: readHex(await stored('pairwise-salt', hex), 'pairwise-salt'),
  });
}

async function newSigningJwk(alg: 'ES256' | 'RS256'): Promise<string> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  return JSON.stringify({ ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' });
}

function readJwk(value: string, purpose: string): JWK {
  let jwk: JWK;
  try {
    jwk = JSON.parse(value) as JWK;
  } catch {
    throw new Error(`the stored OpenID Provider secret ${purpose} is not JSON`);
  }
  if (typeof jwk.d !== 'string' || typeof jwk.kid !== 'string' || typeof jwk.alg !== 'string') throw new Error(`the stored OpenID Provider secret ${purpose} is not a private signing JWK`);
  return jwk;
}

function readHex(value: string, purpose: string): Buffer {
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new Error(`the stored OpenID Provider secret ${purpose} is not 64 hex digits`);
  return Buffer.from(value, 'hex');
}
