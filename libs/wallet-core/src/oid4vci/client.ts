import { isHolderDid, signCompactJws } from '@citycred/formats';
import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import type { HolderKey } from '../holder-key.js';
import { isRecord, sendRequest, type ReadAnswer, type WalletTransport } from './http.js';
import {
  authorizationServerFor,
  fetchAuthorizationServerMetadata,
  fetchIssuerMetadata,
  type AuthorizationServerMetadata,
  type CredentialConfiguration,
  type IssuerMetadata,
} from './metadata.js';
import { checkTxCode, errorDetailsOf, networkError, PRE_AUTHORIZED_CODE_GRANT, resolveCredentialOffer, throwIfUnavailable, type CredentialOffer } from './offer.js';
import type { IssuerSignatureCheck } from './issuer-keys.js';
import { checkReceivedCredential, isSupportedConfigurationFormat, receivedCredentialOf, type ReceivedCredential } from './received.js';

/** The `typ` of an OpenID4VCI key proof (1.0 Appendix F.1). */
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';

/** An offer read and its issuer checked: what the wallet shows before the citizen accepts (and types the code). */
export interface PreparedOffer {
  readonly offer: CredentialOffer;
  readonly issuer: IssuerMetadata;
  readonly authorizationServer: AuthorizationServerMetadata;
  /** The offered configurations, in the offer's order (each one this wallet can hold: see {@link Oid4vciClient.prepare}). */
  readonly configurations: readonly CredentialConfiguration[];
}

/** What {@link Oid4vciClient.receive} needs besides the offer. */
export interface ReceiveOptions {
  readonly holder: HolderKey;
  /** The transaction code the citizen typed, when the offer asks for one. */
  readonly txCode?: string;
  /** Which offered configuration to ask for; the first when not given (one access token is good for one request). */
  readonly configurationId?: string;
}

/** What the client is given. */
export interface Oid4vciClientOptions extends WalletTransport {
  /**
   * Checks the issuer's signature on what is received (a credential whose signature does not verify is refused, one
   * whose issuer's keys cannot be had is received `unchecked`); without it, only the binding to the wallet's key is
   * checked.
   */
  readonly issuerSignature?: IssuerSignatureCheck;
}

/**
 * The wallet's side of OpenID4VCI 1.0 (Final), pre-authorized code flow (docs/wallet-protocols.md): read the offer,
 * check the issuer, redeem the code with the transaction code, prove the holder key over the issuer's nonce and
 * receive the credentials, checked to be bound to that key. Runs in a browser: `fetch`, WebCrypto and the injected
 * clock only.
 */
export class Oid4vciClient {
  constructor(private readonly options: Oid4vciClientOptions) {}

  /**
   * Reads a scanned or pasted offer, fetches it when it is by reference, and fetches and checks the issuer's and its
   * authorization server's metadata.
   * @param text - the QR code's text or the link
   * @throws Oid4vciError `oid4vci.offer-*` (see {@link resolveCredentialOffer}), `oid4vci.metadata-invalid`,
   *   `oid4vci.unsupported-credential` (no offered configuration is published, or none is a format this wallet holds
   *   with a `jwt` proof of ES256), `oid4vci.issuer-unavailable`, `oid4vci.network`
   */
  async prepare(text: string): Promise<PreparedOffer> {
    const offer = await resolveCredentialOffer(text, this.options);
    const issuer = await fetchIssuerMetadata(offer.credentialIssuer, this.options);
    const authorizationServer = await fetchAuthorizationServerMetadata(authorizationServerFor(offer, issuer), this.options);
    const configurations: CredentialConfiguration[] = [];
    for (const id of offer.credentialConfigurationIds) {
      const configuration = issuer.configurations[id];
      if (!configuration) throw new Oid4vciError(Oid4vciErrorCode.MetadataInvalid, `the issuer does not publish the offered configuration ${id}`);
      if (isSupportedConfigurationFormat(configuration.format)) configurations.push(configuration);
    }
    if (configurations.length === 0) throw new Oid4vciError(Oid4vciErrorCode.UnsupportedCredential, 'none of the offered credentials is in a format this wallet holds');
    return { offer, issuer, authorizationServer, configurations };
  }

