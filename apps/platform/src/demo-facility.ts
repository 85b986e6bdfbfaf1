import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE, tightenMode } from '@citycred/persistence';

/** The demo facility site's `client_id` at the verifier's OpenID Provider (config/oidc-clients.json). */
export const DEMO_FACILITY_CLIENT_ID = 'facility-booking-demo';

/** The entry of `clientId` in an `OIDC_CLIENT_SECRETS` list (`<client_id>=<secret>,…`), if any. */
function configuredSecret(list: string | undefined, clientId: string): string | undefined {
  for (const entry of (list ?? '').split(',').map((part) => part.trim())) {
    if (entry.startsWith(`${clientId}=`)) return entry.slice(clientId.length + 1);
  }
  return undefined;
}

/**
 * The demo facility site's client secret and the verifier's `OIDC_CLIENT_SECRETS` that carries it, so the launcher
 * hands the one secret to both processes by their environment (docs/oidc-provider.md, "The demo facility site"): the
 * operator's own entry for the client in `OIDC_CLIENT_SECRETS` when there is one; else the file
 * `<dir>/facility-booking-demo.secret` — the one the verifier would otherwise make itself — made once (32 random
 * bytes, base64url, mode 0600, in a directory only the owner may enter) and read at every later start.
 * @param dir - the verifier's `OIDC_CLIENT_SECRETS_DIR` (`var/oidc-clients`)
 * @param configured - the operator's `OIDC_CLIENT_SECRETS`, if set
 * @throws Error when the secret file holds fewer than 32 characters
 */
export function demoFacilitySecret(dir: string, configured: string | undefined, warn: (message: string) => void): { secret: string; verifierSecrets: string } {
  const given = configuredSecret(configured, DEMO_FACILITY_CLIENT_ID);
  if (given !== undefined) return { secret: given, verifierSecrets: configured! };
  const secret = privateSecretFile(dir, `${DEMO_FACILITY_CLIENT_ID}.secret`, 'client secret', warn);
  const entry = `${DEMO_FACILITY_CLIENT_ID}=${secret}`;
  return { secret, verifierSecrets: configured?.trim() ? `${configured},${entry}` : entry };
}

/** The label of the demo official's petition administrator key in the verifier's `PETITION_ADMIN_KEYS`. */
export const DEMO_PETITION_ADMIN_LABEL = 'demo-official';

/**
 * The demo official's petition administrator key (docs/petitions.md) and the verifier's `PETITION_ADMIN_KEYS` that
 * carries it, made and kept as {@link demoFacilitySecret} keeps the facility's secret: the operator's own
 * `demo-official` entry in `PETITION_ADMIN_KEYS` when there is one (no file); else the file
 * `<dir>/demo-official.key`, made once (32 random bytes, base64url, mode 0600, in a private directory) and read at
 * every later start.
 * @param dir - where the demo's petition administrator keys are kept (`var/petition-admins`)
 * @param configured - the operator's `PETITION_ADMIN_KEYS`, if set
 * @returns the key, the verifier's list, and the file it is kept in (null when the operator gave it)
 * @throws Error when the key file holds fewer than 32 characters
 */
export function demoPetitionAdminKey(dir: string, configured: string | undefined, warn: (message: string) => void): { key: string; verifierKeys: string; file: string | null } {
  const given = configuredSecret(configured, DEMO_PETITION_ADMIN_LABEL);
  if (given !== undefined) return { key: given, verifierKeys: configured!, file: null };
  const key = privateSecretFile(dir, `${DEMO_PETITION_ADMIN_LABEL}.key`, 'petition administrator key', warn);
  const entry = `${DEMO_PETITION_ADMIN_LABEL}=${key}`;
  return { key, verifierKeys: configured?.trim() ? `${configured},${entry}` : entry, file: join(dir, `${DEMO_PETITION_ADMIN_LABEL}.key`) };
}

/** The secret in `<dir>/<name>`, made there first when missing (32 random bytes, base64url, mode 0600, private `dir`). */
function privateSecretFile(dir: string, name: string, what: string, warn: (message: string) => void): string {
  ensurePrivateDirectory(dir, warn);
  const file = join(dir, name);
  if (existsSync(file)) {
    tightenMode(file, PRIVATE_FILE_MODE, warn);
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new Error(`${file} holds no ${what} of at least 32 characters: delete it to have a new one made`);
    return secret;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return secret;
}
