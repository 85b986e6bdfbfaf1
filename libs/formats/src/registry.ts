import { decodeBase64urlText } from './base64url.js';
import { JWT_PROOF_TYPE, jwtVcFormat } from './jwt-vc.js';
import { CREDENTIAL_FORMAT_IDS, FormatError, FormatErrorCode, type CredentialFormat, type CredentialFormatId } from './types.js';
import { sdJwtVcFormat } from './sd-jwt-vc/index.js';
import { ENVELOPED_CREDENTIAL_TYPE, VC_JWT_DATA_URL_PREFIX, VC_JWT_TYP, vcJwtFormat } from './vc-jwt.js';
import { isJsonObject } from './w3c.js';

/** SD-JWT VC `typ` values: the current one and the older drafts' (accepted on input). */
const SD_JWT_VC_TYPS = new Set(['dc+sd-jwt', 'vc+sd-jwt']);
const SD_JWT_DATA_URL_PREFIXES = ['data:application/dc+sd-jwt,', 'data:application/vc+sd-jwt,'];

const formats: ReadonlyMap<CredentialFormatId, CredentialFormat> = new Map<CredentialFormatId, CredentialFormat>([
  ['jwt_vc', jwtVcFormat],
  ['vc+jwt', vcJwtFormat],
  ['dc+sd-jwt', sdJwtVcFormat],
]);

/**
 * The format with this id.
 * @param id - one of {@link CREDENTIAL_FORMAT_IDS}
 * @throws FormatError `format.unsupported-typ` for an unknown id, or one whose format is not registered
 */
export function credentialFormat(id: CredentialFormatId): CredentialFormat {
  const format = formats.get(id);
  if (!format) throw new FormatError(FormatErrorCode.UnsupportedType, `no credential format is registered as ${CREDENTIAL_FORMAT_IDS.includes(id) ? id : 'that id'}`);
  return format;
}

/**
 * Which format an encoded credential or its JSON form is in, from its outside only (nothing is verified):
 * - a string with `~` is an SD-JWT (`dc+sd-jwt`);
 * - a compact JWT by its header's `typ`: `vc+jwt`; `dc+sd-jwt`/`vc+sd-jwt`; `JWT` or none: `jwt_vc`;
 * - an object with `proof.type: JwtProof2020` is Veramo's `jwt_vc` JSON form; an `EnvelopedVerifiableCredential`
 *   by the media type of its `data:` id.
 * @param input - what a caller handed in
 * @returns the format id
 * @throws FormatError `format.malformed` (not a JWT, not JSON), `format.unsupported-typ` (recognisably something else)
 */
export function detectFormat(input: unknown): CredentialFormatId {
  if (typeof input === 'string') {
    if (input.includes('~')) return 'dc+sd-jwt';
    const typ = headerTyp(input);
    if (typ === VC_JWT_TYP) return 'vc+jwt';
    if (typ !== undefined && SD_JWT_VC_TYPS.has(typ)) return 'dc+sd-jwt';
    if (typ === undefined || typ === 'JWT') return 'jwt_vc';
    throw new FormatError(FormatErrorCode.UnsupportedType, 'the JWT\'s typ names no credential format we read');
  }
  if (!isJsonObject(input)) throw new FormatError(FormatErrorCode.Malformed, 'expected an encoded credential or its JSON form');
  const proof = input['proof'];
  if (isJsonObject(proof) && proof['type'] === JWT_PROOF_TYPE) return 'jwt_vc';
  const type = input['type'];
  const id = input['id'];
  if ((type === ENVELOPED_CREDENTIAL_TYPE || (Array.isArray(type) && type.includes(ENVELOPED_CREDENTIAL_TYPE))) && typeof id === 'string') {
    if (id.startsWith(VC_JWT_DATA_URL_PREFIX)) return 'vc+jwt';
    if (SD_JWT_DATA_URL_PREFIXES.some((prefix) => id.startsWith(prefix))) return 'dc+sd-jwt';
  }
  throw new FormatError(FormatErrorCode.UnsupportedType, 'the JSON names no credential format we read');
}

/**
 * The part of an encoded credential that is hashed and anchored (see `credentialHash` in `@citycred/anchoring`):
 * the compact JWT itself, or for an SD-JWT the issuer-signed JWT before the first `~` (disclosures and key binding
 * vary per presentation; the issuer signed their digests).
 * @param encoded - a compact JWT or an SD-JWT
 * @returns the string to hash, as given (not trimmed)
 */
export function credentialHashInput(encoded: string): string {
  const tilde = encoded.indexOf('~');
  return tilde < 0 ? encoded : encoded.slice(0, tilde);
}

function headerTyp(compact: string): string | undefined {
  const dot = compact.indexOf('.');
  let header: unknown;
  try {
    header = JSON.parse(decodeBase64urlText(dot < 0 ? compact : compact.slice(0, dot)));
  } catch {
    throw new FormatError(FormatErrorCode.Malformed, 'not a compact JWT: its header is not base64url JSON');
  }
  if (!isJsonObject(header)) throw new FormatError(FormatErrorCode.Malformed, 'not a compact JWT: its header is not a JSON object');
  const typ = header['typ'];
  return typeof typ === 'string' ? typ : undefined;
}
