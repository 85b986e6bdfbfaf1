import { decodeBase64url, decodeBase64urlText, encodeBase64url, utf8Bytes } from './base64url.js';
import { FormatError, FormatErrorCode, type JwsAlgorithm, type JwsHeader, type JwsSigner, type ProofCheck, type SignatureCrypto, type VerificationKey } from './types.js';

/** The JWS algorithms this library signs and checks; anything else (`none` first of all) is refused on decoding. */
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['ES256K', 'ES256', 'EdDSA'];

/** Raw signature length of each algorithm: ECDSA `r ‖ s` and Ed25519 are 64 bytes alike. */
const SIGNATURE_BYTES: Readonly<Record<JwsAlgorithm, number>> = { ES256K: 64, ES256: 64, EdDSA: 64 };

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** A compact JWS taken apart. Nothing in it has been checked beyond being well-formed. */
export interface DecodedJws {
  /** The compact serialisation as given. */
  readonly compact: string;
  readonly header: JwsHeader;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `base64url(header) + "." + base64url(payload)`, exactly as given: the signed bytes. */
  readonly signingInput: string;
  readonly signature: Uint8Array;
}

/**
 * Tells whether a value is one of {@link JWS_ALGORITHMS}.
 * @param alg - anything
 */
export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && (JWS_ALGORITHMS as readonly string[]).includes(alg);
}

/**
 * Encodes one JWS section the way did-jwt does: `base64url(JSON.stringify(value))`, members in insertion order.
 * @param value - a JSON object
 * @returns the base64url text
 */
export function encodeJwsSection(value: Readonly<Record<string, unknown>>): string {
  return encodeBase64url(JSON.stringify(value));
}

/**
 * Signs a header and payload into a compact JWS.
 * @param header - the protected header; its `alg` must be the signer's
 * @param payload - the JWT claims set
 * @param signer - the key that signs
 * @returns `header.payload.signature`
 * @throws FormatError `format.unsupported-alg` when the header's `alg` is not the signer's or not supported;
 *   TypeError when the signer returns a signature of the wrong length (a fault of the signer, not of the request)
 */
export async function signCompactJws(header: JwsHeader, payload: Readonly<Record<string, unknown>>, signer: JwsSigner): Promise<string> {
  if (!isJwsAlgorithm(header.alg) || header.alg !== signer.alg) {
    throw new FormatError(FormatErrorCode.UnsupportedAlgorithm, `the header's alg must be the signer's (${signer.alg}), one of ${JWS_ALGORITHMS.join(', ')}`);
  }
  const signingInput = `${encodeJwsSection(header)}.${encodeJwsSection(payload)}`;
  const signature = await signer.sign(utf8Bytes(signingInput));
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_BYTES[header.alg]) {
    throw new TypeError(`the ${header.alg} signer returned ${signature instanceof Uint8Array ? signature.length : 'no'} bytes; expected ${SIGNATURE_BYTES[header.alg]}`);
  }
  return `${signingInput}.${encodeBase64url(signature)}`;
}

/**
 * Parses a JWS protected header.
 * @param encoded - the base64url header section
 * @returns the header, with a supported `alg`
 * @throws FormatError `format.malformed` (not base64url, not a JSON object, `alg` not a string, a `crit` header —
 *   we understand no extension, so RFC 7515 §4.1.11 makes us refuse it), `format.unsupported-alg` (`none`, or any
 *   algorithm outside {@link JWS_ALGORITHMS})
 */
export function parseJwsHeader(encoded: string): JwsHeader {
  const header = parseJsonObject(encoded, 'header');
  if (typeof header['alg'] !== 'string') throw new FormatError(FormatErrorCode.Malformed, 'the JWS header has no "alg"');
  if (!isJwsAlgorithm(header['alg'])) throw new FormatError(FormatErrorCode.UnsupportedAlgorithm, `the JWS alg is not one of ${JWS_ALGORITHMS.join(', ')}`);
  if ('crit' in header) throw new FormatError(FormatErrorCode.Malformed, 'the JWS header names critical extensions ("crit"), which this library does not understand');
  for (const name of ['typ', 'cty', 'kid'] as const) {
    if (header[name] !== undefined && typeof header[name] !== 'string') throw new FormatError(FormatErrorCode.Malformed, `the JWS header's "${name}" must be a string`);
  }
  return header as JwsHeader;
}

