import { FormatError, FormatErrorCode } from './types.js';

/**
 * base64url (RFC 4648 §5) without padding, as JWS uses it (RFC 7515 §2), and UTF-8 text. Browser-safe: no Buffer.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The value of each ASCII code in the alphabet, -1 for any other: a table lookup per character. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i += 1) VALUES[ALPHABET.charCodeAt(i)] = i;
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0));
const utf8Encoder = new TextEncoder();
const asciiDecoder = new TextDecoder('utf-8');
// fatal: a byte sequence that is not UTF-8 is refused rather than silently turned into U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Encodes bytes (or a string, as UTF-8) as base64url without padding.
 * @param input - bytes, or text to encode as UTF-8 first
 * @returns the base64url text, `''` for no bytes
 */
export function encodeBase64url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? utf8Encoder.encode(input) : input;
  // The characters are written as ASCII bytes and decoded once: a string grown four characters at a time was the
  // slowest step of signing a credential.
  const out = new Uint8Array(Math.ceil((bytes.length * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(n >>> 6) & 63]!;
    out[o++] = ALPHABET_CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out[o++] = ALPHABET_CODES[n >>> 18]!;
    out[o++] = ALPHABET_CODES[(n >>> 12) & 63]!;
    out[o++] = ALPHABET_CODES[(n >>> 6) & 63]!;
  }
  return asciiDecoder.decode(out.subarray(0, o));
}

/**
 * Decodes base64url strictly: only the 64 characters of the URL-safe alphabet, no padding, no whitespace, no
 * length of 4n+1, and no non-zero bits left over in the last character — so every byte string has exactly one
 * accepted encoding, and an encoded credential cannot be altered without changing what it decodes to.
 * @param text - the base64url text
 * @returns the bytes
 * @throws FormatError `format.malformed` for anything else
 */
export function decodeBase64url(text: string): Uint8Array {
  if (typeof text !== 'string') throw new FormatError(FormatErrorCode.Malformed, 'base64url input must be a string');
  if (text.length % 4 === 1) throw new FormatError(FormatErrorCode.Malformed, 'base64url text has an impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) throw new FormatError(FormatErrorCode.Malformed, 'base64url text holds a character outside the URL-safe alphabet (or padding)');
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new FormatError(FormatErrorCode.Malformed, 'base64url text has non-zero trailing bits');
  return out;
}

/**
 * Encodes text as UTF-8.
 * @param text - any string
 * @returns its UTF-8 bytes
 */
export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/**
 * Decodes UTF-8 strictly.
 * @param bytes - UTF-8 bytes
 * @returns the text
 * @throws FormatError `format.malformed` for bytes that are not UTF-8
 */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new FormatError(FormatErrorCode.Malformed, 'the bytes are not UTF-8');
  }
}

/**
 * Decodes base64url text into the UTF-8 text it encodes.
 * @param text - base64url (strict, see {@link decodeBase64url})
 * @returns the decoded text
 * @throws FormatError `format.malformed`
 */
export function decodeBase64urlText(text: string): string {
  return utf8Text(decodeBase64url(text));
}
