import { Resolver, type DIDCache, type DIDResolutionResult, type ParsedDID } from 'did-resolver';
import { getResolver as getEthrResolver } from 'ethr-did-resolver';
import type { EthrNetwork } from './network.js';

/** Options of {@link createDidResolver}. */
export interface DidResolverOptions {
  /** How long a resolved DID document is reused; 0 disables caching. Default 60 s. */
  cacheTtlMs?: number;
  /** Current time in ms, injectable for tests. */
  now?: () => number;
}

/**
 * The DID URL of `did`'s document as it was at `blockNumber` (ERC-1056 keeps every change, and ethr-did-resolver
 * replays them up to that block: `<did>?versionId=<block>`). Delegates are judged valid or expired at that block's
 * time.
 * @param did - a bare DID, without path, query or fragment
 * @param blockNumber - a block of the city chain (a non-negative safe integer)
 * @throws RangeError for a block number that is not a non-negative safe integer
 */
export function didAtBlock(did: string, blockNumber: number): string {
  if (!Number.isSafeInteger(blockNumber) || blockNumber < 0) throw new RangeError('a block number is a non-negative safe integer');
  return `${did}?versionId=${blockNumber}`;
}

/**
 * What a cached resolution is filed under: the DID and the version asked for. A document as of a block and the
 * document as of now are different answers; a fragment or path only points into the same document.
 */
function cacheKeyOf(parsed: ParsedDID): string {
  const versionId = parsed.query === undefined ? null : new URLSearchParams(parsed.query).get('versionId');
  return versionId === null ? parsed.did : `${parsed.did}?versionId=${versionId}`;
}

/**
 * A DID cache with a time to live and a size bound: key rotations on the registry are seen within the TTL,
 * repeated verifications of the same issuer do not pay three JSON-RPC calls each, and callers presenting
 * endless new DIDs cannot grow it without limit (the least recently stored entry goes first). Entries are per DID
 * and version (`?versionId=<block>`, see {@link didAtBlock}). Failed resolutions are not cached.
 */
export function ttlDidCache(ttlMs: number, now: () => number = Date.now, maxEntries = 10_000): DIDCache {
  const entries = new Map<string, { at: number; result: DIDResolutionResult }>();
  return async (parsed, resolve) => {
    if (parsed.params?.['no-cache'] === 'true') return resolve();
    const key = cacheKeyOf(parsed);
    const hit = entries.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.result;
    if (hit) entries.delete(key);
    const result = await resolve();
    if (!result.didResolutionMetadata?.error) {
      entries.set(key, { at: now(), result });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    }
    return result;
  };
}

/**
 * A resolver for `did:ethr` on the city chain, reading the deployed ERC-1056 registry.
 * @param network - the city chain and its registry address
 */
export function createDidResolver(network: EthrNetwork, options: DidResolverOptions = {}): Resolver {
  const ttl = options.cacheTtlMs ?? 60_000;
  return new Resolver(
    getEthrResolver({
      // ethr-did-resolver is typed against ethers' CommonJS build and we import the ESM one: same class at run time.
      networks: [{ name: network.name, chainId: network.chainId, registry: network.registry, provider: network.provider as never }],
    }),
    ttl > 0 ? { cache: ttlDidCache(ttl, options.now) } : {},
  );
}
