import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { SignJWT } from 'jose';
import QRCode from 'qrcode';
import type { CredentialPolicy, PolicyDecision, PolicyRegistry, PresentedCredential } from '../policies/index.js';
import type { ChallengeStore } from '../presentations/challenge-store.js';
import type { PresentationResult, PresentationVerifier } from '../presentations/presentation-verifier.js';
import type { Check, VerificationResult } from '../verification/result.js';
import { CITY_POLICY } from '../verification/verification-policy.js';
import { dcqlQueryOf, type DcqlQuery } from './dcql.js';
import { Oid4vpResponseError } from './oauth-error.js';
import type { PresentationRequestEntity, PresentationRequestState } from './presentation-request.entity.js';
import type { PresentationRequestStore } from './presentation-request-store.js';
import type { RequestSigningKey } from './request-signing-key.js';
import { readVpToken } from './vp-token.js';

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

/** What `POST /presentation-requests` answers. */
export interface CreatedPresentationRequest {
  id: string;
  /** Where the wallet fetches the signed request object (`request_uri`). */
  requestUri: string;
  /** `openid4vp://?client_id=…&request_uri=…`, to show as a QR code or open on the same device. */
  deepLink: string;
  /** The deep link as an SVG QR code. */
  qrSvg: string;
  expiresAt: string;
}

/** The outcome of a response, stored on the request: no disclosed claims, only what the decision needs. */
export interface PresentationRequestResult {
  /** True when every presentation verified and the policy is satisfied. */
  verified: boolean;
  /** The credential policy's decision over every credential that verified; absent when a presentation did not hold. */
  decision?: PolicyDecision;
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
  signingKey: RequestSigningKey;
  clock: Clock;
}

/**
 * OpenID for Verifiable Presentations 1.0 on the verifier (docs/oid4vp.md): presentation requests made from a
 * credential policy, signed request objects by reference, `direct_post` responses verified and decided, and their
 * state kept in the database.
 */
export class Oid4vpService {
  private made = 0;

  constructor(private readonly deps: Oid4vpDependencies) {}

  /** The verifier's `client_id` (`decentralized_identifier:did:jwk:…`). */
  get clientId(): string {
    return this.deps.signingKey.clientId;
  }

