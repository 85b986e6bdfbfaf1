import { hash } from 'node:crypto';
import { isHex32, type Hex32 } from './merkle-proof.js';

// The proof fold runs in browsers too, so it lives in merkle-proof.ts; this module builds trees with Node's hashing.
export { isHex32, rootFromProof, verifyMerkleProof, type Hex32 } from './merkle-proof.js';

/** The result of {@link buildMerkleTree}. */
export interface MerkleTree {
  /** The root to anchor on chain. */
  readonly root: Hex32;
  /** The number of leaves, i.e. credential hashes, in the tree. */
  readonly leafCount: number;
  /** `proofs[i]` holds the sibling hashes of leaf `i`, from the leaf level up to just below the root. */
  readonly proofs: Hex32[][];
}

const HASH_BYTES = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const LOOSE_HEX32_PATTERN = /^(?:0[xX])?([0-9a-fA-F]{64})$/;

/**
 * Brings a 32-byte hex string into the canonical {@link Hex32} form.
 *
 * @param value - 64 hex digits in any letter case, with or without a `0x`/`0X` prefix.
 *   Surrounding whitespace is not accepted.
 * @returns The same 32 bytes as `0x` plus 64 lower-case hex digits.
 * @throws TypeError if `value` is not a string holding exactly 32 bytes of hex.
 */
export function normalizeHex32(value: string): Hex32 {
  const match = typeof value === 'string' ? LOOSE_HEX32_PATTERN.exec(value) : null;
  if (match === null) {
    throw new TypeError(`Expected 32 bytes of hex, got ${describe(value)}`);
  }
  return `0x${(match[1] as string).toLowerCase()}`;
}

/**
 * Computes the hash that identifies an issued credential in the anchoring tree.
 *
 * @param issued - The exact bytes handed to the holder: for a JWT VC the compact JWT string, for an
 *   SD-JWT the issuer-signed part. A string is encoded as UTF-8; it is not trimmed or normalised.
 * @returns SHA-256 of those bytes.
 * @throws TypeError if `issued` is neither a string nor a `Uint8Array`.
 */
export function credentialHash(issued: string | Uint8Array): Hex32 {
  if (typeof issued !== 'string' && !(issued instanceof Uint8Array)) {
    throw new TypeError(`Expected the issued credential as a string or Uint8Array, got ${describe(issued)}`);
  }
  return toHex32(hash('sha256', issued, 'buffer'));
}

/**
 * Computes the leaf of the anchoring tree for one credential.
 *
 * @param credentialHash - The credential's hash (see {@link credentialHash}).
 * @returns SHA-256(0x00 ‖ credentialHash).
 * @throws TypeError if `credentialHash` is not a canonical {@link Hex32}.
 */
export function leafHash(credentialHash: Hex32): Hex32 {
  return toHex32(hashLeaf(parseHex32(credentialHash, 'credentialHash')));
}

/**
 * Computes the parent of two nodes of the anchoring tree. The pair is sorted first, so the result
 * does not depend on which child is on the left.
 *
 * @param a - One child.
 * @param b - The other child.
 * @returns SHA-256(0x01 ‖ min(a, b) ‖ max(a, b)), with min and max compared byte by byte.
 * @throws TypeError if either child is not a canonical {@link Hex32}.
 */
export function nodeHash(a: Hex32, b: Hex32): Hex32 {
  return toHex32(hashPair(parseHex32(a, 'a'), parseHex32(b, 'b')));
}

/**
 * Builds the anchoring tree over a batch of credentials and the proof of every leaf.
 *
 * Leaves keep the given order. Each level pairs neighbours (0,1), (2,3), …; an odd last node
 * moves up unchanged. A single credential's root is its own leaf hash, with an empty proof.
 *
 * @param credentialHashes - The batch's credential hashes, in the order their proofs are wanted.
 * @returns The root, the leaf count and, for every leaf `i`, `proofs[i]`: the sibling hashes from
 *   the bottom up. The proof of a leaf has at most ceil(log2 leafCount) entries.
 * @throws RangeError if `credentialHashes` is empty.
 * @throws TypeError if any entry is not a canonical {@link Hex32}.
 */
export function buildMerkleTree(credentialHashes: readonly Hex32[]): MerkleTree {
  const levels = buildMerkleLevels(credentialHashes);
  const leafCount = credentialHashes.length;
  const proofs: Hex32[][] = new Array<Hex32[]>(leafCount);
  for (let i = 0; i < leafCount; i += 1) proofs[i] = merkleProofAt(levels, i);
  return { root: (levels.at(-1) as Hex32[])[0] as Hex32, leafCount, proofs };
}

/**
 * Every level of the anchoring tree over a batch, leaves first and the root alone last: what a verifier keeps of a
 * batch it downloaded to compute one credential's proof itself ({@link merkleProofAt}), without the proofs of all.
 *
 * @param credentialHashes - The batch's credential hashes, in leaf order.
 * @returns `levels[0]` the leaf hashes, …, `levels[levels.length - 1]` = `[root]`.
 * @throws RangeError if `credentialHashes` is empty.
 * @throws TypeError if any entry is not a canonical {@link Hex32}.
 */
