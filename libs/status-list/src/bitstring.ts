import { fromBase64Url, toBase64Url } from './base64url.js';
import { StatusListError, StatusListErrorCode } from './errors.js';
import { gzipDeterministic, inflateBounded, PackedStatusList } from './packed-list.js';

/** The smallest list the W3C Recommendation allows, and the size we publish: 131,072 entries (16 KB), for herd privacy. */
export const BITSTRING_MIN_ENTRIES = 131_072;

/** The VCDM 2.0 base context. */
export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** Purposes CityCred publishes bitstring lists for. */
export const BITSTRING_PURPOSES = ['revocation', 'suspension'] as const;

/** `revocation` (final) or `suspension` (reversible). */
export type BitstringPurpose = (typeof BITSTRING_PURPOSES)[number];

/**
 * An all-zero W3C bitstring (1 bit per entry, index 0 = most significant bit of byte 0).
 * @param entries - at least {@link BITSTRING_MIN_ENTRIES}, a multiple of 8
 * @throws StatusListError `status-list.too-short`, `status-list.invalid-argument`
 */
export function createBitstring(entries: number = BITSTRING_MIN_ENTRIES): PackedStatusList {
  if (entries < BITSTRING_MIN_ENTRIES) {
    throw new StatusListError(StatusListErrorCode.TooShort, `A bitstring status list has at least ${BITSTRING_MIN_ENTRIES} entries.`);
  }
  return PackedStatusList.empty(1, 'msb-first', entries);
}

/**
 * Wraps raw bitstring bytes (as stored), checking the minimum size.
 * @throws StatusListError `status-list.too-short`
 */
export function bitstringFromBytes(bytes: Uint8Array): PackedStatusList {
  if (bytes.length * 8 < BITSTRING_MIN_ENTRIES) {
    throw new StatusListError(StatusListErrorCode.TooShort, `The bitstring has ${bytes.length} bytes; at least ${BITSTRING_MIN_ENTRIES / 8} are required.`);
  }
  return PackedStatusList.fromBytes(1, 'msb-first', bytes);
}

/**
 * The `encodedList` of a bitstring: multibase `u` + base64url (no padding) of its GZIP (deterministic settings).
 * @throws StatusListError `status-list.invalid-argument` for a list that is not a 1-bit, most-significant-bit-first list
 */
export function encodeBitstring(list: PackedStatusList): string {
  if (list.bitsPerEntry !== 1 || list.order !== 'msb-first') {
    throw new StatusListError(StatusListErrorCode.InvalidArgument, 'A bitstring status list has one bit per entry, most significant bit first.');
  }
  return `u${toBase64Url(gzipDeterministic(list.bytes))}`;
}

/**
 * Decodes an `encodedList`.
 * @throws StatusListError `status-list.not-multibase` (no `u` prefix), `status-list.bad-base64url`,
 *   `status-list.bad-compression` (not GZIP), `status-list.too-large`, `status-list.too-short` (under 16 KB)
 */
export function decodeBitstring(encodedList: string): PackedStatusList {
  if (typeof encodedList !== 'string' || !encodedList.startsWith('u')) {
    throw new StatusListError(StatusListErrorCode.NotMultibase, 'encodedList must be multibase base64url: "u" followed by base64url without padding.');
  }
  const compressed = fromBase64Url(encodedList.slice(1));
  if (compressed.length < 18 || compressed[0] !== 0x1f || compressed[1] !== 0x8b) {
    throw new StatusListError(StatusListErrorCode.BadCompression, 'encodedList is not GZIP data.');
  }
  return bitstringFromBytes(inflateBounded(compressed, 'gzip'));
}

/** A `BitstringStatusListEntry`, as a credential's `credentialStatus` carries it. */
export interface BitstringStatusListEntry {
  readonly id: string;
  readonly type: 'BitstringStatusListEntry';
  readonly statusPurpose: BitstringPurpose;
  /** The index as a base-10 string (the Recommendation's form). */
  readonly statusListIndex: string;
  readonly statusListCredential: string;
}

