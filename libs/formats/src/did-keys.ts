import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { decodeBase64url, decodeBase64urlText, encodeBase64url } from './base64url.js';
import { FormatError, FormatErrorCode, type PublicJwk } from './types.js';

/**
 * The DIDs a holder names its key with — `did:jwk` and `did:key` — read into public JWKs and written from them.
 * Issuer (wallet proofs), verifier (holders, issuers outside the city registry) and wallet share this, so it is
 * browser-safe: points are decompressed and checked with @noble/curves.
 *
 * Every refusal is a {@link FormatError} with the single code `format.malformed`: for a caller, a DID that cannot be
 * read, names another method, or names something other than a public key of a supported curve are all the same thing
 * — an identifier that does not name a key we can check against. The message says which.
 */

const DID_JWK_PREFIX = 'did:jwk:';
const DID_KEY_PREFIX = 'did:key:';

/**
 * The longest DID URL read. A P-256 did:jwk is about 180 characters and a did:key DID URL (with its `#z…` fragment)
 * about 110; the bound leaves room for JWK members such as `kid` or `use` while keeping JSON parsing small.
 */
const MAX_DID_URL_LENGTH = 2048;

/**
 * The longest base58btc text read: a 35-byte did:key (2-byte multicodec + 33-byte key) is at most 48 characters; the
 * bound leaves room for an uncompressed point (67 bytes, 92 characters) so that one is refused for what it is.
 */
const MAX_BASE58_LENGTH = 128;

type CurveName = 'P-256' | 'secp256k1';

const WEIERSTRASS_POINTS = { 'P-256': p256.Point, secp256k1: secp256k1.Point } as const;

/** The multicodec (unsigned varint) prefixes of the did:key public keys read, with the key length each carries. */
const DID_KEY_CODECS: ReadonlyArray<{ readonly prefix: readonly number[]; readonly kty: 'EC' | 'OKP'; readonly crv: CurveName | 'Ed25519'; readonly keyLength: number }> = [
  // p256-pub (0x1200), compressed SEC1 point
  { prefix: [0x80, 0x24], kty: 'EC', crv: 'P-256', keyLength: 33 },
  // secp256k1-pub (0xe7), compressed SEC1 point
  { prefix: [0xe7, 0x01], kty: 'EC', crv: 'secp256k1', keyLength: 33 },
  // ed25519-pub (0xed), RFC 8032 encoding
  { prefix: [0xed, 0x01], kty: 'OKP', crv: 'Ed25519', keyLength: 32 },
];

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i += 1) BASE58_VALUES[BASE58_ALPHABET.charCodeAt(i)] = i;

/**
 * Whether a string is a `did:jwk` or `did:key` DID (or DID URL), by its prefix only: nothing is decoded, so a true
 * answer says which reader to use, not that {@link publicJwkOfDid} will accept it.
 * @param did - any string
 * @returns true for `did:jwk:…` and `did:key:…`
 */
export function isHolderDid(did: string): boolean {
  return typeof did === 'string' && (did.startsWith(DID_JWK_PREFIX) || did.startsWith(DID_KEY_PREFIX));
}

/**
 * The `did:jwk` of a public key: `did:jwk:` + base64url (no padding) of the JSON of its required public members in the
 * canonical order of RFC 7638 — EC `{crv, kty, x, y}`, OKP `{crv, kty, x}`. Other members (`kid`, `alg`, `use`, a
 * private `d`) are left out, so the same key always gives the same DID.
 * @param jwk - an EC or OKP public JWK with string `crv` and `x` (and `y` for EC)
 * @returns the DID, e.g. `did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6…`
 * @throws FormatError `format.malformed` for another `kty` or a missing member (the key itself is not checked)
 */
export function didJwkOf(jwk: PublicJwk): string {
  const { kty, crv, x, y } = jwk;
  let canonical: string;
  if (kty === 'EC' && typeof crv === 'string' && typeof x === 'string' && typeof y === 'string') canonical = JSON.stringify({ crv, kty, x, y });
  else if (kty === 'OKP' && typeof crv === 'string' && typeof x === 'string') canonical = JSON.stringify({ crv, kty, x });
  else throw refused('a did:jwk is written for an EC JWK with crv, x and y or an OKP JWK with crv and x');
  return `${DID_JWK_PREFIX}${encodeBase64url(canonical)}`;
}

/**
 * The public key a `did:jwk` or `did:key` names, as a JWK holding only `kty`, `crv`, `x` (and `y` for EC).
 *
 * - `did:jwk:<base64url JSON>`: an EC P-256 or secp256k1 JWK, or an OKP Ed25519 JWK; one carrying a private `d` is
 *   refused, and so is one whose coordinates are not a point of its curve (or, for Ed25519, a small-order point).
 *   Other members (`kid`, `use`, …) are read past and not returned.
 * - `did:key:z<base58btc>`: multicodec p256-pub (0x1200) or secp256k1-pub (0xe7) with a 33-byte compressed point, or
 *   ed25519-pub (0xed) with a 32-byte key.
 *
 * A DID URL's query and fragment (`?…`, `#…`) are ignored.
 * @param did - a DID or DID URL, at most 2048 characters
 * @returns the public JWK
 * @throws FormatError `format.malformed` for anything else: another method, text too long, not base64url/base58btc,
 *   not a JSON object, another key type or curve, a multicodec other than the three above, a private key, a point not
 *   on its curve
 */
