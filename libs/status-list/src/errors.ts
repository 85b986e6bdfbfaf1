/** Stable codes of {@link StatusListError}. Branch on these, never on the message. */
export const StatusListErrorCode = {
  /** `encodedList` does not start with the multibase prefix `u` (base64url, no padding). */
  NotMultibase: 'status-list.not-multibase',
  /** The text is not base64url without padding. */
  BadBase64: 'status-list.bad-base64url',
  /** The compressed data does not inflate (bad GZIP / ZLIB). */
  BadCompression: 'status-list.bad-compression',
  /** A Bitstring Status List shorter than 16 KB (131,072 entries) uncompressed. */
  TooShort: 'status-list.too-short',
  /** A list larger than {@link MAX_LIST_BYTES} uncompressed (a compression bomb). */
  TooLarge: 'status-list.too-large',
  /** `bits` is not 1, 2, 4 or 8 (Token Status List), or a status value does not fit in it. */
  BadBits: 'status-list.bad-bits',
  /** An index outside the list. */
  IndexOutOfRange: 'status-list.index-out-of-range',
  /** No free index was found: the list is full (callers open a new list long before). */
  Full: 'status-list.full',
  /** A request to build a list or entry that does not make sense (empty URL, unknown purpose…). */
  InvalidArgument: 'status-list.invalid-argument',
} as const;

/** One of {@link StatusListErrorCode}. */
export type StatusListErrorCode = (typeof StatusListErrorCode)[keyof typeof StatusListErrorCode];

/** Thrown by encoding, decoding and allocation when the input does not fit. Branch on `code`, never on the message. */
export class StatusListError extends Error {
  constructor(
    readonly code: StatusListErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StatusListError';
  }
}