/**
 * Builds the entry a credential carries for one list.
 * @param input - `listUrl` (the list credential's URL), the `index` in it, the `purpose` of the list
 * @throws StatusListError `status-list.invalid-argument`
 */
export function bitstringStatusListEntry(input: { listUrl: string; index: number; purpose: BitstringPurpose }): BitstringStatusListEntry {
  const { listUrl, index, purpose } = input;
  if (!listUrl || listUrl.includes('#')) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The list URL must be non-empty and carry no fragment.');
  if (!Number.isSafeInteger(index) || index < 0) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The index must be a non-negative integer.');
  if (!BITSTRING_PURPOSES.includes(purpose)) throw new StatusListError(StatusListErrorCode.InvalidArgument, `Unknown status purpose ${String(purpose)}.`);
  return { id: `${listUrl}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: listUrl };
}

/** The subject of a list credential. */
export interface BitstringStatusListSubject {
  readonly id: string;
  readonly type: 'BitstringStatusList';
  readonly statusPurpose: BitstringPurpose;
  readonly encodedList: string;
  /** Milliseconds a verifier may cache the list (the Recommendation's unit). */
  readonly ttl?: number;
}

/** An unsigned `BitstringStatusListCredential` (VCDM 2.0), ready for a `vc+jwt` signer. */
export interface BitstringStatusListCredential {
  readonly '@context': readonly [typeof VC_V2_CONTEXT];
  readonly id: string;
  readonly type: readonly ['VerifiableCredential', 'BitstringStatusListCredential'];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validUntil?: string;
  readonly credentialSubject: BitstringStatusListSubject;
}

/**
 * Builds the unsigned list credential.
 * @param input - `url` (its `id`, the URL it is served at), `issuer` (DID), `purpose`, the `list`, `validFrom`,
 *   optionally `validUntil` and `ttlMs` (cache time in milliseconds)
 * @throws StatusListError from {@link encodeBitstring}, or `status-list.invalid-argument`
 */
export function bitstringStatusListCredential(input: {
  url: string;
  issuer: string;
  purpose: BitstringPurpose;
  list: PackedStatusList;
  validFrom: Date;
  validUntil?: Date;
  ttlMs?: number;
}): BitstringStatusListCredential {
  if (!input.url || input.url.includes('#')) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The list URL must be non-empty and carry no fragment.');
  if (!input.issuer) throw new StatusListError(StatusListErrorCode.InvalidArgument, 'The issuer is required.');
  if (input.ttlMs !== undefined && (!Number.isSafeInteger(input.ttlMs) || input.ttlMs < 0)) {
    throw new StatusListError(StatusListErrorCode.InvalidArgument, 'ttl must be a non-negative number of milliseconds.');
  }
  return {
    '@context': [VC_V2_CONTEXT],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom.toISOString(),
    ...(input.validUntil ? { validUntil: input.validUntil.toISOString() } : {}),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: encodeBitstring(input.list),
      ...(input.ttlMs !== undefined ? { ttl: input.ttlMs } : {}),
    },
  };
}

/** Stable reasons of a {@link BitstringStatusCheck}. */
export type BitstringStatusReason =
  | 'not-set'
  | 'set'
  | 'revoked'
  | 'suspended'
  | 'entry-malformed'
  | 'list-malformed'
  | 'list-mismatch'
  | 'purpose-mismatch'
  | 'issuer-mismatch'
  | 'index-out-of-range';

/** The outcome of reading one entry: `passed` only when every check held and the bit is 0. */
export interface BitstringStatusCheck {
  readonly status: 'passed' | 'failed';
  /** The entry's purpose, when it had one. */
  readonly purpose?: string;
  readonly reason: BitstringStatusReason;
  /** Human detail, for logs and answers. */
  readonly detail: string;
}

/**
 * Reads a credential's status from a list credential whose proof was already checked elsewhere. Never throws: a
 * malformed entry or list is a `failed` result. Checks that the list is the one the entry names, that its type,
 * purpose and issuer match (a list signed by someone else says nothing about this credential), that the index is
 * in range, then reads the bit.
 * @param input - the credential's `entry` (its `credentialStatus` item), the credential's issuer (a DID, or an
 *   object with `id`), and the list credential's claims
 */
export function checkBitstringStatus(input: { entry: unknown; credentialIssuer: unknown; listCredential: unknown }): BitstringStatusCheck {
  const entry = asRecord(input.entry);
  const purpose = typeof entry?.['statusPurpose'] === 'string' ? entry['statusPurpose'] : undefined;
  const fail = (reason: BitstringStatusReason, detail: string): BitstringStatusCheck => ({ status: 'failed', ...(purpose ? { purpose } : {}), reason, detail });
  if (!entry || entry['type'] !== 'BitstringStatusListEntry' || !purpose || typeof entry['statusListCredential'] !== 'string') {
    return fail('entry-malformed', 'The entry is not a BitstringStatusListEntry with statusPurpose and statusListCredential.');
  }
  const rawIndex = entry['statusListIndex'];
  if (typeof rawIndex !== 'string' || !/^(0|[1-9][0-9]{0,15})$/.test(rawIndex)) {
    return fail('entry-malformed', 'statusListIndex must be a base-10 integer string.');
  }
  const list = asRecord(input.listCredential);
  const types = list?.['type'];
  const subject = asRecord(list?.['credentialSubject']);
  if (!list || !Array.isArray(types) || !types.includes('BitstringStatusListCredential') || !subject || subject['type'] !== 'BitstringStatusList') {
    return fail('list-malformed', 'The list is not a BitstringStatusListCredential with a BitstringStatusList subject.');
  }
  if (list['id'] !== entry['statusListCredential']) return fail('list-mismatch', 'The list credential is not the one the entry names.');
  if (subject['statusPurpose'] !== purpose) return fail('purpose-mismatch', `The list is for ${String(subject['statusPurpose'])}, the entry for ${purpose}.`);
  const credentialIssuer = issuerId(input.credentialIssuer);
  if (!credentialIssuer || issuerId(list['issuer']) !== credentialIssuer) return fail('issuer-mismatch', 'The list was not issued by the credential’s issuer.');
  let bits: PackedStatusList;
  try {
    bits = decodeForReading(subject['encodedList'] as string);
  } catch (error) {
    return fail('list-malformed', error instanceof StatusListError ? `${error.code}: ${error.message}` : 'The encodedList cannot be read.');
  }
  const index = Number(rawIndex);
  if (index >= bits.length) return fail('index-out-of-range', `Index ${index} is outside the list of ${bits.length} entries.`);
  if (bits.get(index) === 0) return { status: 'passed', purpose, reason: 'not-set', detail: `Not set in the ${purpose} list.` };
  return fail(purpose === 'revocation' ? 'revoked' : purpose === 'suspension' ? 'suspended' : 'set', `Set in the ${purpose} list.`);
}

/** Lists decoded for reading, by their exact `encodedList` (never handed out: {@link checkBitstringStatus} only reads). */
const decodedForReading = new Map<string, PackedStatusList>();
const DECODED_FOR_READING_MAX = 64;

/**
 * {@link decodeBitstring}, remembered for the lists read most recently: a verifier reads the same few lists for every
 * credential of an issuer, and inflating 16 KB for each would cost more than the rest of the status check.
 */
function decodeForReading(encodedList: string): PackedStatusList {
  const known = decodedForReading.get(encodedList);
  if (known) return known;
  const decoded = decodeBitstring(encodedList);
  decodedForReading.set(encodedList, decoded);
  if (decodedForReading.size > DECODED_FOR_READING_MAX) decodedForReading.delete(decodedForReading.keys().next().value as string);
  return decoded;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function issuerId(issuer: unknown): string | undefined {
  if (typeof issuer === 'string') return issuer || undefined;
  const id = asRecord(issuer)?.['id'];
  return typeof id === 'string' && id ? id : undefined;
}
