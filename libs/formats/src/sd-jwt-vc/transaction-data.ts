import { decodeBase64urlText, encodeBase64url } from '../base64url.js';
import { FormatError } from '../types.js';
import { sha256Base64url } from './encoding.js';

/**
 * OpenID4VP 1.0 `transaction_data` (§5.1) and its binding into an SD-JWT VC key-binding JWT (Appendix B.3.3):
 * each entry of the request's `transaction_data` array is base64url (no padding) of a JSON object with `type`,
 * `credential_ids` (the DCQL credential query ids it applies to) and optionally `transaction_data_hashes_alg`; the
 * wallet's KB-JWT carries `transaction_data_hashes` — base64url(hash of the entry's base64url string, as received) —
 * and `transaction_data_hashes_alg`. Browser-safe (the wallet and the verifier share it).
 */

/** The transaction data type of a document signature (docs/e-signature.md). */
export const DOCUMENT_SIGNATURE_TRANSACTION_TYPE = 'citycred-document-signature';

/** The only hash algorithm we compute transaction data hashes with (the IANA name; the spec's default). */
export const TRANSACTION_DATA_HASH_ALG = 'sha-256';

/** The members common to every transaction data object (OpenID4VP 1.0 §5.1). */
export interface TransactionData {
  readonly type: string;
  readonly credential_ids: readonly string[];
  readonly transaction_data_hashes_alg?: readonly string[];
  readonly [member: string]: unknown;
}

/** A document signature's transaction data: the document as SHA-256 (`0x` + 64 hex), its file name and media type. */
export interface DocumentSignatureTransactionData extends TransactionData {
  readonly type: typeof DOCUMENT_SIGNATURE_TRANSACTION_TYPE;
  /** `0x` and the 64 lower-case hex digits of the document's SHA-256. */
  readonly document_hash: string;
  /** The file name shown to the citizen (at most 255 characters, no control characters). */
  readonly file_name: string;
  /** The file's media type (`type/subtype`), e.g. `application/pdf`. */
  readonly media_type: string;
}

/** Why transaction data was refused: the OpenID4VP error a wallet answers is `invalid_transaction_data` for all. */
export type TransactionDataRefusal = 'transaction-data.malformed' | 'transaction-data.unknown-type' | 'transaction-data.invalid' | 'transaction-data.unsupported-hash';

/** The outcome of reading one entry. */
export type TransactionDataReading<T extends TransactionData = TransactionData> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: TransactionDataRefusal; readonly detail: string };

/** `0x` and 64 lower-case hex digits. */
export const DOCUMENT_HASH = /^0x[0-9a-f]{64}$/;
/** `type/subtype` (RFC 6838 restricted names), no parameters. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,62}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const DOCUMENT_SIGNATURE_MEMBERS = new Set(['type', 'credential_ids', 'transaction_data_hashes_alg', 'document_hash', 'file_name', 'media_type']);

/** base64url of the object's JSON: one entry of a request's `transaction_data`. */
export function encodeTransactionData(data: TransactionData): string {
  return encodeBase64url(JSON.stringify(data));
}

/**
 * The hash a KB-JWT's `transaction_data_hashes` carries for one entry: base64url(SHA-256) of the entry's base64url
 * string exactly as the request carried it.
 */
export function transactionDataHash(encoded: string): string {
  return sha256Base64url(encoded);
}

/**
 * Reads one `transaction_data` entry: base64url JSON of an object with a string `type`, a non-empty `credential_ids`
 * array of strings, and — when present — a `transaction_data_hashes_alg` array that offers `sha-256`. The type is not
 * judged here ({@link readDocumentSignature}). Never throws.
 */
export function readTransactionData(encoded: unknown): TransactionDataReading {
  if (typeof encoded !== 'string' || encoded === '') return refuse('transaction-data.malformed', 'a transaction_data entry must be a base64url string');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeBase64urlText(encoded));
  } catch (error) {
    if (error instanceof FormatError || error instanceof SyntaxError) return refuse('transaction-data.malformed', 'a transaction_data entry is not base64url of a JSON object');
    throw error;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse('transaction-data.malformed', 'a transaction_data entry is not a JSON object');
  const data = parsed as Record<string, unknown>;
  if (typeof data['type'] !== 'string' || data['type'] === '') return refuse('transaction-data.malformed', 'a transaction_data entry needs a type');
  const ids = data['credential_ids'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id !== '')) {
    return refuse('transaction-data.malformed', 'a transaction_data entry needs a non-empty credential_ids array of strings');
  }
  const algs = data['transaction_data_hashes_alg'];
  if (algs !== undefined) {
    if (!Array.isArray(algs) || algs.length === 0 || !algs.every((alg) => typeof alg === 'string')) return refuse('transaction-data.malformed', 'transaction_data_hashes_alg must be a non-empty array of strings');
    if (!algs.includes(TRANSACTION_DATA_HASH_ALG)) return refuse('transaction-data.unsupported-hash', `transaction_data_hashes_alg offers no ${TRANSACTION_DATA_HASH_ALG}`);
  }
  return { ok: true, value: data as unknown as TransactionData };
}