  /**
   * Redeems a prepared offer: token request (with the transaction code), nonce, proof, credential request — once
   * more with a fresh nonce when the issuer answers `invalid_nonce` — then checks every credential received.
   * @returns one received credential (its record for the vault, and what the issuer said of it) per credential, in
   *   the issuer's order
   * @throws Oid4vciError `oid4vci.tx-code-required`, `oid4vci.tx-code-malformed` (nothing sent), `oid4vci.grant-refused`
   *   (wrong code, offer expired, used or cancelled), `oid4vci.token-refused`, `oid4vci.proof-refused`,
   *   `oid4vci.credential-denied`, `oid4vci.deferred-unsupported`, `oid4vci.credential-invalid`,
   *   `oid4vci.issuer-signature-invalid` (nothing of the answer is returned),
   *   `oid4vci.unsupported-credential`, `oid4vci.issuer-unavailable`, `oid4vci.issuer-error`, `oid4vci.network`
   */
  async receive(prepared: PreparedOffer, options: ReceiveOptions): Promise<ReceivedCredential[]> {
    const { offer, issuer } = prepared;
    const configuration = options.configurationId === undefined ? prepared.configurations[0]! : prepared.configurations.find((c) => c.id === options.configurationId);
    if (!configuration) throw new Oid4vciError(Oid4vciErrorCode.UnsupportedCredential, `the offer does not offer ${options.configurationId}`);
    if (!configuration.proofSigningAlgs.includes(options.holder.signer.alg)) {
      throw new Oid4vciError(Oid4vciErrorCode.UnsupportedCredential, `the issuer takes no ${options.holder.signer.alg} key proof for ${configuration.id}`);
    }
    const txCode = offer.txCode ? checkTxCode(offer.txCode, options.txCode) : undefined;
    const accessToken = await this.token(prepared.authorizationServer, offer, txCode);

    let answer = await this.credentialRequest(issuer, configuration, accessToken, options.holder);
    if (answer.status === 400 && errorDetailsOf(answer).oauthError === 'invalid_nonce') {
      // The nonce expired or was taken between our two requests: the token was not used, one retry with a new nonce.
      answer = await this.credentialRequest(issuer, configuration, accessToken, options.holder);
    }
    const credentials = credentialsOf(answer);
    const receivedAt = this.options.clock.now();
    const received: ReceivedCredential[] = [];
    for (const encoded of credentials) {
      const checked = await checkReceivedCredential(
        encoded,
        { holder: options.holder, configurationFormat: configuration.format, ...(configuration.vct !== undefined ? { vct: configuration.vct } : {}), ...(configuration.types ? { types: configuration.types } : {}) },
        this.options.issuerSignature,
      );
      received.push(receivedCredentialOf(checked, encoded, { at: receivedAt, credentialIssuer: issuer.credentialIssuer, configurationId: configuration.id, display: configuration.display }));
    }
    return received;
  }

  /** Token request (OpenID4VCI 1.0 §6.1): the pre-authorized code and the transaction code, as a form. */
  private async token(server: AuthorizationServerMetadata, offer: CredentialOffer, txCode: string | undefined): Promise<string> {
    const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_CODE_GRANT, 'pre-authorized_code': offer.preAuthorizedCode, ...(txCode !== undefined ? { tx_code: txCode } : {}) });
    const answer = await sendRequest(
      this.options.fetch,
      server.tokenEndpoint,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form.toString() },
      networkError,
    );
    const details = { status: answer.status, ...errorDetailsOf(answer) };
    throwIfUnavailable(answer.status, details);
    if (answer.status === 400 && details.oauthError === 'invalid_grant') {
      throw new Oid4vciError(Oid4vciErrorCode.GrantRefused, 'the issuer refused the code: a wrong transaction code, or an offer expired or used', details);
    }
    if (answer.status !== 200) throw new Oid4vciError(Oid4vciErrorCode.IssuerError, `the token endpoint answered ${answer.status}`, details);
    const body = answer.json;
    if (!isRecord(body) || typeof body['access_token'] !== 'string' || typeof body['token_type'] !== 'string' || body['token_type'].toLowerCase() !== 'bearer') {
      throw new Oid4vciError(Oid4vciErrorCode.IssuerError, 'the token response has no Bearer access_token', details);
    }
    return body['access_token'];
  }

  /** A fresh `c_nonce` from the nonce endpoint (OpenID4VCI 1.0 §7), or none when the issuer has no nonce endpoint. */
  private async nonce(issuer: IssuerMetadata): Promise<string | undefined> {
    if (issuer.nonceEndpoint === undefined) return undefined;
    const answer = await sendRequest(this.options.fetch, issuer.nonceEndpoint, { method: 'POST', headers: { accept: 'application/json' } }, networkError);
    const details = { status: answer.status, ...errorDetailsOf(answer) };
    throwIfUnavailable(answer.status, details);
    const body = answer.json;
    if (answer.status !== 200 || !isRecord(body) || typeof body['c_nonce'] !== 'string' || body['c_nonce'].length === 0) {
      throw new Oid4vciError(Oid4vciErrorCode.IssuerError, `the nonce endpoint answered ${answer.status} without a c_nonce`, details);
    }
    return body['c_nonce'];
  }

  /** A nonce, a proof over it and the credential request (1.0 §8.2): `credential_configuration_id`, `proofs.jwt`. */
  private async credentialRequest(issuer: IssuerMetadata, configuration: CredentialConfiguration, accessToken: string, holder: HolderKey): Promise<ReadAnswer> {
    const nonce = await this.nonce(issuer);
    const proof = await keyProofJwt(holder, { audience: issuer.credentialIssuer, issuedAt: this.options.clock.now(), ...(nonce !== undefined ? { nonce } : {}) });
    const answer = await sendRequest(
      this.options.fetch,
      issuer.credentialEndpoint,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ credential_configuration_id: configuration.id, proofs: { jwt: [proof] } }),
      },
      networkError,
    );
    throwIfUnavailable(answer.status, { status: answer.status, ...errorDetailsOf(answer) });
    return answer;
  }
}

