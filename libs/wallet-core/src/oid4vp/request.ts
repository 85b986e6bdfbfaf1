import { decodeCompactJws, FormatError, nobleSignatureCrypto, publicJwkOfDid, readDocumentSignature, verifyJwsSignature, type DecodedJws, type PublicJwk } from '@citycred/formats';
import { contactableUrl, errorOfAnswer, isRecord, sendRequest, type WalletTransport } from '../oid4vci/http.js';
import { DcqlQueryError, readDcqlQuery, type DcqlQuery } from './dcql.js';
import { Oid4vpError, Oid4vpErrorCode } from './errors.js';
import { RESPONSE_ENCRYPTIONS, type ResponseEncryption } from './jwe.js';

/** The scheme of OpenID4VP requests (1.0 §13.1.2). */
export const PRESENTATION_REQUEST_SCHEME = 'openid4vp:';

/** The `typ` and media type of a signed request object (RFC 9101). */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';

/** The `aud` of a request object for a wallet found by static discovery (OpenID4VP 1.0 §5.8). */
export const SELF_ISSUED_AUDIENCE = 'https://self-issued.me/v2';

/** The client identifier prefix the city's verifier uses (ADR 0009); the only one this wallet accepts. */
export const DECENTRALIZED_IDENTIFIER_PREFIX = 'decentralized_identifier:';

/** How far the verifier's and the wallet's clocks may differ, in seconds. */
const CLOCK_SKEW_SECONDS = 60;

/** A presentation request link as scanned: who asks, and where the signed request is. */
export interface PresentationRequestLink {
  readonly clientId: string;
  readonly requestUri: string;
}

/** A presentation request whose signature and claims were checked: what the consent screen and the response need. */
export interface PresentationRequest {
  /** `decentralized_identifier:<did>`: the audience of every key binding. */
  readonly clientId: string;
  /** The verifier's DID (the key that signed the request). */
  readonly verifierDid: string;
  readonly requestUri: string;
  readonly responseMode: 'direct_post' | 'direct_post.jwt';
  readonly responseUri: string;
  readonly nonce: string;
  readonly state?: string;
  readonly query: DcqlQuery;
  readonly expiresAt: Date;
  /** For `direct_post.jwt`: the key and content encryption to encrypt the response with. */
  readonly encryption?: { readonly jwk: PublicJwk; readonly enc: ResponseEncryption };
  /**
   * Why the verifier asks, in its own words, as it signed them: the `data.text` of a `verifier_info` entry (1.0 §5.1)
   * of the format {@link PURPOSE_VERIFIER_INFO_FORMAT}. Absent when the request names none.
   */
  readonly purpose?: string;
  /** The request object's claims as signed, for logs and for what this type does not surface. */
  readonly claims: Readonly<Record<string, unknown>>;
  /**
   * What the request asks the citizen to sign besides presenting (OpenID4VP 1.0 `transaction_data`): only document
   * signatures (`citycred-document-signature`) are accepted. The consent screen must show each (a document signature:
   * "문서에 서명 / Sign a document", its file name and hash); the presentations of the queries they name bind them.
   */
  readonly transactionData?: readonly PresentationTransaction[];
}

/** One `transaction_data` entry of a request, as read and accepted. */
export interface PresentationTransaction {
  /** The entry exactly as the request carried it (base64url): its hash goes into the KB-JWT. */
  readonly encoded: string;
  readonly type: 'citycred-document-signature';
  /** The DCQL credential query ids whose presentations must bind it. */
  readonly credentialIds: readonly string[];
  /** The document: `0x` + SHA-256 hex, the file name and media type to show. */
  readonly document: { readonly hash: string; readonly fileName: string; readonly mediaType: string };
}

/**
 * Reads a presentation request link: `openid4vp://?client_id=…&request_uri=…` (also `openid4vp://authorize?…`), white
 * space around it ignored. Nothing is fetched.
 * @throws Oid4vpError `oid4vp.request-foreign` (another scheme), `oid4vp.request-malformed` (parameters missing or
 *   repeated, a request_uri that is not https), `oid4vp.request-unsupported` (a request by value, or
 *   `request_uri_method=post`)
 */
