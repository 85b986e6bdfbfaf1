import type { Clock } from '@citycred/config';
import type { FetchGuard } from '../outbound/fetch-guard.js';
import { cacheCounts, type CacheCounts, type CountingCache } from './cache-stats.js';
import { upstreamRetryAfter } from './retry-after.js';

/**
 * What a status list source knows about a list URL:
 * - `list`: the body the URL serves (a compact JWT, not yet checked: nothing here is trusted);
 * - `url-refused`: the URL is not one the verifier calls ({@link FetchGuard}: not http(s), a user name in it, plain
 *   http or a non-public address outside the allowed origins, a redirect to such a URL): nothing was sent to it, and
 *   the credential names a list nobody can check, which fails it;
 * - `refused`: the server answered something final that is no list (404, 410, another 4xx, a body over the size
 *   limit), which fails the credential too;
 * - `unreachable`: no answer (network, timeout, 5xx, 408, 429) — nothing was learnt, an outage;
 *   `retryAfterSeconds` when the server said when to try again.
 */
export type StatusListAnswer =
  | { kind: 'list'; jwt: string }
  | { kind: 'url-refused'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'unreachable'; reason: string; retryAfterSeconds?: number };

/** Where the verifier reads the status lists credentials name. */
export interface StatusListSource {
  /**
   * The list served at `url`: always the whole list, never a question about one index, so the issuer does not learn
   * which credential is being checked. Never throws (a failure is `url-refused`, `refused` or `unreachable`).
   */
  fetchList(url: string): Promise<StatusListAnswer>;
}

/** Settings of {@link HttpStatusListSource}. */
export interface HttpStatusListSourceSettings {
  /** How long one fetch (connection, headers and body) may take. */
  timeoutMs: number;
  /** The longest a list is used without asking its server again, whatever its `Cache-Control: max-age` says (0: always ask). */
  maxCacheSeconds: number;
  /** The largest list body taken (bytes). Default {@link DEFAULT_MAX_LIST_BYTES}. */
  maxListBytes?: number;
  /** The most bytes of list bodies kept; the least recently used lists go first. Default {@link DEFAULT_MAX_CACHED_BYTES}. */
  maxCachedBytes?: number;
}

/**
 * A list body larger than this is refused: a CityCred list of 131,072 entries is about 22 KB, and even a list of
 * six million entries whose bits are random (so do not compress) fits; more is a server trying to exhaust the verifier.
 */
export const DEFAULT_MAX_LIST_BYTES = 1024 * 1024;

/** Bytes of list bodies kept by default: several hundred issuers' lists at their usual size. */
export const DEFAULT_MAX_CACHED_BYTES = 32 * 1024 * 1024;

/** One cached list: its body, its validator and until when it is used without asking. */
interface CachedList {
  jwt: string;
  etag?: string;
  /** Epoch milliseconds (injected clock) until which the list is fresh. */
  freshUntil: number;
}

/** What a response's caching headers allow: not to keep it, or to use it for some seconds without asking. */
export type Freshness = { store: false } | { store: true; seconds: number };

/**
 * Fetches status lists over HTTP(S) and keeps them per URL for as long as their `Cache-Control: max-age` allows
 * (capped at `maxCacheSeconds`; `Age` is deducted, `no-cache` means ask every time, `no-store` means keep nothing).
 * A stale list with an `ETag` is revalidated with `If-None-Match`: a 304 keeps the cached body. Concurrent requests
 * for one URL share one fetch. The cache is a least-recently-used map bounded by the bytes it holds.
 *
 * A stale list is never used when its server cannot be reached: a revocation published meanwhile must not be
 * missed, so that is `unreachable` (the verifier's outage), as it is for a list never fetched.
 *
 * Every request goes through the {@link FetchGuard}, and only on a cache miss: a URL it refuses is `url-refused`
 * (nothing is sent, nothing kept).
 */
export class HttpStatusListSource implements StatusListSource, CountingCache {
  private readonly counts = cacheCounts();
  private readonly cache = new Map<string, CachedList>();
  private readonly inFlight = new Map<string, Promise<StatusListAnswer>>();
  private cachedBytes = 0;
  private readonly maxListBytes: number;
  private readonly maxCachedBytes: number;

  constructor(
    private readonly guard: Pick<FetchGuard, 'fetch'>,
    private readonly clock: Clock,
    private readonly settings: HttpStatusListSourceSettings,
  ) {
    this.maxListBytes = settings.maxListBytes ?? DEFAULT_MAX_LIST_BYTES;
    this.maxCachedBytes = settings.maxCachedBytes ?? DEFAULT_MAX_CACHED_BYTES;
  }

