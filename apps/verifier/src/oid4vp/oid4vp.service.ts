import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { requireCredentialPolicy } from '../presentations/policy-choice.js';
import { presentationHashOf } from '../programs/decision-receipts.js';
import type { PolicyDecisions } from '../programs/policy-decisions.js';
import { decodeCompactJws, encodeTransactionData, readTransactionData, splitSdJwt, transactionDataBindingProblem, type TransactionData } from '@citycred/formats';
import { SignJWT } from 'jose';
import QRCode from 'qrcode';
import { shownCredentials, type CredentialPolicy, type LocalisedText, type PolicyDecision, type PolicyRegistry, type PresentedCredential, type ShownCredential } from '../policies/index.js';
import type { ChallengeStore } from '../presentations/challenge-store.js';
import type { PresentationResult, PresentationVerifier } from '../presentations/presentation-verifier.js';
import type { Check, VerificationResult } from '../verification/result.js';
import { CITY_POLICY } from '../verification/verification-policy.js';
import { dcqlQueryOf, type DcqlQuery } from './dcql.js';
import { Oid4vpResponseError } from './oauth-error.js';
import type { PresentationRequestEntity, PresentationRequestState, ResponseMode } from './presentation-request.entity.js';
import type { PresentationRequestStore } from './presentation-request-store.js';
import type { RequestSigningKey } from './request-signing-key.js';
import { decryptResponse, newResponseEncryptionKey, publicResponseJwkOf, RESPONSE_ENCRYPTION_ENCS } from './response-encryption.js';
import { verifierInfoOf } from './verifier-info.js';
import { readVpToken, readVpTokenObject, type VpTokenReading } from './vp-token.js';

/** The `aud` of a request object for a wallet found by static discovery (OpenID4VP 1.0 §5.8). */
export const SELF_ISSUED_AUDIENCE = 'https://self-issued.me/v2';

/** The media type of a signed request object (RFC 9101 §4) and its `typ`. */
export const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';

/** What the verifier signs presentations' credentials with: ES256K (the city's tenants) and ES256; holders' keys likewise. */
const VP_FORMATS_SUPPORTED = Object.freeze({
  'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256K', 'ES256'], 'kb-jwt_alg_values': ['ES256', 'ES256K'] },
  jwt_vc_json: { alg_values: ['ES256K', 'ES256'] },
});

/** Requests are deleted this long after they expired (their outcome stays readable for a day). */
const RETENTION_MS = 24 * 3600 * 1000;
/** Expired requests are deleted once every this many requests made (no scheduler needed). */
const PURGE_EVERY = 256;

/** What `POST /presentation-requests` asks for. */
export interface NewPresentationRequestInput {
  /** A credential policy of the registry (`age-over-19`, or `age-over-19@1` for one version). */
  policy: string;
  /** The client's own label, returned with the state. */
  purpose?: string | undefined;
  /** How the wallet must answer; `direct_post` when not given. */
  responseMode?: ResponseMode | undefined;
  /**
   * OpenID4VP 1.0 `transaction_data` (§5.1): what the holder signs besides presenting (a document signature,
   * docs/e-signature.md). Each object's `credential_ids` must name credential queries of the policy's DCQL query (the
   * catalogue type, e.g. `SeoulCitizenCard`), which must be SD-JWT VCs: their KB-JWTs then must carry
   * `transaction_data_hashes` covering it, or the response fails.
   */
  transactionData?: readonly TransactionData[] | undefined;
}

/** What `POST /presentation-requests` answers. */
export interface CreatedPresentationRequest {
  /** The creator's handle, to read the state with: it is in none of the URIs below. */
  id: string;
  /** Where the wallet fetches the signed request object (`request_uri`), under the wallet handle. */
  requestUri: string;
  /** `openid4vp://?client_id=…&request_uri=…`, to show as a QR code or open on the same device. */
  deepLink: string;
  /** The deep link as an SVG QR code. */
  qrSvg: string;
  expiresAt: string;
  responseMode: ResponseMode;
}

/**
 * The outcome of a response, stored on the request: no disclosed claims, only what the decision needs — and what the
 * policy shows (`CredentialPolicy.shows`: the work history's employer, role, period, hours and attendance root).
 */
