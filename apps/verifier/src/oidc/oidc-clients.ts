import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, tightenMode, type WarningSink } from '@citycred/persistence';
import { SIGN_IN_SCOPES, type SignInScope } from './sign-in-scopes.js';

/** How a site authenticates at the token endpoint. */
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A redirect URI: https, or http on a loopback host (a site run on this machine); no fragment. */
const redirectUri = z.string().refine((value) => {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.hash === '' && url.username === '' && (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)));
}, 'must be an https URL (or http on 127.0.0.1, localhost or [::1]) without a fragment');

const publicJwk = z.looseObject({ kty: z.enum(['EC', 'RSA', 'OKP']) }).refine((jwk) => !('d' in jwk) && !('p' in jwk) && !('k' in jwk), 'must be a public key (no private members)');

/** One site registered with the provider (config/oidc-clients.json). */
export const oidcClientConfigSchema = z
  .strictObject({
    /** The `client_id`: lower-case words joined by `-`. */
    clientId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64),
    /** The site's name, shown on the sign-in page. */
    name: z.strictObject({ ko: z.string().min(1).max(80), en: z.string().min(1).max(80) }),
    /** Where the provider may send the citizen back; all on one host, the site's pairwise sector. */
    redirectUris: z.array(redirectUri).min(1).max(10),
    /** The sign-in scopes the site may ask for (`openid` is always allowed). */
    scopes: z.array(z.enum(SIGN_IN_SCOPES)).max(SIGN_IN_SCOPES.length),
    tokenEndpointAuthMethod: z.enum(CLIENT_AUTH_METHODS),
    /** For `private_key_jwt`: the site's public keys, which sign its client assertions. */
    jwks: z.strictObject({ keys: z.array(publicJwk).min(1).max(10) }).optional(),
  })
  .superRefine((client, context) => {
    const hosts = new Set(client.redirectUris.filter((uri) => URL.canParse(uri)).map((uri) => new URL(uri).host));
    if (hosts.size > 1) context.addIssue({ code: 'custom', path: ['redirectUris'], message: 'must all be on one host (the site’s pairwise sector)' });
    if (client.tokenEndpointAuthMethod === 'private_key_jwt' && client.jwks === undefined) context.addIssue({ code: 'custom', path: ['jwks'], message: 'is required for private_key_jwt' });
    if (client.tokenEndpointAuthMethod !== 'private_key_jwt' && client.jwks !== undefined) context.addIssue({ code: 'custom', path: ['jwks'], message: 'is only for private_key_jwt' });
  });

/** One registered site (as {@link oidcClientConfigSchema} reads it, read-only). */
export interface OidcClientConfig {
  readonly clientId: string;
  readonly name: { readonly ko: string; readonly en: string };
  readonly redirectUris: readonly string[];
  readonly scopes: readonly SignInScope[];
  readonly tokenEndpointAuthMethod: (typeof CLIENT_AUTH_METHODS)[number];
  readonly jwks?: { readonly keys: readonly Readonly<Record<string, unknown>>[] } | undefined;
}

/** The clients file: `{"clients": [...]}`, client ids distinct. */
export const oidcClientsFileSchema = z.strictObject({ clients: z.array(oidcClientConfigSchema).max(1000) }).superRefine((file, context) => {
  const ids = file.clients.map((client) => client.clientId);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) context.addIssue({ code: 'custom', path: ['clients'], message: `client ${repeated} is listed twice` });
});

/**
 * Reads and checks the clients file.
 * @returns the clients, or the problems (each `path: message`), never a throw for a bad file
 */
export function parseOidcClients(json: unknown): { ok: true; clients: readonly OidcClientConfig[] } | { ok: false; problems: string[] } {
  const parsed = oidcClientsFileSchema.safeParse(json);
  if (parsed.success) return { ok: true, clients: parsed.data.clients };
  return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`) };
}

/** Where a client's secret was found. */
export interface ClientSecrets {
  /** The secret per `client_id`, for the clients that authenticate with one. */
  readonly secrets: ReadonlyMap<string, string>;
}

/**
 * The secrets of the clients that authenticate with one (`client_secret_basic`, `client_secret_post`): the entry of
 * `OIDC_CLIENT_SECRETS` when there is one; else the file `<dir>/<client_id>.secret`, made (32 random bytes,
 * base64url, mode 0600, in a directory only the owner may enter) when missing — the demo site, run on the same
 * machine, reads it from there. No secret is ever in the repository.
 * @param configured - `OIDC_CLIENT_SECRETS`, parsed
 * @param dir - `OIDC_CLIENT_SECRETS_DIR`
 * @throws Error when a secret file is readable by others and cannot be made private, or is empty
 */
export function loadClientSecrets(clients: readonly OidcClientConfig[], configured: Readonly<Record<string, string>>, dir: string, warn: WarningSink): ClientSecrets {
  const secrets = new Map<string, string>();
  for (const client of clients) {
    if (client.tokenEndpointAuthMethod === 'private_key_jwt') continue;
    const given = configured[client.clientId];
    if (given !== undefined) {
      secrets.set(client.clientId, given);
      continue;
    }
    const file = join(dir, `${client.clientId}.secret`);
    if (existsSync(file)) {
      tightenMode(file, PRIVATE_FILE_MODE, warn);
      const secret = readFileSync(file, 'utf8').trim();
      if (secret.length < 32) throw new Error(`${file} holds no client secret of at least 32 characters`);
      secrets.set(client.clientId, secret);
      continue;
    }
    ensurePrivateDirectory(dir, warn);
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    secrets.set(client.clientId, secret);
  }
  return { secrets };
}

/**
 * The client metadata oidc-provider registers for a site: authorization code flow only, pairwise subjects, ID tokens
 * signed ES256, and the site's own authentication at the token endpoint.
 */
export function providerClientMetadata(client: OidcClientConfig, secrets: ClientSecrets): Record<string, unknown> {
  const secret = secrets.secrets.get(client.clientId);
  return {
    client_id: client.clientId,
    client_name: client.name.en,
    redirect_uris: [...client.redirectUris],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    scope: ['openid', ...client.scopes].join(' '),
    subject_type: 'pairwise',
    id_token_signed_response_alg: 'ES256',
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.tokenEndpointAuthMethod === 'private_key_jwt' ? { jwks: client.jwks } : { client_secret: secret }),
  };
}
