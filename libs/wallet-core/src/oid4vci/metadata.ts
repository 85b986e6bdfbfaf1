import { Oid4vciError, Oid4vciErrorCode } from './errors.js';
import { contactableUrl, isRecord, sendRequest, type WalletTransport } from './http.js';
import { errorDetailsOf, networkError, throwIfUnavailable } from './offer.js';

/** A name in one language, as metadata `display` arrays carry it. */
export interface DisplayName {
  readonly name: string;
  /** A BCP 47 tag (`ko-KR`, `en-US`), when the issuer gave one. */
  readonly locale?: string;
}

/** One credential the issuer offers (an entry of `credential_configurations_supported`), as the wallet uses it. */
export interface CredentialConfiguration {
  readonly id: string;
  /** `jwt_vc_json`, `dc+sd-jwt` (this wallet holds those two), or what else the issuer publishes. */
  readonly format: string;
  /** SD-JWT VC: the `vct`. */
  readonly vct?: string;
  /** `jwt_vc_json`: `credential_definition.type`. */
  readonly types?: readonly string[];
  /** The algorithms a `jwt` proof may be signed with; empty when the configuration takes no proof. */
  readonly proofSigningAlgs: readonly string[];
  readonly display: readonly DisplayName[];
}

/** The credential issuer's metadata (OpenID4VCI 1.0 §12.2), checked, as the wallet uses it. */
export interface IssuerMetadata {
  readonly credentialIssuer: string;
  readonly credentialEndpoint: string;
  readonly nonceEndpoint?: string;
  /** `authorization_servers`; empty when the issuer is its own authorization server. */
  readonly authorizationServers: readonly string[];
  readonly configurations: Readonly<Record<string, CredentialConfiguration>>;
  /** The issuer's name per language. */
  readonly display: readonly DisplayName[];
}

/** The authorization server's metadata (RFC 8414) as the pre-authorized code flow needs it. */
export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly tokenEndpoint: string;
}

/**
 * Where a well-known document of an identifier lives: the well-known segment is inserted between the host and the
 * identifier's path (OpenID4VCI 1.0 §12.2.2, RFC 8414 §3.1), not appended. `https://city.example/oid4vci/seoul` →
 * `https://city.example/.well-known/openid-credential-issuer/oid4vci/seoul`.
 * @param identifier - the issuer identifier (an absolute URL without query)
 * @param suffix - `openid-credential-issuer` or `oauth-authorization-server`
 */
