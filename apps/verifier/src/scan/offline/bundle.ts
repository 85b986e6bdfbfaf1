import { decodeCompactJws, didJwkOf, FormatError, nobleSignatureCrypto, publicJwkOfDid, verifyJwsSignature, type DecodedJws, type PublicJwk } from '@citycred/formats';
import { OFFLINE_BUNDLE_TYP, type OfflineBundlePayload } from './bundle-format.js';
import { BUNDLE_TEXT, type LocalisedText } from './texts.js';

/** After this many seconds the page warns that its offline data is old (it may still be used until it expires). */
export const BUNDLE_OLD_AFTER_SECONDS = 12 * 60 * 60;

/** A bundle whose signature held: its payload, and the JWS it was read from. */
export interface VerifiedBundle {
  readonly valid: true;
  readonly bundle: OfflineBundlePayload;
  readonly jws: string;
}

/** What {@link verifyBundle} found: the bundle, or why it cannot be used (in Korean and English, and in detail). */
export type BundleCheck = VerifiedBundle | { readonly valid: false; readonly reason: LocalisedText; readonly detail: string };

/** How old a bundle is at an instant. */
export interface BundleAge {
  /** When the verifier built it (ISO 8601). */
  readonly issuedAt: string;
  /** Until when it may be used (ISO 8601). */
  readonly expiresAt: string;
  /** Whole seconds since it was built (0 when the device's clock is behind the verifier's). */
  readonly ageSeconds: number;
  /** Older than {@link BUNDLE_OLD_AFTER_SECONDS}: the page warns. */
  readonly old: boolean;
  /** Past its `exp`: it verifies nothing. */
  readonly expired: boolean;
}

/**
 * The verifier's key a bundle names (its `kid`, the DID URL of a did:jwk), read without checking anything: the page
 * takes it from a bundle it fetched from its own origin, keeps it, and checks every bundle it uses offline against it.
 * @returns the public JWK, or undefined when the bundle names no did:jwk key
 */
export function verifierJwkOf(jws: string): PublicJwk | undefined {
  let decoded: DecodedJws;
  try {
    decoded = decodeCompactJws(jws);
  } catch {
    return undefined;
  }
  const kid = decoded.header.kid;
  if (typeof kid !== 'string' || !kid.startsWith('did:jwk:') || !kid.endsWith('#0')) return undefined;
  try {
    return publicJwkOfDid(kid.slice(0, -2));
  } catch {
    return undefined;
  }
}

/**
 * Checks an offline bundle (`GET /scan/offline-bundle`): a compact JWS of `typ` `citycred-scan-bundle+jwt`, ES256,
 * whose `kid` is `<did:jwk of verifierJwk>#0`, signed by that key, with the payload's `iss` that DID and the members
 * the offline verifier reads. Whether it has expired is judged when it is used ({@link verifyOffline}). Never throws.
 * @param jws - the bundle as fetched
 * @param verifierJwk - the verifier's public key (P-256) the page trusts
 */
export async function verifyBundle(jws: string, verifierJwk: PublicJwk): Promise<BundleCheck> {
  let decoded: DecodedJws;
  try {
    decoded = decodeCompactJws(typeof jws === 'string' ? jws.trim() : '');
  } catch (error) {
    return refused('malformed', error instanceof FormatError ? `the bundle is not a compact JWS: ${error.message}` : 'the bundle is not a compact JWS');
  }
  if (decoded.header.typ !== OFFLINE_BUNDLE_TYP) return refused('malformed', `the bundle's typ is not ${OFFLINE_BUNDLE_TYP}`);
  let did: string;
  try {
    did = didJwkOf(verifierJwk);
  } catch {
    return refused('signature', "the verifier's key is not a public JWK");
  }
  if (decoded.header.alg !== 'ES256' || decoded.header.kid !== `${did}#0`) return refused('signature', "the bundle is not signed with the verifier's key (alg ES256, kid)");
  const proof = await verifyJwsSignature(decoded, [{ kind: 'jwk', id: `${did}#0`, jwk: verifierJwk }], nobleSignatureCrypto);
  if (!proof.valid) return refused('signature', "the bundle's signature does not verify against the verifier's key");
  const payload = decoded.payload;
  if (payload['iss'] !== did) return refused('signature', "the bundle's iss is not the verifier's DID");
  const shape = shapeProblem(payload);
  if (shape !== undefined) return refused('malformed', `the bundle's payload is not one this page reads: ${shape}`);
  return { valid: true, bundle: payload as unknown as OfflineBundlePayload, jws: decoded.compact };
}

