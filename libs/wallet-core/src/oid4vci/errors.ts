/**
 * Why receiving a credential failed, as stable codes the wallet's screens map to a message (see
 * {@link OID4VCI_MESSAGES}). Branch on `code`, never on the message.
 */
export const Oid4vciErrorCode = {
  /** The scanned text is not a credential offer we can read (bad URL, bad JSON, members missing or of the wrong type). */
  OfferMalformed: 'oid4vci.offer-malformed',
  /** The scanned text is something else: another scheme (a presentation request, a web page, …). */
  OfferForeign: 'oid4vci.offer-foreign',
  /** The issuer no longer serves the offer: it expired, was used, or was cancelled after wrong codes. */
  OfferNotFound: 'oid4vci.offer-not-found',
  /** The offer asks for a grant this wallet does not speak (only the pre-authorized code flow is supported). */
  OfferUnsupportedGrant: 'oid4vci.offer-unsupported-grant',
  /** The issuer's metadata could not be read, or it names another issuer than the offer. */
  MetadataInvalid: 'oid4vci.metadata-invalid',
  /** The offered credential is in a format, or needs a proof, this wallet does not support. */
  UnsupportedCredential: 'oid4vci.unsupported-credential',
  /** The offer needs a transaction code and none was given. */
  TxCodeRequired: 'oid4vci.tx-code-required',
  /** The transaction code does not have the form the offer announced (digits, length): nothing was sent. */
  TxCodeMalformed: 'oid4vci.tx-code-malformed',
  /** The issuer refused the grant: a wrong transaction code, or an offer expired or already used. */
  GrantRefused: 'oid4vci.grant-refused',
  /** The issuer refused the access token (expired or used) — start again from the offer. */
  TokenRefused: 'oid4vci.token-refused',
  /** The issuer refused the wallet's key proof (even with a fresh nonce). */
  ProofRefused: 'oid4vci.proof-refused',
  /** The issuer declined to issue (for example the issuer is not accredited for the credential now). */
  CredentialDenied: 'oid4vci.credential-denied',
  /** The issuer answered a deferred issuance (`transaction_id`), which this wallet does not support yet. */
  DeferredUnsupported: 'oid4vci.deferred-unsupported',
  /** What the issuer sent back is not a credential for this wallet's key (other key, other type, unreadable). */
  CredentialInvalid: 'oid4vci.credential-invalid',
  /** The credential's issuer signature does not verify against the issuer's keys: changed on its way, or forged. */
  IssuerSignatureInvalid: 'oid4vci.issuer-signature-invalid',
  /** The issuer is temporarily unavailable (503, 429) — try again later. */
  IssuerUnavailable: 'oid4vci.issuer-unavailable',
  /** The issuer answered something this wallet cannot read (an unexpected status or body). */
  IssuerError: 'oid4vci.issuer-error',
  /** The network failed: no answer from the issuer. */
  Network: 'oid4vci.network',
} as const;
export type Oid4vciErrorCode = (typeof Oid4vciErrorCode)[keyof typeof Oid4vciErrorCode];

/** Details an error carries for logs and support: never shown as they are to the citizen. */
export interface Oid4vciErrorDetails {
  /** The OAuth `error` the issuer answered, when it did (`invalid_grant`, `invalid_proof`, …). */
  readonly oauthError?: string;
  /** The issuer's `error_description`, or the problem's `detail`. */
  readonly description?: string;
  /** The HTTP status of the answer that failed. */
  readonly status?: number;
  readonly cause?: unknown;
}

/**
 * The one error the OpenID4VCI client throws. `code` is stable; `message` is English text for logs. Screens show
 * {@link OID4VCI_MESSAGES}`[code]` in the citizen's language.
 */
export class Oid4vciError extends Error {
  override readonly name = 'Oid4vciError';
  readonly oauthError?: string;
  readonly description?: string;
  readonly status?: number;

  constructor(
    readonly code: Oid4vciErrorCode,
    message: string,
    details: Oid4vciErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    if (details.description !== undefined) this.description = details.description;
    if (details.status !== undefined) this.status = details.status;
  }
}
