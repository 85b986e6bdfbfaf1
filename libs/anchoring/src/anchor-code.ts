// The anchor proof a presentation QR code carries (docs/presentations.md, "The QR code"; docs/wallet-protocols.md):
// `citycred-vp:<presentation>#<anchor code>`. Browser-safe: the wallet writes it, the verifier and the scanner's
// offline module read it.
import { decodeBase64url, encodeBase64url } from '@citycred/formats';
import { hex32Bytes, hex32Of, MAX_PROOF_LENGTH, type Hex32 } from './merkle-proof.js';

/**
 * What separates the presentation from its anchor code in a QR code's text. A compact JWS, JWT or SD-JWT is made of
 * base64url, `.` and `~` only, so `#` cannot occur in one; it is also where a URI's fragment starts, so
 * `citycred-vp:<presentation>#<anchor code>` stays a well-formed URI.
 */
export const ANCHOR_CODE_SEPARATOR = '#';

/** The first byte of an anchor code: the version of its layout. */
export const ANCHOR_CODE_VERSION = 1;

/**
 * An anchor proof as a QR code carries it: without the root, which is what the siblings fold to from the presented
 * credential's hash (the verifier computes it either way, and 43 characters count in a QR code), nor the transaction,
 * chain and contract, which the verifier takes from its own configuration.
 */
export interface AnchorCode {
  /** The leaf's index in its batch (helps find the batch; verification does not depend on it). */
  readonly leafIndex: number;
  /** The block the root was anchored in, as the issuer said (a hint: the chain, not this, says when and by whom). */
  readonly blockNumber: number;
  /** The sibling hashes from the leaf up, at most 32. */
  readonly proof: readonly Hex32[];
}

/** The largest leaf index and block number a code holds (2^53 - 1: what a JavaScript number holds exactly). */
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * Encodes an anchor proof for a QR code: base64url (no padding) of the bytes `version (0x01) ‖ varint(leafIndex) ‖
 * varint(blockNumber) ‖ sibling₁ ‖ … ‖ siblingₙ`, each varint unsigned LEB128 and each sibling 32 bytes. A proof of
 * 9 siblings (a batch of up to 512) in a block under 2,097,152 is 294 bytes, 392 characters.
 * @param code - the proof's leaf index, block and siblings (`0x` + 64 lower-case hex each)
 * @returns the base64url text
 * @throws TypeError for a sibling that is not a canonical Hex32; RangeError for a negative or fractional number, or
 *   more than 32 siblings
 */
export function encodeAnchorCode(code: AnchorCode): string {
  if (code.proof.length > MAX_PROOF_LENGTH) throw new RangeError(`A proof has at most ${MAX_PROOF_LENGTH} entries, got ${code.proof.length}`);
  const head = [ANCHOR_CODE_VERSION, ...varint(code.leafIndex, 'leafIndex'), ...varint(code.blockNumber, 'blockNumber')];
  const bytes = new Uint8Array(head.length + 32 * code.proof.length);
  bytes.set(head, 0);
  code.proof.forEach((sibling, i) => bytes.set(hex32Bytes(sibling, `proof[${i}]`), head.length + 32 * i));
  return encodeBase64url(bytes);
}

/**
 * Reads an anchor code ({@link encodeAnchorCode}); never throws.
 * @param text - the text after {@link ANCHOR_CODE_SEPARATOR}
 * @returns the proof, or undefined for anything that is not a code of this version: not strict base64url, another
 *   version byte, a varint that is overlong or beyond 2^53 - 1, siblings that are not whole 32-byte values, or more
 *   than 32 of them
 */
export function decodeAnchorCode(text: string): AnchorCode | undefined {
  let bytes: Uint8Array;
  try {
    bytes = decodeBase64url(text);
  } catch {
    return undefined;
  }
  if (bytes[0] !== ANCHOR_CODE_VERSION) return undefined;
  const leafIndex = readVarint(bytes, 1);
  if (!leafIndex) return undefined;
  const blockNumber = readVarint(bytes, leafIndex.next);
  if (!blockNumber) return undefined;
  const rest = bytes.length - blockNumber.next;
  if (rest % 32 !== 0 || rest / 32 > MAX_PROOF_LENGTH) return undefined;
  const proof: Hex32[] = [];
  for (let at = blockNumber.next; at < bytes.length; at += 32) proof.push(hex32Of(bytes.subarray(at, at + 32)));
  return { leafIndex: leafIndex.value, blockNumber: blockNumber.value, proof };
}

/**
 * Splits a presentation QR code's text (without its `citycred-vp:` prefix) into the presentation and its anchor code:
 * the text after the first {@link ANCHOR_CODE_SEPARATOR}, when there is one.
 * @returns `anchorCode` undefined for a code without one (a code made before anchor codes, or for a credential not
 *   anchored yet); the text as it stands, not yet decoded
 */
export function splitAnchorCode(text: string): { presentation: string; anchorCode?: string } {
  const at = text.indexOf(ANCHOR_CODE_SEPARATOR);
  return at < 0 ? { presentation: text } : { presentation: text.slice(0, at), anchorCode: text.slice(at + ANCHOR_CODE_SEPARATOR.length) };
}

function varint(value: number, name: string): number[] {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number from 0 to 2^53 - 1, got ${value}`);
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** The unsigned LEB128 at `at`: undefined when it runs past the end, is overlong (a trailing zero byte) or too large. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 8; i += 1) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if (value > MAX_INTEGER) return undefined;
    if ((byte & 0x80) === 0) return byte === 0 && i > at ? undefined : { value, next: i + 1 };
    scale *= 0x80;
  }
  return undefined;
}
