import { ethereumAddress, signCompactJws, type JwsSigner, type VerificationKey } from '@citycred/formats';
import { createTokenStatusList, statusListTokenPayload, STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import { testJwsSigner } from '@citycred/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { tokenListProblem } from './offline-bundle.js';

/*
 * Which status list tokens the issuer directory names go into the offline bundle: only a token about its own URL,
 * signed by the issuer the directory files it under (the directory is not trusted), dated.
 */

const URI = 'https://issuer.seoul.example/status-lists/6f1c0d4e-6a59-4c8e-9d0f-3a1b2c3d4e5f';
const NOW = new Date('2026-03-02T03:00:00Z');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function issuer() {
  const privateKey = secp256k1.utils.randomPrivateKey();
  const address = ethereumAddress(secp256k1.getPublicKey(privateKey, true));
  const did = `did:ethr:citycred:${address}`;
  const keys: VerificationKey[] = [{ kind: 'ethereum-address', id: `${did}#controller`, address: `eip155:31337:${address}` }];
  return { did, keys, signer: testJwsSigner('ES256K', hex(privateKey), `${did}#controller`) as JwsSigner };
}

const token = (by: ReturnType<typeof issuer>, options: { uri?: string; typ?: string; issuedAt?: Date } = {}) =>
  signCompactJws(
    { alg: 'ES256K', typ: options.typ ?? STATUS_LIST_JWT_TYP, kid: by.signer.kid },
    { ...statusListTokenPayload({ uri: options.uri ?? URI, issuedAt: options.issuedAt ?? new Date('2026-03-01T00:00:00Z'), list: createTokenStatusList(2, 1024) }) },
    by.signer,
  );

describe('a status list token the issuer directory names', () => {
  const city = issuer();

  it('is carried when it is the issuer’s token about its URL', async () => {
    expect(await tokenListProblem(await token(city), URI, city.did, city.keys, NOW, 60)).toBeUndefined();
  });

  it('is left out when another key signed it, it is about another URL, of another typ, from the future or no JWS', async () => {
    const other = issuer();
    expect(await tokenListProblem(await token(other), URI, city.did, city.keys, NOW, 60)).toBe("its signature does not verify against the issuer's keys");
    expect(await tokenListProblem(await token(city, { uri: `${URI}x` }), URI, city.did, city.keys, NOW, 60)).toBe('its sub is not its URL');
    expect(await tokenListProblem(await token(city, { typ: 'JWT' }), URI, city.did, city.keys, NOW, 60)).toBe(`its typ is not ${STATUS_LIST_JWT_TYP}`);
    expect(await tokenListProblem(await token(city, { issuedAt: new Date(NOW.getTime() + 120_000) }), URI, city.did, city.keys, NOW, 60)).toBe('it is issued in the future');
    expect(await tokenListProblem('<html>', URI, city.did, city.keys, NOW, 60)).toMatch(/^it is not a compact JWS/);
  });
});