/**
 * Takes a compact JWS apart: three base64url sections, a JSON-object header with a supported `alg`, a JSON-object
 * payload and a signature of the algorithm's length. Whitespace anywhere is refused, not trimmed: the string is
 * what gets hashed and anchored.
 * @param compact - `header.payload.signature`
 * @returns the decoded parts
 * @throws FormatError `format.malformed`, `format.unsupported-alg` (see {@link parseJwsHeader})
 */
export function decodeCompactJws(compact: string): DecodedJws {
  if (typeof compact !== 'string') throw new FormatError(FormatErrorCode.Malformed, 'a compact JWS must be a string');
  const sections = compact.split('.');
  if (sections.length !== 3 || !sections.every((section) => SEGMENT.test(section))) {
    throw new FormatError(FormatErrorCode.Malformed, 'not a compact JWS: expected three non-empty base64url sections separated by "."');
  }
  const [encodedHeader, encodedPayload, encodedSignature] = sections as [string, string, string];
  const header = parseJwsHeader(encodedHeader);
  const payload = parseJsonObject(encodedPayload, 'payload');
  const signature = decodeBase64url(encodedSignature);
  if (signature.length !== SIGNATURE_BYTES[header.alg as JwsAlgorithm]) {
    throw new FormatError(FormatErrorCode.Malformed, `an ${header.alg} signature is ${SIGNATURE_BYTES[header.alg as JwsAlgorithm]} bytes, this one ${signature.length}`);
  }
  return { compact, header, payload, signingInput: `${encodedHeader}.${encodedPayload}`, signature };
}

/**
 * Checks a JWS signature against candidate keys through a {@link SignatureCrypto}. Keys are tried in order, those
 * whose id equals the header's `kid` first; the first that verifies wins. Never throws for a bad proof: a key the
 * crypto port cannot use (it throws) counts as not verifying.
 * @param jws - the header, signing input and signature (e.g. a {@link NormalisedCredential})
 * @param keys - the keys that may sign for the issuer
 * @param crypto - the signature implementation
 * @returns `valid` with the key's id, or a reason: `signature.alg-unsupported`, `signature.no-key` (no candidate),
 *   `signature.invalid` (no candidate verifies)
 */
export async function verifyJwsSignature(
  jws: { readonly header: JwsHeader; readonly signingInput: string; readonly signature: Uint8Array },
  keys: readonly VerificationKey[],
  crypto: SignatureCrypto,
): Promise<ProofCheck> {
  const alg = jws.header.alg;
  if (!isJwsAlgorithm(alg)) return { valid: false, reason: 'signature.alg-unsupported' };
  if (keys.length === 0) return { valid: false, reason: 'signature.no-key' };
  const kid = jws.header.kid;
  const ordered = [...keys.filter((key) => kid !== undefined && key.id === kid), ...keys.filter((key) => kid === undefined || key.id !== kid)];
  const input = utf8Bytes(jws.signingInput);
  for (const key of ordered) {
    let verified = false;
    try {
      verified = await crypto.verify(alg, key, input, jws.signature);
    } catch {
      verified = false;
    }
    if (verified) return key.id === undefined ? { valid: true } : { valid: true, keyId: key.id };
  }
  return { valid: false, reason: 'signature.invalid' };
}

function parseJsonObject(encoded: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(decodeBase64urlText(encoded));
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError(FormatErrorCode.Malformed, `the JWS ${what} is not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new FormatError(FormatErrorCode.Malformed, `the JWS ${what} is not a JSON object`);
  return value as Record<string, unknown>;
}