/**
 * The key proof (OpenID4VCI 1.0 Appendix F.1): header `{alg, typ: openid4vci-proof+jwt, kid}` with the holder's
 * did:jwk DID URL (or `jwk` when the signer's kid is not a did:jwk / did:key), claims `{aud, iat, nonce}`.
 * @param holder - the key that proves
 * @param claims - the credential issuer identifier, the time, the issuer's `c_nonce`
 */
export async function keyProofJwt(holder: HolderKey, claims: { readonly audience: string; readonly issuedAt: Date; readonly nonce?: string }): Promise<string> {
  const { signer } = holder;
  const header = isHolderDid(signer.kid) ? { alg: signer.alg, typ: PROOF_JWT_TYP, kid: signer.kid } : { alg: signer.alg, typ: PROOF_JWT_TYP, jwk: holder.jwk };
  return signCompactJws(header, { aud: claims.audience, iat: Math.floor(claims.issuedAt.getTime() / 1000), ...(claims.nonce !== undefined ? { nonce: claims.nonce } : {}) }, signer);
}

/** The compact credentials of a credential response (`credentials: [{credential}]`), or the error it is. */
function credentialsOf(answer: ReadAnswer): string[] {
  const details = { status: answer.status, ...errorDetailsOf(answer) };
  if (answer.status === 202) throw new Oid4vciError(Oid4vciErrorCode.DeferredUnsupported, 'the issuer deferred the issuance', details);
  if (answer.status === 401) throw new Oid4vciError(Oid4vciErrorCode.TokenRefused, 'the issuer refused the access token', details);
  if (answer.status !== 200) {
    const code =
      details.oauthError === 'invalid_proof' || details.oauthError === 'invalid_nonce'
        ? Oid4vciErrorCode.ProofRefused
        : details.oauthError === 'credential_request_denied'
          ? Oid4vciErrorCode.CredentialDenied
          : details.oauthError === 'unknown_credential_configuration'
            ? Oid4vciErrorCode.UnsupportedCredential
            : Oid4vciErrorCode.IssuerError;
    throw new Oid4vciError(code, `the credential endpoint answered ${answer.status}${details.oauthError ? ` ${details.oauthError}` : ''}`, details);
  }
  const body = answer.json;
  if (isRecord(body) && typeof body['transaction_id'] === 'string') throw new Oid4vciError(Oid4vciErrorCode.DeferredUnsupported, 'the issuer deferred the issuance', details);
  const credentials = isRecord(body) ? body['credentials'] : undefined;
  if (!Array.isArray(credentials) || credentials.length === 0) throw new Oid4vciError(Oid4vciErrorCode.CredentialInvalid, 'the credential response has no credentials array', details);
  return credentials.map((entry) => {
    if (!isRecord(entry) || typeof entry['credential'] !== 'string') throw new Oid4vciError(Oid4vciErrorCode.CredentialInvalid, 'each credentials entry must be {credential: <string>}', details);
    return entry['credential'];
  });
}
