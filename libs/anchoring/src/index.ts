export {
  buildMerkleLevels,
  buildMerkleTree,
  credentialHash,
  isHex32,
  leafHash,
  merkleProofAt,
  nodeHash,
  normalizeHex32,
  rootFromProof,
  verifyMerkleProof,
} from './merkle.js';
export type { Hex32, MerkleTree } from './merkle.js';
export { ANCHOR_CODE_SEPARATOR, decodeAnchorCode, encodeAnchorCode, splitAnchorCode, type AnchorCode } from './anchor-code.js';
export type { AnchorLedger, AnchorReceipt, OnChainAnchor } from './ledger.js';
export { DIGEST_ANCHOR_TYPES, isDigestAnchorKind, type DigestAnchorKind } from './digest-kinds.js';
export { ANCHOR_WRITE_FAILURES, AnchorWriteError } from './writer.js';
export type { AnchorIssuer, AnchorRequest, AnchorWriteFailure, AnchorWriter } from './writer.js';