export interface PresentationRequestResult {
  /** True when every presentation verified and the policy is satisfied. */
  verified: boolean;
  /** The credential policy's decision over every credential that verified; absent when a presentation did not hold. */
  decision?: PolicyDecision;
  /** The decision's signed receipt (docs/youth-allowance.md#decision-receipts), with the decision. */
  receipt?: string;
  /** What the policy shows of the credentials, with the decision; absent for a policy that shows nothing. */
  shown?: ShownCredential[];
  errors: string[];
  /** One entry per presentation, in the order of the DCQL query, then of the wallet's array. */
  presentations: Array<{
    credentialQueryId: string;
    verified: boolean;
    holder?: string;
    checks: Check[];
    errors: string[];
    warnings: string[];
    credentials: Array<{
      verified: boolean;
      checks: Check[];
      errors: string[];
      warnings: string[];
      credential?: { format: string; type: string; issuer: string; hash: string; issuedAt: string; validUntil: string | null };
    }>;
  }>;
  /** When the wallet answered with an error instead of presentations (e.g. `access_denied`: the holder declined). */
  walletError?: { error: string; description?: string };
}

/** What `GET /presentation-requests/{id}` answers. */
export interface PresentationRequestStatus {
  id: string;
  state: PresentationRequestState;
  policy: { id: string; version: string };
  purpose?: string;
  expiresAt: string;
  result?: PresentationRequestResult;
}

/** What the OpenID4VP context takes from the rest of the verifier. */
export interface Oid4vpDependencies {
  requests: PresentationRequestStore;
  /** Hands out the nonces: they are challenges of the presentations context, single use there. */
  challenges: Pick<ChallengeStore, 'issue'>;
  policies: PolicyRegistry;
  /**
   * A presentation verifier for the presentations of one response, which share the request's nonce
   * (`ResponseChallenges`): called once per response.
   */
  presentationsForResponse(): Pick<PresentationVerifier, 'verify'>;
  /** Where decisions are made, recorded (a program's participations) and receipted; without it, evaluated here. */
  decisions?: Pick<PolicyDecisions, 'decide'>;
  signingKey: RequestSigningKey;
  clock: Clock;
  /**
   * Told of the verified credentials — with what they disclosed, which the request's outcome never keeps — of a
   * request about to be settled `fulfilled`: the sign-in (docs/oidc-provider.md) derives its account and claims from
   * them. A throw leaves the request pending.
   */
  onFulfilled?(request: { id: string; policyId: string }, credentials: readonly PresentedCredential[], presentations: readonly FulfilledPresentation[]): Promise<void>;
  /**
   * Why the context refused a request it just settled — a presentation that verified but failed the policy (under 19,
   * not a resident, a suspended card) or that the context turned down after `onFulfilled` (a petition already signed
   * or closed) — in words for the citizen; undefined when it did not refuse. Given, the wallet is told so in the
   * response endpoint's answer ({@link WalletAnswer}); without it, the answer is `{}` whatever the outcome.
   */
  refusal?(request: { id: string; policyId: string }, outcome: PresentationRequestResult): Promise<LocalisedText | undefined>;
}

/** What the response endpoint tells the wallet of a response it processed: the context's refusal, if any. */
export interface WalletAnswer {
  refusal?: LocalisedText;
}

/** A presentation of a fulfilled request as the wallet sent it, for {@link Oid4vpDependencies.onFulfilled}. */
export interface FulfilledPresentation {
  /** The DCQL credential query it answers. */
  credentialQueryId: string;
  /** As sent: an SD-JWT VC with its KB-JWT (`<jwt>~<disclosures>~<kb-jwt>`), or a JWT VP. */
  presentation: unknown;
  /** The holder (a did:jwk for an SD-JWT's `cnf` key). */
  holder?: string;
}

/**
 * OpenID for Verifiable Presentations 1.0 on the verifier (docs/oid4vp.md): presentation requests made from a
 * credential policy, signed request objects by reference, `direct_post` and `direct_post.jwt` responses verified and
 * decided, and their state kept in the database. The wallet reaches a request by its wallet handle, the creator by
 * its id: neither opens the other's side.
 */
export class Oid4vpService {
  private made = 0;

  constructor(private readonly deps: Oid4vpDependencies) {}

  /** The verifier's `client_id` (`decentralized_identifier:did:jwk:…`). */
  get clientId(): string {
    return this.deps.signingKey.clientId;
  }

