import { inflateSync } from 'node:zlib';
import { StatusList } from '@sd-jwt/jwt-status-list';
import { loadFixture } from '@citycred/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatusListError, StatusListErrorCode } from './errors.js';
import {
  checkTokenStatus,
  createTokenStatusList,
  decodeTokenStatusList,
  encodeTokenStatusList,
  statusListTokenPayload,
  TokenStatus,
  tokenStatusListFromBytes,
} from './token-status-list.js';

interface Vectors {
  token: Array<{ name: string; bits: 1 | 2; statuses: number[] | Record<string, number>; bytesHex?: string; entries?: number; lst: string }>;
  draftExamples: Array<{ bits: 1 | 2; lst: string; bytesHex: string; statuses: number[] }>;
}
const vectors = loadFixture<Vectors>('status-list/vectors.json');

describe('IETF Token Status List: bit order and encoding', () => {
  it('packs entries least significant bits first (the draft’s 2-bit example gives C9 44 F9 and its exact lst)', () => {
    const [example] = vectors.token;
    const statuses = example!.statuses as number[];
    const list = createTokenStatusList(2, statuses.length);
    statuses.forEach((value, index) => list.set(index, value));
    expect(Buffer.from(list.bytes).toString('hex')).toBe('c944f9');
    expect(encodeTokenStatusList(list)).toEqual({ bits: 2, lst: example!.lst });
  });

  it('reads the draft’s examples (1 and 2 bits)', () => {
    for (const example of vectors.draftExamples) {
      const list = decodeTokenStatusList({ bits: example.bits, lst: example.lst });
      expect(Buffer.from(list.bytes).toString('hex')).toBe(example.bytesHex);
      expect(example.statuses.map((_, i) => list.get(i))).toEqual(example.statuses);
    }
  });

  it('encodes a full-size CityCred list to the frozen lst, which an independent inflate and @sd-jwt/jwt-status-list read alike', () => {
    const vector = vectors.token[1]!;
    const list = createTokenStatusList(2, vector.entries!);
    for (const [index, value] of Object.entries(vector.statuses)) list.set(Number(index), value);
    const claim = encodeTokenStatusList(list);
    expect(claim.lst).toBe(vector.lst);
    expect(inflateSync(Buffer.from(claim.lst, 'base64url')).equals(Buffer.from(list.bytes))).toBe(true);
    const theirs = StatusList.decompressStatusList(claim.lst, 2);
    for (const [index, value] of Object.entries(vector.statuses)) expect(theirs.getStatus(Number(index))).toBe(value);
    expect(theirs.getStatus(2)).toBe(TokenStatus.Valid);
  });

  it('round-trips any statuses, 1 or 2 bits', () => {
    fc.assert(
      fc.property(fc.constantFrom<1 | 2>(1, 2), fc.array(fc.nat({ max: 3 }), { minLength: 8, maxLength: 64 }), (bits, raw) => {
        const values = raw.slice(0, raw.length - (raw.length % 8)).map((v) => v % (1 << bits));
        const list = createTokenStatusList(bits, values.length);
        values.forEach((v, i) => list.set(i, v));
        const decoded = decodeTokenStatusList(encodeTokenStatusList(list));
        expect(values.map((_, i) => decoded.get(i))).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses bad bits, bad base64url, bad ZLIB and values that do not fit', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as StatusListError).code;
      }
      return 'did not throw';
    };
    expect(code(() => decodeTokenStatusList({ bits: 3, lst: 'eNo76fITAAPfAgc' }))).toBe(StatusListErrorCode.BadBits);
    expect(code(() => decodeTokenStatusList({ bits: 2, lst: 'eNo7 6fITAAPfAgc' }))).toBe(StatusListErrorCode.BadBase64);
    expect(code(() => decodeTokenStatusList({ bits: 2, lst: 'AAAAAAAA' }))).toBe(StatusListErrorCode.BadCompression);
    expect(code(() => createTokenStatusList(2, 8).set(0, 4))).toBe(StatusListErrorCode.BadBits);
    expect(code(() => createTokenStatusList(2, 8).get(8))).toBe(StatusListErrorCode.IndexOutOfRange);
  });
});

describe('status list token payload and check', () => {
  const uri = 'https://issuer.example/status-lists/42';
  const list = tokenStatusListFromBytes(2, new Uint8Array(4));
  list.set(1, TokenStatus.Invalid);
  list.set(2, TokenStatus.Suspended);
  list.set(3, 3);
  const payload = statusListTokenPayload({ uri, issuedAt: new Date('2026-03-02T09:00:00.900Z'), list, ttlSeconds: 300 });

  it('builds {sub, iat, ttl, status_list} with iat in whole seconds', () => {
    expect(payload).toEqual({ sub: uri, iat: 1772442000, ttl: 300, status_list: encodeTokenStatusList(list) });
  });

  it('reads VALID as passed and INVALID, SUSPENDED or another value as failed; never throws', () => {
    const check = (idx: unknown, p: unknown = payload, u = uri) => checkTokenStatus({ reference: { idx, uri: u }, payload: p });
    expect(check(0)).toMatchObject({ status: 'passed', value: 0, reason: 'valid' });
    expect(check(1)).toMatchObject({ status: 'failed', value: 1, reason: 'invalid' });
    expect(check(2)).toMatchObject({ status: 'failed', value: 2, reason: 'suspended' });
    expect(check(3)).toMatchObject({ status: 'failed', value: 3, reason: 'other-status' });
    expect(check(16)).toMatchObject({ status: 'failed', reason: 'index-out-of-range' });
    expect(check('1')).toMatchObject({ status: 'failed', reason: 'reference-malformed' });
    expect(check(0, payload, `${uri}/other`)).toMatchObject({ status: 'failed', reason: 'list-mismatch' });
    expect(check(0, { ...payload, status_list: { bits: 2, lst: '!!' } })).toMatchObject({ status: 'failed', reason: 'list-malformed' });
    expect(checkTokenStatus({ reference: null, payload: null })).toMatchObject({ status: 'failed', reason: 'reference-malformed' });
  });
});