  /**
   * Makes a presentation request for a credential policy.
   * @param policyName - a credential policy of the registry (`age-over-19`, or `age-over-19@1` for one version)
   * @param purpose - the client's own label, returned with the state
   * @param baseUrl - the verifier's public URL (no trailing slash): request and response URIs are under it
   * @throws AppError `verification.unknown-policy` for a name that is no credential policy
   */
  async create(policyName: string, purpose: string | undefined, baseUrl: string): Promise<CreatedPresentationRequest> {
    const policy = this.credentialPolicy(policyName);
    const dcql = dcqlQueryOf(policy);
    const id = randomUUID();
    const { challenge: nonce, expiresAt } = await this.deps.challenges.issue();
    const requestUri = `${baseUrl}/presentation-requests/${id}/request`;
    await this.deps.requests.create({
      id,
      policyId: policy.id,
      policyVersion: policy.version,
      purpose: purpose ?? null,
      nonce,
      oauthState: randomBytes(16).toString('base64url'),
      responseUri: `${baseUrl}/presentation-requests/${id}/response`,
      dcqlQuery: JSON.stringify(dcql),
      createdAt: this.deps.clock.now().toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    this.made += 1;
    if (this.made % PURGE_EVERY === 0) await this.deps.requests.deleteExpiredBefore(new Date(this.deps.clock.now().getTime() - RETENTION_MS).toISOString());
    const deepLink = `openid4vp://?${new URLSearchParams({ client_id: this.clientId, request_uri: requestUri }).toString()}`;
    const qrSvg = await QRCode.toString(deepLink, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { id, requestUri, deepLink, qrSvg, expiresAt: expiresAt.toISOString() };
  }

  /**
   * The signed request object (JAR, RFC 9101) of a pending request, signed now.
   * @throws AppError `oid4vp.request-not-found` (no such request), `oid4vp.request-closed` (answered or expired)
   */
  async requestObject(id: string): Promise<string> {
    const row = await this.pending(id);
    const { signingKey, clock } = this.deps;
    const now = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({
      client_id: signingKey.clientId,
      response_type: 'vp_token',
      response_mode: 'direct_post',
      response_uri: row.responseUri,
      nonce: row.nonce,
      state: row.oauthState,
      dcql_query: JSON.parse(row.dcqlQuery) as DcqlQuery,
      client_metadata: { vp_formats_supported: VP_FORMATS_SUPPORTED },
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: signingKey.kid })
      .setIssuer(signingKey.clientId)
      .setAudience(SELF_ISSUED_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(Math.floor(new Date(row.expiresAt).getTime() / 1000))
      .sign(signingKey.privateKey);
  }

  /**
   * Takes a wallet's `direct_post` response (`vp_token` and `state`, or `error`): verifies every presentation against
   * the request's nonce and `client_id`, decides with the request's policy and settles the request — `fulfilled` or
   * `failed`. A response none of whose presentations is bound to this request's nonce leaves it pending.
   * @param form - the form parameters as parsed
   * @throws AppError `oid4vp.request-not-found`; Oid4vpResponseError `invalid_request` for a response that is not one
   *   to this pending request (malformed, wrong state, not bound to its nonce, already answered, expired)
   */
  async respond(id: string, form: Readonly<Record<string, unknown>>): Promise<void> {
    const row = await this.deps.requests.find(id);
    if (row === null) throw notFound();
    if (row.state === 'expired') throw new Oid4vpResponseError('invalid_request', 'the presentation request has expired');
    if (row.state !== 'pending') throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered');
    if (typeof form['state'] !== 'string' || form['state'] !== row.oauthState) throw new Oid4vpResponseError('invalid_request', 'state is missing or is not the request’s');
    if (form['error'] !== undefined) return this.walletDeclined(row, form);

    const query = JSON.parse(row.dcqlQuery) as DcqlQuery;
    const token = readVpToken(form['vp_token'], query);
    if (!token.ok) throw new Oid4vpResponseError('invalid_request', token.description);
    const policy = this.deps.policies.get(row.policyId, row.policyVersion);
    if (!policy) throw new AppError(ErrorCode.Internal, `the policy ${row.policyId}@${row.policyVersion} of a pending request is no longer registered`);

    const verifier = this.deps.presentationsForResponse();
    const results: Array<{ queryId: string; result: PresentationResult }> = [];
    for (const { queryId, presentation } of token.presentations) {
      results.push({ queryId, result: await verifier.verify(presentation, { policy: CITY_POLICY, challenge: row.nonce, domain: this.clientId }) });
    }
    const binding = (result: PresentationResult) => result.checks.find((check) => check.id === 'holder-binding');
    if (!results.some(({ result }) => binding(result)?.status === 'passed')) {
      const detail = binding(results[0]!.result)?.detail ?? 'the presentation could not be read';
      throw new Oid4vpResponseError('invalid_request', `no presentation is bound to this request: ${detail}`);
    }
    const outcome = this.decide(policy, results);
    if (!(await this.deps.requests.settle(id, outcome.verified ? 'fulfilled' : 'failed', outcome))) {
      throw new Oid4vpResponseError('invalid_request', 'the presentation request was already answered or has expired');
    }
  }

  /**
   * The request's state, and its outcome once settled.
   * @throws AppError `oid4vp.request-not-found`
   */
  async status(id: string): Promise<PresentationRequestStatus> {
    const row = await this.deps.requests.find(id);
    if (row === null) throw notFound();
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
  private decide(policy: CredentialPolicy, results: ReadonlyArray<{ queryId: string; result: PresentationResult }>): PresentationRequestResult {
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
    const presented = results.flatMap(({ result }) => result.credentials.flatMap((c): PresentedCredential[] => (c.credential ? [{ ...c.credential }] : [])));
    const decision = policy.evaluate(presented, this.deps.clock.now());
    for (const criterion of decision.criteria) if (criterion.result === 'failed') errors.push(`policy ${decision.policy.id}: ${criterion.id}: ${criterion.reason.en}`);
    return { verified: decision.satisfied, decision, errors, presentations };
  }

  private credentialPolicy(name: string): CredentialPolicy {
    const at = name.indexOf('@');
    const policy = at < 0 ? this.deps.policies.get(name) : this.deps.policies.get(name.slice(0, at), name.slice(at + 1));
    if (policy) return policy;
    const names = [...new Set(this.deps.policies.list().map((p) => p.id))];
    throw new AppError(ErrorCode.VerificationUnknownPolicy, `policy must be a credential policy: one of ${names.join(', ')} (it may name its version, e.g. age-over-19@1).`);
  }

  private async pending(id: string): Promise<PresentationRequestEntity> {
    const row = await this.deps.requests.find(id);
    if (row === null) throw notFound();
    if (row.state !== 'pending') throw new AppError(ErrorCode.Oid4vpRequestClosed, `The presentation request is ${row.state}: make a new one.`);
    return row;
  }
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

function notFound(): AppError {
  return new AppError(ErrorCode.Oid4vpRequestNotFound, 'No presentation request with this id.');
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
