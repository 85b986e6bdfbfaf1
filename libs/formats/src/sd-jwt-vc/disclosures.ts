import { encodeBase64url } from '../base64url.js';
import { FormatErrorCode } from '../types.js';
import { parseBase64urlJson, sha256Base64url } from './encoding.js';
import { SdJwtFormatError } from './errors.js';

/** One disclosure as received: its exact encoding, its digest and what it discloses. */
export interface SdJwtDisclosure {
  /** The base64url string exactly as it travels (its digest is computed over these characters). */
  readonly encoded: string;
  /** base64url(SHA-256(encoded)), the value the payload's `_sd` array or `{"...": digest}` element carries. */
  readonly digest: string;
  readonly salt: string;
  /** The claim name for an object property; absent for an array element. */
  readonly name?: string;
  readonly value: unknown;
}

/** Encodes an object-property disclosure `[salt, name, value]` (RFC 9901 §4.2.1). */
export function encodeDisclosure(salt: string, name: string, value: unknown): string {
  return encodeBase64url(JSON.stringify([salt, name, value]));
}

/** Parses one disclosure, refusing anything but `[salt, name, value]` or `[salt, value]` (RFC 9901 §4.2). */
export function parseDisclosure(encoded: string): SdJwtDisclosure {
  const array = parseBase64urlJson(encoded, 'a disclosure', 'sd-jwt.disclosure-malformed');
  if (!Array.isArray(array) || (array.length !== 2 && array.length !== 3) || typeof array[0] !== 'string') {
    throw refused(FormatErrorCode.Malformed, 'sd-jwt.disclosure-malformed', 'a disclosure is not [salt, name, value] or [salt, value]');
  }
  const digest = sha256Base64url(encoded);
  if (array.length === 2) return { encoded, digest, salt: array[0], value: array[1] as unknown };
  const name: unknown = array[1];
  if (typeof name !== 'string' || name === '_sd' || name === '...') {
    throw refused(FormatErrorCode.Malformed, 'sd-jwt.disclosure-malformed', 'a disclosure names no claim or a reserved one (_sd, ...)');
  }
  return { encoded, digest, salt: array[0], name, value: array[2] as unknown };
}

/**
 * Rebuilds the claims from an issuer payload and its disclosures, by the rules of RFC 9901 §7.1 step 3–5: every digest
 * appears at most once in the payload and the disclosed values together, every disclosure is referenced exactly once and in
 * its right place (an object property from `_sd`, an array element from `{"...": digest}`), a disclosed name never
 * replaces a claim already there. Digests without a disclosure (undisclosed claims, decoys) are dropped. `_sd` is removed
 * everywhere, `_sd_alg` at the top.
 * @throws SdJwtFormatError with the rule that was broken
 */
export function rebuildClaims(payload: Readonly<Record<string, unknown>>, disclosures: readonly SdJwtDisclosure[]): Record<string, unknown> {
  const byDigest = new Map<string, SdJwtDisclosure>();
  for (const disclosure of disclosures) {
    if (byDigest.has(disclosure.digest)) {
      throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.disclosure-repeated', 'the same disclosure is sent twice');
    }
    byDigest.set(disclosure.digest, disclosure);
  }
  const seen = new Set<string>();
  const referenced = new Set<string>();

  const claimDigest = (digest: unknown): SdJwtDisclosure | undefined => {
    if (typeof digest !== 'string') throw refused(FormatErrorCode.Malformed, 'sd-jwt.malformed', 'a digest is not a string');
    if (seen.has(digest)) throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.digest-duplicate', 'a digest appears more than once');
    seen.add(digest);
    const disclosure = byDigest.get(digest);
    if (disclosure) referenced.add(digest);
    return disclosure;
  };

  const rebuild = (value: unknown): unknown => {
    if (Array.isArray(value)) return rebuildArray(value);
    if (value !== null && typeof value === 'object') return rebuildObject(value as Record<string, unknown>);
    return value;
  };

  const rebuildObject = (object: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(object)) {
      if (name !== '_sd') setClaim(out, name, rebuild(value));
    }
    if (!('_sd' in object)) return out;
    const digests = object._sd;
    if (!Array.isArray(digests)) throw refused(FormatErrorCode.Malformed, 'sd-jwt.malformed', '_sd is not an array');
    for (const digest of digests) {
      const disclosure = claimDigest(digest);
      if (!disclosure) continue;
      if (disclosure.name === undefined) {
        throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.disclosure-misplaced', 'an array-element disclosure is referenced from _sd');
      }
      if (Object.hasOwn(out, disclosure.name)) {
        throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.claim-collision', `the disclosed claim ${JSON.stringify(disclosure.name)} is already present`);
      }
      setClaim(out, disclosure.name, rebuild(disclosure.value));
    }
    return out;
  };

  const rebuildArray = (array: readonly unknown[]): unknown[] => {
    const out: unknown[] = [];
    for (const element of array) {
      if (!isArrayElementDigest(element)) {
        out.push(rebuild(element));
        continue;
      }
      const disclosure = claimDigest(element['...']);
      if (!disclosure) continue;
      if (disclosure.name !== undefined) {
        throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.disclosure-misplaced', 'an object-property disclosure is referenced from an array element');
      }
      out.push(rebuild(disclosure.value));
    }
    return out;
  };

  const claims = rebuildObject(payload);
  delete claims._sd_alg;
  if (referenced.size !== byDigest.size) {
    throw refused(FormatErrorCode.InvalidClaims, 'sd-jwt.disclosure-unreferenced', 'a disclosure is not referenced by the issuer-signed payload');
  }
  return claims;
}

// A plain assignment of a claim named `__proto__` would replace the object's prototype instead of adding a claim.
function setClaim(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

function isArrayElementDigest(element: unknown): element is { '...': unknown } {
  return element !== null && typeof element === 'object' && !Array.isArray(element) && Object.keys(element).length === 1 && '...' in element;
}

function refused(code: FormatErrorCode, reason: ConstructorParameters<typeof SdJwtFormatError>[1], message: string): SdJwtFormatError {
  return new SdJwtFormatError(code, reason, message);
}