export function buildMerkleLevels(credentialHashes: readonly Hex32[]): Hex32[][] {
  const leafCount = credentialHashes.length;
  if (leafCount === 0) {
    throw new RangeError('A Merkle tree needs at least one credential hash');
  }

  // Each level is an array of the nodes' Hex32 strings, hashed straight to hex: a proof needs the
  // hex of every node below the root anyway, and strings cost the garbage collector far less than
  // one Buffer per digest, which keeps a 100k-leaf batch under half a second. Lower-case hex sorts
  // as the bytes it encodes, so the pair is ordered by comparing the strings.
  let level = new Array<Hex32>(leafCount);
  for (let i = 0; i < leafCount; i += 1) {
    if (!decodeHex32Into(credentialHashes[i], leafInput, 1)) {
      throw new TypeError(`credentialHashes[${i}] must be 0x followed by 64 lower-case hex digits, got ${describe(credentialHashes[i])}`);
    }
    level[i] = `0x${hash('sha256', leafInput, 'hex')}`;
  }

  // An odd last node is promoted, never paired with a copy of itself. Duplicating it (as Bitcoin
  // does) would give [a, b, c] and [a, b, c, c] the same root: one anchored root would then stand
  // for two different batches, and the leaf count recorded with it on chain could not be trusted.
  const levels: Hex32[][] = [level];
  while (level.length > 1) {
    const width = level.length;
    const parents = new Array<Hex32>(Math.ceil(width / 2));
    for (let p = 0; p < parents.length; p += 1) {
      const left = 2 * p;
      parents[p] = left + 1 < width ? hashHexPair(level[left] as Hex32, level[left + 1] as Hex32) : (level[left] as Hex32);
    }
    levels.push(parents);
    level = parents;
  }
  return levels;
}

/**
 * The proof of leaf `index` from a tree's levels ({@link buildMerkleLevels}): one sibling per level below the root
 * where the leaf's node has one (none where it was promoted), bottom up — the entries are the levels' own strings.
 *
 * @throws RangeError if `index` is not a leaf of the tree.
 */
export function merkleProofAt(levels: readonly (readonly Hex32[])[], index: number): Hex32[] {
  const leaves = levels[0];
  if (!leaves || !Number.isSafeInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} is not in a tree of ${leaves?.length ?? 0} leaves`);
  }
  const proof: Hex32[] = [];
  for (let l = 0, at = index; l < levels.length - 1; l += 1, at >>= 1) {
    const sibling = (levels[l] as Hex32[])[at ^ 1];
    if (sibling !== undefined) {
      proof.push(sibling);
    }
  }
  return proof;
}

// Scratch buffers for the hash inputs: hashing is synchronous, so one of each suffices, and
// reusing them spares the garbage collector two allocations per node of a large tree.
const leafInput = Buffer.alloc(1 + HASH_BYTES);
leafInput[0] = LEAF_PREFIX;
const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = NODE_PREFIX;

function hashLeaf(credentialHashBytes: Buffer): Buffer {
  credentialHashBytes.copy(leafInput, 1);
  return hash('sha256', leafInput, 'buffer');
}

function hashPair(a: Buffer, b: Buffer): Buffer {
  const [low, high] = Buffer.compare(a, b) <= 0 ? [a, b] : [b, a];
  low.copy(nodeInput, 1);
  high.copy(nodeInput, 1 + HASH_BYTES);
  return hash('sha256', nodeInput, 'buffer');
}

/** {@link hashPair} of two canonical Hex32 nodes, as Hex32 (ordered by string: lower-case hex sorts as its bytes). */
function hashHexPair(a: Hex32, b: Hex32): Hex32 {
  const aFirst = a <= b;
  nodeInput.write((aFirst ? a : b).slice(2), 1, HASH_BYTES, 'hex');
  nodeInput.write((aFirst ? b : a).slice(2), 1 + HASH_BYTES, HASH_BYTES, 'hex');
  return `0x${hash('sha256', nodeInput, 'hex')}`;
}

/**
 * Writes the 32 bytes of a canonical {@link Hex32} into `target` at `offset`, accepting exactly what
 * {@link isHex32} accepts (a regular expression per leaf costs more than the hashing around it):
 * `0x` and 64 characters, none of them upper case, all decoded as hex (Node stops at the first
 * character that is not).
 * @returns false when `value` is not canonical (`target` may then hold part of it)
 */
function decodeHex32Into(value: unknown, target: Buffer, offset: number): boolean {
  return (
    typeof value === 'string' &&
    value.length === 2 + 2 * HASH_BYTES &&
    value.startsWith('0x') &&
    value.toLowerCase() === value &&
    target.write(value.slice(2), offset, HASH_BYTES, 'hex') === HASH_BYTES
  );
}

function parseHex32(value: unknown, name: string): Buffer {
  if (!isHex32(value)) {
    throw new TypeError(`${name} must be 0x followed by 64 lower-case hex digits, got ${describe(value)}`);
  }
  return Buffer.from(value.slice(2), 'hex');
}

function toHex32(bytes: Buffer): Hex32 {
  return `0x${bytes.toString('hex')}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 80 ? `a string of length ${value.length}` : JSON.stringify(value);
  }
  return value === null ? 'null' : typeof value;
}
