import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import { contactableUrl, errorOfAnswer, isRecord, sendRequest, type WalletTransport } from './http.js';

/** The grant type of the pre-authorized code flow (OpenID4VCI 1.0 §4.1.1). */
export const PRE_AUTHORIZED_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

/** The scheme OpenID4VCI 1.0 §4.1 names for offers. */
export const CREDENTIAL_OFFER_SCHEME = 'openid-credential-offer:';

/** The transaction code an offer asks for (OpenID4VCI 1.0 §4.1.1, `tx_code`). */
export interface TxCodeRequirement {
  /** `numeric` (digits only, the default) or `text`. */
  readonly inputMode: 'numeric' | 'text';
  /** The number of characters, when the issuer says. */
  readonly length?: number;
  /** The issuer's hint where the code comes from, as sent (not translated). */
  readonly description?: string;
}

/** A credential offer as the wallet uses it, checked (OpenID4VCI 1.0 §4.1.1), pre-authorized code flow only. */
export interface CredentialOffer {
  /** The credential issuer identifier: an `https:` URL (or `http:` on a loopback address). */
  readonly credentialIssuer: string;
  readonly credentialConfigurationIds: readonly string[];
  readonly preAuthorizedCode: string;
  /** Present when the citizen must enter a transaction code. */
  readonly txCode?: TxCodeRequirement;
  /** The `authorization_server` the grant names, when the issuer has several. */
  readonly authorizationServer?: string;
}

/** What a scanned or pasted text holds: the offer itself, or where to fetch it. */
export type OfferLink = { readonly kind: 'by-value'; readonly offer: CredentialOffer } | { readonly kind: 'by-reference'; readonly uri: string };

/**
 * Reads a credential offer link as a QR code or a pasted link carries it:
 * `openid-credential-offer://?credential_offer=<JSON>` (by value) or `…?credential_offer_uri=<https URL>` (by
 * reference), and the same query on an `https:` link (a universal link to a wallet). Leading and trailing white
 * space is ignored. Nothing is fetched.
 * @param text - the QR code's text or the pasted link
 * @param allowInsecureHttp - accept an `http:` offer URI or issuer on any host (loopback is always accepted)
 * @returns the offer, or its URI
 * @throws Oid4vciError `oid4vci.offer-foreign` (another scheme, or an https link without an offer parameter),
 *   `oid4vci.offer-malformed` (no or both parameters, bad JSON, a missing or mistyped member, an issuer or offer URI
 *   that is not https), `oid4vci.offer-unsupported-grant` (no pre-authorized code grant)
 */
export function parseCredentialOfferLink(text: string, allowInsecureHttp = false): OfferLink {
  if (typeof text !== 'string') throw malformed('the offer link must be text');
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Oid4vciError(Oid4vciErrorCode.OfferForeign, 'the text is not a link');
  }
  const byValue = url.searchParams.getAll('credential_offer');
  const byReference = url.searchParams.getAll('credential_offer_uri');
  if (url.protocol !== CREDENTIAL_OFFER_SCHEME && !(url.protocol === 'https:' && byValue.length + byReference.length > 0)) {
    throw new Oid4vciError(Oid4vciErrorCode.OfferForeign, `a link of scheme ${url.protocol} is not a credential offer`);
  }
  if (byValue.length + byReference.length !== 1) throw malformed('the link must carry exactly one of credential_offer and credential_offer_uri');
  if (byReference.length === 1) {
    const uri = contactableUrl(byReference[0], allowInsecureHttp);
    if (!uri) throw malformed('credential_offer_uri must be an https URL');
    return { kind: 'by-reference', uri: uri.href };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(byValue[0]!);
  } catch {
    throw malformed('credential_offer is not JSON');
  }
  return { kind: 'by-value', offer: readCredentialOffer(parsed, allowInsecureHttp) };
}

/**
 * Checks a credential offer object (from a link or fetched by reference) and keeps what the pre-authorized code flow
 * needs.
 * @throws Oid4vciError `oid4vci.offer-malformed`, `oid4vci.offer-unsupported-grant`
 */
export function readCredentialOffer(value: unknown, allowInsecureHttp = false): CredentialOffer {
  if (!isRecord(value)) throw malformed('the credential offer is not a JSON object');
  const issuer = contactableUrl(value['credential_issuer'], allowInsecureHttp);
  if (!issuer || issuer.search !== '') throw malformed('credential_issuer must be an https URL without query or fragment');
  const ids = value['credential_configuration_ids'];
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && id.length > 0) || new Set(ids).size !== ids.length) {
    throw malformed('credential_configuration_ids must be a non-empty array of distinct strings');
  }
  const grants = value['grants'];
  if (grants !== undefined && !isRecord(grants)) throw malformed('grants must be an object');
  const grant = grants?.[PRE_AUTHORIZED_CODE_GRANT];
  if (grant === undefined) throw new Oid4vciError(Oid4vciErrorCode.OfferUnsupportedGrant, 'the offer has no pre-authorized code grant (the authorization code flow is not supported)');
  if (!isRecord(grant) || typeof grant['pre-authorized_code'] !== 'string' || grant['pre-authorized_code'].length === 0) {
    throw malformed('the pre-authorized code grant must carry a pre-authorized_code string');
  }
  const authorizationServer = grant['authorization_server'];
  if (authorizationServer !== undefined && typeof authorizationServer !== 'string') throw malformed('authorization_server must be a string');
  const txCode = grant['tx_code'] === undefined ? undefined : readTxCode(grant['tx_code']);
  return {
    credentialIssuer: value['credential_issuer'] as string,
    credentialConfigurationIds: ids as string[],
    preAuthorizedCode: grant['pre-authorized_code'],
    ...(txCode ? { txCode } : {}),
    ...(authorizationServer !== undefined ? { authorizationServer } : {}),
  };
}

