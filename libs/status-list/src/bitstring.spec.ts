import { gunzipSync } from 'node:zlib';
import { loadFixture } from '@citycred/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBase64Url } from './base64url.js';
import {
  BITSTRING_MIN_ENTRIES,
  bitstringStatusListCredential,
  bitstringStatusListEntry,
  checkBitstringStatus,
  createBitstring,
  decodeBitstring,
  encodeBitstring,
} from './bitstring.js';
import { StatusListError, StatusListErrorCode } from './errors.js';
import { gzipDeterministic } from './packed-list.js';

interface Vectors {
  bitstring: { entries: number; setIndexes: number[]; firstBytesHex: string; lastByteHex: string; encodedList: string };
}
const vectors = loadFixture<Vectors>('status-list/vectors.json');

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof StatusListError ? error.code : `not a StatusListError: ${String(error)}`;
  }
  return 'did not throw';
};

describe('W3C bitstring: bit order and encoding', () => {
  it('puts index 0 in the most significant bit of byte 0 (frozen vector: indexes 0, 7, 8, 131071)', () => {
    const list = createBitstring();
    for (const index of vectors.bitstring.setIndexes) list.set(index, 1);
    expect(Buffer.from(list.bytes.subarray(0, 2)).toString('hex')).toBe('8180');
    expect(Buffer.from(list.bytes.subarray(-1)).toString('hex')).toBe('01');
    expect(encodeBitstring(list)).toBe(vectors.bitstring.encodedList);
  });

  it('decodes the frozen encodedList with an independent gunzip to the same bytes, and with ours to the same bits', () => {
    const raw = gunzipSync(Buffer.from(vectors.bitstring.encodedList.slice(1), 'base64url'));
    expect(raw.length).toBe(BITSTRING_MIN_ENTRIES / 8);
    expect(raw.subarray(0, 2).toString('hex')).toBe(vectors.bitstring.firstBytesHex);
    const list = decodeBitstring(vectors.bitstring.encodedList);
    const set = [];
    for (let i = 0; i < list.length; i += 1) if (list.get(i) === 1) set.push(i);
    expect(set).toEqual(vectors.bitstring.setIndexes);
  });

  it('round-trips any set of indexes', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: BITSTRING_MIN_ENTRIES - 1 }), { maxLength: 40 }), (indexes) => {
        const list = createBitstring();
        for (const i of indexes) list.set(i, 1);
        const decoded = decodeBitstring(encodeBitstring(list));
        expect(decoded.bytes).toEqual(list.bytes);
        for (const i of indexes) expect(decoded.get(i)).toBe(1);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses what is not multibase, not base64url, not GZIP, or shorter than 16 KB, each with its code', () => {
    const valid = vectors.bitstring.encodedList;
    expect(codeOf(() => decodeBitstring(valid.slice(1)))).toBe(StatusListErrorCode.NotMultibase);
    expect(codeOf(() => decodeBitstring(`z${valid.slice(1)}`))).toBe(StatusListErrorCode.NotMultibase);
    expect(codeOf(() => decodeBitstring(`${valid}=`))).toBe(StatusListErrorCode.BadBase64);
    expect(codeOf(() => decodeBitstring(`u${Buffer.from('not gzip at all, just text').toString('base64url')}`))).toBe(StatusListErrorCode.BadCompression);
    const corrupted = Buffer.from(valid.slice(1), 'base64url');
    corrupted[12] ^= 0xff;
    expect(codeOf(() => decodeBitstring(`u${corrupted.toString('base64url')}`))).toBe(StatusListErrorCode.BadCompression);
    expect(codeOf(() => decodeBitstring(`u${toBase64Url(gzipDeterministic(new Uint8Array(16383)))}`))).toBe(StatusListErrorCode.TooShort);
    expect(decodeBitstring(`u${toBase64Url(gzipDeterministic(new Uint8Array(16384)))}`).length).toBe(BITSTRING_MIN_ENTRIES);
    expect(codeOf(() => createBitstring(BITSTRING_MIN_ENTRIES - 8))).toBe(StatusListErrorCode.TooShort);
  });

  it('refuses a compression bomb before inflating it in full', () => {
    const bomb = gzipDeterministic(new Uint8Array(17 * 1024 * 1024));
    expect(codeOf(() => decodeBitstring(`u${toBase64Url(bomb)}`))).toBe(StatusListErrorCode.TooLarge);
  });
});

