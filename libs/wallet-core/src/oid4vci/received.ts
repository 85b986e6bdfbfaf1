import {
  credentialFormat,
  credentialHashInput,
  detectFormat,
  FormatError,
  utf8Bytes,
  type CredentialFormatId,
  type NormalisedCredential,
  type PublicJwk,
  type SignatureCrypto,
  type VerificationKey,
} from '@citycred/formats';
import { credentialRecordOf, type WalletCredential } from '../credential-record.js';
import type { HolderKey } from '../holder-key.js';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
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
}

/**
 * Checks an issuer's signature: the wallet may be given a way to find the issuer's keys (a did:ethr resolver, or a
 * key list the city publishes). Without one, records are made unchecked — the verifier checks every presentation.
 */
export interface IssuerSignatureCheck {
  /** The keys that may sign for `issuer` now; empty when it is unknown. */
  keysOf(issuer: string): Promise<readonly VerificationKey[]>;
  readonly crypto: SignatureCrypto;
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
 * JWT VC. With an {@link IssuerSignatureCheck}, the issuer's signature is checked too.
 * @returns the decoded credential
 * @throws Oid4vciError `oid4vci.credential-invalid`
 */
export async function checkReceivedCredential(encoded: unknown, expected: ExpectedCredential, signature?: IssuerSignatureCheck): Promise<NormalisedCredential> {
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
  if (signature) {
    const keys = await signature.keysOf(decoded.issuer);
    const check = await credentialFormat(decoded.format).verifyProof(decoded, keys, signature.crypto);
    if (!check.valid) throw invalid(`the issuer's signature does not verify (${check.reason ?? 'signature.invalid'})`);
  }
  return decoded;
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
 * type read from the bytes, and the credential issuer it came from, for its anchor proof later).
 */
export function receivedCredentialOf(
  decoded: NormalisedCredential,
  encoded: string,
  received: { readonly at: Date; readonly credentialIssuer: string; readonly configurationId: string; readonly display: readonly DisplayName[] },
): ReceivedCredential {
  return { record: credentialRecordOf(encoded, received.at, { credentialIssuer: received.credentialIssuer }), decoded, credentialIssuer: received.credentialIssuer, configurationId: received.configurationId, display: received.display };
}

/** Whether two public JWKs name the same key (`kty`, `crv`, `x`, `y`). */
function sameJwk(a: PublicJwk | undefined, b: PublicJwk): boolean {
  return a !== undefined && a.kty === b.kty && a.crv === b.crv && a.x === b.x && a.y === b.y;
}

function invalid(message: string): Oid4vciError {
  return new Oid4vciError(Oid4vciErrorCode.CredentialInvalid, message);
}
