import { FormatError, presentSdJwt, signCompactJws, VCDM1_CONTEXT, type NormalisedCredential } from '@citycred/formats';
import type { HolderKey } from '../holder-key.js';
import { errorOfAnswer, isRecord, sendRequest, type WalletTransport } from '../oid4vci/http.js';
import type { DcqlCandidate, DcqlMatch } from './dcql.js';
import { Oid4vpError, Oid4vpErrorCode } from './errors.js';
import { encryptJwe } from './jwe.js';
import { verifierNetworkError, type PresentationRequest } from './request.js';

/** The citizen's choice: per credential query id, the ids of the held credentials to present for it. */
export type PresentationChoice = Readonly<Record<string, readonly string[]>>;

/** What the verifier answered a response with. */
export interface VerifierAnswer {
  /** Where the verifier asks the wallet to send the user next (same-device flows); absent for cross-device. */
  readonly redirectUri?: string;
}

/** The key binding every presentation carries: the request's nonce, the verifier's client id, now. */
export interface BindingContext {
  readonly holder: HolderKey;
  readonly nonce: string;
  readonly audience: string;
  readonly issuedAt: Date;
  /** The request's `transaction_data` entries (as sent) this presentation binds (SD-JWT VC only). */
  readonly transactionData?: readonly string[];
}

/**
 * Presents one credential to one verifier:
 * - an SD-JWT VC with only the chosen disclosures and a key-binding JWT (`typ: kb+jwt`, `nonce`, `aud`, `iat`,
 *   `sd_hash`) signed by the holder key, which must be the credential's `cnf` key;
 * - a JWT VC (VCDM 1.1) inside a JWT VP signed by the holder key: `{iss: <holder did>, aud, nonce, iat, vp}`; the
 *   credential's subject must be the holder.
 * @param encoded - the credential as issued
 * @param disclose - SD-JWT VC: the top-level claims to disclose (ignored for a JWT VC, which is shown whole)
 * @throws Oid4vpError `oid4vp.credential-not-presentable` (not this wallet's, or a format it cannot present)
 */
export async function presentCredential(decoded: NormalisedCredential, encoded: string, disclose: readonly string[], binding: BindingContext): Promise<string> {
  const { holder } = binding;
  if (decoded.format === 'dc+sd-jwt') {
    const jwk = decoded.holder.jwk;
    if (!jwk || jwk.kty !== holder.jwk.kty || jwk.crv !== holder.jwk.crv || jwk.x !== holder.jwk.x || jwk.y !== holder.jwk.y) throw notPresentable("the credential's cnf key is not this wallet's");
    try {
      const transactionData = binding.transactionData && binding.transactionData.length > 0 ? { transactionData: binding.transactionData } : {};
      return await presentSdJwt(encoded, { disclose, kb: { signer: holder.signer, nonce: binding.nonce, aud: binding.audience, iat: binding.issuedAt, ...transactionData } });
    } catch (cause) {
      if (cause instanceof FormatError) throw new Oid4vpError(Oid4vpErrorCode.CredentialNotPresentable, `the SD-JWT VC cannot be presented: ${cause.message}`, { cause });
      throw cause;
    }
  }
  if (decoded.format === 'jwt_vc') {
    if (binding.transactionData && binding.transactionData.length > 0) throw notPresentable('transaction data can be signed only with an SD-JWT VC');
    if (decoded.holder.id?.split('#')[0] !== holder.did) throw notPresentable("the credential's subject is not this wallet's DID");
    return jwtVp([encoded], binding);
  }
  throw notPresentable(`credentials in the ${decoded.format} format are not presented by this wallet`);
}

/**
 * A JWT VP (VCDM 1.1) over JWT VCs, signed by the holder key: header `{alg, typ: JWT, kid}`, claims
 * `{iss, aud, nonce, iat, vp: {@context, type, verifiableCredential}}`.
 */
export async function jwtVp(credentials: readonly string[], binding: BindingContext): Promise<string> {
  const { signer, did } = binding.holder;
  return signCompactJws(
    { alg: signer.alg, typ: 'JWT', kid: signer.kid },
    {
      iss: did,
      aud: binding.audience,
      nonce: binding.nonce,
      iat: Math.floor(binding.issuedAt.getTime() / 1000),
      vp: { '@context': [VCDM1_CONTEXT], type: ['VerifiablePresentation'], verifiableCredential: [...credentials] },
    },
    signer,
  );
}

/**
 * Builds the `vp_token` for the citizen's choice (OpenID4VP 1.0 §8.1): an object keyed by credential query id, each
 * value an array of presentations bound to the request's nonce and `client_id`.
 * @param match - the DCQL match the consent screen showed ({@link matchDcqlQuery})
 * @param choice - per query id, the credential ids chosen among its candidates
 * @throws Oid4vpError `oid4vp.selection-invalid` (a credential that is not a candidate of its query, several for a
 *   query without `multiple`, a required query left out, an unknown query id), `oid4vp.credential-not-presentable`
 */