export function parsePresentationRequestLink(text: string, allowInsecureHttp = false): PresentationRequestLink {
  if (typeof text !== 'string') throw malformed('the request link must be text');
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Oid4vpError(Oid4vpErrorCode.RequestForeign, 'the text is not a link');
  }
  if (url.protocol !== PRESENTATION_REQUEST_SCHEME) throw new Oid4vpError(Oid4vpErrorCode.RequestForeign, `a link of scheme ${url.protocol} is not a presentation request`);
  const params = url.searchParams;
  if (params.has('request') || (params.has('dcql_query') && !params.has('request_uri'))) throw unsupported('requests passed by value are not supported: the request must be signed and by reference');
  const method = params.get('request_uri_method');
  if (method !== null && method !== 'get') throw unsupported('request_uri_method=post is not supported');
  const clientIds = params.getAll('client_id');
  const requestUris = params.getAll('request_uri');
  if (clientIds.length !== 1 || requestUris.length !== 1 || clientIds[0] === '') throw malformed('the link must carry one client_id and one request_uri');
  const requestUri = contactableUrl(requestUris[0], allowInsecureHttp);
  if (!requestUri) throw malformed('request_uri must be an https URL');
  return { clientId: clientIds[0]!, requestUri: requestUri.href };
}

/**
 * Fetches the request object a link names (GET, RFC 9101) and checks it: `typ: oauth-authz-req+jwt`; the client
 * identifier prefix `decentralized_identifier:` with a `did:jwk` or `did:key` (resolved offline) whose key, named by
 * the header's `kid`, signed it; `client_id` (and `iss`) equal to the link's; `aud` `https://self-issued.me/v2`;
 * `exp` not passed and `iat` not ahead of the clock (60 s of skew); `response_type: vp_token`; `response_mode`
 * `direct_post` or `direct_post.jwt` with an `https` `response_uri`; a `nonce`; a DCQL query; for `direct_post.jwt`
 * an EC P-256 encryption key in `client_metadata.jwks` and an `enc` this wallet speaks.
 * @throws Oid4vpError `oid4vp.request-*` (see {@link Oid4vpErrorCode}), `oid4vp.verifier-unavailable`,
 *   `oid4vp.verifier-error`, `oid4vp.network`
 */
export async function fetchPresentationRequest(link: PresentationRequestLink, transport: WalletTransport): Promise<PresentationRequest> {
  const { did, jwk } = verifierKeyOf(link.clientId);
  const answer = await sendRequest(transport.fetch, link.requestUri, { method: 'GET', headers: { accept: `application/${REQUEST_OBJECT_TYP}` } }, verifierNetworkError);
  const { error, description } = errorOfAnswer(answer);
  const details = { status: answer.status, ...(error !== undefined ? { oauthError: error } : {}), ...(description !== undefined ? { description } : {}) };
  if (answer.status === 404 || answer.status === 410) throw new Oid4vpError(Oid4vpErrorCode.RequestClosed, 'the verifier no longer serves the request', details);
  if (answer.status === 429 || answer.status >= 500) throw new Oid4vpError(Oid4vpErrorCode.VerifierUnavailable, `the request URI answered ${answer.status}`, details);
  if (answer.status !== 200) throw new Oid4vpError(Oid4vpErrorCode.VerifierError, `the request URI answered ${answer.status}`, details);

  let jws: DecodedJws;
  try {
    jws = decodeCompactJws(answer.text.trim());
  } catch (cause) {
    if (cause instanceof FormatError) throw new Oid4vpError(Oid4vpErrorCode.RequestInvalid, `the request object is not a signed JWT: ${cause.message}`, { cause });
    throw cause;
  }
  if (jws.header.typ !== REQUEST_OBJECT_TYP) throw invalid(`the request object's typ is not ${REQUEST_OBJECT_TYP}`);
  const kid = jws.header.kid;
  if (typeof kid !== 'string' || !kid.startsWith(`${did}#`)) throw invalid("the request object's kid is not a key of the client identifier's DID");
  const signature = await verifyJwsSignature(jws, [{ kind: 'jwk', id: kid, jwk }], nobleSignatureCrypto);
  if (!signature.valid) throw invalid('the request object is not signed by the key its client identifier names');
  const request = checkedRequest(jws.payload, link, did, transport);
  const transactionData = jws.payload['transaction_data'];
  if (transactionData === undefined) return request;
  const read = readTransactions(transactionData, request.query);
  if (!read.ok) {
    // OpenID4VP 1.0 §8.5: the verifier is told (best effort), and nothing is presented or signed.
    await postRefusal(request, read.detail, transport);
    throw new Oid4vpError(Oid4vpErrorCode.TransactionDataInvalid, `the request's transaction_data is refused: ${read.detail}`);
  }
  return { ...request, transactionData: read.entries };
}

/**
 * Reads `transaction_data`: a non-empty array of entries, each a document signature ({@link readDocumentSignature})
 * whose `credential_ids` name SD-JWT VC queries of the request's DCQL query.
 */
