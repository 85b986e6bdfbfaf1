import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBase64urlText, encodeBase64url, utf8Bytes } from '../base64url.js';
import { FormatError, FormatErrorCode } from '../types.js';
import { SdJwtFormatError } from './errors.js';

/** The only `_sd_alg` we read and write (RFC 9901 §4.1.1: the default when `_sd_alg` is absent). */
export const SD_HASH_ALG = 'sha-256';

/** base64url(SHA-256(ASCII text)): the digest of a disclosure (RFC 9901 §4.2.3) and the KB-JWT's `sd_hash`. */
export function sha256Base64url(text: string): string {
  return encodeBase64url(sha256(utf8Bytes(text)));
}

/** 128 random bits, base64url: the default disclosure salt (RFC 9901 §4.2.1 recommends 128 bits). */
export function randomSalt(): string {
  return encodeBase64url(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/** Parses base64url JSON of any shape; throws {@link SdJwtFormatError} `format.malformed` with the given reason. */
export function parseBase64urlJson(encoded: string, what: string, reason: 'sd-jwt.malformed' | 'sd-jwt.disclosure-malformed'): unknown {
  let text: string;
  try {
    text = decodeBase64urlText(encoded);
  } catch (error) {
    if (error instanceof FormatError) throw new SdJwtFormatError(FormatErrorCode.Malformed, reason, `${what} is not base64url UTF-8`);
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SdJwtFormatError(FormatErrorCode.Malformed, reason, `${what} is not JSON`);
  }
}
