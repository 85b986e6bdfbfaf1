import { decodeBase64url, encodeBase64url } from '@citycred/formats';
import { StatusListError, StatusListErrorCode } from './errors.js';

/**
 * base64url without padding (RFC 4648 §5): the credential-format library's encoder, which runs in a browser.
 * @param bytes - any bytes
 * @returns the unpadded base64url text
 */
export function toBase64Url(bytes: Uint8Array): string {
  return encodeBase64url(bytes);
}

/**
 * Decodes unpadded base64url strictly (the credential-format library's decoder): padding, whitespace, `+`/`/`, an
 * impossible length or non-zero trailing bits are refused, so one list has exactly one text form.
 * @throws StatusListError `status-list.bad-base64url`
 */
export function fromBase64Url(text: string): Uint8Array {
  try {
    return decodeBase64url(text);
  } catch (error) {
    throw new StatusListError(StatusListErrorCode.BadBase64, `The text is not base64url without padding${error instanceof Error ? ` (${error.message})` : ''}.`);
  }
}
