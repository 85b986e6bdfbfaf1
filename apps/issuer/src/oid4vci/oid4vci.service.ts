import { createHash, createHmac, hkdfSync, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@citycred/config';
import type { AuditLog } from '@citycred/tenancy';
import { checkAgeClaims, validateCredentialSubject, VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import type { Oid4vciOfferEntity, TenantEntity } from '@citycred/persistence';
import {
  clientAuthenticationNone,
  decodeJwt,
  HashAlgorithm,
  Oauth2AuthorizationServer,
  Oauth2ErrorCodes,
  Oauth2ServerErrorResponseError,
  preAuthorizedCodeGrantIdentifier,
  type CallbackContext,
} from '@openid4vc/oauth2';
import { getGlobalConfig, setGlobalConfig } from '@openid4vc/utils';
import { Openid4vciIssuer, Openid4vciVersion, type IssuerMetadataResult } from '@openid4vc/openid4vci';
import {
  BATCH_SIZE,
  configurationsFor,
  credentialConfigurationsSupported,
  findConfiguration,
  issuerDisplay,
  type CredentialConfiguration,
} from './credential-configurations.js';
import { holderKeyOf, HolderKeyError, holderKeyThumbprint, offerHolderOf, verifyHolderProofJwt, type HolderKey } from './holder-keys.js';
import type { IssuedCredential, Oid4vciIssuance } from './issuance-port.js';
import type { Oid4vciStore } from './oid4vci-store.js';

/** Settings of the OpenID4VCI issuer. */
export interface Oid4vciSettings {
  /** The issuer's public base URL (`ISSUER_PUBLIC_URL`), without a trailing slash. */
  readonly publicBaseUrl: string;
  /** Default and longest lifetime of an offer (`OID4VCI_OFFER_TTL_SECONDS`). */
  readonly offerTtlSeconds: number;
  /**
   * Default and longest lifetime of a bulk offer (`OID4VCI_BULK_OFFER_TTL_SECONDS`), at least `offerTtlSeconds`; a bulk
   * offer living longer than `offerTtlSeconds` needs a transaction code.
   */
  readonly bulkOfferTtlSeconds: number;
  /** Hex secret the pre-authorized codes are derived from (the issuer's `KEY_ENCRYPTION_SECRET`). */
  readonly codeSecret: string;
}

/** An access token lives this long; it is good for one credential request. */
export const ACCESS_TOKEN_TTL_SECONDS = 300;
/** A `c_nonce` lives this long and is good for one credential request. */
export const NONCE_TTL_SECONDS = 300;
/**
 * Transaction codes compared for an offer at most: the 5th wrong one burns it, so a guesser with the offer's link has 5
 * tries of 10^6 codes whatever the offer's lifetime (docs/oid4vci.md).
 */
export const MAX_TX_CODE_FAILURES = 5;
/** A proof's `iat` may be this old… */
const PROOF_MAX_AGE_SECONDS = 300;
/** …and this far in the future (clock skew). */
const PROOF_MAX_SKEW_SECONDS = 60;
const TX_CODE_LENGTH = 6;

/** The longest lifetimes of offers, which the console announces to its bulk screen. */
export interface OfferLifetimes {
  /** A single offer's (`OID4VCI_OFFER_TTL_SECONDS`); also the longest a bulk offer without transaction code may live. */
  readonly offerSeconds: number;
  /** A bulk offer's (`OID4VCI_BULK_OFFER_TTL_SECONDS`). */
  readonly bulkOfferSeconds: number;
}

/** What `POST /oid4vci/offers` asks for, parsed. */
export interface OfferRequest {
  credentialConfigurationId: string;
  claims: Record<string, unknown>;
  txCode: boolean;
  expiresInSeconds?: number | undefined;
  /** The holder (did:jwk or did:key) the offer is bound to; unbound when absent. */
  holder?: string | undefined;
}

/** A new offer as its creator sees it once: the secrets (pre-authorized code inside the offer, `tx_code`) included. */
export interface CreatedOffer {
  offerId: string;
  credential_offer: Record<string, unknown>;
  credential_offer_uri: string;
  /** `openid-credential-offer://?credential_offer_uri=…`, for a QR code or a link. */
  credential_offer_link: string;
  tx_code?: string;
  expiresAt: string;
}

/**
 * Where an offer stands, as its tenant reads it: `offered` (waiting for the wallet, live), `expired` (waited past its
 * expiry: it can never be redeemed), `redeemed` (its code was exchanged for an access token; no credential yet),
 * `issued` (its credentials were issued), `burnt` (cancelled after too many wrong transaction codes).
 */
export type OfferState = 'offered' | 'expired' | 'redeemed' | 'issued' | 'burnt';

/** `GET /oid4vci/offers/<offerId>/status`: an offer's state and times, no claim and no secret. */
export interface OfferStatus {
  offerId: string;
  credentialConfigurationId: string;
  state: OfferState;
  createdAt: string;
  expiresAt: string;
  /** When its code was exchanged for an access token (redeemed and issued offers). */
  redeemedAt?: string;
  /** When its credentials were issued (issued offers). */
  issuedAt?: string;
}

/** Who creates an offer. */
export interface OfferActor {
  kind: 'api-key' | 'operator';
  id: string;
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** OAuth-style error answered by the token, nonce and credential endpoints. */
function oauthError(error: string, description: string, status = 400): Oauth2ServerErrorResponseError {
  return new Oauth2ServerErrorResponseError({ error, error_description: description }, { status });
}

/**
 * A tenant as an OpenID4VCI 1.0 credential issuer and its own authorization server (pre-authorized code grant
 * only): metadata, offers, token, nonce and credential endpoints. The protocol messages are parsed and the wallet
 * proofs checked with the OpenWallet Foundation's `@openid4vc` libraries; credentials are made by the one issuance
 * command ({@link Oid4vciIssuance}).
 */
export class Oid4vciService {
  private readonly issuer: Openid4vciIssuer;
  private readonly authorizationServer: Oauth2AuthorizationServer;
  private readonly codeKey: Buffer;

  constructor(
    private readonly store: Oid4vciStore,
    private readonly issuance: Oid4vciIssuance,
    private readonly clock: Clock,
    private readonly settings: Oid4vciSettings,
    private readonly audit: Pick<AuditLog, 'append'> | null = null,
  ) {
    const callbacks: CallbackContext = {
      hash: (data, algorithm) => createHash(algorithm === HashAlgorithm.Sha384 ? 'sha384' : algorithm === HashAlgorithm.Sha512 ? 'sha512' : 'sha256').update(data).digest(),
      generateRandom: (length) => randomBytes(length),
      verifyJwt: verifyHolderProofJwt,
      signJwt: () => {
        throw new Error('the OpenID4VCI issuer signs no JWT of its own (access tokens are opaque)');
      },
      encryptJwe: () => {
        throw new Error('credential response encryption is not offered');
      },
      decryptJwe: () => {
        throw new Error('credential request encryption is not offered');
      },
      clientAuthentication: clientAuthenticationNone({ clientId: 'citycred-issuer' }),
    };
    // The libraries accept only https URLs (the `resource` a wallet sends, the offer URI) unless told otherwise; a
    // local issuer on http://localhost must accept its own URLs. The setting is process-wide, and only ever relaxed here.
    if (settings.publicBaseUrl.startsWith('http://')) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
    this.issuer = new Openid4vciIssuer({ callbacks });
    this.authorizationServer = new Oauth2AuthorizationServer({ callbacks });
    this.codeKey = Buffer.from(hkdfSync('sha256', Buffer.from(settings.codeSecret, 'hex'), Buffer.alloc(0), 'citycred oid4vci pre-authorized code', 32));
  }

  /** The credential issuer identifier of a tenant: `<ISSUER_PUBLIC_URL>/oid4vci/<slug>`. */
  credentialIssuerOf(tenant: TenantEntity): string {
    return `${this.settings.publicBaseUrl}/oid4vci/${tenant.slug}`;
  }

  /**
   * The tenant with this slug.
   * @throws AppError `oid4vci.unknown-issuer` (404)
   */
  async tenant(slug: string): Promise<TenantEntity> {
    const tenant = /^[a-z0-9-]{1,64}$/.test(slug) ? await this.store.tenantBySlug(slug) : null;
    if (!tenant) throw new AppError(ErrorCode.Oid4vciUnknownIssuer, 'No credential issuer is published at this path.');
    return tenant;
  }

  /** Credential issuer metadata (OpenID4VCI 1.0 §12.2), checked by the library's schema. */
  issuerMetadata(tenant: TenantEntity): Record<string, unknown> {
    const credentialIssuer = this.credentialIssuerOf(tenant);
    return this.issuer.createCredentialIssuerMetadata({
      credential_issuer: credentialIssuer,
      credential_endpoint: `${credentialIssuer}/credential`,
      nonce_endpoint: `${credentialIssuer}/nonce`,
      batch_credential_issuance: { batch_size: BATCH_SIZE },
      display: issuerDisplay(tenant),
      credential_configurations_supported: credentialConfigurationsSupported(configurationsFor(tenant.credentialTypes)),
    } as Parameters<Openid4vciIssuer['createCredentialIssuerMetadata']>[0]);
  }

  /** Authorization server metadata (RFC 8414): the issuer is its own AS, pre-authorized code grant only, anonymous. */
  authorizationServerMetadata(tenant: TenantEntity): Record<string, unknown> {
    const credentialIssuer = this.credentialIssuerOf(tenant);
    return this.authorizationServer.createAuthorizationServerMetadata({
      issuer: credentialIssuer,
      token_endpoint: `${credentialIssuer}/token`,
      grant_types_supported: [preAuthorizedCodeGrantIdentifier],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ['none'],
      'pre-authorized_grant_anonymous_access_supported': true,
    });
  }

  private metadataResult(tenant: TenantEntity): IssuerMetadataResult {
    const credentialIssuer = this.issuerMetadata(tenant) as IssuerMetadataResult['credentialIssuer'];
    return {
      originalDraftVersion: Openid4vciVersion.V1,
      credentialIssuer,
      authorizationServers: [this.authorizationServerMetadata(tenant) as IssuerMetadataResult['authorizationServers'][number]],
      knownCredentialConfigurations: this.issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
    };
  }

  /**
   * A configuration the tenant offers.
   * @throws AppError `oid4vci.unknown-credential-configuration` (400)
   */
  configuration(tenant: TenantEntity, id: string): CredentialConfiguration {
    const configuration = findConfiguration(tenant.credentialTypes, id);
    if (!configuration) {
      const offered = configurationsFor(tenant.credentialTypes).map((c) => c.id);
      throw new AppError(ErrorCode.Oid4vciUnknownConfiguration, `credential_configuration_id must be one of: ${offered.join(', ')}.`);
    }
    return configuration;
  }

  /**
   * Checks an offer request against the tenant's configurations and the type's schema, and its holder if bound.
   * @throws AppError `oid4vci.unknown-credential-configuration` (400), `oid4vci.invalid-holder` (400, a holder that is
   *   not a did:jwk / did:key of a P-256 or secp256k1 key), `request.invalid` (400, a subject `id`),
   *   `credential.schema-invalid` (422)
   */
  checkOffer(tenant: TenantEntity, request: OfferRequest): CredentialConfiguration {
    const configuration = this.configuration(tenant, request.credentialConfigurationId);
    if (request.holder !== undefined) {
      try {
        offerHolderOf(request.holder);
      } catch (error) {
        if (!(error instanceof HolderKeyError)) throw error;
        throw new AppError(ErrorCode.Oid4vciInvalidHolder, `holder is not a holder an offer can be bound to: ${error.message}.`, {
          extensions: { errors: [{ path: '/holder', message: error.message }] },
        });
      }
    }
    if ('id' in request.claims) {
      throw new AppError(ErrorCode.RequestInvalid, 'claims must not carry "id": the holder is the key the wallet proves at issuance.', {
        extensions: { errors: [{ path: '/claims/id', message: 'is set by the wallet’s proof' }] },
      });
    }
    const validation = validateCredentialSubject(configuration.type, request.claims);
    if (!validation.valid) {
      throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${configuration.type} claims do not match its schema.`, {
        extensions: { errors: validation.errors.map((e) => ({ path: `/claims${e.path}`, message: e.message })) },
      });
    }
    const ageErrors = checkAgeClaims(request.claims, this.clock.now());
    if (ageErrors.length > 0) {
      throw new AppError(ErrorCode.CredentialSchemaInvalid, `The ${configuration.type} age claims disagree with the birth date today.`, {
        extensions: { errors: ageErrors.map((e) => ({ path: `/claims${e.path}`, message: e.message })) },
      });
    }
    return configuration;
  }

  /** The longest lifetimes of single and bulk offers. */
  offerLifetimes(): OfferLifetimes {
    return { offerSeconds: this.settings.offerTtlSeconds, bulkOfferSeconds: this.settings.bulkOfferTtlSeconds };
  }

  /**
   * How long an offer lives: `expiresInSeconds`, else its kind's ceiling — a single offer's `OID4VCI_OFFER_TTL_SECONDS`,
   * a bulk offer's `OID4VCI_BULK_OFFER_TTL_SECONDS`. A bulk offer living longer than a single offer's ceiling must carry
   * a transaction code: its link may lie in a letter or an SMS for days, and without the code the link alone would
   * be the credential.
   * @throws AppError `oid4vci.offer-lifetime-too-long` (400: above the kind's ceiling, `maxExpiresIn` says it),
   *   `oid4vci.tx-code-required` (400: a bulk offer without transaction code living longer than a single offer's ceiling)
   */
  offerLifetime(kind: 'single' | 'bulk', request: Pick<OfferRequest, 'txCode' | 'expiresInSeconds'>): number {
    const ceiling = kind === 'bulk' ? this.settings.bulkOfferTtlSeconds : this.settings.offerTtlSeconds;
    const variable = kind === 'bulk' ? 'OID4VCI_BULK_OFFER_TTL_SECONDS' : 'OID4VCI_OFFER_TTL_SECONDS';
    if (request.expiresInSeconds !== undefined && request.expiresInSeconds > ceiling) {
      throw new AppError(ErrorCode.Oid4vciOfferLifetimeTooLong, `expires_in may be at most ${ceiling} seconds for ${kind === 'bulk' ? 'a bulk offer' : 'an offer'} (${variable}).`, {
        extensions: { maxExpiresIn: ceiling },
      });
    }
    const lifetime = request.expiresInSeconds ?? ceiling;
    if (kind === 'bulk' && !request.txCode && lifetime > this.settings.offerTtlSeconds) {
      throw new AppError(
        ErrorCode.Oid4vciTxCodeRequired,
        `A bulk offer living longer than ${this.settings.offerTtlSeconds} seconds (OID4VCI_OFFER_TTL_SECONDS) needs a transaction code: leave tx_code true, or ask for expires_in of at most ${this.settings.offerTtlSeconds}.`,
        { extensions: { maxExpiresIn: this.settings.offerTtlSeconds } },
      );
    }
    return lifetime;
  }

  /**
   * Creates an offer: checks it ({@link checkOffer}, {@link offerLifetime}), stores its hashes and claims, and answers
   * the offer by value and by reference, with the transaction code shown this once.
   * @param bulkJobId - the bulk job making it, if any: the offer then has a bulk offer's lifetime
   */
  async createOffer(tenant: TenantEntity, request: OfferRequest, actor: OfferActor, bulkJobId: string | null = null): Promise<CreatedOffer> {
    const ttl = this.offerLifetime(bulkJobId === null ? 'single' : 'bulk', request);
    const configuration = this.checkOffer(tenant, request);
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + ttl * 1000).toISOString();
    const offerId = randomUUID();
    const preAuthorizedCode = this.preAuthorizedCodeOf(offerId);
    const txCode = request.txCode ? randomInt(0, 10 ** TX_CODE_LENGTH).toString().padStart(TX_CODE_LENGTH, '0') : undefined;
    await this.store.addOffer({
      id: offerId,
      tenantId: tenant.id,
      credentialConfigurationId: configuration.id,
      claims: JSON.stringify(request.claims),
      preAuthorizedCodeHash: sha256Hex(preAuthorizedCode),
      txCodeHash: txCode === undefined ? null : sha256Hex(`${preAuthorizedCode}:${txCode}`),
      txCodeFailures: 0,
      state: 'offered',
      createdBy: `${actor.kind}:${actor.id}`.slice(0, 120),
      bulkJobId,
      createdAt: now.toISOString(),
      expiresAt,
      redeemedAt: null,
      issuedAt: null,
      credentialIds: null,
      holderDid: request.holder ?? null,
    }, (manager) =>
      this.audit
        ? this.audit.append(manager, {
            tenantId: tenant.id,
            actor: { kind: actor.kind, id: actor.id.slice(0, 100) },
            action: 'offer.created',
            target: offerId,
            details: { configuration: configuration.id, ...(bulkJobId ? { bulkJob: bulkJobId } : {}), ...(request.holder !== undefined ? { holderBound: true } : {}) },
            at: now,
          })
        : Promise.resolve(),
    );
    const offerUri = this.offerUriOf(offerId);
    const { credentialOfferObject } = await this.buildOffer(tenant, offerId, configuration.id, txCode !== undefined);
    const { credentialOffer: link } = await this.issuer.createCredentialOffer({
      issuerMetadata: this.metadataResult(tenant),
      credentialConfigurationIds: [configuration.id],
      grants: credentialOfferObject.grants ?? {},
      credentialOfferUri: offerUri,
    });
    return {
      offerId,
      credential_offer: credentialOfferObject,
      credential_offer_uri: offerUri,
      credential_offer_link: link,
      ...(txCode === undefined ? {} : { tx_code: txCode }),
      expiresAt,
    };
  }

  /**
   * The offer object behind a `credential_offer_uri` (public: the URI is the bearer of the offer, the transaction
   * code its second factor).
   * @throws AppError `oid4vci.offer-not-found` (404) once it was redeemed, burnt or has expired
   */
  async offerByReference(offerId: string): Promise<Record<string, unknown>> {
    const offer = /^[0-9a-f-]{36}$/.test(offerId) ? await this.store.offer(offerId) : null;
    if (!offer || offer.state !== 'offered' || offer.expiresAt <= this.clock.now().toISOString()) {
      throw new AppError(ErrorCode.Oid4vciOfferNotFound, 'No live credential offer has this id: it never existed, was already used or has expired.');
    }
    const tenant = await this.store.tenantById(offer.tenantId);
    if (!tenant) throw new AppError(ErrorCode.Oid4vciOfferNotFound, 'No live credential offer has this id.');
    const { credentialOfferObject } = await this.buildOffer(tenant, offer.id, offer.credentialConfigurationId, offer.txCodeHash !== null);
    return credentialOfferObject;
  }

  /**
   * Where one of the tenant's offers stands. An offer of another tenant is answered as an unknown one, and so is an
   * offer the issuer deleted: it does so only to offers that issued no credential, once no access token of theirs can
   * be live (docs/oid4vci.md, "Storage and expiry").
   * @throws AppError `oid4vci.offer-not-found` (404)
   */
  async offerStatus(tenant: TenantEntity, offerId: string): Promise<OfferStatus> {
    const offer = /^[0-9a-f-]{36}$/.test(offerId) ? await this.store.offerOfTenant(tenant.id, offerId) : null;
    if (!offer) throw new AppError(ErrorCode.Oid4vciOfferNotFound, 'This tenant has no credential offer with this id (or it expired unredeemed and was deleted).');
    const state: OfferState = offer.state === 'offered' && offer.expiresAt <= this.clock.now().toISOString() ? 'expired' : offer.state;
    return {
      offerId: offer.id,
      credentialConfigurationId: offer.credentialConfigurationId,
      state,
      createdAt: offer.createdAt,
      expiresAt: offer.expiresAt,
      ...(offer.redeemedAt ? { redeemedAt: offer.redeemedAt } : {}),
      ...(offer.issuedAt ? { issuedAt: offer.issuedAt } : {}),
    };
  }

  private offerUriOf(offerId: string): string {
    return `${this.settings.publicBaseUrl}/oid4vci/offers/${offerId}`;
  }

  /** The pre-authorized code of an offer: derived from its id under the issuer's secret, so it is never stored. */
  private preAuthorizedCodeOf(offerId: string): string {
    return createHmac('sha256', this.codeKey).update(`pre-authorized_code:${offerId}`).digest('base64url');
  }

  private buildOffer(tenant: TenantEntity, offerId: string, configurationId: string, withTxCode: boolean) {
    return this.issuer.createCredentialOffer({
      issuerMetadata: this.metadataResult(tenant),
      credentialConfigurationIds: [configurationId],
      grants: {
        [preAuthorizedCodeGrantIdentifier]: {
          'pre-authorized_code': this.preAuthorizedCodeOf(offerId),
          ...(withTxCode ? { tx_code: { input_mode: 'numeric', length: TX_CODE_LENGTH, description: '발급 기관이 알려준 6자리 확인 코드 / the 6-digit code the issuer gave you' } } : {}),
        },
      },
    });
  }

  /**
   * Token endpoint (OpenID4VCI 1.0 §6, RFC 6749 §5): exchanges a pre-authorized code (and its transaction code) for
   * an opaque, single-use access token. No `c_nonce` in the answer (the nonce endpoint gives them).
   * @param body - the form parameters; @param headers - the request's headers (DPoP and client attestation are parsed)
   * @throws Oauth2ServerErrorResponseError `invalid_request`, `unsupported_grant_type`, `invalid_grant`
   */
  async token(tenant: TenantEntity, url: string, headers: Headers, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (Object.values(body).some((value) => typeof value !== 'string')) {
      throw oauthError(Oauth2ErrorCodes.InvalidRequest, 'Each parameter must be sent once (RFC 6749 §3.2).');
    }
    const { grant } = this.authorizationServer.parseAccessTokenRequest({ request: { method: 'POST', url, headers }, accessTokenRequest: body });
    if (grant.grantType !== preAuthorizedCodeGrantIdentifier) {
      throw oauthError(Oauth2ErrorCodes.UnsupportedGrantType, `Only the ${preAuthorizedCodeGrantIdentifier} grant is supported.`);
    }
    const offer = await this.store.offerByCodeHash(tenant.id, sha256Hex(grant.preAuthorizedCode));
    if (!offer) throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The pre-authorized code is not valid.');
    if (offer.state === 'burnt') throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The offer was cancelled after too many wrong transaction codes.');
    if (offer.state !== 'offered') throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The pre-authorized code was already used.');
    if (offer.expiresAt <= this.clock.now().toISOString()) throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The pre-authorized code has expired.');
    if (offer.txCodeHash === null) {
      if (grant.txCode !== undefined) throw oauthError(Oauth2ErrorCodes.InvalidRequest, 'This offer has no transaction code; do not send tx_code.');
    } else {
      if (grant.txCode === undefined) throw oauthError(Oauth2ErrorCodes.InvalidRequest, 'This offer needs its transaction code: send tx_code.');
      // An attempt is taken before the code is compared, so concurrent guesses cannot test more codes than the limit.
      if (!(await this.store.takeTxCodeAttempt(offer.id, MAX_TX_CODE_FAILURES))) {
        throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The offer was cancelled after too many wrong transaction codes, or already used.');
      }
      const expected = Buffer.from(offer.txCodeHash, 'hex');
      const given = Buffer.from(sha256Hex(`${grant.preAuthorizedCode}:${grant.txCode}`), 'hex');
      if (!timingSafeEqual(expected, given)) {
        const state = await this.store.burnIfNoAttemptLeft(offer.id, MAX_TX_CODE_FAILURES);
        throw oauthError(
          Oauth2ErrorCodes.InvalidGrant,
          state === 'burnt' ? 'Wrong transaction code; the offer is now cancelled. Ask the issuer for a new one.' : 'Wrong transaction code.',
        );
      }
      await this.store.giveBackTxCodeAttempt(offer.id);
    }
    const accessToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString();
    const token = { tokenHash: sha256Hex(accessToken), tenantId: tenant.id, offerId: offer.id, expiresAt, usedAt: null };
    // An offer bound to a holder is not spent by a token: whoever holds its link (and code) may get tokens, but only
    // its holder's proofs get the credential, and that credential request is what spends it — so a wallet that
    // redeems the code first cannot keep the holder from theirs.
    const redeemed = offer.holderDid === null ? await this.store.redeem(offer.id, token) : await this.store.addTokenOfBoundOffer(offer.id, token);
    if (!redeemed) throw oauthError(Oauth2ErrorCodes.InvalidGrant, 'The pre-authorized code was already used or has expired.');
    return { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** Nonce endpoint (OpenID4VCI 1.0 §7): a fresh single-use `c_nonce`. */
  async nonce(tenant: TenantEntity): Promise<Record<string, unknown>> {
    const nonce = randomBytes(24).toString('base64url');
    await this.store.addNonce({ nonce, tenantId: tenant.id, expiresAt: new Date(this.clock.now().getTime() + NONCE_TTL_SECONDS * 1000).toISOString(), usedAt: null });
    return this.issuer.createNonceResponse({ cNonce: nonce });
  }

  /**
   * Credential endpoint (OpenID4VCI 1.0 §8): checks the access token, the request and every `jwt` proof (signature
   * by the key its header names, `aud` = this issuer, the one `c_nonce`, a fresh `iat`), then issues one credential
   * per proof key through the issuance command, and links them to the offer.
   * @param authorization - the Authorization header
   * @throws Oauth2ServerErrorResponseError `invalid_token` (401), `invalid_credential_request`,
   *   `unknown_credential_configuration`, `invalid_proof`, `invalid_nonce`, `credential_request_denied`;
   *   AppError `service.unavailable` (503) from the issuance command
   */
  async credential(tenant: TenantEntity, authorization: string | undefined, body: unknown): Promise<Record<string, unknown>> {
    const match = /^Bearer ([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
    if (!match) throw oauthError('invalid_token', 'Send the access token as "Authorization: Bearer <token>".', 401);
    const tokenHash = sha256Hex(match[1]!);
    const token = await this.store.accessToken(tenant.id, tokenHash);
    if (!token || token.usedAt !== null) throw oauthError('invalid_token', 'The access token is unknown, expired or already used.', 401);
    const offer = await this.store.offer(token.offerId);
    // An unbound offer was spent by the token request; a bound one waits for its holder's credential request.
    const waiting = offer?.holderDid === null ? 'redeemed' : 'offered';
    if (!offer || offer.state !== waiting || offer.claims === null) throw oauthError('invalid_token', 'The access token no longer grants a credential.', 401);
    // A bound offer is spent only by a request before its expiry: once its tenant may have seen it `expired`, never.
    if (offer.holderDid !== null && offer.expiresAt <= this.clock.now().toISOString()) throw oauthError('invalid_token', 'The offer has expired; ask the issuer for a new one.', 401);

    const issuerMetadata = this.metadataResult(tenant);
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'The body must be a JSON object.');
    const requested = (body as Record<string, unknown>)['credential_configuration_id'];
    if (typeof requested === 'string' && issuerMetadata.knownCredentialConfigurations[requested] === undefined) {
      throw oauthError('unknown_credential_configuration', 'This issuer offers no credential configuration with this id.');
    }
    if ('proof' in (body as Record<string, unknown>)) throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'Send "proofs" (OpenID4VCI 1.0), not "proof".');
    const parsed = this.issuer.parseCredentialRequest({ issuerMetadata, credentialRequest: body as Record<string, unknown> });
    if (parsed.credentialConfigurationId === undefined) {
      throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'Name the credential by credential_configuration_id.');
    }
    if (parsed.credentialConfigurationId !== offer.credentialConfigurationId) {
      throw oauthError(Oauth2ErrorCodes.InvalidCredentialRequest, 'The access token grants another credential configuration.');
    }
    const configuration = findConfiguration(tenant.credentialTypes, offer.credentialConfigurationId);
    if (!configuration) throw oauthError('credential_request_denied', 'The issuer no longer offers this credential.');
    const jwts = parsed.proofs?.jwt;
    if (!jwts || jwts.length === 0) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'Send proofs.jwt with one proof per holder key.');
    if (jwts.length > BATCH_SIZE) throw oauthError(Oauth2ErrorCodes.InvalidProof, `At most ${BATCH_SIZE} proofs per request.`);

    const nonce = this.proofNonce(jwts);
    const stored = await this.store.nonce(tenant.id, nonce);
    const now = this.clock.now();
    if (!stored || stored.usedAt !== null || stored.expiresAt <= now.toISOString()) {
      throw oauthError(Oauth2ErrorCodes.InvalidNonce, 'The proof nonce is unknown, used or expired; get a new one from the nonce endpoint.');
    }
    const keys = await this.verifyProofs(jwts, issuerMetadata, nonce, new Date(stored.expiresAt), now);
    // Refused before anything is used: another wallet's attempt spends neither the offer nor the holder's chance.
    if (offer.holderDid !== null) checkBoundHolder(offer.holderDid, keys);
    if (!(await this.store.consumeNonce(tenant.id, nonce))) throw oauthError(Oauth2ErrorCodes.InvalidNonce, 'The proof nonce was used meanwhile; get a new one.');
    if (!(await this.store.claimAccessToken(tokenHash))) throw oauthError('invalid_token', 'The access token was used meanwhile.', 401);
    if (offer.holderDid !== null && !(await this.store.takeBoundOffer(offer.id))) {
      throw oauthError('invalid_token', "The offer's credential was issued, or is being issued, to its holder already, or the offer has expired.", 401);
    }

    const issued = await this.issueAll(tenant, offer, configuration, keys, tokenHash);
    return this.issuer.createCredentialResponse({
      credentialRequest: parsed,
      credentials: issued.map((credential) => ({ credential: credential.encoded })),
    }) as Record<string, unknown>;
  }

  /** The one `c_nonce` every proof of a request carries. */
  private proofNonce(jwts: readonly string[]): string {
    const nonces = new Set<string>();
    for (const jwt of jwts) {
      let nonce: unknown;
      try {
        nonce = decodeJwt({ jwt }).payload['nonce'];
      } catch {
        throw oauthError(Oauth2ErrorCodes.InvalidProof, 'A proof is not a JWT.');
      }
      if (typeof nonce !== 'string' || nonce === '') throw oauthError(Oauth2ErrorCodes.InvalidProof, 'Every proof must carry the c_nonce from the nonce endpoint.');
      nonces.add(nonce);
    }
    if (nonces.size !== 1) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'All proofs of a request must carry the same c_nonce.');
    return [...nonces][0]!;
  }

  private async verifyProofs(jwts: readonly string[], issuerMetadata: IssuerMetadataResult, nonce: string, nonceExpiresAt: Date, now: Date): Promise<HolderKey[]> {
    const keys: HolderKey[] = [];
    for (const jwt of jwts) {
      const { header, payload, signer } = await this.issuer.verifyCredentialRequestJwtProof({ issuerMetadata, jwt, expectedNonce: nonce, nonceExpiresAt, now });
      if (header.jwk !== undefined && header.kid !== undefined) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'A proof names its key by "jwk" or "kid", not both.');
      const age = Math.floor(now.getTime() / 1000) - payload.iat;
      if (age > PROOF_MAX_AGE_SECONDS || age < -PROOF_MAX_SKEW_SECONDS) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'The proof iat is not recent.');
      let key: HolderKey;
      try {
        key = holderKeyOf(signer);
      } catch (error) {
        if (error instanceof HolderKeyError) throw oauthError(Oauth2ErrorCodes.InvalidProof, error.message);
        throw error;
      }
      if (keys.some((known) => known.did === key.did)) throw oauthError(Oauth2ErrorCodes.InvalidProof, 'Two proofs are signed by the same key.');
      keys.push(key);
    }
    return keys;
  }

  private async issueAll(tenant: TenantEntity, offer: Oid4vciOfferEntity, configuration: CredentialConfiguration, keys: readonly HolderKey[], tokenHash: string): Promise<IssuedCredential[]> {
    const claims = JSON.parse(offer.claims!) as Record<string, unknown>;
    const issued: IssuedCredential[] = [];
    try {
      for (const key of keys) {
        const sdJwt = configuration.format === 'dc+sd-jwt';
        issued.push(
          await this.issuance.issue(tenant, {
            credential: {
              '@context': [VC_V1_CONTEXT_URL, CITYCRED_CONTEXT_URL],
              type: ['VerifiableCredential', configuration.type],
              issuer: tenant.did,
              // A W3C JWT VC names its holder as the subject; an SD-JWT VC binds the key in cnf instead.
              // A bound offer's subject is its holder as the tenant named it (the proof key is that key).
              credentialSubject: sdJwt ? { ...claims } : { id: offer.holderDid ?? key.did, ...claims },
            },
            format: configuration.issuanceFormat,
            ...(sdJwt ? { holderJwk: key.jwk } : {}),
            actor: { kind: 'offer', id: offer.id },
          }),
        );
      }
    } catch (error) {
      if (issued.length > 0) {
        await this.store.markIssued(offer.id, issued.map((credential) => credential.id));
      } else {
        await this.store.releaseAccessToken(tokenHash);
        if (offer.holderDid !== null) await this.store.giveBackBoundOffer(offer.id);
      }
      if (error instanceof AppError && error.status < 500) throw oauthError('credential_request_denied', error.message);
      throw error;
    }
    await this.store.markIssued(offer.id, issued.map((credential) => credential.id));
    return issued;
  }
}

/**
 * Every proof key of a request for a bound offer must be its holder's key, compared by JWK thumbprint (a `jwk` header,
 * a did:jwk and a did:key of one key are the same holder).
 * @throws Oauth2ServerErrorResponseError `invalid_proof` (OpenID4VCI 1.0 §8.3.1.2: a key proof the issuer does not accept)
 */
function checkBoundHolder(holderDid: string, keys: readonly HolderKey[]): void {
  const holder = holderKeyThumbprint(offerHolderOf(holderDid));
  if (keys.some((key) => holderKeyThumbprint(key) !== holder)) {
    throw oauthError(Oauth2ErrorCodes.InvalidProof, 'This offer is bound to another holder: every proof must be signed by the key of the wallet the offer was made for.');
  }
}
