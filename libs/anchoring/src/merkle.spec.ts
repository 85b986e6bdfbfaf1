import { createHash } from 'node:crypto';
import { loadFixture } from '@citycred/testing';
import { describe, expect, it } from 'vitest';
import {
  buildMerkleTree,
  credentialHash,
  type Hex32,
  isHex32,
  leafHash,
  nodeHash,
  normalizeHex32,
  rootFromProof,
  verifyMerkleProof,
} from './merkle.js';

interface MerkleVectors {
  credentialHashes: { input: string; credentialHash: Hex32 }[];
  trees: {
    name: string;
    inputs: string[];
    credentialHashes: Hex32[];
    leafHashes: Hex32[];
    root: Hex32;
    proofs: Hex32[][];
  }[];
}

const vectors = loadFixture<MerkleVectors>('merkle-vectors.json');

// The reference below is written from docs/anchoring.md with node:crypto alone, so a fault in
// the library cannot hide behind the same fault in the expectation.
const sha256 = (...parts: Uint8Array[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
const bytes = (hex: string): Buffer => Buffer.from(hex.slice(2), 'hex');
const hex = (buffer: Buffer): Hex32 => `0x${buffer.toString('hex')}`;
const refLeaf = (credential: Buffer): Buffer => sha256(Buffer.from([0x00]), credential);
const refNode = (a: Buffer, b: Buffer): Buffer =>
  Buffer.compare(a, b) <= 0 ? sha256(Buffer.from([0x01]), a, b) : sha256(Buffer.from([0x01]), b, a);

function referenceTree(credentialHashes: Hex32[]): { root: Hex32; proofs: Hex32[][] } {
  let level = credentialHashes.map((c) => refLeaf(bytes(c)));
  let positions = credentialHashes.map((_, i) => i);
  const proofs: Hex32[][] = credentialHashes.map(() => []);
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? (level[i] as Buffer) : refNode(level[i] as Buffer, right));
    }
    positions.forEach((position, leaf) => {
      const sibling = level[position % 2 === 0 ? position + 1 : position - 1];
      if (sibling !== undefined) proofs[leaf]?.push(hex(sibling));
    });
    positions = positions.map((position) => Math.floor(position / 2));
    level = next;
  }
  return { root: hex(level[0] as Buffer), proofs };
}

const hashesOf = (prefix: string, count: number): Hex32[] =>
  Array.from({ length: count }, (_, i) => hex(sha256(Buffer.from(`${prefix}-${i}`, 'utf8'))));

const flipLastBit = (value: Hex32): Hex32 => {
  const buffer = bytes(value);
  buffer[31] = (buffer[31] as number) ^ 0x01;
  return hex(buffer);
};

describe('frozen vectors in libs/testing/fixtures/merkle-vectors.json', () => {
  it('cover trees of 1, 2, 3, 5 and 8 leaves', () => {
    expect(vectors.trees.map((tree) => tree.inputs.length)).toEqual([1, 2, 3, 5, 8]);
  });

  it.each(vectors.credentialHashes)('credentialHash($input) is unchanged', ({ input, credentialHash: expected }) => {
    expect(credentialHash(input)).toBe(expected);
    expect(credentialHash(new TextEncoder().encode(input))).toBe(expected);
    expect(hex(sha256(Buffer.from(input, 'utf8')))).toBe(expected);
  });

  describe.each(vectors.trees)('$name', (vector) => {
    it('reproduces the credential hashes and leaf hashes', () => {
      expect(vector.inputs.map((input) => credentialHash(input))).toEqual(vector.credentialHashes);
      expect(vector.credentialHashes.map(leafHash)).toEqual(vector.leafHashes);
    });

    it('reproduces the root and every proof exactly', () => {
      expect(buildMerkleTree(vector.credentialHashes)).toEqual({
        root: vector.root,
        leafCount: vector.inputs.length,
        proofs: vector.proofs,
      });
    });

    it('agrees with the independent reference construction', () => {
      expect(referenceTree(vector.credentialHashes)).toEqual({ root: vector.root, proofs: vector.proofs });
    });

    it('verifies every recorded proof against the recorded root', () => {
      vector.credentialHashes.forEach((c, i) => {
        expect(verifyMerkleProof(c, vector.proofs[i] as Hex32[], vector.root)).toBe(true);
      });
    });
  });
});