/** How old `bundle` is at `now`. */
export function bundleAge(bundle: OfflineBundlePayload, now: Date): BundleAge {
  const nowSeconds = now.getTime() / 1000;
  const ageSeconds = Math.max(0, Math.floor(nowSeconds - bundle.iat));
  return {
    issuedAt: new Date(bundle.iat * 1000).toISOString(),
    expiresAt: new Date(bundle.exp * 1000).toISOString(),
    ageSeconds,
    old: ageSeconds > BUNDLE_OLD_AFTER_SECONDS,
    expired: nowSeconds >= bundle.exp,
  };
}

function refused(reason: 'malformed' | 'signature', detail: string): BundleCheck {
  return { valid: false, reason: BUNDLE_TEXT[reason], detail };
}

/** What is wrong with a payload's shape (the members the offline verifier reads), or undefined. */
function shapeProblem(payload: Readonly<Record<string, unknown>>): string | undefined {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
  if (!isTime(payload['iat']) || !isTime(payload['exp']) || payload['exp'] <= payload['iat']) return 'iat and exp must be NumericDates, exp after iat';
  const scan = payload['scan'];
  if (!isObject(scan) || typeof scan['audience'] !== 'string' || !isTime(scan['maxAgeSeconds']) || typeof scan['clockSkewSeconds'] !== 'number') return 'scan must give audience, maxAgeSeconds and clockSkewSeconds';
  const chain = payload['chain'];
  if (!isObject(chain) || typeof chain['didNetwork'] !== 'string') return 'chain must give didNetwork';
  if (typeof payload['vctBaseUrl'] !== 'string') return 'vctBaseUrl must be a string';
  const issuers = payload['issuers'];
  const lists = payload['statusLists'];
  if (!Array.isArray(issuers) || !Array.isArray(lists) || !Array.isArray(payload['missing'])) return 'issuers, statusLists and missing must be lists';
  for (const issuer of issuers) {
    if (!isObject(issuer) || typeof issuer['did'] !== 'string' || typeof issuer['address'] !== 'string' || !Array.isArray(issuer['keys']) || !Array.isArray(issuer['types'])) {
      return 'each issuer must give did, address, keys and types';
    }
    if (!issuer['keys'].every((key) => isObject(key) && typeof key['id'] === 'string' && typeof key['kind'] === 'string')) return 'each key must give id and kind';
    if (!issuer['types'].every((type) => isObject(type) && typeof type['name'] === 'string' && typeof type['hash'] === 'string')) return 'each type must give name and hash';
    const name = issuer['name'];
    if (name !== undefined && !(isObject(name) && typeof name['ko'] === 'string' && (name['en'] === null || typeof name['en'] === 'string'))) return "an issuer's name must give ko, and en or null";
    const anchors = issuer['anchors'];
    if (anchors !== undefined && !(isObject(anchors) && typeof anchors['since'] === 'number' && Array.isArray(anchors['roots']))) return "an issuer's anchors must give since and roots";
    const roots = isObject(anchors) && Array.isArray(anchors['roots']) ? anchors['roots'] : [];
    const isRoot = (root: unknown) =>
      isObject(root) && typeof root['root'] === 'string' && typeof root['block'] === 'number' && typeof root['at'] === 'number' && Array.isArray(root['types']) && root['types'].every((t) => typeof t === 'string');
    if (!roots.every(isRoot)) return 'each anchored root must give root, block, at and types';
  }
  const anchoring = payload['anchoring'];
  if (!isObject(anchoring) || typeof anchoring['checked'] !== 'boolean') return 'anchoring must say whether roots are carried';
  if (anchoring['checked'] === true && (typeof anchoring['days'] !== 'number' || typeof anchoring['rootsPerIssuer'] !== 'number')) return 'anchoring must give days and rootsPerIssuer';
  if (!lists.every((list) => isObject(list) && typeof list['uri'] === 'string' && typeof list['issuer'] === 'string' && typeof list['jwt'] === 'string')) return 'each status list must give uri, issuer and jwt';
  return undefined;
}
