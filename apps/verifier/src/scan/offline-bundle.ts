import { credentialTypeHash } from '@citycred/anchors';
import type { AnchorLedger } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { CREDENTIAL_TYPES, VCT_BASE_URL, type DirectoryIssuer } from '@citycred/credentials';
import { AppError, ErrorCode } from '@citycred/errors';
import { decodeCompactJws, didEthrAddress, FormatError, nobleSignatureCrypto, verifyJwsSignature, type VerificationKey } from '@citycred/formats';
import { STATUS_LIST_JWT_TYP } from '@citycred/status-list';
import type { Resolvable } from 'did-resolver';
import { getAddress } from 'ethers';
import { CompactSign } from 'jose';
import { directoryByAddress } from '../issuers/accredited-names.js';
import type { IssuerDirectorySource } from '../issuers/issuer-directory-source.js';
import type { RequestSigningKey } from '../oid4vp/request-signing-key.js';
import { isChainOutage } from '../verification/chain-outage.js';
import { signingKeysOnly } from '../verification/issuer-keys.js';
import { verificationKeysOf } from '../verification/status-check.js';
import type { StatusListSource } from '../verification/status-list-source.js';
import type { TrustedStatusLists } from '../verification/trusted-status-lists.js';
import type { AccreditedIssuerIndex, AnchoredRoots } from './accredited-issuers.js';
import {
  OFFLINE_BUNDLE_TYP,
  type BundleAnchors,
  type BundleIssuer,
  type BundleKey,
  type BundleMissingList,
  type BundleRoot,
  type BundleStatusList,
  type BundleType,
  type OfflineBundlePayload,
} from './offline/bundle-format.js';
import { SCAN_AUDIENCE_PATH } from './scanned-presentations.js';

/** How long a built bundle is handed out again before it is built anew (seconds): the same for every employer. */
export const OFFLINE_BUNDLE_REUSE_SECONDS = 60;

/** How many days of anchored roots the bundle carries by default (docs/presentations.md, "Offline scanning"). */
export const OFFLINE_BUNDLE_ANCHOR_DAYS = 30;

/** How many roots of each issuer the bundle carries at most by default (the newest). */
export const OFFLINE_BUNDLE_ROOTS_PER_ISSUER = 200;

/** How many anchors are read from the chain at once while a bundle is built. */
const ANCHOR_READS_AT_ONCE = 8;

/** Settings of {@link OfflineBundles}. */
export interface OfflineBundleSettings {
  /** How long a bundle may be used after it was built (`SCAN_OFFLINE_BUNDLE_TTL_SECONDS`). */
  ttlSeconds: number;
  /** How old a presentation shown to the scanner may be (`SCAN_PRESENTATION_MAX_AGE_SECONDS`). */
  maxPresentationAgeSeconds: number;
  clockSkewSeconds: number;
  /** The did:ethr network name of the city chain. */
  didNetwork: string;
  chainId: number;
  /** The roots of the last this many days are carried ({@link OFFLINE_BUNDLE_ANCHOR_DAYS} when not given) … */
  anchorDays?: number;
  /** … at most this many per issuer, the newest ({@link OFFLINE_BUNDLE_ROOTS_PER_ISSUER} when not given). */
  rootsPerIssuer?: number;
}

/** What {@link OfflineBundles} reads the bundle from. */
export interface OfflineBundleSources {
  /** The chain's events: the issuers ever accredited, and the roots each anchored. */
  issuers: Pick<AccreditedIssuerIndex, 'candidates' | 'rootsOf'>;
  /** The chain's answers: accreditation, and each anchored root's time (`anchorOf`; read once per root when cached). */
  ledger: Pick<AnchorLedger, 'isAccredited' | 'isUp' | 'findAnchor'>;
  resolver: Resolvable;
  statusLists: StatusListSource;
  trustedLists: Pick<TrustedStatusLists, 'list'>;
  /** The city's issuer directory: the issuers' names and the URLs of their status lists. */
  directory: IssuerDirectorySource;
  signingKey: RequestSigningKey;
  clock: Clock;
}

