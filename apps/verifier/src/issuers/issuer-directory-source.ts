import type { Clock } from '@citycred/config';
import { ISSUER_DIRECTORY_PATH, parseIssuerDirectory, type IssuerDirectory } from '@citycred/credentials';
import type { FetchGuard } from '../outbound/fetch-guard.js';
import { cacheCounts, type CacheCounts, type CountingCache } from '../verification/cache-stats.js';
import { freshnessOf } from '../verification/status-list-source.js';

/** The directory as last read from the issuer service. */
export interface DirectoryReading {
  readonly directory: IssuerDirectory;
  /** When the issuer last answered it (fetched or confirmed with a 304), injected clock. */
  readonly fetchedAt: Date;
  /** True when the issuer could not be asked now and this is the copy kept from before. */
  readonly stale: boolean;
}

/** Where the verifier reads the city's issuer directory (display information: names, list URLs). */
export interface IssuerDirectorySource {
  /**
   * The directory: fresh from cache, asked of the issuer when stale, or the last copy when the issuer does not answer
   * now (`stale`). Never throws.
   * @returns undefined while the issuer has never answered a directory
   */
  current(): Promise<DirectoryReading | undefined>;
}

/** Settings of {@link HttpIssuerDirectorySource}. */
export interface HttpIssuerDirectorySourceSettings {
  /** How long one fetch may take (`STATUS_LIST_TIMEOUT_MS`). */
  timeoutMs: number;
  /** The longest the directory is used without asking again, whatever its `max-age` says (`STATUS_LIST_MAX_CACHE_SECONDS`). */
  maxCacheSeconds: number;
  /** The largest answer taken (bytes); default {@link MAX_DIRECTORY_BYTES}. */
  maxBytes?: number;
}

/** After a failed attempt, the issuer is not asked again for this long (the last copy serves meanwhile). */
export const DIRECTORY_RETRY_MS = 10_000;

/** A directory of thousands of issuers, each with a few lists, fits; more is not a directory of one city. */
export const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;

interface Kept {
  directory: IssuerDirectory;
  etag?: string;
  fetchedAt: number;
  /** Epoch milliseconds until which it is used without asking. */
  freshUntil: number;
}

/**
 * Reads `GET /issuers` of the city's issuer service (`ANCHOR_PROOF_URL`) through the {@link FetchGuard}. The directory
 * is one document about every issuer, never a question about one: whoever asks, the issuer learns nothing of which
 * credential is checked. It is kept for its `Cache-Control: max-age` (minus `Age`, at most `maxCacheSeconds`;
 * `no-cache`, `no-store` or no `max-age`: asked again each time), revalidated with `If-None-Match`, and concurrent
 * callers share one fetch. Unlike a status list (a missed revocation is a wrong answer), the directory is display
 * information: when the issuer does not answer, or answers something that is not a directory, the last copy is used
 * (`stale`) for as long as the verifier runs, and the issuer is not asked again for {@link DIRECTORY_RETRY_MS}.
 */
export class HttpIssuerDirectorySource implements IssuerDirectorySource, CountingCache {
  private readonly url: string;
  private readonly counts = cacheCounts();
  private kept: Kept | undefined;
  private inFlight: Promise<DirectoryReading | undefined> | undefined;
  /** Epoch milliseconds before which a failed issuer is not asked again. */
  private retryAt = 0;
  /** Why the last attempt did not give a directory (English), or undefined after one that did. */
  lastFailure: string | undefined;

  /** @param issuerUrl - the issuer service's base URL (`ANCHOR_PROOF_URL`; a path prefix is kept) */
  constructor(
    issuerUrl: string,
    private readonly guard: Pick<FetchGuard, 'fetch'>,
    private readonly clock: Clock,
    private readonly settings: HttpIssuerDirectorySourceSettings,
  ) {
    const base = issuerUrl.endsWith('/') ? issuerUrl : `${issuerUrl}/`;
    this.url = new URL(ISSUER_DIRECTORY_PATH.slice(1), base).href;
  }

  current(): Promise<DirectoryReading | undefined> {
    const kept = this.kept;
    const now = this.clock.now().getTime();
    if (kept && kept.freshUntil > now) {
      this.counts.hits += 1;
      return Promise.resolve(this.reading(kept, false));
    }
    // A blackholed issuer would make every reader wait for the timeout: after a failure, the last copy for a while.
    if (now < this.retryAt) {
      this.counts.hits += 1;
      return Promise.resolve(kept ? this.reading(kept, true) : undefined);
    }
    this.counts.misses += 1;
    this.inFlight ??= this.refresh().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /** The directory fetched (answered from memory, or asked of the issuer). */
  cacheCounts(): Readonly<Record<string, CacheCounts>> {
    return { 'issuer-directory': { ...this.counts } };
  }

  private async refresh(): Promise<DirectoryReading | undefined> {
    const kept = this.kept;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (kept?.etag) headers['if-none-match'] = kept.etag;
    const answer = await this.guard.fetch(this.url, { headers, timeoutMs: this.settings.timeoutMs, maxBytes: this.settings.maxBytes ?? MAX_DIRECTORY_BYTES });
    if (answer.kind === 'refused') return this.failed(`its URL is refused (${answer.reason})`);
    if (answer.kind === 'too-large') return this.failed(`the answer is larger than ${answer.limit} bytes`);
    if (answer.kind === 'failed') return this.failed(answer.failure === 'timeout' ? 'the issuer did not answer in time' : 'the issuer could not be reached');
    const now = this.clock.now().getTime();
    const freshness = freshnessOf(answer.headers, this.settings.maxCacheSeconds);
    const freshUntil = now + (freshness.store ? freshness.seconds * 1000 : 0);
    const etag = answer.headers.get('etag') ?? undefined;
    if (answer.status === 304 && kept) {
      this.kept = { ...kept, ...(etag ? { etag } : {}), fetchedAt: now, freshUntil };
      this.lastFailure = undefined;
      return this.reading(this.kept, false);
    }
    if (answer.status !== 200) return this.failed(`the issuer answered ${answer.status}`);
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder().decode(answer.body));
    } catch {
      return this.failed('the answer is not JSON');
    }
    const directory = parseIssuerDirectory(body);
    if ('error' in directory) return this.failed(`the answer is not an issuer directory (${directory.error})`);
    this.kept = { directory, ...(etag ? { etag } : {}), fetchedAt: now, freshUntil };
    this.lastFailure = undefined;
    return this.reading(this.kept, false);
  }

  private failed(why: string): DirectoryReading | undefined {
    this.lastFailure = why;
    this.retryAt = this.clock.now().getTime() + DIRECTORY_RETRY_MS;
    return this.kept ? this.reading(this.kept, true) : undefined;
  }

  private reading(kept: Kept, stale: boolean): DirectoryReading {
    return { directory: kept.directory, fetchedAt: new Date(kept.fetchedAt), stale };
  }
}
