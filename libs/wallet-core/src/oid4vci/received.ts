import {
  credentialFormat,
  credentialHashInput,
  detectFormat,
  FormatError,
  utf8Bytes,
  type CredentialFormatId,
  type NormalisedCredential,
  type PublicJwk,
} from '@citycred/formats';
import { credentialRecordOf, issuerSignatureSnapshot, type WalletCredential } from '../credential-record.js';
import type { HolderKey } from '../holder-key.js';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import { checkIssuerSignature, type IssuerSignatureCheck, type IssuerSignatureReading } from './issuer-keys.js';
import type { DisplayName } from './metadata.js';

/**
 * A credential just received over OpenID4VCI: the record the vault stores, and what the issuer's metadata said of it
 * (the wallet keeps `credentialIssuer` to fetch the anchor proof later, see `fetchAnchorProof`).
 */
export interface ReceivedCredential {
  readonly record: WalletCredential;
  /** The decoded credential (its claims, for the screen that shows what arrived). */
  readonly decoded: NormalisedCredential;
  /** The OpenID4VCI credential issuer identifier it came from. */
  readonly credentialIssuer: string;
  /** The credential configuration it was issued under. */
  readonly configurationId: string;
  /** The credential's name per language, from the issuer's metadata. */
  readonly display: readonly DisplayName[];
  /**
   * The issuer's signature as checked on receipt: `verified`, or `unchecked` when its keys could not be had (the
   * record says so, and the card checks again); none when the wallet was given no {@link IssuerSignatureCheck}.
   */
  readonly issuerSignature?: IssuerSignatureReading;
}

/** A received credential that passed {@link checkReceivedCredential}: decoded, and its issuer's signature reading. */
export interface CheckedCredential {
  readonly decoded: NormalisedCredential;
  /** `verified` or `unchecked` (an `invalid` signature is refused); none without an {@link IssuerSignatureCheck}. */
  readonly issuerSignature?: IssuerSignatureReading;
}

/** What the received credential must be. */
export interface ExpectedCredential {
  readonly holder: HolderKey;
  /** The configuration's format (`jwt_vc_json`, `dc+sd-jwt`). */
  readonly configurationFormat: string;
  /** SD-JWT VC: the `vct` the configuration publishes. */
  readonly vct?: string;
  /** `jwt_vc_json`: the types the configuration publishes. */
  readonly types?: readonly string[];
}

/** The wallet formats each OpenID4VCI format is read as. */
const FORMATS_OF_CONFIGURATION: Readonly<Record<string, readonly CredentialFormatId[]>> = {
  jwt_vc_json: ['jwt_vc'],
  'dc+sd-jwt': ['dc+sd-jwt'],
  'vc+sd-jwt': ['dc+sd-jwt'],
};

/** Whether this wallet can hold credentials of an OpenID4VCI `format`. */
export function isSupportedConfigurationFormat(format: string): boolean {
  return Object.hasOwn(FORMATS_OF_CONFIGURATION, format);
}

/**
 * Decodes a credential the issuer sent and checks it is the wallet's: its format and type are the configuration's,
 * and it is bound to the holder key — `cnf.jwk` for an SD-JWT VC, the subject (`credentialSubject.id`, `sub`) for a
 * JWT VC. With an {@link IssuerSignatureCheck}, the issuer's signature is checked too: one that does not verify is
 * refused; one whose keys cannot be had now (offline, resolver or chain down) or ever (a DID this wallet cannot
 * resolve) is reported `unchecked`, for the caller to tell the citizen.
 * @returns the decoded credential and, with a check, its signature reading (`verified` or `unchecked`)
 * @throws Oid4vciError `oid4vci.credential-invalid`, `oid4vci.issuer-signature-invalid`
 */
export async function checkReceivedCredential(encoded: unknown, expected: ExpectedCredential, signature?: IssuerSignatureCheck): Promise<CheckedCredential> {
  if (typeof encoded !== 'string' || encoded.length === 0) throw invalid('the credential is not a string');
  let decoded: NormalisedCredential;
  try {
    decoded = credentialFormat(detectFormat(encoded)).decode(encoded);
  } catch (cause) {
    if (cause instanceof FormatError) throw new Oid4vciError(Oid4vciErrorCode.CredentialInvalid, `the credential cannot be read: ${cause.message}`, { cause });
    throw cause;
  }
  const formats = FORMATS_OF_CONFIGURATION[expected.configurationFormat] ?? [];
  if (!formats.includes(decoded.format)) throw invalid(`a ${expected.configurationFormat} configuration answered a ${decoded.format} credential`);
  if (expected.vct !== undefined && decoded.format === 'dc+sd-jwt' && decoded.primaryType !== expected.vct) throw invalid('the credential is of another vct than offered');
  if (expected.types !== undefined && !expected.types.every((type) => decoded.types.includes(type))) throw invalid('the credential is of other types than offered');
  if (decoded.format === 'dc+sd-jwt') {
    if (!sameJwk(decoded.holder.jwk, expected.holder.jwk)) throw invalid('the credential is not bound to this wallet key (cnf.jwk)');
  } else if (decoded.holder.id?.split('#')[0] !== expected.holder.did) {
    throw invalid("the credential's subject is not this wallet's DID");
  }
  if (!signature) return { decoded };
  const issuerSignature = await checkIssuerSignature(decoded, signature);
  if (issuerSignature.state === 'invalid') throw new Oid4vciError(Oid4vciErrorCode.IssuerSignatureInvalid, `the issuer's signature does not verify (${issuerSignature.reason})`);
  return { decoded, issuerSignature };
}

/**
 * The credential hash the issuer anchored (docs/anchoring.md): `0x` + hex SHA-256 of the exact anchored part, with
 * WebCrypto.
 * @param encoded - a compact JWT or an SD-JWT
 */
export async function credentialHashOf(encoded: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(utf8Bytes(credentialHashInput(encoded)))));
  return `0x${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * The record for a checked credential (the wallet core's {@link credentialRecordOf}: a random id, format, issuer and
 * type read from the bytes, the credential issuer it came from, for its anchor proof later, and its issuer signature
 * reading when there was one).
 */
export function receivedCredentialOf(
  checked: CheckedCredential,
  encoded: string,
  received: { readonly at: Date; readonly credentialIssuer: string; readonly configurationId: string; readonly display: readonly DisplayName[] },
): ReceivedCredential {
  const { decoded, issuerSignature } = checked;
  const signature = issuerSignature === undefined ? {} : { issuerSignature: issuerSignatureSnapshot(issuerSignature, received.at) };
  return {
    record: credentialRecordOf(encoded, received.at, { credentialIssuer: received.credentialIssuer, ...signature }),
    decoded,
    credentialIssuer: received.credentialIssuer,
    configurationId: received.configurationId,
    display: received.display,
    ...(issuerSignature === undefined ? {} : { issuerSignature }),
  };
}

/** Whether two public JWKs name the same key (`kty`, `crv`, `x`, `y`). */
function sameJwk(a: PublicJwk | undefined, b: PublicJwk): boolean {
  return a !== undefined && a.kty === b.kty && a.crv === b.crv && a.x === b.x && a.y === b.y;
}

function invalid(message: string): Oid4vciError {
  return new Oid4vciError(Oid4vciErrorCode.CredentialInvalid, message);
}
