import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANCHOR_CODE_SEPARATOR, decodeAnchorCode, encodeAnchorCode, splitAnchorCode } from './anchor-code.js';
import { buildMerkleTree, credentialHash, type Hex32 } from './merkle.js';
import { rootFromProof } from './merkle-proof.js';

const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '../../testing/fixtures/merkle-vectors.json'), 'utf8'));
const hashes = Array.from({ length: 300 }, (_, i) => credentialHash(`citycred-anchor-code-${i}`));
const tree = buildMerkleTree(hashes);
const base64url = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

describe('the anchor code a presentation QR code carries (docs/presentations.md)', () => {
  it('round-trips leaf index, block and siblings, and the siblings still fold to the root', () => {
    for (const index of [0, 1, 127, 128, 299]) {
      const code = { leafIndex: index, blockNumber: 2_345_678, proof: tree.proofs[index]! };
      const text = encodeAnchorCode(code);
      expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeAnchorCode(text)).toEqual(code);
      expect(rootFromProof(hashes[index]!, decodeAnchorCode(text)!.proof)).toBe(tree.root);
    }
    // A batch of one: no sibling at all.
    expect(decodeAnchorCode(encodeAnchorCode({ leafIndex: 0, blockNumber: 0, proof: [] }))).toEqual({ leafIndex: 0, blockNumber: 0, proof: [] });
    expect(decodeAnchorCode(encodeAnchorCode({ leafIndex: 0, blockNumber: Number.MAX_SAFE_INTEGER, proof: [] }))?.blockNumber).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('folds the frozen vectors’ proofs the same way after a round trip (libs/testing/fixtures/merkle-vectors.json)', () => {
    let folded = 0;
    for (const vector of vectors.trees as Array<{ credentialHashes: Hex32[]; proofs: Hex32[][]; root: Hex32 }>) {
      vector.credentialHashes.forEach((hash, i) => {
        const code = decodeAnchorCode(encodeAnchorCode({ leafIndex: i, blockNumber: 7, proof: vector.proofs[i]! }))!;
        expect(rootFromProof(hash, code.proof)).toBe(vector.root);
        folded += 1;
      });
    }
    expect(folded).toBeGreaterThan(10);
  });

  it('is the version byte, two varints and the siblings: 9 siblings (a batch of 512) in 392 characters', () => {
    expect([...Buffer.from(encodeAnchorCode({ leafIndex: 300, blockNumber: 1, proof: [] }), 'base64url')]).toEqual([1, 0xac, 0x02, 1]);
    const nine = Array.from({ length: 9 }, (_, i) => hashes[i]!);
    expect(encodeAnchorCode({ leafIndex: 511, blockNumber: 2_000_000, proof: nine })).toHaveLength(392);
  });

  it('reads nothing that is not a code of this version, without throwing', () => {
    const sibling = [...Buffer.from(hashes[0]!.slice(2), 'hex')];
    for (const text of [
      '',
      'not base64url!',
      `${encodeAnchorCode({ leafIndex: 0, blockNumber: 1, proof: [hashes[0]!] })}=`,
      base64url([2, 0, 1, ...sibling]), // another version
      base64url([1, 0x80, 0x00, 1]), // an overlong varint
      base64url([1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), // beyond 2^53 - 1
      base64url([1, 0]), // no block number
      base64url([1, 0, 1, ...sibling.slice(1)]), // a sibling cut short
      base64url([1, 0, 1, ...Array.from({ length: 33 }, () => sibling).flat()]), // 33 siblings
    ]) {
      expect(decodeAnchorCode(text), text).toBeUndefined();
    }
  });

  it('refuses to encode what it cannot carry', () => {
    expect(() => encodeAnchorCode({ leafIndex: -1, blockNumber: 1, proof: [] })).toThrow(RangeError);
    expect(() => encodeAnchorCode({ leafIndex: 0, blockNumber: 1.5, proof: [] })).toThrow(RangeError);
    expect(() => encodeAnchorCode({ leafIndex: 0, blockNumber: 1, proof: ['0x12' as Hex32] })).toThrow(TypeError);
    expect(() => encodeAnchorCode({ leafIndex: 0, blockNumber: 1, proof: Array.from({ length: 33 }, () => hashes[0]!) })).toThrow(RangeError);
  });

  it('is split from the presentation at the first #, which no compact JWS or SD-JWT holds', () => {
    expect(splitAnchorCode('eyJ.a.b~WyJ~eyJ.k.s')).toEqual({ presentation: 'eyJ.a.b~WyJ~eyJ.k.s' });
    expect(splitAnchorCode(`eyJ.a.b~eyJ.k.s${ANCHOR_CODE_SEPARATOR}AQAB`)).toEqual({ presentation: 'eyJ.a.b~eyJ.k.s', anchorCode: 'AQAB' });
    expect(splitAnchorCode('eyJ.a.b~#')).toEqual({ presentation: 'eyJ.a.b~', anchorCode: '' });
  });
});