describe('BitstringStatusListCredential and entries', () => {
  const url = 'https://issuer.example/status-lists/7f9c';
  const issuer = 'did:ethr:citycred:0x02aa';

  it('builds the entry with the index as a string and the list URL', () => {
    expect(bitstringStatusListEntry({ listUrl: url, index: 94567, purpose: 'revocation' })).toEqual({
      id: `${url}#94567`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: url,
    });
    expect(codeOf(() => bitstringStatusListEntry({ listUrl: `${url}#x`, index: 1, purpose: 'revocation' }))).toBe(StatusListErrorCode.InvalidArgument);
  });

  it('builds a VCDM 2.0 list credential (v2 context, validFrom, subject #list, ttl in milliseconds)', () => {
    const list = createBitstring();
    list.set(3, 1);
    const credential = bitstringStatusListCredential({ url, issuer, purpose: 'suspension', list, validFrom: new Date('2026-03-02T09:00:00Z'), ttlMs: 300_000 });
    expect(credential).toEqual({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: url,
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer,
      validFrom: '2026-03-02T09:00:00.000Z',
      credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'suspension', encodedList: encodeBitstring(list), ttl: 300_000 },
    });
    expect(credential).not.toHaveProperty('issuanceDate');
  });

  describe('checkBitstringStatus (never throws)', () => {
    const list = createBitstring();
    list.set(42, 1);
    const listCredential = bitstringStatusListCredential({ url, issuer, purpose: 'revocation', list, validFrom: new Date('2026-03-02T09:00:00Z') });
    const entry = (index: number, purpose: 'revocation' | 'suspension' = 'revocation') => bitstringStatusListEntry({ listUrl: url, index, purpose });

    it('passes for a clear bit and fails as revoked for a set one', () => {
      expect(checkBitstringStatus({ entry: entry(41), credentialIssuer: issuer, listCredential })).toMatchObject({ status: 'passed', purpose: 'revocation', reason: 'not-set' });
      expect(checkBitstringStatus({ entry: entry(42), credentialIssuer: { id: issuer }, listCredential })).toMatchObject({ status: 'failed', purpose: 'revocation', reason: 'revoked' });
    });

    it('fails on a purpose, issuer, list or index that does not match, and on malformed input', () => {
      const check = (input: Partial<Parameters<typeof checkBitstringStatus>[0]>) =>
        checkBitstringStatus({ entry: entry(41), credentialIssuer: issuer, listCredential, ...input }).reason;
      expect(check({ entry: entry(41, 'suspension') })).toBe('purpose-mismatch');
      expect(check({ credentialIssuer: 'did:ethr:citycred:0x02bb' })).toBe('issuer-mismatch');
      expect(check({ credentialIssuer: undefined })).toBe('issuer-mismatch');
      expect(check({ entry: { ...entry(41), statusListCredential: `${url}-other` } })).toBe('list-mismatch');
      expect(check({ entry: entry(BITSTRING_MIN_ENTRIES) })).toBe('index-out-of-range');
      expect(check({ entry: { ...entry(1), statusListIndex: 1 } })).toBe('entry-malformed');
      expect(check({ entry: { ...entry(1), statusListIndex: '01' } })).toBe('entry-malformed');
      expect(check({ entry: null })).toBe('entry-malformed');
      expect(check({ listCredential: 'eyJ…' })).toBe('list-malformed');
      expect(check({ listCredential: { ...listCredential, credentialSubject: { ...listCredential.credentialSubject, encodedList: 'not-multibase' } } })).toBe('list-malformed');
    });
  });
});
