/**
 * The part of `@citycred/anchoring` that runs in a browser (no Node built-in): folding a Merkle proof and the anchor
 * code a presentation QR code carries. The wallet and the scanner's offline module import this entry; the tree
 * builder and the chain ports are in the main one.
 */
export { ANCHOR_CODE_SEPARATOR, ANCHOR_CODE_VERSION, decodeAnchorCode, encodeAnchorCode, splitAnchorCode, type AnchorCode } from './anchor-code.js';
export { isHex32, MAX_PROOF_LENGTH, rootFromProof, verifyMerkleProof, type Hex32 } from './merkle-proof.js';
