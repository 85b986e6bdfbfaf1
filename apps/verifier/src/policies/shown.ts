import type { CredentialPolicy, PresentedCredential, ShownClaims, ShownCredential } from './model.js';

const PATH = /^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$/;

/**
 * Checks a policy's `shows`: each entry names a type and at least one claim path of identifiers joined by `.`.
 * @throws RangeError for a malformed path or an entry without claims (a wiring fault)
 */
export function assertShownClaims(policyId: string, shows: readonly ShownClaims[]): void {
  for (const { type, claims } of shows) {
    if (claims.length === 0) throw new RangeError(`policy ${policyId} shows no claim of ${type}`);
    const bad = claims.find((path) => !PATH.test(path));
    if (bad !== undefined) throw new RangeError(`policy ${policyId}: ${JSON.stringify(bad)} is not a claim path`);
  }
}

/** The top-level claims a policy's `shows` reads of a type: what it must ask the wallet for. */
export function topLevelClaims(shown: ShownClaims): string[] {
  return [...new Set(shown.claims.map((path) => path.split('.')[0]!))];
}

/**
 * What `policy` shows of the presented credentials (`CredentialPolicy.shows`), in the order presented: for each
 * credential of a shown type, exactly the shown paths it disclosed, copied (a path that is missing, or runs through
 * something that is not an object, is left out). Nothing for a policy that shows nothing. Pass only credentials that
 * verified, as to `evaluate`.
 * @param policy - the policy whose `shows` applies
 * @param credentials - the verified credentials of one presentation
 */
export function shownCredentials(policy: Pick<CredentialPolicy, 'shows'>, credentials: readonly PresentedCredential[]): ShownCredential[] {
  const shows = policy.shows ?? [];
  if (shows.length === 0) return [];
  return credentials.flatMap((credential) => {
    const paths = shows.filter((shown) => shown.type === credential.type).flatMap((shown) => shown.claims);
    if (paths.length === 0) return [];
    const claims: Record<string, unknown> = {};
    for (const path of paths) {
      const value = valueAt(credential.claims, path.split('.'));
      if (value !== undefined) setAt(claims, path.split('.'), copy(value));
    }
    return [{ type: credential.type, issuer: credential.issuer, claims }];
  });
}

function valueAt(claims: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let value: unknown = claims;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

// The claims passed the credential's schema check: plain JSON. A deep copy, so the answer shares nothing with them.
function copy(value: unknown): unknown {
  return value === null || typeof value !== 'object' ? value : (JSON.parse(JSON.stringify(value)) as unknown);
}