export async function buildVpToken(request: PresentationRequest, match: DcqlMatch, choice: PresentationChoice, holder: HolderKey, now: Date): Promise<Record<string, string[]>> {
  const byId = new Map(match.queries.map((q) => [q.query.id, q]));
  for (const id of Object.keys(choice)) if (!byId.has(id)) throw selectionInvalid(`the request has no credential query ${id}`);
  for (const id of match.required) if ((choice[id]?.length ?? 0) === 0) throw selectionInvalid(`the credential query ${id} must be answered`);
  const binding: BindingContext = { holder, nonce: request.nonce, audience: request.clientId, issuedAt: now };
  const token: Record<string, string[]> = {};
  for (const [id, chosen] of Object.entries(choice)) {
    if (chosen.length === 0) continue;
    const queryMatch = byId.get(id)!;
    if (chosen.length > 1 && queryMatch.query.multiple !== true) throw selectionInvalid(`the credential query ${id} takes one credential`);
    if (new Set(chosen).size !== chosen.length) throw selectionInvalid(`a credential is chosen twice for ${id}`);
    const presentations: string[] = [];
    for (const credentialId of chosen) {
      const candidate: DcqlCandidate | undefined = queryMatch.candidates.find((c) => c.credential.id === credentialId);
      if (!candidate) throw selectionInvalid(`the credential ${credentialId} does not answer ${id}`);
      const transactionData = (request.transactionData ?? []).filter((entry) => entry.credentialIds.includes(id)).map((entry) => entry.encoded);
      presentations.push(await presentCredential(candidate.decoded, candidate.credential.encoded, candidate.disclose, transactionData.length > 0 ? { ...binding, transactionData } : binding));
    }
    token[id] = presentations;
  }
  return token;
}

/**
 * Posts the response to the verifier's `response_uri` as the request asked: `direct_post` — a form with `vp_token`
 * (JSON text) and `state`; `direct_post.jwt` — a form with one `response`, the same parameters (`vp_token` as a JSON
 * object) encrypted to the request's key ({@link encryptJwe}).
 * @returns the verifier's answer
 * @throws Oid4vpError `oid4vp.verifier-refused` (200 with `error`: the verifier took the presentation and refused the
 *   citizen, its reason in `description` and `descriptions`), `oid4vp.response-refused` (400 and an OAuth error: a
 *   replay, not bound, already answered),
 *   `oid4vp.request-closed` (404, 410), `oid4vp.verifier-unavailable`, `oid4vp.verifier-error`, `oid4vp.network`
 */
export async function postResponse(request: PresentationRequest, parameters: { readonly vp_token: Record<string, string[]> } | { readonly error: string; readonly error_description?: string }, transport: WalletTransport): Promise<VerifierAnswer> {
  const withState = { ...parameters, ...(request.state !== undefined ? { state: request.state } : {}) };
  let form: URLSearchParams;
  if (request.responseMode === 'direct_post.jwt' && 'vp_token' in parameters) {
    form = new URLSearchParams({ response: await encryptJwe(withState, request.encryption!.jwk, request.encryption!.enc) });
  } else {
    // A plain error is allowed even where an encrypted response was asked (OpenID4VP 1.0 §8.3.1).
    form = new URLSearchParams(Object.entries(withState).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
  }
  const answer = await sendRequest(
    transport.fetch,
    request.responseUri,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() },
    verifierNetworkError,
  );
  const { error, description } = errorOfAnswer(answer);
  const details = { status: answer.status, ...(error !== undefined ? { oauthError: error } : {}), ...(description !== undefined ? { description } : {}) };
  if (answer.status === 200) {
    // A processed response is answered 200 (OpenID4VP 1.0 §8.2); an `error` in it is the verifier refusing the citizen.
    if (error !== undefined) throw new Oid4vpError(Oid4vpErrorCode.VerifierRefused, `the verifier refused: ${error}`, { ...details, descriptions: descriptionsOf(answer.json) });
    const redirect = isRecord(answer.json) ? answer.json['redirect_uri'] : undefined;
    return typeof redirect === 'string' ? { redirectUri: redirect } : {};
  }
  if (answer.status === 404 || answer.status === 410) throw new Oid4vpError(Oid4vpErrorCode.RequestClosed, 'the verifier no longer takes responses to this request', details);
  if (answer.status === 429 || answer.status >= 500) throw new Oid4vpError(Oid4vpErrorCode.VerifierUnavailable, `the response URI answered ${answer.status}`, details);
  if (answer.status === 400 && error !== undefined) throw new Oid4vpError(Oid4vpErrorCode.ResponseRefused, `the verifier refused the response: ${error}`, details);
  throw new Oid4vpError(Oid4vpErrorCode.VerifierError, `the response URI answered ${answer.status}`, details);
}

/** The language-tagged `error_description#<tag>` members of an answer (RFC 7591 §2.2 style), by tag. */
function descriptionsOf(body: unknown): Record<string, string> {
  if (!isRecord(body)) return {};
  const found: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const tag = /^error_description#([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)$/.exec(name)?.[1];
    if (tag !== undefined && typeof value === 'string') found[tag.toLowerCase()] = value;
  }
  return found;
}

function selectionInvalid(message: string): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.SelectionInvalid, message);
}

function notPresentable(message: string): Oid4vpError {
  return new Oid4vpError(Oid4vpErrorCode.CredentialNotPresentable, message);
}
