import type { Clock } from '@citycred/config';
import Provider, { type Account, type Client, type FoundToken, type KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { OidcAdapter } from './oidc-adapter.js';
import { providerClientMetadata, type ClientSecrets, type OidcClientConfig } from './oidc-clients.js';
import type { OidcSecrets } from './oidc-secrets.js';
import type { SignInRecords } from './sign-in-records.js';
import { SIGN_IN_SCOPES } from './sign-in-scopes.js';
import type { SignInSubjects } from './subjects.js';

/** Where the provider is mounted under the verifier: its issuer is `<verifier public URL>/oidc`. */
export const OIDC_MOUNT = '/oidc';

/** Where the provider sends the citizen to sign in: `/sign-in/<interaction uid>`. */
export const SIGN_IN_PATH = '/sign-in';

/** How long things live (seconds). */
export const OIDC_TTL = Object.freeze({
  /** An authorization code: the site exchanges it at once. */
  AuthorizationCode: 60,
  /** The sign-in page's interaction: the citizen presents the card within it. */
  Interaction: 600,
  /** The grant, and the claims kept for its ID token: long enough for the code exchange, no more. */
  Grant: 600,
  IdToken: 600,
  AccessToken: 600,
  /** The provider's session cookie: a browser session, not a remembered login. */
  Session: 600,
});

/** What the provider is built from. */
export interface OidcProviderParts {
  dataSource: DataSource;
  clock: Clock;
  clients: readonly OidcClientConfig[];
  clientSecrets: ClientSecrets;
  secrets: OidcSecrets;
  subjects: SignInSubjects;
  records: SignInRecords;
  /** Whether to believe `X-Forwarded-Proto`/`-Host` (the verifier's `TRUST_PROXY`). */
  proxy: boolean;
}

/** The Content Security Policy of the provider's own HTML (its error page): no script, no style but inline attributes none. */
export const OIDC_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The OpenID Provider (panva's oidc-provider, OpenID Certified) for public facility sites: authorization code flow
 * with PKCE (S256) required for every client, the clients of config/oidc-clients.json only (no dynamic
 * registration), pairwise subjects per site, the sign-in scopes' claims in the ID token (no userinfo endpoint), and
 * the interaction handed to the verifier's sign-in page, which asks the citizen's wallet for an OpenID4VP
 * presentation. Storage is {@link OidcAdapter} over the verifier database.
 * @param issuer - `<verifier public URL>/oidc`
 */
export function createOidcProvider(issuer: string, parts: OidcProviderParts): Provider {
  const writes = { count: 0 };
  const { records, subjects } = parts;
  const provider = new Provider(issuer, {
    adapter: (model: string) => new OidcAdapter(model, parts.dataSource, parts.clock, writes),
    clients: parts.clients.map((client) => providerClientMetadata(client, parts.clientSecrets)),
    jwks: { keys: parts.secrets.signingKeys.map((key) => ({ ...key })) },
    cookies: {
      keys: [parts.secrets.cookieKey],
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    scopes: ['openid', ...SIGN_IN_SCOPES],
    claims: Object.fromEntries([['openid', ['sub']], ...SIGN_IN_SCOPES.map((scope) => [scope, [scope]])]),
    // The claims go into the ID token itself, whatever else is issued with it.
    conformIdTokenClaims: false,
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: async (_ctx: KoaContextWithOIDC, accountId: string, client: Client) => subjects.pairwiseSubject(client.sectorIdentifier ?? new URL(client.redirectUris[0]!).host, accountId),
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'ES256', subject_type: 'pairwise' },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      registration: { enabled: false },
      introspection: { enabled: false },
      revocation: { enabled: false },
      claimsParameter: { enabled: false },
      requestObjects: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
    },
    ttl: { ...OIDC_TTL },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `${SIGN_IN_PATH}/${interaction.uid}` },
    // At the token endpoint the account must still have the claims its sign-in verified: none kept, no ID token.
    findAccount: async (_ctx: KoaContextWithOIDC, accountId: string, token?: FoundToken): Promise<Account | undefined> => {
      if (token === undefined) return { accountId, claims: () => ({ sub: accountId }) };
      if (typeof token.grantId !== 'string') return undefined;
      const claims = await records.claimsOfGrant(token.grantId, accountId);
      if (claims === undefined) return undefined;
      return { accountId, claims: () => ({ sub: accountId, ...claims }) };
    },
    renderError: async (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      ctx.set('content-security-policy', OIDC_PAGE_CSP);
      ctx.set('cache-control', 'no-store');
      ctx.type = 'html';
      ctx.body = errorPage(String(out['error'] ?? 'server_error'), typeof out['error_description'] === 'string' ? out['error_description'] : undefined);
    },
  });
  provider.proxy = parts.proxy;
  return provider;
}

/** The provider's error page (a request it cannot send back to a site): the OAuth error, escaped. */
function errorPage(error: string, description: string | undefined): string {
  return `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>로그인 오류 · Sign-in error</title></head>
<body><main><h1>로그인할 수 없습니다 · The sign-in cannot continue</h1><p><code>${escapeHtml(error)}</code>${description ? ` — ${escapeHtml(description)}` : ''}</p>
<p>로그인을 시작한 누리집으로 돌아가 다시 시도하세요. · Go back to the site you came from and try again.</p></main></body></html>`;
}

/** Text made safe to put in HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