function readTransactions(value: unknown, query: DcqlQuery): { ok: true; entries: PresentationTransaction[] } | { ok: false; detail: string } {
  if (!Array.isArray(value) || value.length === 0) return { ok: false, detail: 'transaction_data must be a non-empty array' };
  const entries: PresentationTransaction[] = [];
  for (const encoded of value) {
    const read = readDocumentSignature(encoded);
    if (!read.ok) return { ok: false, detail: read.detail };
    for (const id of read.value.credential_ids) {
      const credentialQuery = query.credentials.find((q) => q.id === id);
      if (credentialQuery === undefined || credentialQuery.format !== 'dc+sd-jwt') return { ok: false, detail: `credential_ids names ${JSON.stringify(id).slice(0, 80)}, which is no SD-JWT VC query of the request` };
    }
    entries.push({
      encoded: encoded as string,
      type: read.value.type,
      credentialIds: [...read.value.credential_ids],
      document: { hash: read.value.document_hash, fileName: read.value.file_name, mediaType: read.value.media_type },
    });
  }
  return { ok: true, entries };
}

/** Tells the verifier `invalid_transaction_data`; a failure to reach it changes nothing (the wallet refuses anyway). */
async function postRefusal(request: PresentationRequest, description: string, transport: WalletTransport): Promise<void> {
  const form = new URLSearchParams({ error: 'invalid_transaction_data', error_description: description.slice(0, 200), ...(request.state !== undefined ? { state: request.state } : {}) });
  try {
    await transport.fetch(request.responseUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() });
  } catch {
    // The verifier's request expires on its own.
  }
}

/**
 * The verifier's DID and key from a `decentralized_identifier:` client identifier.
 * @throws Oid4vpError `oid4vp.request-unsupported` for another prefix or a DID method other than did:jwk / did:key
 */
export function verifierKeyOf(clientId: string): { did: string; jwk: PublicJwk } {
  if (!clientId.startsWith(DECENTRALIZED_IDENTIFIER_PREFIX)) {
    throw unsupported(`the client identifier ${JSON.stringify(clientId.split(':')[0])} prefix is not supported (only ${DECENTRALIZED_IDENTIFIER_PREFIX})`);
  }
  const did = clientId.slice(DECENTRALIZED_IDENTIFIER_PREFIX.length);
  if (did.includes('#') || did.includes('?')) throw invalid('the client identifier must be a DID, not a DID URL');
  try {
    return { did, jwk: publicJwkOfDid(did) };
  } catch (cause) {
    if (cause instanceof FormatError) throw new Oid4vpError(Oid4vpErrorCode.RequestUnsupported, `the verifier's DID cannot be resolved offline: ${cause.message}`, { cause });
    throw cause;
  }
}

/**
 * The `verifier_info` format (OpenID4VP 1.0 §5.1: attestations about the verifier that may enrich the consent dialog;
 * 1.0 has no `purpose` parameter) the city's verifier states a request's purpose in: `data` is `{text}`, the text the
 * verifier's caller gave (at most {@link MAX_PURPOSE_LENGTH} characters).
 */
export const PURPOSE_VERIFIER_INFO_FORMAT = 'https://schemas.citycred.seoul.go.kr/verifier-info/purpose';
/** The longest purpose the consent screen shows. */
export const MAX_PURPOSE_LENGTH = 200;

/**
 * Reads `verifier_info`: absent, or a non-empty array of `{format, data, credential_ids?}` (else the request is
 * invalid). Entries of other formats are ignored, as 1.0 lets a wallet do.
 * @returns the purpose of the first {@link PURPOSE_VERIFIER_INFO_FORMAT} entry with a usable text
 */
function purposeOf(verifierInfo: unknown): string | undefined {
  if (verifierInfo === undefined) return undefined;
  if (!Array.isArray(verifierInfo) || verifierInfo.length === 0) throw invalid('verifier_info must be a non-empty array');
  for (const entry of verifierInfo) {
    if (!isRecord(entry) || typeof entry['format'] !== 'string' || !(typeof entry['data'] === 'string' || isRecord(entry['data']))) {
      throw invalid('each verifier_info entry needs a format and data');
    }
  }
  for (const entry of verifierInfo as Array<Record<string, unknown>>) {
    if (entry['format'] !== PURPOSE_VERIFIER_INFO_FORMAT || !isRecord(entry['data'])) continue;
    const text = entry['data']['text'];
    if (typeof text === 'string' && text.trim() !== '' && text.length <= MAX_PURPOSE_LENGTH) return text.trim();
  }
  return undefined;
}