/**
 * Reads the offer a link names: by value at once, by reference with a GET of its URI (OpenID4VCI 1.0 §4.1.3).
 * @throws Oid4vciError as {@link parseCredentialOfferLink}; `oid4vci.offer-not-found` when the issuer answers 404
 *   (expired, used or cancelled); `oid4vci.issuer-unavailable` (429, 5xx), `oid4vci.issuer-error`, `oid4vci.network`
 */
export async function resolveCredentialOffer(text: string, transport: WalletTransport): Promise<CredentialOffer> {
  const link = parseCredentialOfferLink(text, transport.allowInsecureHttp);
  if (link.kind === 'by-value') return link.offer;
  const answer = await sendRequest(transport.fetch, link.uri, { method: 'GET', headers: { accept: 'application/json' } }, networkError);
  if (answer.status === 404 || answer.status === 410) {
    throw new Oid4vciError(Oid4vciErrorCode.OfferNotFound, 'the issuer no longer serves this offer', { status: answer.status, ...errorDetailsOf(answer) });
  }
  throwIfUnavailable(answer.status, errorDetailsOf(answer));
  if (answer.status !== 200) throw new Oid4vciError(Oid4vciErrorCode.IssuerError, `the offer URI answered ${answer.status}`, { status: answer.status, ...errorDetailsOf(answer) });
  return readCredentialOffer(answer.json, transport.allowInsecureHttp);
}

/**
 * Checks a transaction code against what the offer announced, before it is sent (a wrong form would count as a
 * wrong code at the issuer, and several burn the offer).
 * @throws Oid4vciError `oid4vci.tx-code-required`, `oid4vci.tx-code-malformed`
 */
export function checkTxCode(requirement: TxCodeRequirement, code: string | undefined): string {
  const trimmed = code?.trim() ?? '';
  if (trimmed === '') throw new Oid4vciError(Oid4vciErrorCode.TxCodeRequired, 'the offer needs a transaction code');
  if (requirement.inputMode === 'numeric' && !/^[0-9]+$/.test(trimmed)) throw new Oid4vciError(Oid4vciErrorCode.TxCodeMalformed, 'the transaction code must be digits');
  if (requirement.length !== undefined && [...trimmed].length !== requirement.length) {
    throw new Oid4vciError(Oid4vciErrorCode.TxCodeMalformed, `the transaction code must be ${requirement.length} characters`);
  }
  return trimmed;
}

function readTxCode(value: unknown): TxCodeRequirement {
  if (!isRecord(value)) throw malformed('tx_code must be an object');
  const mode = value['input_mode'] ?? 'numeric';
  if (mode !== 'numeric' && mode !== 'text') throw malformed('tx_code.input_mode must be numeric or text');
  const length = value['length'];
  if (length !== undefined && (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 1 || length > 64)) throw malformed('tx_code.length must be a positive integer');
  const description = value['description'];
  if (description !== undefined && typeof description !== 'string') throw malformed('tx_code.description must be a string');
  return { inputMode: mode, ...(length !== undefined ? { length } : {}), ...(description !== undefined ? { description: description.slice(0, 300) } : {}) };
}

/** @internal the error and description of an answer, as error details */
export function errorDetailsOf(answer: Parameters<typeof errorOfAnswer>[0]): { oauthError?: string; description?: string } {
  const { error, description } = errorOfAnswer(answer);
  return { ...(error !== undefined ? { oauthError: error } : {}), ...(description !== undefined ? { description } : {}) };
}

/** @internal throws `oid4vci.issuer-unavailable` for 429 and 5xx */
export function throwIfUnavailable(status: number, details: { oauthError?: string; description?: string; status?: number }): void {
  if (status === 429 || status >= 500) throw new Oid4vciError(Oid4vciErrorCode.IssuerUnavailable, `the issuer answered ${status}`, { ...details, status });
}

/** @internal the error a fetch without answer becomes */
export function networkError(cause: unknown): Oid4vciError {
  return new Oid4vciError(Oid4vciErrorCode.Network, 'no answer from the issuer', { cause });
}

function malformed(message: string): Oid4vciError {
  return new Oid4vciError(Oid4vciErrorCode.OfferMalformed, message);
}