describe('small trees computed by hand', () => {
  const c = hashesOf('hand', 5);
  const leaves = c.map((value) => refLeaf(bytes(value)));
  const [l0, l1, l2, l3, l4] = leaves as [Buffer, Buffer, Buffer, Buffer, Buffer];

  it('one leaf: the root is the leaf hash and the proof is empty', () => {
    expect(buildMerkleTree([c[0] as Hex32])).toEqual({ root: hex(l0), leafCount: 1, proofs: [[]] });
  });

  it('two leaves: root = H(0x01 ‖ min ‖ max), each proof is the other leaf', () => {
    const [low, high] = Buffer.compare(l0, l1) < 0 ? [l0, l1] : [l1, l0];
    const root = hex(createHash('sha256').update(Buffer.from([0x01])).update(low).update(high).digest());
    expect(buildMerkleTree(c.slice(0, 2))).toEqual({ root, leafCount: 2, proofs: [[hex(l1)], [hex(l0)]] });
  });

  it('three leaves: the third leaf is promoted and paired one level up', () => {
    const n01 = refNode(l0, l1);
    expect(buildMerkleTree(c.slice(0, 3))).toEqual({
      root: hex(refNode(n01, l2)),
      leafCount: 3,
      proofs: [[hex(l1), hex(l2)], [hex(l0), hex(l2)], [hex(n01)]],
    });
  });

  it('five leaves: the fifth leaf is promoted twice and its proof has one entry', () => {
    const n0123 = refNode(refNode(l0, l1), refNode(l2, l3));
    const tree = buildMerkleTree(c);
    expect(tree.root).toBe(hex(refNode(n0123, l4)));
    expect(tree.proofs[4]).toEqual([hex(n0123)]);
    expect(tree.proofs[0]).toEqual([hex(l1), hex(refNode(l2, l3)), hex(l4)]);
  });

  it('never duplicates an odd node: [a, b, c] and [a, b, c, c] have different roots', () => {
    const three = c.slice(0, 3);
    expect(buildMerkleTree(three).root).not.toBe(buildMerkleTree([...three, c[2] as Hex32]).root);
  });
});

describe('random trees of 1 to 40 leaves', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('%i leaves: matches the reference and every proof verifies', (n) => {
    const hashes = hashesOf(`random-${n}`, n);
    const tree = buildMerkleTree(hashes);
    expect(tree.leafCount).toBe(n);
    expect({ root: tree.root, proofs: tree.proofs }).toEqual(referenceTree(hashes));
    const maxDepth = Math.ceil(Math.log2(n));
    hashes.forEach((c, i) => {
      const proof = tree.proofs[i] as Hex32[];
      expect(proof.length).toBeLessThanOrEqual(maxDepth);
      expect(rootFromProof(c, proof)).toBe(tree.root);
      expect(verifyMerkleProof(c, proof, tree.root)).toBe(true);
    });
  });
});

describe('tampering', () => {
  const hashes = hashesOf('tamper', 7);
  const tree = buildMerkleTree(hashes);

  it('fails when any sibling of any proof is altered', () => {
    hashes.forEach((c, i) => {
      const proof = tree.proofs[i] as Hex32[];
      proof.forEach((sibling, s) => {
        const altered = proof.map((entry, k) => (k === s ? flipLastBit(sibling) : entry));
        expect(verifyMerkleProof(c, altered, tree.root)).toBe(false);
      });
    });
  });

  it('fails when a sibling is dropped, added or the siblings are reordered', () => {
    const proof = tree.proofs[0] as Hex32[];
    expect(verifyMerkleProof(hashes[0] as Hex32, proof.slice(1), tree.root)).toBe(false);
    expect(verifyMerkleProof(hashes[0] as Hex32, proof.slice(0, -1), tree.root)).toBe(false);
    expect(verifyMerkleProof(hashes[0] as Hex32, [...proof, proof[0] as Hex32], tree.root)).toBe(false);
    expect(verifyMerkleProof(hashes[0] as Hex32, [...proof].reverse(), tree.root)).toBe(false);
  });

  it('fails for an altered credential hash, an altered root, or another leaf’s proof', () => {
    expect(verifyMerkleProof(flipLastBit(hashes[3] as Hex32), tree.proofs[3] as Hex32[], tree.root)).toBe(false);
    expect(verifyMerkleProof(hashes[3] as Hex32, tree.proofs[3] as Hex32[], flipLastBit(tree.root))).toBe(false);
    expect(verifyMerkleProof(hashes[3] as Hex32, tree.proofs[4] as Hex32[], tree.root)).toBe(false);
  });

  it('fails when a leaf hash or an inner node is passed off as a credential hash', () => {
    const leaves = hashes.map(leafHash);
    expect(verifyMerkleProof(leaves[0] as Hex32, tree.proofs[0] as Hex32[], tree.root)).toBe(false);
    const n01 = nodeHash(leaves[0] as Hex32, leaves[1] as Hex32);
    expect(verifyMerkleProof(n01, (tree.proofs[0] as Hex32[]).slice(1), tree.root)).toBe(false);
  });
});

describe('nodeHash', () => {
  const [a, b] = hashesOf('pair', 2) as [Hex32, Hex32];

  it('does not depend on the order of the pair', () => {
    expect(nodeHash(a, b)).toBe(nodeHash(b, a));
    expect(buildMerkleTree([a, b]).root).toBe(buildMerkleTree([b, a]).root);
  });

  it('puts the bytewise smaller child first', () => {
    const low: Hex32 = `0x00${'ff'.repeat(31)}`;
    const high: Hex32 = `0x01${'00'.repeat(31)}`;
    const expected = hex(sha256(Buffer.from([0x01]), bytes(low), bytes(high)));
    expect(nodeHash(high, low)).toBe(expected);
    expect(nodeHash(low, high)).toBe(expected);
  });

  it('rejects children that are not canonical Hex32', () => {
    expect(() => nodeHash(a, a.toUpperCase().replace('0X', '0x') as Hex32)).toThrow(TypeError);
    expect(() => nodeHash(a, '0x1234')).toThrow(TypeError);
  });
});