/** A bundle built, for one audience. */
interface Built {
  readonly jws: string;
  readonly audience: string;
  /** Epoch milliseconds (injected clock). */
  readonly builtAt: number;
  readonly expiresAt: number;
}

/** How many status lists are fetched at once while a bundle is built. */
const LIST_FETCHES_AT_ONCE = 8;

/** The catalogue's credential types by their registry hash. */
const CATALOGUE_BY_HASH: ReadonlyMap<string, string> = new Map(CREDENTIAL_TYPES.map((name) => [credentialTypeHash(name).toLowerCase(), name]));

/**
 * The employer scanner's signed offline bundle (`GET /scan/offline-bundle`, docs/presentations.md "Offline
 * scanning"): the city's accredited issuers (their DID, the keys that may sign for them now and the catalogue types
 * they are accredited for now, read from the IssuerRegistry's events and answers, with the names the issuer directory
 * gives them), the status lists of those issuers — every Token Status List the directory names for them, checked
 * here to be signed by the issuer, and the lists this verifier has trusted — fetched now as their issuers serve them
 * (the page checks their signatures itself), the roots those issuers anchored lately (from the CredentialAnchor's
 * `RootAnchored` events and `anchorOf`: the last {@link OfflineBundleSettings.anchorDays} days, at most
 * {@link OfflineBundleSettings.rootsPerIssuer} per issuer, each with the types its issuer was accredited for then), and
 * what a scanned presentation must meet, in a compact JWS signed by the verifier's request-signing key.
 * A built bundle is handed out again for {@link OFFLINE_BUNDLE_REUSE_SECONDS} (one build serves every employer, and
 * concurrent requests share one build); while the chain does not answer the last one is handed out until it expires.
 */
export class OfflineBundles {
  private last: Built | undefined;
  private building: { audience: string; promise: Promise<Built> } | undefined;

  constructor(
    private readonly sources: OfflineBundleSources,
    private readonly settings: OfflineBundleSettings,
  ) {}

  /**
   * The current bundle for the verifier at `publicUrl`.
   * @param publicUrl - the verifier's public URL (no trailing slash): presentations name `<publicUrl>/scan`
   * @returns the compact JWS
   * @throws AppError `service.unavailable` when the chain does not answer and no bundle built before is still valid
   */
  async current(publicUrl: string): Promise<string> {
    const audience = `${publicUrl}${SCAN_AUDIENCE_PATH}`;
    const now = this.sources.clock.now().getTime();
    const last = this.last;
    if (last && last.audience === audience && now - last.builtAt < OFFLINE_BUNDLE_REUSE_SECONDS * 1000 && now < last.expiresAt) return last.jws;
    try {
      return (await this.build(audience)).jws;
    } catch (error) {
      if (!(error instanceof ChainDown)) throw error;
      const fallback = this.last;
      if (fallback && fallback.audience === audience && this.sources.clock.now().getTime() < fallback.expiresAt) return fallback.jws;
      throw new AppError(ErrorCode.ServiceUnavailable, 'The offline bundle cannot be built: the city chain is not answering; try again later.', { cause: error.cause, retryAfterSeconds: 30 });
    }
  }

  private build(audience: string): Promise<Built> {
    if (this.building?.audience === audience) return this.building.promise;
    const promise = this.buildNow(audience)
      .then((built) => {
        this.last = built;
        return built;
      })
      .finally(() => {
        if (this.building?.promise === promise) this.building = undefined;
      });
    this.building = { audience, promise };
    return promise;
  }

