/**
 * Why answering a presentation request (or drawing a scanner QR code) failed, as stable codes the wallet's screens
 * map to a message (see {@link OID4VP_MESSAGES}). Branch on `code`, never on the message.
 */
export const Oid4vpErrorCode = {
  /** The scanned text is not a presentation request we can read (bad URL, parameters missing or repeated). */
  RequestMalformed: 'oid4vp.request-malformed',
  /** The scanned text is something else: another scheme (a credential offer, a web page, …). */
  RequestForeign: 'oid4vp.request-foreign',
  /** The request uses what this wallet does not support (a request by value, `request_uri_method=post`, another client identifier prefix, another response mode). */
  RequestUnsupported: 'oid4vp.request-unsupported',
  /** The verifier no longer serves the request: it was answered, or it expired. */
  RequestClosed: 'oid4vp.request-closed',
  /** The request object is not signed by the key its client identifier names, or its claims are wrong (typ, aud, client_id, nonce, response_uri, DCQL). */
  RequestInvalid: 'oid4vp.request-invalid',
  /**
   * The request carries `transaction_data` this wallet refuses (OpenID4VP 1.0 §8.5 `invalid_transaction_data`): an
   * unknown type, a known type with unknown or invalid members, or credential ids that are not SD-JWT VC queries of the
   * request. The verifier was told so.
   */
  TransactionDataInvalid: 'oid4vp.transaction-data-invalid',
  /** The request object's `exp` has passed. */
  RequestExpired: 'oid4vp.request-expired',
  /** The choice does not answer the query: a credential it does not match, several where one is asked, a required query left out. */
  SelectionInvalid: 'oid4vp.selection-invalid',
  /** A credential cannot be presented from this wallet (not bound to its key, or in a format it cannot present). */
  CredentialNotPresentable: 'oid4vp.credential-not-presentable',
  /** The verifier refused the response (`invalid_request`: a replay, not bound to the request, already answered…). */
  ResponseRefused: 'oid4vp.response-refused',
  /**
   * The verifier took the presentation and refused the citizen (under 19, not a resident, a suspended card, a petition
   * already signed or closed…): a 200 answer with `error` (`access_denied`), its reason in `description` (English) and
   * `descriptions` (per language, `error_description#ko`). What was sent was received.
   */
  VerifierRefused: 'oid4vp.verifier-refused',
  /** The verifier is temporarily unavailable (429, 5xx). */
  VerifierUnavailable: 'oid4vp.verifier-unavailable',
  /** The verifier answered something this wallet cannot read. */
  VerifierError: 'oid4vp.verifier-error',
  /** The network failed: no answer from the verifier. */
  Network: 'oid4vp.network',
} as const;
export type Oid4vpErrorCode = (typeof Oid4vpErrorCode)[keyof typeof Oid4vpErrorCode];

/**
 * The one error the OpenID4VP client throws. `code` is stable; `message` is English text for logs; `description` the
 * verifier's own words when it answered an error.
 */
export class Oid4vpError extends Error {
  override readonly name = 'Oid4vpError';
  readonly oauthError?: string;
  readonly description?: string;
  readonly status?: number;
  /** The verifier's words by language tag (`ko` from `error_description#ko`), when it gave them besides `description`. */
  readonly descriptions?: Readonly<Record<string, string>>;

  constructor(
    readonly code: Oid4vpErrorCode,
    message: string,
    details: {
      readonly oauthError?: string;
      readonly description?: string;
      readonly descriptions?: Readonly<Record<string, string>>;
      readonly status?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    if (details.description !== undefined) this.description = details.description;
    if (details.descriptions !== undefined) this.descriptions = details.descriptions;
    if (details.status !== undefined) this.status = details.status;
  }
}