describe('Hex32', () => {
  const digits = '0123456789abcdef'.repeat(4);

  it('isHex32 accepts only 0x plus 64 lower-case hex digits', () => {
    expect(isHex32(`0x${digits}`)).toBe(true);
    expect(isHex32(digits)).toBe(false);
    expect(isHex32(`0x${digits.toUpperCase()}`)).toBe(false);
    expect(isHex32(`0X${digits}`)).toBe(false);
    expect(isHex32(`0x${digits}0`)).toBe(false);
    expect(isHex32(42)).toBe(false);
    expect(isHex32(null)).toBe(false);
  });

  it.each([
    ['with 0x', `0x${digits}`],
    ['without 0x', digits],
    ['in upper case', `0x${digits.toUpperCase()}`],
    ['with 0X and mixed case', `0X${digits.slice(0, 32).toUpperCase()}${digits.slice(32)}`],
  ])('normalizeHex32 accepts a value %s', (_, value) => {
    expect(normalizeHex32(value)).toBe(`0x${digits}`);
  });

  it.each([
    ['empty', ''],
    ['only the prefix', '0x'],
    ['63 digits', `0x${digits.slice(1)}`],
    ['65 digits', `0x${digits}0`],
    ['a non-hex digit', `0x${digits.slice(1)}g`],
    ['surrounding whitespace', ` 0x${digits} `],
    ['a doubled prefix', `0x0x${digits.slice(2)}`],
    ['a 20-byte address', `0x${'ab'.repeat(20)}`],
  ])('normalizeHex32 throws a TypeError for %s', (_, value) => {
    expect(() => normalizeHex32(value)).toThrow(TypeError);
  });

  it('normalizeHex32 throws a TypeError for a non-string', () => {
    expect(() => normalizeHex32(123 as unknown as string)).toThrow(TypeError);
    expect(() => normalizeHex32(undefined as unknown as string)).toThrow(TypeError);
  });
});

describe('credentialHash', () => {
  it('hashes the exact bytes: nothing is trimmed or normalised', () => {
    expect(credentialHash('eyJhbGciOi.x.y')).not.toBe(credentialHash('eyJhbGciOi.x.y\n'));
    expect(credentialHash('é')).not.toBe(credentialHash('e\u0301'));
  });

  it('throws a TypeError for anything but a string or bytes', () => {
    expect(() => credentialHash(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('malformed input', () => {
  const hashes = hashesOf('malformed', 3);
  const tree = buildMerkleTree(hashes);
  const c = hashes[0] as Hex32;
  const proof = tree.proofs[0] as Hex32[];

  it('buildMerkleTree throws a RangeError for zero leaves', () => {
    expect(() => buildMerkleTree([])).toThrow(RangeError);
  });

  it('buildMerkleTree, leafHash and rootFromProof throw a TypeError for non-canonical hashes', () => {
    expect(() => buildMerkleTree([c, c.toUpperCase() as Hex32])).toThrow(/credentialHashes\[1\]/);
    expect(() => leafHash(c.slice(2) as Hex32)).toThrow(TypeError);
    expect(() => rootFromProof(c, [proof[0] as Hex32, 'nope' as Hex32])).toThrow(TypeError);
    expect(() => rootFromProof(c, 'nope' as unknown as Hex32[])).toThrow(TypeError);
  });

  it('rootFromProof throws a RangeError for a proof longer than any anchorable tree needs', () => {
    expect(() => rootFromProof(c, Array.from({ length: 33 }, () => c))).toThrow(RangeError);
  });

  it.each([
    ['an upper-case root', c, proof, tree.root.toUpperCase()],
    ['a root without 0x', c, proof, tree.root.slice(2)],
    ['a null root', c, proof, null],
    ['a credential hash without 0x', c.slice(2), proof, tree.root],
    ['a numeric credential hash', 7, proof, tree.root],
    ['a proof that is not an array', c, 'nope', tree.root],
    ['a null proof', c, null, tree.root],
    ['a proof with a short entry', c, [...proof.slice(0, -1), '0x12'], tree.root],
    ['a proof with a non-string entry', c, [proof[0], 5], tree.root],
    ['a proof of 33 entries', c, Array.from({ length: 33 }, () => c), tree.root],
  ])('verifyMerkleProof returns false, without throwing, for %s', (_, credential, badProof, root) => {
    expect(verifyMerkleProof(credential as Hex32, badProof as Hex32[], root as Hex32)).toBe(false);
  });
});