  async fetchList(url: string): Promise<StatusListAnswer> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'url-refused', reason: 'it is not a URL' };
    }
    parsed.hash = '';
    const key = parsed.href;
    const cached = this.cache.get(key);
    if (cached && cached.freshUntil > this.clock.now().getTime()) {
      this.counts.hits += 1;
      this.touch(key, cached);
      return { kind: 'list', jwt: cached.jwt };
    }
    this.counts.misses += 1;
    const running = this.inFlight.get(key);
    if (running) return running;
    const fetching = this.fetchAndCache(key, cached).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, fetching);
    return fetching;
  }

  /** Lists answered from memory (fresh) and lists asked of their server (including revalidations). */
  cacheCounts(): Readonly<Record<string, CacheCounts>> {
    return { 'status-lists': { ...this.counts } };
  }

  private async fetchAndCache(url: string, cached: CachedList | undefined): Promise<StatusListAnswer> {
    const headers: Record<string, string> = { accept: 'application/vc+jwt, application/statuslist+jwt;q=0.9, */*;q=0.1' };
    if (cached?.etag) headers['if-none-match'] = cached.etag;
    const answer = await this.guard.fetch(url, { headers, timeoutMs: this.settings.timeoutMs, maxBytes: this.maxListBytes });
    switch (answer.kind) {
      case 'refused':
        return { kind: 'url-refused', reason: answer.reason };
      case 'too-large':
        return { kind: 'refused', reason: `the list is larger than ${this.maxListBytes} bytes` };
      case 'failed':
        return {
          kind: 'unreachable',
          reason:
            answer.failure === 'timeout' ? 'the list server did not answer in time' : answer.failure === 'interrupted' ? 'the list server stopped while sending the list' : 'the list server could not be reached',
        };
    }
    const fetchedAt = this.clock.now().getTime();
    if (answer.status === 304 && cached) {
      const freshness = freshnessOf(answer.headers, this.settings.maxCacheSeconds);
      const etag = answer.headers.get('etag') ?? cached.etag;
      if (freshness.store) this.remember(url, { jwt: cached.jwt, ...(etag ? { etag } : {}), freshUntil: fetchedAt + freshness.seconds * 1000 });
      else this.forget(url);
      return { kind: 'list', jwt: cached.jwt };
    }
    if (answer.status === 200) {
      const jwt = new TextDecoder().decode(answer.body).trim();
      const freshness = freshnessOf(answer.headers, this.settings.maxCacheSeconds);
      const etag = answer.headers.get('etag');
      if (freshness.store) this.remember(url, { jwt, ...(etag ? { etag } : {}), freshUntil: fetchedAt + freshness.seconds * 1000 });
      else this.forget(url);
      return { kind: 'list', jwt };
    }
    if (answer.status >= 500 || answer.status === 408 || answer.status === 429) {
      const retryAfterSeconds = upstreamRetryAfter(answer.headers);
      return { kind: 'unreachable', reason: `the list server answered ${answer.status}`, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
    }
    if (answer.status >= 400) return { kind: 'refused', reason: `the list URL answered ${answer.status}` };
    // 1xx/3xx left over (a redirect without a Location, a 304 to a request that named no ETag): no list.
    return { kind: 'unreachable', reason: `the list server answered ${answer.status}` };
  }

  /** Keeps `entry` as the most recently used, then drops the least recently used lists beyond the byte bound. */
  private remember(url: string, entry: CachedList): void {
    this.forget(url);
    this.cache.set(url, entry);
    this.cachedBytes += entry.jwt.length;
    for (const [oldest, old] of this.cache) {
      if (this.cachedBytes <= this.maxCachedBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= old.jwt.length;
    }
  }

  private forget(url: string): void {
    const old = this.cache.get(url);
    if (!old) return;
    this.cache.delete(url);
    this.cachedBytes -= old.jwt.length;
  }

  /** Marks a cached list as the most recently used (a Map iterates in insertion order). */
  private touch(url: string, entry: CachedList): void {
    this.cache.delete(url);
    this.cache.set(url, entry);
  }
}

/**
 * How long a response may be used without asking again: `max-age` minus `Age`, at most `maxSeconds`; 0 for
 * `no-cache` or no `max-age` (kept only to revalidate); not kept at all for `no-store`.
 */
export function freshnessOf(headers: Headers, maxSeconds: number): Freshness {
  const directives = (headers.get('cache-control') ?? '')
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (directives.includes('no-store')) return { store: false };
  if (directives.includes('no-cache')) return { store: true, seconds: 0 };
  const maxAge = directives.map((d) => /^max-age="?(\d{1,10})"?$/.exec(d)?.[1]).find((v) => v !== undefined);
  if (maxAge === undefined) return { store: true, seconds: 0 };
  const age = /^\d{1,10}$/.test(headers.get('age')?.trim() ?? '') ? Number(headers.get('age')) : 0;
  return { store: true, seconds: Math.max(0, Math.min(Number(maxAge) - age, maxSeconds)) };
}