export function wellKnownUrl(identifier: string, suffix: 'openid-credential-issuer' | 'oauth-authorization-server'): string {
  const url = new URL(identifier);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${suffix}${path}`;
}

/**
 * Fetches and checks the credential issuer's metadata. The document must name the same `credential_issuer` the
 * offer named, character for character: otherwise an offer could send the wallet's key proof to another issuer.
 * @param credentialIssuer - the offer's `credential_issuer`
 * @throws Oid4vciError `oid4vci.metadata-invalid` (not found, not JSON, another issuer, endpoints missing or not
 *   https), `oid4vci.issuer-unavailable`, `oid4vci.network`
 */
export async function fetchIssuerMetadata(credentialIssuer: string, transport: WalletTransport): Promise<IssuerMetadata> {
  const body = await fetchJsonDocument(wellKnownUrl(credentialIssuer, 'openid-credential-issuer'), transport);
  if (body['credential_issuer'] !== credentialIssuer) throw invalid(`the metadata names the issuer ${JSON.stringify(body['credential_issuer'])}, not ${credentialIssuer}`);
  const credentialEndpoint = endpoint(body['credential_endpoint'], 'credential_endpoint', transport);
  const nonceEndpoint = body['nonce_endpoint'] === undefined ? undefined : endpoint(body['nonce_endpoint'], 'nonce_endpoint', transport);
  const servers = body['authorization_servers'] ?? [];
  if (!Array.isArray(servers) || !servers.every((s) => typeof s === 'string')) throw invalid('authorization_servers must be an array of strings');
  const supported = body['credential_configurations_supported'];
  if (!isRecord(supported)) throw invalid('credential_configurations_supported must be an object');
  const configurations: Record<string, CredentialConfiguration> = {};
  for (const [id, raw] of Object.entries(supported)) {
    if (isRecord(raw)) configurations[id] = configurationOf(id, raw);
  }
  return {
    credentialIssuer,
    credentialEndpoint,
    ...(nonceEndpoint !== undefined ? { nonceEndpoint } : {}),
    authorizationServers: servers as string[],
    configurations,
    display: displayOf(body['display']),
  };
}

/**
 * Fetches the authorization server's metadata (RFC 8414) and checks its `issuer` and `token_endpoint`.
 * @param authorizationServer - the offer's `authorization_server`, else the issuer's only one, else the issuer itself
 * @throws Oid4vciError `oid4vci.metadata-invalid`, `oid4vci.issuer-unavailable`, `oid4vci.network`
 */
export async function fetchAuthorizationServerMetadata(authorizationServer: string, transport: WalletTransport): Promise<AuthorizationServerMetadata> {
  if (!contactableUrl(authorizationServer, transport.allowInsecureHttp)) throw invalid('the authorization server is not an https URL');
  const body = await fetchJsonDocument(wellKnownUrl(authorizationServer, 'oauth-authorization-server'), transport);
  if (body['issuer'] !== authorizationServer) throw invalid(`the authorization server metadata names ${JSON.stringify(body['issuer'])}, not ${authorizationServer}`);
  return { issuer: authorizationServer, tokenEndpoint: endpoint(body['token_endpoint'], 'token_endpoint', transport) };
}

/**
 * Which authorization server to ask for the token: the one the offer's grant names (it must be one of the issuer's),
 * the issuer's only one, or the issuer itself (OpenID4VCI 1.0 §12.2.4).
 * @throws Oid4vciError `oid4vci.metadata-invalid` for an offer naming a server the issuer does not list, or an issuer
 *   listing several without the offer choosing
 */
export function authorizationServerFor(offer: { authorizationServer?: string }, metadata: IssuerMetadata): string {
  const servers = metadata.authorizationServers;
  if (offer.authorizationServer !== undefined) {
    if (!servers.includes(offer.authorizationServer)) throw invalid('the offer names an authorization server the issuer does not list');
    return offer.authorizationServer;
  }
  if (servers.length === 0) return metadata.credentialIssuer;
  if (servers.length === 1) return servers[0]!;
  throw invalid('the issuer lists several authorization servers and the offer chooses none');
}

/**
 * The display name in the wanted language: the entry whose locale starts with it, else one without locale, else the
 * first.
 * @param language - `ko` or `en` (a BCP 47 primary tag)
 */
export function displayNameIn(display: readonly DisplayName[], language: string): string | undefined {
  const wanted = language.toLowerCase();
  return (
    display.find((d) => d.locale !== undefined && d.locale.toLowerCase().split('-')[0] === wanted)?.name ?? display.find((d) => d.locale === undefined)?.name ?? display[0]?.name
  );
}

async function fetchJsonDocument(url: string, transport: WalletTransport): Promise<Record<string, unknown>> {
  const answer = await sendRequest(transport.fetch, url, { method: 'GET', headers: { accept: 'application/json' } }, networkError);
  throwIfUnavailable(answer.status, errorDetailsOf(answer));
  if (answer.status !== 200) throw new Oid4vciError(Oid4vciErrorCode.MetadataInvalid, `${url} answered ${answer.status}`, { status: answer.status, ...errorDetailsOf(answer) });
  if (!isRecord(answer.json)) throw invalid(`${url} did not answer a JSON object`);
  return answer.json;
}

function configurationOf(id: string, raw: Record<string, unknown>): CredentialConfiguration {
  const definition = isRecord(raw['credential_definition']) ? raw['credential_definition'] : {};
  const types = Array.isArray(definition['type']) && definition['type'].every((t) => typeof t === 'string') ? (definition['type'] as string[]) : undefined;
  const proofTypes = isRecord(raw['proof_types_supported']) ? raw['proof_types_supported'] : {};
  const jwtProof = isRecord(proofTypes['jwt']) ? proofTypes['jwt'] : undefined;
  const algs = jwtProof && Array.isArray(jwtProof['proof_signing_alg_values_supported']) ? jwtProof['proof_signing_alg_values_supported'].filter((a): a is string => typeof a === 'string') : [];
  const metadata = isRecord(raw['credential_metadata']) ? raw['credential_metadata'] : {};
  return {
    id,
    format: typeof raw['format'] === 'string' ? raw['format'] : '',
    ...(typeof raw['vct'] === 'string' ? { vct: raw['vct'] } : {}),
    ...(types ? { types } : {}),
    proofSigningAlgs: algs,
    // 1.0 moved display under credential_metadata; drafts had it at the top.
    display: displayOf(metadata['display'] ?? raw['display']),
  };
}

function displayOf(value: unknown): DisplayName[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((d) => (typeof d['name'] === 'string' ? [{ name: d['name'], ...(typeof d['locale'] === 'string' ? { locale: d['locale'] } : {}) }] : []));
}

function endpoint(value: unknown, name: string, transport: WalletTransport): string {
  const url = contactableUrl(value, transport.allowInsecureHttp);
  if (!url) throw invalid(`${name} must be an https URL`);
  return url.href;
}

function invalid(message: string): Oid4vciError {
  return new Oid4vciError(Oid4vciErrorCode.MetadataInvalid, message);
}