export function publicJwkOfDid(did: string): PublicJwk {
  if (typeof did !== 'string') throw refused('a DID must be a string');
  if (did.length > MAX_DID_URL_LENGTH) throw refused(`a DID URL is at most ${MAX_DID_URL_LENGTH} characters`);
  const end = did.search(/[?#]/);
  const bare = end < 0 ? did : did.slice(0, end);
  if (bare.startsWith(DID_JWK_PREFIX)) return jwkOfDidJwk(bare.slice(DID_JWK_PREFIX.length));
  if (bare.startsWith(DID_KEY_PREFIX)) return jwkOfDidKey(bare.slice(DID_KEY_PREFIX.length));
  throw refused('the DID is not a did:jwk or did:key');
}

function jwkOfDidJwk(encoded: string): PublicJwk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeBase64urlText(encoded));
  } catch {
    throw refused('the did:jwk does not hold base64url JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw refused('the did:jwk does not hold a JWK object');
  const jwk = parsed as Record<string, unknown>;
  if ('d' in jwk) throw refused('the did:jwk carries private key material');
  const { kty, crv, x, y } = jwk;
  if (typeof x !== 'string') throw refused('the did:jwk key has no "x"');
  if (kty === 'EC' && (crv === 'P-256' || crv === 'secp256k1')) {
    if (typeof y !== 'string') throw refused('the did:jwk EC key has no "y"');
    const point = new Uint8Array(65);
    point[0] = 0x04;
    point.set(coordinate(x), 1);
    point.set(coordinate(y), 33);
    checkedWeierstrassPoint(crv, point);
    return { kty, crv, x, y };
  }
  if (kty === 'OKP' && crv === 'Ed25519') {
    checkedEd25519Point(coordinate(x));
    return { kty, crv, x };
  }
  throw refused('the did:jwk key is not an EC P-256 or secp256k1 key or an OKP Ed25519 key');
}

function jwkOfDidKey(multibase: string): PublicJwk {
  if (!multibase.startsWith('z')) throw refused('the did:key must be multibase base58btc (z…)');
  const bytes = base58btcDecode(multibase.slice(1));
  const codec = DID_KEY_CODECS.find(({ prefix }) => prefix.every((byte, i) => bytes[i] === byte));
  if (codec === undefined) throw refused('the did:key is not a p256-pub, secp256k1-pub or ed25519-pub key');
  const key = bytes.subarray(codec.prefix.length);
  if (key.length !== codec.keyLength) throw refused(`a ${codec.crv} did:key holds a ${codec.keyLength}-byte key, this one ${key.length} bytes`);
  if (codec.crv === 'Ed25519') {
    checkedEd25519Point(key);
    return { kty: 'OKP', crv: 'Ed25519', x: encodeBase64url(key) };
  }
  const point = checkedWeierstrassPoint(codec.crv, key).toBytes(false);
  return { kty: 'EC', crv: codec.crv, x: encodeBase64url(point.subarray(1, 33)), y: encodeBase64url(point.subarray(33, 65)) };
}

/** A 32-byte JWK coordinate (RFC 7518 §6.2.1.2 and RFC 8037 §2 require the full length). */
function coordinate(text: string): Uint8Array {
  const bytes = decodeBase64url(text);
  if (bytes.length !== 32) throw refused('a JWK coordinate of these curves is 32 bytes');
  return bytes;
}

/** Parses a SEC1 point (compressed or uncompressed); @noble/curves refuses one off the curve and the identity. */
function checkedWeierstrassPoint(crv: CurveName, bytes: Uint8Array) {
  try {
    return WEIERSTRASS_POINTS[crv].fromBytes(bytes);
  } catch {
    throw refused(`the key is not a point of ${crv}`);
  }
}

/** Parses an Ed25519 public key strictly (canonical encoding, on the curve) and refuses small-order points. */
function checkedEd25519Point(bytes: Uint8Array): void {
  let smallOrder: boolean;
  try {
    smallOrder = ed25519.Point.fromBytes(bytes).isSmallOrder();
  } catch {
    throw refused('the key is not a point of Ed25519');
  }
  if (smallOrder) throw refused('the key is a small-order Ed25519 point');
}

/** base58btc (the Bitcoin alphabet): each leading `1` is a zero byte. */
function base58btcDecode(text: string): Uint8Array {
  if (text.length > MAX_BASE58_LENGTH) throw refused('the did:key is too long');
  // Little-endian base-256 digits of the value read so far; the input bound keeps this quadratic loop small.
  const digits: number[] = [];
  let leadingZeros = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? BASE58_VALUES[code]! : -1;
    if (value < 0) throw refused('the did:key is not base58btc');
    if (value === 0 && digits.length === 0 && leadingZeros === i) {
      leadingZeros += 1;
      continue;
    }
    let carry = value;
    for (let j = 0; j < digits.length; j += 1) {
      carry += digits[j]! * 58;
      digits[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      digits.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const bytes = new Uint8Array(leadingZeros + digits.length);
  for (let j = 0; j < digits.length; j += 1) bytes[bytes.length - 1 - j] = digits[j]!;
  return bytes;
}

function refused(message: string): FormatError {
  return new FormatError(FormatErrorCode.Malformed, message);
}
