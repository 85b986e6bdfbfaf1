import { fromBase64Url, toBase64Url } from './base64url.js';
import { StatusListError, StatusListErrorCode } from './errors.js';
import { inflateBounded, PackedStatusList, zlibDeterministic, type BitsPerEntry } from './packed-list.js';

/** The `typ` of a status list token (IETF Token Status List, JWT form). */
export const STATUS_LIST_JWT_TYP = 'statuslist+jwt';

/** The media type the status list token is served as. */
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt';

/** Status values registered by the Token Status List draft that CityCred uses. */
export const TokenStatus = {
  Valid: 0,
  Invalid: 1,
  Suspended: 2,
} as const;

/** A registered status value we write: 0 VALID, 1 INVALID (revoked), 2 SUSPENDED. */
export type TokenStatus = (typeof TokenStatus)[keyof typeof TokenStatus];

/** The `status_list` claim: bits per entry and the ZLIB-compressed byte array, base64url. */
export interface TokenStatusListClaim {
  readonly bits: BitsPerEntry;
  readonly lst: string;
}

/**
 * An all-VALID Token Status List (entries packed least significant bits first).
 * @throws StatusListError `status-list.bad-bits`, `status-list.invalid-argument`
 */
export function createTokenStatusList(bits: BitsPerEntry, entries: number): PackedStatusList {
  return PackedStatusList.empty(bits, 'lsb-first', entries);
}

/**
 * Wraps stored bytes as a Token Status List.
 * @throws StatusListError `status-list.bad-bits`
 */
export function tokenStatusListFromBytes(bits: BitsPerEntry, bytes: Uint8Array): PackedStatusList {
  return PackedStatusList.fromBytes(bits, 'lsb-first', bytes);
}

/**
 * The `status_list` claim of a list: `lst` = base64url (no padding) of the ZLIB (RFC 1950) DEFLATE of the bytes.
 * @throws StatusListError `status-list.invalid-argument` for a list not packed least significant bits first
 */
export function encodeTokenStatusList(list: PackedStatusList): TokenStatusListClaim {
  if (list.order !== 'lsb-first') throw new StatusListError(StatusListErrorCode.InvalidArgument, 'A Token Status List is packed least significant bits first.');
  return { bits: list.bitsPerEntry, lst: toBase64Url(zlibDeterministic(list.bytes)) };
}

/**
 * Decodes a `status_list` claim.
 * @throws StatusListError `status-list.bad-bits`, `status-list.bad-base64url`, `status-list.bad-compression`,
 *   `status-list.too-large`
 */
export function decodeTokenStatusList(claim: unknown): PackedStatusList {
  const record = claim && typeof claim === 'object' ? (claim as Record<string, unknown>) : {};
  const bits = record['bits'];
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw new StatusListError(StatusListErrorCode.BadBits, 'status_list.bits must be 1, 2, 4 or 8.');
  if (typeof record['lst'] !== 'string') throw new StatusListError(StatusListErrorCode.BadBase64, 'status_list.lst must be a base64url string.');
  return tokenStatusListFromBytes(bits, inflateBounded(fromBase64Url(record['lst']), 'zlib'));
}

/** The claims of a status list token (JWT form). */
export interface StatusListTokenPayload {
  /** The list's URI; equal to the `uri` the referenced tokens carry. */
  readonly sub: string;
  /** Issued at, seconds since the epoch. */
  readonly iat: number;
  readonly exp?: number;
  /** Seconds a relying party may cache the token (the draft's unit; the bitstring's `ttl` is in milliseconds). */
  readonly ttl?: number;
  readonly status_list: TokenStatusListClaim;
}

/**
 * Builds the payload of a status list token.
 * @param input - `uri`, `issuedAt`, the `list`, optional `expiresAt` and `ttlSeconds`
 * @throws StatusListError `status-list.invalid-argument`
 */
export function statusListTokenPayload(input: { uri: string; issuedAt: Date; list: PackedStatusList; expiresAt?: Date; ttlSeconds?: number }): StatusListTokenPayload {
  if (!input.uri) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The status list URI is required.');
  if (input.ttlSeconds !== undefined && (!Number.isSafeInteger(input.ttlSeconds) || input.ttlSeconds <= 0)) {
    throw new StatusListError(StatusListErrorCode.InvalidArgument, 'ttl must be a positive number of seconds.');
  }
  return {
    sub: input.uri,
    iat: Math.floor(input.issuedAt.getTime() / 1000),
    ...(input.expiresAt ? { exp: Math.floor(input.expiresAt.getTime() / 1000) } : {}),
    ...(input.ttlSeconds !== undefined ? { ttl: input.ttlSeconds } : {}),
    status_list: encodeTokenStatusList(input.list),
  };
}

/** Stable reasons of a {@link TokenStatusCheck}. */
export type TokenStatusReason = 'valid' | 'invalid' | 'suspended' | 'other-status' | 'reference-malformed' | 'list-malformed' | 'list-mismatch' | 'index-out-of-range';

/** The outcome of reading one referenced token's status: `passed` only for VALID. */
export interface TokenStatusCheck {
  readonly status: 'passed' | 'failed';
  /** The status value read, when one was. */
  readonly value?: number;
  readonly reason: TokenStatusReason;
  readonly detail: string;
}

/**
 * Reads a referenced token's status from a status list token payload whose signature (by the token's issuer, never
 * a key the list itself carries) was checked elsewhere. Never throws.
 * @param input - the token's `status.status_list` reference `{idx, uri}` and the list token's payload
 */
export function checkTokenStatus(input: { reference: unknown; payload: unknown }): TokenStatusCheck {
  const reference = input.reference && typeof input.reference === 'object' ? (input.reference as Record<string, unknown>) : undefined;
  const idx = reference?.['idx'];
  if (!reference || typeof reference['uri'] !== 'string' || typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    return { status: 'failed', reason: 'reference-malformed', detail: 'The reference must be {idx: a non-negative integer, uri}.' };
  }
  const payload = input.payload && typeof input.payload === 'object' ? (input.payload as Record<string, unknown>) : {};
  if (payload['sub'] !== reference['uri']) return { status: 'failed', reason: 'list-mismatch', detail: 'The list token’s sub is not the uri the token names.' };
  let list: PackedStatusList;
  try {
    list = decodeTokenStatusList(payload['status_list']);
  } catch (error) {
    return { status: 'failed', reason: 'list-malformed', detail: error instanceof StatusListError ? `${error.code}: ${error.message}` : 'status_list cannot be read.' };
  }
  if (idx >= list.length) return { status: 'failed', reason: 'index-out-of-range', detail: `Index ${idx} is outside the list of ${list.length} entries.` };
  const value = list.get(idx);
  if (value === TokenStatus.Valid) return { status: 'passed', value, reason: 'valid', detail: 'VALID' };
  if (value === TokenStatus.Invalid) return { status: 'failed', value, reason: 'invalid', detail: 'INVALID (revoked)' };
  if (value === TokenStatus.Suspended) return { status: 'failed', value, reason: 'suspended', detail: 'SUSPENDED' };
  return { status: 'failed', value, reason: 'other-status', detail: `Status value ${value}, which this checker does not accept.` };
}