  /**
   * Makes a presentation request for a credential policy. The request and response URIs are under a wallet handle of
   * their own, so the QR code does not carry the id the state is read with.
   * @param request - the policy, the client's label, the response mode
   * @param baseUrl - the verifier's public URL (no trailing slash): request and response URIs are under it
   * @throws AppError `verification.unknown-policy` for a name that is no credential policy
   */
  async create(request: NewPresentationRequestInput, baseUrl: string): Promise<CreatedPresentationRequest> {
    const policy = this.credentialPolicy(request.policy);
    const dcql = dcqlQueryOf(policy);
    const transactionData = request.transactionData?.length ? encodedTransactionData(request.transactionData, dcql) : null;
    const id = randomUUID();
    const walletHandle = randomBytes(32).toString('base64url');
    const responseMode = request.responseMode ?? 'direct_post';
    const { challenge: nonce, expiresAt } = await this.deps.challenges.issue();
    const requestUri = `${baseUrl}/presentation-requests/${walletHandle}/request`;
    await this.deps.requests.create({
      id,
      walletHandle,
      responseMode,
      responseKey: responseMode === 'direct_post.jwt' ? await newResponseEncryptionKey() : null,
      policyId: policy.id,
      policyVersion: policy.version,
      purpose: request.purpose ?? null,
      nonce,
      oauthState: randomBytes(16).toString('base64url'),
      responseUri: `${baseUrl}/presentation-requests/${walletHandle}/response`,
      dcqlQuery: JSON.stringify(dcql),
      transactionData: transactionData === null ? null : JSON.stringify(transactionData),
      createdAt: this.deps.clock.now().toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    this.made += 1;
    if (this.made % PURGE_EVERY === 0) await this.deps.requests.deleteExpiredBefore(new Date(this.deps.clock.now().getTime() - RETENTION_MS).toISOString());
    const deepLink = `openid4vp://?${new URLSearchParams({ client_id: this.clientId, request_uri: requestUri }).toString()}`;
    const qrSvg = await QRCode.toString(deepLink, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { id, requestUri, deepLink, qrSvg, expiresAt: expiresAt.toISOString(), responseMode };
  }

  /**
   * The signed request object (JAR, RFC 9101) of a pending request, signed now. For `direct_post.jwt` its
   * `client_metadata` carries the request's own encryption key (`jwks`) and the `enc` values the verifier decrypts.
   * A request made with a `purpose` states it in `verifier_info` ({@link verifierInfoOf}), for the wallet's consent screen.
   * @param walletHandle - the handle of the request URI
   * @throws AppError `oid4vp.request-not-found` (no such request), `oid4vp.request-closed` (answered or expired)
   */
  async requestObject(walletHandle: string): Promise<string> {
    const row = await this.pending(walletHandle);
    const { signingKey, clock } = this.deps;
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({
      client_id: signingKey.clientId,
      response_type: 'vp_token',
      response_mode: row.responseMode,
      response_uri: row.responseUri,
      nonce: row.nonce,
      state: row.oauthState,
      dcql_query: JSON.parse(row.dcqlQuery) as DcqlQuery,
      ...(row.transactionData === null ? {} : { transaction_data: JSON.parse(row.transactionData) as string[] }),
      client_metadata: clientMetadataOf(row),
      ...verifierInfoOf(row.purpose),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: signingKey.kid })
      .setIssuer(signingKey.clientId)
      .setAudience(SELF_ISSUED_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(Math.floor(new Date(row.expiresAt).getTime() / 1000))
      .sign(signingKey.privateKey);
  }

  /**
   * Takes a wallet's response: for `direct_post`, the form's `vp_token` and `state` (or `error`); for
   * `direct_post.jwt`, the same parameters decrypted from its `response` (a wallet that cannot encrypt may still
   * send a plain `error`). Verifies every presentation against the request's nonce and `client_id`, decides with
   * the request's policy and settles the request — `fulfilled` or `failed`. A response none of whose presentations
   * is bound to this request's nonce leaves it pending.
   * @param walletHandle - the handle of the response URI
   * @param form - the form parameters as parsed
   * @throws AppError `oid4vp.request-not-found`; Oid4vpResponseError `invalid_request` for a response that is not one
   *   to this pending request (malformed, not encrypted as asked, wrong state, not bound to its nonce, already
   *   answered, expired)
   * @returns the context's refusal of a request it settled (see {@link Oid4vpDependencies.refusal}), else `{}`
   */
  async respond(walletHandle: string, form: Readonly<Record<string, unknown>>): Promise<WalletAnswer> {
    const row = await this.deps.requests.findByWalletHandle(walletHandle);
    if (row === null) throw notFound('handle');
    if (row.state === 'expired') throw new Oid4vpResponseError('invalid_request', 'the presentation request has expired');
    if (row.state !== 'pending') throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered');
    const params = await this.responseParameters(row, form);
    if (typeof params['state'] !== 'string' || params['state'] !== row.oauthState) throw new Oid4vpResponseError('invalid_request', 'state is missing or is not the request’s');
    if (params['error'] !== undefined) {
      await this.walletDeclined(row, params);
      return {};
    }

    const query = JSON.parse(row.dcqlQuery) as DcqlQuery;
    const token: VpTokenReading = params === form || typeof params['vp_token'] === 'string' ? readVpToken(params['vp_token'], query) : readVpTokenObject(params['vp_token'], query);
    if (!token.ok) throw new Oid4vpResponseError('invalid_request', token.description);
    const policy = this.deps.policies.get(row.policyId, row.policyVersion);
    if (!policy) throw new AppError(ErrorCode.Internal, `the policy ${row.policyId}@${row.policyVersion} of a pending request is no longer registered`);

    const verifier = this.deps.presentationsForResponse();
    const results: Array<{ queryId: string; result: PresentationResult }> = [];
    const entries = row.transactionData === null ? [] : (JSON.parse(row.transactionData) as string[]);
    for (const { queryId, presentation } of token.presentations) {
      const result = await verifier.verify(presentation, { policy: CITY_POLICY, challenge: row.nonce, domain: this.clientId });
      results.push({ queryId, result });
    }
    const binding = (result: PresentationResult) => result.checks.find((check) => check.id === 'holder-binding');
    if (!results.some(({ result }) => binding(result)?.status === 'passed')) {
      const detail = binding(results[0]!.result)?.detail ?? 'the presentation could not be read';
      throw new Oid4vpResponseError('invalid_request', `no presentation is bound to this request: ${detail}`);
    }
    // A presentation bound to the nonce but not to the transaction data fails the request (the holder signed other data).
    results.forEach((entry, index) => (entry.result = withTransactionData(entry.result, token.presentations[index]!.presentation, entriesFor(entries, entry.queryId))));
    const outcome = await this.decide(policy, results, presentationHashOf(params['vp_token']));
    if (outcome.verified && this.deps.onFulfilled) {
      const sent = token.presentations.map(({ queryId, presentation }, index) => {
        const holder = results[index]!.result.holder;
        return { credentialQueryId: queryId, presentation, ...(holder === undefined ? {} : { holder }) };
      });
      await this.deps.onFulfilled({ id: row.id, policyId: row.policyId }, presentedOf(results), sent);
    }
    if (!(await this.deps.requests.settle(row.id, outcome.verified ? 'fulfilled' : 'failed', outcome))) {
      throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered or has expired');
    }
    const refusal = await this.deps.refusal?.({ id: row.id, policyId: row.policyId }, outcome);
    return refusal === undefined ? {} : { refusal };
  }

  /**
   * The request's state, and its outcome once settled.
   * @throws AppError `oid4vp.request-not-found`
   */
  async status(id: string): Promise<PresentationRequestStatus> {
    const row = await this.deps.requests.find(id);
    if (row === null) throw notFound('id');
    return statusOf(row);
  }

  /**
   * The request's states as they change, read from the database every `pollMs` (so a response taken by another
   * verifier process shows): the current one first, then each change; ends after a final state, when `signal` aborts,
   * or after `maxMs` of real time.
   * @throws AppError `oid4vp.request-not-found` (from the first read)
   */
  async *states(id: string, options: { pollMs: number; maxMs: number; signal: AbortSignal }): AsyncGenerator<PresentationRequestStatus> {
    const started = performance.now();
    let last: PresentationRequestState | undefined;
    while (!options.signal.aborted) {
      const status = await this.status(id);
      if (status.state !== last) {
        last = status.state;
        yield status;
      }
      if (status.state !== 'pending' || performance.now() - started >= options.maxMs) return;
      await delay(options.pollMs, options.signal);
    }
  }

  /**
   * The response parameters as the request's response mode carries them: the form itself for `direct_post`; the
   * decrypted `response` for `direct_post.jwt`, or a plain form with `error` only (OpenID4VP 1.0 §8.3.1 lets a wallet
   * that cannot encrypt answer an error so).
   */
  private async responseParameters(row: PresentationRequestEntity, form: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>> {
    const encrypted = form['response'];
    if (row.responseMode !== 'direct_post.jwt') {
      if (encrypted !== undefined) throw new Oid4vpResponseError('invalid_request', 'this request asked for response_mode direct_post: send vp_token and state, not an encrypted response');
      return form;
    }
    if (encrypted === undefined) {
      if (form['error'] !== undefined && form['vp_token'] === undefined) return form;
      throw new Oid4vpResponseError('invalid_request', 'this request asked for response_mode direct_post.jwt: send the response parameters encrypted, as response=<JWE>');
    }
    // The key goes only when the request is settled or expired, which the caller has ruled out.
    if (row.responseKey === null) throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered or has expired');
    const decrypted = await decryptResponse(encrypted, row.responseKey);
    if (!decrypted.ok) throw new Oid4vpResponseError('invalid_request', decrypted.description);
    return decrypted.parameters;
  }

  private async walletDeclined(row: PresentationRequestEntity, form: Readonly<Record<string, unknown>>): Promise<void> {
    const error = form['error'];
    const description = form['error_description'];
    if (typeof error !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(error) || (description !== undefined && typeof description !== 'string')) {
      throw new Oid4vpResponseError('invalid_request', 'error must be one OAuth error code');
    }
    const result: PresentationRequestResult = {
      verified: false,
      errors: [`the wallet answered ${error}`],
      presentations: [],
      walletError: { error, ...(typeof description === 'string' ? { description: description.slice(0, 300) } : {}) },
    };
    if (!(await this.deps.requests.settle(row.id, 'failed', result))) throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered or has expired');
  }

  /** The outcome of the verified presentations: each must hold and answer its query's type, and the policy decide. */
  private async decide(policy: CredentialPolicy, results: ReadonlyArray<{ queryId: string; result: PresentationResult }>, presentationHash: string): Promise<PresentationRequestResult> {
    const errors: string[] = [];
    const presentations = results.map(({ queryId, result }, index) => {
      const label = `presentation ${index + 1} (${queryId})`;
      errors.push(...result.errors.map((error) => `${label}: ${error}`));
      const wrongType = result.credentials.find((c) => c.credential !== undefined && c.credential.type !== queryId);
      if (wrongType) errors.push(`${label}: it presents a ${wrongType.credential!.type}, not the ${queryId} asked for`);
      return {
        credentialQueryId: queryId,
        verified: result.verified && wrongType === undefined,
        ...(result.holder === undefined ? {} : { holder: result.holder }),
        checks: result.checks,
        errors: result.errors,
        warnings: result.warnings,
        credentials: result.credentials.map(withoutClaims),
      };
    });
    const holds = presentations.every((presentation) => presentation.verified);
    if (!holds) return { verified: false, errors, presentations };
    const presented = presentedOf(results);
    const { decision, receipt } = this.deps.decisions
      ? await this.deps.decisions.decide(policy, presented, presentationHash)
      : { decision: policy.evaluate(presented, this.deps.clock.now()), receipt: undefined };
    for (const criterion of decision.criteria) if (criterion.result === 'failed') errors.push(`policy ${decision.policy.id}: ${criterion.id}: ${criterion.reason.en}`);
    const shown = policy.shows ? shownCredentials(policy, presented) : undefined;
    return { verified: decision.satisfied, decision, ...(receipt ? { receipt } : {}), ...(shown ? { shown } : {}), errors, presentations };
  }

  private credentialPolicy(name: string): CredentialPolicy {
    return requireCredentialPolicy(name, this.deps.policies, 'age-over-19@1');
  }

  private async pending(walletHandle: string): Promise<PresentationRequestEntity> {
    const row = await this.deps.requests.findByWalletHandle(walletHandle);
    if (row === null) throw notFound('handle');
    if (row.state !== 'pending') throw new AppError(ErrorCode.Oid4vpRequestClosed, `The presentation request is ${row.state}: make a new one.`);
    return row;
  }
}

/**
 * The request's `transaction_data` entries, encoded (base64url JSON, OpenID4VP 1.0 §5.1), each checked to name only
 * SD-JWT VC credential queries of the request.
 * @throws AppError `request.invalid` for an entry that names another query, or a JWT VC query (no KB-JWT to bind it)
 */
function encodedTransactionData(data: readonly TransactionData[], dcql: DcqlQuery): string[] {
  return data.map((entry) => {
    for (const id of entry.credential_ids) {
      const query = dcql.credentials.find((q) => q.id === id);
      if (query === undefined || query.format !== 'dc+sd-jwt') throw new AppError(ErrorCode.RequestInvalid, `transaction data may name only SD-JWT VC credential queries of the request, not ${id}`);
    }
    return encodeTransactionData(entry);
  });
}

/** The entries (as sent) whose `credential_ids` name this credential query. */
function entriesFor(entries: readonly string[], queryId: string): string[] {
  return entries.filter((entry) => {
    const read = readTransactionData(entry);
    return read.ok && read.value.credential_ids.includes(queryId);
  });
}

/**
 * The presentation's result with its binding to the request's transaction data judged (OpenID4VP 1.0 Appendix
 * B.3.3): the KB-JWT, whose signature held, must carry `transaction_data_hashes` covering every entry meant for its
 * query — else the `holder-binding` check fails (the holder did not sign what this request asks to be signed).
 */
function withTransactionData(result: PresentationResult, presentation: unknown, entries: readonly string[]): PresentationResult {
  if (entries.length === 0) return result;
  const binding = result.checks.find((check) => check.id === 'holder-binding');
  if (binding?.status !== 'passed') return result;
  let problem: string | undefined;
  try {
    const kbJwt = typeof presentation === 'string' ? splitSdJwt(presentation).kbJwt : undefined;
    problem = kbJwt ? transactionDataBindingProblem(decodeCompactJws(kbJwt).payload, entries) : 'transaction data can be signed only with an SD-JWT VC key-binding JWT';
  } catch {
    problem = 'the key-binding JWT could not be read for its transaction_data_hashes';
  }
  const checks = result.checks.map((check): Check => {
    if (check !== binding) return check;
    return problem === undefined ? { ...check, detail: `${check.detail}; it signs the request's transaction data (transaction_data_hashes)` } : { ...check, status: 'failed', detail: problem };
  });
  if (problem === undefined) return { ...result, checks };
  return { ...result, verified: false, checks, errors: [...result.errors, `holder-binding: ${problem}`] };
}

/** The credentials of verified presentations as policies see them, claims included. */
function presentedOf(results: ReadonlyArray<{ result: PresentationResult }>): PresentedCredential[] {
  return results.flatMap(({ result }) => result.credentials.flatMap((c): PresentedCredential[] => (c.credential ? [{ ...c.credential }] : [])));
}

/** The verifier's metadata in a request object: for `direct_post.jwt`, also the request's encryption key. */
function clientMetadataOf(row: PresentationRequestEntity): Record<string, unknown> {
  if (row.responseMode !== 'direct_post.jwt' || row.responseKey === null) return { vp_formats_supported: VP_FORMATS_SUPPORTED };
  return {
    vp_formats_supported: VP_FORMATS_SUPPORTED,
    jwks: { keys: [publicResponseJwkOf(row.responseKey)] },
    encrypted_response_enc_values_supported: RESPONSE_ENCRYPTION_ENCS,
  };
}

function statusOf(row: PresentationRequestEntity): PresentationRequestStatus {
  return {
    id: row.id,
    state: row.state,
    policy: { id: row.policyId, version: row.policyVersion },
    ...(row.purpose === null ? {} : { purpose: row.purpose }),
    expiresAt: row.expiresAt,
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as PresentationRequestResult }),
  };
}

/** A credential's result without what it disclosed: the request's outcome keeps no personal data. */
function withoutClaims(result: VerificationResult): PresentationRequestResult['presentations'][number]['credentials'][number] {
  const { verified, checks, errors, warnings, credential } = result;
  if (!verified || !credential) return { verified, checks, errors, warnings };
  const { format, type, issuer, hash, issuedAt, validUntil } = credential;
  return { verified, checks, errors, warnings, credential: { format, type, issuer, hash, issuedAt: issuedAt.toISOString(), validUntil: validUntil?.toISOString() ?? null } };
}

/** The 404 of a creator's id (`'id'`) or a wallet's handle (`'handle'`) that names no request. */
function notFound(by: 'id' | 'handle'): AppError {
  return new AppError(ErrorCode.Oid4vpRequestNotFound, `No presentation request with this ${by}.`);
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
