import * as oidc from 'openid-client';
import type { CitizenClaims } from './pages.js';

/** What the site needs to sign citizens in with the verifier's OpenID Provider. */
export interface RelyingPartySettings {
  /** The provider's issuer, e.g. `http://127.0.0.1:3002/oidc` (its discovery document is under it). */
  readonly issuer: string;
  readonly clientId: string;
  /** The client secret the provider has for this site (`client_secret_basic`). */
  readonly clientSecret: string;
  /** This site's callback, as registered with the provider. */
  readonly redirectUri: string;
  /** The scopes asked for, space-separated. */
  readonly scope: string;
}

/** The scopes the demo site asks for: the name and the two flags its bookings depend on. */
export const SITE_SCOPE = 'openid name age_over_19 seoul_resident';

/** A sign-in in progress, kept by the browser in a signed cookie until the callback: the checks of the answer. */
export interface SignInTransaction {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The outcome of a callback: the citizen's claims, or the provider's refusal in its words. */
export type SignInOutcome = { kind: 'signed-in'; citizen: CitizenClaims } | { kind: 'refused'; error: string; description: string };

/** The provider cannot be reached or answered its discovery badly. */
export class ProviderUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the OpenID Provider cannot be reached: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ProviderUnavailable';
  }
}

/**
 * The site as an OpenID Connect relying party, with openid-client 6 (panva's certified client): authorization code
 * flow with PKCE (S256), `state` and `nonce`, `client_secret_basic` at the token endpoint, and the ID token (ES256)
 * checked against the provider's JWKS — issuer, audience, expiry, nonce. The provider is discovered at the first
 * sign-in (and again after a failed discovery), so the site starts whether or not the verifier is up yet.
 */
export class RelyingParty {
  private discovered: Promise<oidc.Configuration> | undefined;

  constructor(private readonly settings: RelyingPartySettings) {}

  /**
   * Starts a sign-in: a new state, nonce and PKCE verifier, and the authorization URL to send the browser to.
   * @throws ProviderUnavailable
   */
  async start(): Promise<{ url: URL; transaction: SignInTransaction }> {
    const config = await this.configuration();
    const transaction: SignInTransaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, transaction };
  }

  /**
   * Completes a sign-in at the callback: checks the answer's state, exchanges the code with the PKCE verifier and
   * checks the ID token and its nonce. An error answer with the right state (`access_denied`: the card was refused,
   * or the citizen cancelled) is a refusal, not an exception.
   * @param callbackUrl - the callback's full URL, as the browser requested it
   * @throws ProviderUnavailable; openid-client's errors for an answer that fails its checks (wrong state, a code
   *   refused at the token endpoint, a bad ID token)
   */
  async finish(callbackUrl: URL, transaction: SignInTransaction): Promise<SignInOutcome> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) return { kind: 'refused', error: error.error, description: error.error_description ?? error.error };
      throw error;
    }
    const claims = tokens.claims()!;
    return {
      kind: 'signed-in',
      citizen: {
        sub: claims.sub,
        name: typeof claims['name'] === 'string' ? claims['name'] : undefined,
        ageOver19: claims['age_over_19'] === true,
        seoulResident: claims['seoul_resident'] === true,
      },
    };
  }

  private configuration(): Promise<oidc.Configuration> {
    this.discovered ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      try {
        return await oidc.discovery(
          issuer,
          this.settings.clientId,
          { id_token_signed_response_alg: 'ES256' },
          oidc.ClientSecretBasic(this.settings.clientSecret),
          // A provider on this machine (npm start) answers plain http; any other must be https.
          { ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}), timeout: 10 },
        );
      } catch (error) {
        this.discovered = undefined;
        throw new ProviderUnavailable(error);
      }
    })();
    return this.discovered;
  }
}
