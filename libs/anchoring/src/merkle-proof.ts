// Folding a Merkle proof (docs/anchoring.md, "Verifying an anchor"), kept apart from the tree builder so that it runs
// in a browser: it hashes with @noble/hashes, not node:crypto. The verifier's server, the scanner's offline module and
// the wallet fold proofs with this one implementation; the builder (merkle.ts) keeps Node's faster hashing for its
// 100,000-leaf trees, and the frozen vectors hold both to the same format.
import { sha256 } from '@noble/hashes/sha2.js';

/**
 * A 32-byte value written as `0x` followed by 64 lower-case hex digits: the only form in which
 * credential hashes, tree nodes and roots travel between our components and to the chain.
 */
export type Hex32 = `0x${string}`;

const HASH_BYTES = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;
const HEX32_PATTERN = /^0x[0-9a-f]{64}$/;

/**
 * The chain records `leafCount` as a uint32, and with odd nodes promoted a tree of n leaves is
 * ceil(log2 n) levels deep, so no anchored root can need a longer proof. Refusing longer ones
 * keeps a hostile proof from costing a verifier more than 32 hashes.
 */
export const MAX_PROOF_LENGTH = 32;

/**
 * Tells whether a value is a {@link Hex32} in canonical form.
 *
 * @param value - Anything.
 * @returns `true` if `value` is a string of `0x` and exactly 64 lower-case hex digits.
 */
export function isHex32(value: unknown): value is Hex32 {
  return typeof value === 'string' && HEX32_PATTERN.test(value);
}

/**
 * Recomputes the root that a proof leads to from a credential hash: `x = SHA-256(0x00 ‖ hash)`, then
 * `x = SHA-256(0x01 ‖ min(x, p) ‖ max(x, p))` for each sibling `p` in order.
 *
 * @param credentialHash - The credential's hash (SHA-256 of its issued bytes).
 * @param proof - The sibling hashes from the bottom up.
 * @returns The root implied by the proof. It means nothing until compared with an anchored root.
 * @throws TypeError if `credentialHash` or any proof entry is not a canonical {@link Hex32}, or
 *   `proof` is not an array.
 * @throws RangeError if the proof has more than 32 entries, more than any anchorable tree needs.
 */
export function rootFromProof(credentialHash: Hex32, proof: readonly Hex32[]): Hex32 {
  if (!Array.isArray(proof)) {
    throw new TypeError(`Expected the proof as an array, got ${describe(proof)}`);
  }
  if (proof.length > MAX_PROOF_LENGTH) {
    throw new RangeError(`A proof has at most ${MAX_PROOF_LENGTH} entries, got ${proof.length}`);
  }
  const leafInput = new Uint8Array(1 + HASH_BYTES);
  leafInput[0] = LEAF_PREFIX;
  leafInput.set(bytesOf(credentialHash, 'credentialHash'), 1);
  let node = sha256(leafInput);
  const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
  nodeInput[0] = NODE_PREFIX;
  for (let i = 0; i < proof.length; i += 1) {
    const sibling = bytesOf(proof[i], `proof[${i}]`);
    const nodeFirst = compareBytes(node, sibling) <= 0;
    nodeInput.set(nodeFirst ? node : sibling, 1);
    nodeInput.set(nodeFirst ? sibling : node, 1 + HASH_BYTES);
    node = sha256(nodeInput);
  }
  return hex32Of(node);
}

/**
 * Checks that a credential belongs to the batch with the given root. It does not check that the
 * root is anchored, nor by whom: see docs/anchoring.md for the full verification.
 *
 * @param credentialHash - The credential's hash.
 * @param proof - The sibling hashes from the bottom up.
 * @param root - The root the proof should lead to.
 * @returns `true` if the proof leads from the credential hash to `root`; `false` otherwise,
 *   including for any malformed or non-canonical input. Never throws.
 */
export function verifyMerkleProof(credentialHash: Hex32, proof: readonly Hex32[], root: Hex32): boolean {
  if (!isHex32(root) || !isHex32(credentialHash) || !Array.isArray(proof) || proof.length > MAX_PROOF_LENGTH) {
    return false;
  }
  if (!proof.every(isHex32)) {
    return false;
  }
  return rootFromProof(credentialHash, proof) === root;
}

/** The 32 bytes of a canonical {@link Hex32}. @throws TypeError naming `name` for anything else */
export function hex32Bytes(value: unknown, name = 'value'): Uint8Array {
  return bytesOf(value, name);
}

/** A 32-byte value as a canonical {@link Hex32}. @throws RangeError when `bytes` is not 32 bytes long */
export function hex32Of(bytes: Uint8Array): Hex32 {
  if (bytes.length !== HASH_BYTES) throw new RangeError(`Expected 32 bytes, got ${bytes.length}`);
  let hex = '0x';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex as Hex32;
}

function bytesOf(value: unknown, name: string): Uint8Array {
  if (!isHex32(value)) {
    throw new TypeError(`${name} must be 0x followed by 64 lower-case hex digits, got ${describe(value)}`);
  }
  const bytes = new Uint8Array(HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i += 1) bytes[i] = Number.parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
  return bytes;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 80 ? `a string of length ${value.length}` : JSON.stringify(value);
  }
  return value === null ? 'null' : typeof value;
}