  private async buildNow(audience: string): Promise<Built> {
    const { clock, signingKey } = this.sources;
    const issuedAt = clock.now();
    const iat = Math.floor(issuedAt.getTime() / 1000);
    const exp = iat + this.settings.ttlSeconds;
    const { head, issuers: accredited, keys } = await this.chainReadings(issuedAt);
    const reading = await this.sources.directory.current();
    const listed = reading ? directoryByAddress(reading.directory, this.settings.didNetwork) : new Map<string, DirectoryIssuer>();
    const issuers = accredited.map((issuer) => {
      const entry = listed.get(issuer.address);
      return entry ? { ...issuer, name: { ko: entry.name.ko, en: entry.name.en } } : issuer;
    });
    const { statusLists, missing } = await this.statusListsOf(issuers, listed, keys, issuedAt);
    const payload: OfflineBundlePayload = {
      iss: signingKey.did,
      iat,
      exp,
      chain: { chainId: this.settings.chainId, didNetwork: this.settings.didNetwork, block: head.number, blockTime: head.timestamp },
      scan: { audience, maxAgeSeconds: this.settings.maxPresentationAgeSeconds, clockSkewSeconds: this.settings.clockSkewSeconds },
      vctBaseUrl: VCT_BASE_URL,
      issuers,
      statusLists,
      missing,
      directory: reading ? { fetchedAt: Math.floor(reading.fetchedAt.getTime() / 1000), stale: reading.stale } : null,
      anchoring: { checked: true, ...this.anchorWindow() },
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', typ: OFFLINE_BUNDLE_TYP, kid: signingKey.kid })
      .sign(signingKey.privateKey);
    return { jws, audience, builtAt: issuedAt.getTime(), expiresAt: exp * 1000 };
  }

  /**
   * The accredited issuers as of now: every issuer an `IssuerAccredited` event named, for each catalogue type it
   * named, asked whether it is accredited now; each with at least one type, with its owner's keys as of now.
   * @throws ChainDown when the chain does not answer
   */
  private async chainReadings(now: Date): Promise<{ head: { number: number; timestamp: number }; issuers: BundleIssuer[]; keys: Map<string, VerificationKey[]> }> {
    const { issuers: index, ledger, resolver } = this.sources;
    const keysByAddress = new Map<string, VerificationKey[]>();
    try {
      const { head, types } = await index.candidates();
      const issuers = await Promise.all(
        [...types].sort(([a], [b]) => a.localeCompare(b)).map(async ([address, hashes]): Promise<BundleIssuer | null> => {
          const named = [...hashes].flatMap((hash) => (CATALOGUE_BY_HASH.has(hash) ? [{ name: CATALOGUE_BY_HASH.get(hash)!, hash }] : []));
          const accredited = (await Promise.all(named.map(async (type) => ((await ledger.isAccredited(address, type.name, now)) ? type : null)))).filter((t) => t !== null);
          if (accredited.length === 0) return null;
          const did = `did:ethr:${this.settings.didNetwork}:${getAddress(address)}`;
          const resolved = await resolver.resolve(did).catch(() => undefined);
          if (!resolved?.didDocument || resolved.didResolutionMetadata.error) {
            // ethr-did-resolver reports a chain that does not answer as notFound; any other DID that does not resolve
            // is left out (every well-formed did:ethr resolves, so this is not expected).
            if (!(await ledger.isUp())) throw new ChainDown(new Error(`the DID ${did} could not be resolved`));
            return null;
          }
          const keys = verificationKeysOf(signingKeysOnly(resolved.didDocument, { acceptDelegates: false }));
          keysByAddress.set(address, keys);
          const sorted = accredited.sort((a, b) => a.name.localeCompare(b.name));
          const anchors = await this.anchorsOf(address, sorted, index.rootsOf(address), now);
          return { did, address, keys: keys.map(bundleKeyOf), types: sorted, anchors };
        }),
      );
      return { head, issuers: issuers.filter((issuer): issuer is BundleIssuer => issuer !== null), keys: keysByAddress };
    } catch (error) {
      if (error instanceof ChainDown) throw error;
      if (isChainOutage(error) || !(await ledger.isUp())) throw new ChainDown(error);
      throw error;
    }
  }

  /** How far back the bundle's anchored roots go: the settings, or the defaults. */
  private anchorWindow(): { days: number; rootsPerIssuer: number } {
    return { days: this.settings.anchorDays ?? OFFLINE_BUNDLE_ANCHOR_DAYS, rootsPerIssuer: this.settings.rootsPerIssuer ?? OFFLINE_BUNDLE_ROOTS_PER_ISSUER };
  }

  /** The roots `address` anchored lately ({@link recentAnchors}), within the configured window. */
  private anchorsOf(address: string, types: readonly BundleType[], known: AnchoredRoots, now: Date): Promise<BundleAnchors> {
    const { days, rootsPerIssuer } = this.anchorWindow();
    return recentAnchors(address, types, known, this.sources.ledger, { oldestMs: now.getTime() - days * 86_400_000, limit: rootsPerIssuer });
  }

  /**
   * The status lists of `issuers`, fetched now (from cache when fresh): every Token Status List the directory names
   * for an accredited issuer — kept only when it is a `statuslist+jwt` about its URL signed by one of the issuer's keys
   * now — and the lists this verifier trusted (of either kind) of those issuers. Those that cannot be fetched or are not
   * the issuer's are `missing`.
   */
  private async statusListsOf(
    issuers: readonly BundleIssuer[],
    listed: ReadonlyMap<string, DirectoryIssuer>,
    keys: ReadonlyMap<string, VerificationKey[]>,
    now: Date,
  ): Promise<{ statusLists: BundleStatusList[]; missing: BundleMissingList[] }> {
    const accredited = new Set(issuers.map((issuer) => issuer.address));
    const wanted = new Map<string, { issuerDid: string; check?: { keys: VerificationKey[] } }>();
    for (const { url, issuerDid } of this.sources.trustedLists.list()) {
      const address = didEthrAddress(issuerDid, this.settings.didNetwork);
      if (address !== null && accredited.has(address)) wanted.set(url, { issuerDid });
    }
    for (const address of accredited) {
      const entry = listed.get(address);
      if (!entry) continue;
      for (const url of entry.statusLists.token) if (!wanted.has(url)) wanted.set(url, { issuerDid: entry.did, check: { keys: keys.get(address) ?? [] } });
    }
    const answers = await inBatches([...wanted], LIST_FETCHES_AT_ONCE, async ([url, { issuerDid, check }]) => {
      const answer = await this.sources.statusLists.fetchList(url);
      if (answer.kind !== 'list' || !check) return { url, issuerDid, answer };
      const problem = await tokenListProblem(answer.jwt, url, issuerDid, check.keys, now, this.settings.clockSkewSeconds);
      return { url, issuerDid, answer: problem === undefined ? answer : { kind: 'refused' as const, reason: `the list is not the issuer's: ${problem}` } };
    });
    const statusLists: BundleStatusList[] = [];
    const missing: BundleMissingList[] = [];
    for (const { url, issuerDid, answer } of answers.sort((a, b) => a.url.localeCompare(b.url))) {
      if (answer.kind === 'list') statusLists.push({ uri: url, issuer: issuerDid, jwt: answer.jwt });
      else missing.push({ uri: url, issuer: issuerDid, reason: answer.reason });
    }
    return { statusLists, missing };
  }
}

/**
 * The roots `address` anchored lately, for the offline bundle, newest first: walking its `RootAnchored` events back
 * from the newest, each root's time read with `anchorOf` (the chain's word; the verifier's ledger keeps it per root),
 * until one is older than `oldestMs` or `limit` roots are listed; each with those of `types` the issuer was
 * accredited for at its time. `since` is the block after the newest root left out — 0 when none was and no older
 * event was let go — so the list holds every root of the issuer from `since` to the block the events were read to.
 * @param known - the issuer's `RootAnchored` events, oldest first
 * @throws whatever the chain throws when it does not answer
 */
export async function recentAnchors(
  address: string,
  types: readonly BundleType[],
  known: AnchoredRoots,
  ledger: Pick<AnchorLedger, 'findAnchor' | 'isAccredited'>,
  window: { oldestMs: number; limit: number },
): Promise<BundleAnchors> {
  const events = [...known.events].reverse();
  const roots: BundleRoot[] = [];
  let since = known.complete ? 0 : (events.at(-1)?.blockNumber ?? 0) + 1;
  let cut = false;
  // Read in small groups from the newest: the walk stops at the window's start, so old roots cost nothing.
  for (let at = 0; at < events.length && !cut; at += ANCHOR_READS_AT_ONCE) {
    const group = events.slice(at, at + ANCHOR_READS_AT_ONCE);
    const found = await Promise.all(group.map((event) => ledger.findAnchor(address, event.root)));
    for (let i = 0; i < group.length; i += 1) {
      const anchor = found[i];
      if (!anchor) continue; // an event the contract does not answer for (read before the chain was reset)
      if (roots.length >= window.limit || anchor.anchoredAt.getTime() < window.oldestMs) {
        since = group[i]!.blockNumber + 1;
        cut = true;
        break;
      }
      const accreditedThen = await Promise.all(types.map(async (type) => ((await ledger.isAccredited(address, type.name, anchor.anchoredAt)) ? type.name : null)));
      roots.push({ root: group[i]!.root, block: anchor.blockNumber, at: Math.floor(anchor.anchoredAt.getTime() / 1000), types: accreditedThen.filter((name): name is string => name !== null) });
    }
  }
  return { since, roots };
}

/**
 * Why a status list token the directory named is not the issuer's to carry, or undefined when it is: a compact JWS of
 * `typ` `statuslist+jwt` whose `sub` is its URL, whose `iss` (when present) is the issuer, signed by one of the
 * issuer's keys now, issued no later than now (give or take the clock skew) and not expired — what the page checks
 * again before it reads an entry.
 */
export async function tokenListProblem(jwt: string, uri: string, issuerDid: string, keys: readonly VerificationKey[], now: Date, clockSkewSeconds: number): Promise<string | undefined> {
  let token;
  try {
    token = decodeCompactJws(jwt);
  } catch (error) {
    return error instanceof FormatError ? `it is not a compact JWS (${error.code})` : 'it is not a compact JWS';
  }
  if (token.header.typ !== STATUS_LIST_JWT_TYP) return `its typ is not ${STATUS_LIST_JWT_TYP}`;
  const claims = token.payload;
  if (claims['sub'] !== uri) return 'its sub is not its URL';
  if (claims['iss'] !== undefined && claims['iss'] !== issuerDid) return 'it names another issuer';
  const iat = claims['iat'];
  const exp = claims['exp'];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'its iat is not a NumericDate';
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) return 'its exp is not a NumericDate';
  const skew = clockSkewSeconds * 1000;
  if (iat * 1000 - skew > now.getTime()) return 'it is issued in the future';
  if (typeof exp === 'number' && exp * 1000 + skew <= now.getTime()) return 'it has expired';
  const proof = await verifyJwsSignature(token, keys, nobleSignatureCrypto);
  return proof.valid ? undefined : "its signature does not verify against the issuer's keys";
}

/** `fn` over `items`, at most `limit` at a time, the results in the items' order. */
async function inBatches<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The chain did not answer while the bundle was read. */
class ChainDown extends Error {
  constructor(cause: unknown) {
    super('the city chain is not answering', { cause });
  }
}

/** A key of a DID document in the bundle's JSON form. */
function bundleKeyOf(key: VerificationKey): BundleKey {
  const id = key.id ?? '';
  if (key.kind === 'ethereum-address') return { id, kind: 'ethereum-address', address: key.address };
  if (key.kind === 'secp256k1') return { id, kind: 'secp256k1', publicKeyHex: Buffer.from(key.publicKey).toString('hex') };
  return { id, kind: 'jwk', jwk: key.jwk };
}

