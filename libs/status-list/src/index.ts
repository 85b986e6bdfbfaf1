export { fromBase64Url, toBase64Url } from './base64url.js';
export { StatusListError, StatusListErrorCode } from './errors.js';
export { MAX_LIST_BYTES, PackedStatusList } from './packed-list.js';
export type { BitOrder, BitsPerEntry } from './packed-list.js';
export {
  BITSTRING_MIN_ENTRIES,
  BITSTRING_PURPOSES,
  bitstringFromBytes,
  bitstringStatusListCredential,
  bitstringStatusListEntry,
  checkBitstringStatus,
  createBitstring,
  decodeBitstring,
  encodeBitstring,
  VC_V2_CONTEXT,
} from './bitstring.js';
export type {
  BitstringPurpose,
  BitstringStatusCheck,
  BitstringStatusListCredential,
  BitstringStatusListEntry,
  BitstringStatusListSubject,
  BitstringStatusReason,
} from './bitstring.js';
export {
  checkTokenStatus,
  createTokenStatusList,
  decodeTokenStatusList,
  encodeTokenStatusList,
  STATUS_LIST_JWT_MEDIA_TYPE,
  STATUS_LIST_JWT_TYP,
  statusListTokenPayload,
  TokenStatus,
  tokenStatusListFromBytes,
} from './token-status-list.js';
export type { StatusListTokenPayload, TokenStatusCheck, TokenStatusListClaim, TokenStatusReason } from './token-status-list.js';
export { pickFreeIndex, randomIndexBelow } from './allocation.js';
export type { RandomSource } from './allocation.js';
