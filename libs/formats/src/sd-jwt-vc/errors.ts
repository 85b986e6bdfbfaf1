import { FormatError, type FormatErrorCode } from '../types.js';

/**
 * Why an SD-JWT was refused, finer than {@link FormatErrorCode} (which stays the code to branch on first).
 * Stable: callers and tests may branch on these.
 *
 * - `sd-jwt.malformed`: not `<jwt>~<disclosure>~…~[<kb-jwt>]`, or a JWT part that is not a compact JWS.
 * - `sd-jwt.typ-unsupported`: the header `typ` is neither `dc+sd-jwt` nor `vc+sd-jwt`.
 * - `sd-jwt.alg-unsupported`: the issuer-signed JWT is unsigned (`alg: none`, forbidden by RFC 9901 §4) or uses an
 *   algorithm we do not check.
 * - `sd-jwt.hash-alg-unsupported`: `_sd_alg` is not `sha-256`.
 * - `sd-jwt.disclosure-malformed`: a disclosure is not base64url JSON `[salt, name, value]` or `[salt, value]`,
 *   or names a reserved claim (`_sd`, `...`).
 * - `sd-jwt.disclosure-unreferenced`: a disclosure's digest appears nowhere in the payload (a tampered or foreign
 *   disclosure).
 * - `sd-jwt.disclosure-repeated`: the same disclosure is sent twice.
 * - `sd-jwt.digest-duplicate`: a digest appears more than once in the payload and its disclosures.
 * - `sd-jwt.disclosure-misplaced`: an object-property disclosure referenced from an array element, or the reverse.
 * - `sd-jwt.claim-collision`: a disclosed claim name already exists at its place in the payload.
 * - `sd-jwt.claims-invalid`: a registered claim (`iss`, `vct`, `iat`, `nbf`, `exp`, `cnf`, `status`, …) is
 *   missing or has the wrong type.
 * - `sd-jwt.kb-malformed`: the trailing key-binding JWT is not a compact JWS with a supported `alg` (code
 *   `format.unsupported-alg` for `none` or an unknown algorithm, else `format.malformed`).
 * - `sd-jwt.request-invalid`: a sign or present request that does not fit the format.
 */
export type SdJwtRefusal =
  | 'sd-jwt.malformed'
  | 'sd-jwt.typ-unsupported'
  | 'sd-jwt.alg-unsupported'
  | 'sd-jwt.hash-alg-unsupported'
  | 'sd-jwt.disclosure-malformed'
  | 'sd-jwt.disclosure-unreferenced'
  | 'sd-jwt.disclosure-repeated'
  | 'sd-jwt.digest-duplicate'
  | 'sd-jwt.disclosure-misplaced'
  | 'sd-jwt.claim-collision'
  | 'sd-jwt.claims-invalid'
  | 'sd-jwt.kb-malformed'
  | 'sd-jwt.request-invalid';

/**
 * A {@link FormatError} raised by the SD-JWT VC format, carrying the finer {@link SdJwtRefusal}.
 * Branch on `code` (shared by all formats) and, where the detail matters, on `reason`; never on the message.
 */
export class SdJwtFormatError extends FormatError {
  constructor(
    code: FormatErrorCode,
    readonly reason: SdJwtRefusal,
    message: string,
  ) {
    super(code, message);
    this.name = 'SdJwtFormatError';
  }
}
