import { ethereumAddress, signCompactJws, type JwsSigner, type VerificationKey } from '@citycred/formats';
import { createTokenStatusList, statusListTokenPayload, STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import { testJwsSigner } from '@citycred/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import { recentAnchors, tokenListProblem } from './offline-bundle.js';

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

describe('the roots an issuer anchored lately, as the bundle carries them (recentAnchors)', () => {
  const ISSUER = '0x00000000000000000000000000000000000000aa';
  const DAY = 86_400_000;
  const root = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as `0x${string}`;
  // One root a day, in blocks 10, 20, …, the last anchored a day before NOW.
  const events = Array.from({ length: 40 }, (_, i) => ({ issuer: ISSUER, root: root(i + 1), credentialType: '0x01', leafCount: 3, blockNumber: 10 * (i + 1) }));
  const anchoredAt = (n: number) => new Date(NOW.getTime() - (40 - n + 1) * DAY);
  const reads: string[] = [];
  const ledger = {
    findAnchor: async (_issuer: string, r: string) => {
      reads.push(r);
      const n = Number.parseInt(r.slice(2), 16);
      return { anchoredAt: anchoredAt(n), blockNumber: 10 * n, leafCount: 3 };
    },
    // Accredited for the card from the 10th root's time on, never for the other type.
    isAccredited: async (_issuer: string, type: string, at: Date) => type === 'SeoulCitizenCard' && at.getTime() >= anchoredAt(10).getTime(),
  };
  const types = [
    { name: 'SeoulCitizenCard', hash: '0xc1' },
    { name: 'WorkExperience', hash: '0xc2' },
  ];

  it('lists the roots of the window, newest first, with the types accredited then; `since` is after the newest left out', async () => {
    reads.length = 0;
    const anchors = await recentAnchors(ISSUER, types, { events, complete: true }, ledger, { oldestMs: NOW.getTime() - 30.5 * DAY, limit: 200 });
    expect(anchors.roots.map((r) => r.root)).toEqual(Array.from({ length: 30 }, (_, i) => root(40 - i)));
    expect(anchors.roots[0]).toEqual({ root: root(40), block: 400, at: Math.floor(anchoredAt(40).getTime() / 1000), types: ['SeoulCitizenCard'] });
    expect(anchors.since).toBe(101);
    // The walk stops at the window: the older roots' anchors are not read beyond the group it stopped in.
    expect(reads.length).toBeLessThan(40);
  });

  it('lists at most `limit` roots, and every root (since 0) when all fit; the types accredited at each root’s time', async () => {
    expect(await recentAnchors(ISSUER, types, { events, complete: true }, ledger, { oldestMs: 0, limit: 5 })).toMatchObject({ since: 351, roots: { length: 5 } });
    const all = await recentAnchors(ISSUER, types, { events, complete: true }, ledger, { oldestMs: 0, limit: 200 });
    expect([all.since, all.roots.length]).toEqual([0, 40]);
    expect(all.roots.find((r) => r.root === root(9))!.types).toEqual([]);
    expect(all.roots.find((r) => r.root === root(10))!.types).toEqual(['SeoulCitizenCard']);
    // Older events let go from memory: complete only from the oldest kept.
    expect((await recentAnchors(ISSUER, types, { events: events.slice(20), complete: false }, ledger, { oldestMs: 0, limit: 200 })).since).toBe(211);
    expect(await recentAnchors(ISSUER, types, { events: [], complete: true }, ledger, { oldestMs: 0, limit: 200 })).toEqual({ since: 0, roots: [] });
  });
});