function checkedRequest(claims: Readonly<Record<string, unknown>>, link: PresentationRequestLink, did: string, transport: WalletTransport): PresentationRequest {
  if (claims['client_id'] !== link.clientId) throw invalid("the request object's client_id is not the link's");
  if (claims['iss'] !== undefined && claims['iss'] !== link.clientId) throw invalid("the request object's iss is not its client_id");
  const aud = claims['aud'];
  if (!(aud === SELF_ISSUED_AUDIENCE || (Array.isArray(aud) && aud.includes(SELF_ISSUED_AUDIENCE)))) throw invalid(`the request object's aud is not ${SELF_ISSUED_AUDIENCE}`);
  const now = transport.clock.now().getTime() / 1000;
  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalid('the request object has no exp');
  if (exp < now - CLOCK_SKEW_SECONDS) throw new Oid4vpError(Oid4vpErrorCode.RequestExpired, 'the request object has expired');
  const iat = claims['iat'];
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + CLOCK_SKEW_SECONDS)) throw invalid('the request object was issued in the future');
  if (claims['response_type'] !== 'vp_token') throw unsupported('only response_type vp_token is supported');
  const mode = claims['response_mode'];
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt') throw unsupported('only response_mode direct_post and direct_post.jwt are supported');
  if (claims['redirect_uri'] !== undefined) throw invalid('a request with response_uri must not carry redirect_uri');
  const responseUri = contactableUrl(claims['response_uri'], transport.allowInsecureHttp);
  if (!responseUri) throw invalid('response_uri must be an https URL');
  const nonce = claims['nonce'];
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 512) throw invalid('the request object has no nonce');
  const state = claims['state'];
  if (state !== undefined && typeof state !== 'string') throw invalid('state must be a string');
  let query: DcqlQuery;
  try {
    query = readDcqlQuery(claims['dcql_query']);
  } catch (cause) {
    if (cause instanceof DcqlQueryError) throw new Oid4vpError(Oid4vpErrorCode.RequestInvalid, `the DCQL query cannot be read: ${cause.message}`, { cause });
    throw cause;
  }
  const encryption = mode === 'direct_post.jwt' ? encryptionOf(claims['client_metadata']) : undefined;
  const purpose = purposeOf(claims['verifier_info']);
  return {
    clientId: link.clientId,
    verifierDid: did,
    requestUri: link.requestUri,
    responseMode: mode,
    responseUri: responseUri.href,
    nonce,
    ...(state !== undefined ? { state } : {}),
    query,
    expiresAt: new Date(exp * 1000),
    ...(encryption ? { encryption } : {}),
    ...(purpose !== undefined ? { purpose } : {}),
    claims,
  };
}

/** The response key (the first EC P-256 key for ECDH-ES) and the strongest `enc` both sides speak (default A128GCM, 1.0 §8.3). */
function encryptionOf(metadata: unknown): { jwk: PublicJwk; enc: ResponseEncryption } {
  const jwks = isRecord(metadata) && isRecord(metadata['jwks']) ? metadata['jwks']['keys'] : undefined;
  const keys = Array.isArray(jwks) ? jwks.filter(isRecord) : [];
  const key = keys.find((k) => k['kty'] === 'EC' && k['crv'] === 'P-256' && typeof k['x'] === 'string' && typeof k['y'] === 'string' && (k['use'] === undefined || k['use'] === 'enc') && (k['alg'] === undefined || k['alg'] === 'ECDH-ES'));
  if (!key) throw unsupported('direct_post.jwt needs an EC P-256 ECDH-ES key in client_metadata.jwks');
  const offered = isRecord(metadata) ? metadata['encrypted_response_enc_values_supported'] : undefined;
  const encs = Array.isArray(offered) ? offered.filter((e): e is string => typeof e === 'string') : ['A128GCM'];
  const enc = (['A256GCM', 'A128GCM'] as const).find((e) => encs.includes(e) && e in RESPONSE_ENCRYPTIONS);
  if (!enc) throw unsupported('the verifier takes no content encryption this wallet speaks (A128GCM, A256GCM)');
  return { jwk: key as unknown as PublicJwk, enc };
}

/** @internal the error a fetch without answer becomes */
export function verifierNetworkError(cause: unknown): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.Network, 'no answer from the verifier', { cause });
}

function malformed(message: string): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.RequestMalformed, message);
}

function unsupported(message: string): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.RequestUnsupported, message);
}

function invalid(message: string): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.RequestInvalid, message);
}