/**
 * Reads a document signature's transaction data: {@link readTransactionData}, then the type
 * {@link DOCUMENT_SIGNATURE_TRANSACTION_TYPE} with a `document_hash` (`0x` + 64 hex), a `file_name` (1–255
 * characters, no control characters) and a `media_type` (`type/subtype`), and no other member (OpenID4VP 1.0 §8.5:
 * a known type with unknown fields is invalid). Never throws.
 */
export function readDocumentSignature(encoded: unknown): TransactionDataReading<DocumentSignatureTransactionData> {
  const read = readTransactionData(encoded);
  if (!read.ok) return read;
  const data = read.value;
  if (data.type !== DOCUMENT_SIGNATURE_TRANSACTION_TYPE) return refuse('transaction-data.unknown-type', `the transaction data type ${JSON.stringify(data.type).slice(0, 80)} is not supported`);
  const unknown = Object.keys(data).find((member) => !DOCUMENT_SIGNATURE_MEMBERS.has(member));
  if (unknown !== undefined) return refuse('transaction-data.invalid', `a document signature has no member ${JSON.stringify(unknown).slice(0, 80)}`);
  return documentFieldsProblem(data) ?? { ok: true, value: data as DocumentSignatureTransactionData };
}

/**
 * The transaction data of a document signature for the given DCQL credential query, ready to encode.
 * @throws RangeError when the hash, file name or media type is not one {@link readDocumentSignature} accepts
 */
export function documentSignatureTransactionData(document: { hash: string; fileName: string; mediaType: string }, credentialIds: readonly string[]): DocumentSignatureTransactionData {
  const data: DocumentSignatureTransactionData = {
    type: DOCUMENT_SIGNATURE_TRANSACTION_TYPE,
    credential_ids: [...credentialIds],
    transaction_data_hashes_alg: [TRANSACTION_DATA_HASH_ALG],
    document_hash: document.hash,
    file_name: document.fileName,
    media_type: document.mediaType,
  };
  const problem = documentFieldsProblem(data);
  if (problem && !problem.ok) throw new RangeError(problem.detail);
  return data;
}

/**
 * Whether a verified KB-JWT binds every one of the request's `transaction_data` entries meant for its credential:
 * `transaction_data_hashes` holds the hash of each (any order), under `transaction_data_hashes_alg` `sha-256` (the
 * default when absent). Check the KB-JWT's signature first: this reads its payload only.
 * @param kbPayload - the KB-JWT's claims
 * @param entries - the request's entries whose `credential_ids` name the credential's query, as sent
 * @returns undefined when bound, else why not (English, for the outcome's errors)
 */
export function transactionDataBindingProblem(kbPayload: Readonly<Record<string, unknown>>, entries: readonly string[]): string | undefined {
  if (entries.length === 0) return undefined;
  const hashes = kbPayload['transaction_data_hashes'];
  if (hashes === undefined) return 'the key-binding JWT carries no transaction_data_hashes: the holder did not sign the transaction data';
  if (!Array.isArray(hashes) || !hashes.every((hash) => typeof hash === 'string')) return 'transaction_data_hashes is not an array of strings';
  const alg = kbPayload['transaction_data_hashes_alg'] ?? TRANSACTION_DATA_HASH_ALG;
  if (alg !== TRANSACTION_DATA_HASH_ALG) return `transaction_data_hashes_alg ${JSON.stringify(alg).slice(0, 40)} is not ${TRANSACTION_DATA_HASH_ALG}`;
  const missing = entries.filter((entry) => !hashes.includes(transactionDataHash(entry)));
  if (missing.length > 0) return 'transaction_data_hashes does not cover the transaction data of this request: the holder signed other data';
  return undefined;
}

/** Whether a file name is one a document signature may carry (1–255 characters, no control characters). */
export function isDocumentFileName(name: unknown): name is string {
  return typeof name === 'string' && name.trim() !== '' && name.length <= 255 && !CONTROL.test(name);
}

/** Whether a media type is one a document signature may carry (`type/subtype`). */
export function isDocumentMediaType(type: unknown): type is string {
  return typeof type === 'string' && MEDIA_TYPE.test(type);
}

function documentFieldsProblem(data: Record<string, unknown>): { ok: false; reason: TransactionDataRefusal; detail: string } | undefined {
  if (typeof data['document_hash'] !== 'string' || !DOCUMENT_HASH.test(data['document_hash'])) return refuse('transaction-data.invalid', 'document_hash must be 0x and 64 lower-case hex digits (SHA-256)');
  if (!isDocumentFileName(data['file_name'])) return refuse('transaction-data.invalid', 'file_name must be 1 to 255 characters without control characters');
  if (!isDocumentMediaType(data['media_type'])) return refuse('transaction-data.invalid', 'media_type must be a type/subtype media type');
  return undefined;
}

function refuse(reason: TransactionDataRefusal, detail: string): { ok: false; reason: TransactionDataRefusal; detail: string } {
  return { ok: false, reason, detail };
}
