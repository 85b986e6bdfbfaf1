import type { AnchorLedger, AnchorReceipt, Hex32, OnChainAnchor } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { cacheCounts, type CacheCounts, type CountingCache } from './cache-stats.js';
import { LruMap } from './lru-map.js';

/** Settings of {@link CachingLedger}. */
export interface CachingLedgerSettings {
  /**
   * The registry's backdate tolerance (seconds): an accreditation answer about a moment older than the latest block's
   * time minus this (and a margin) is final.
   */
  finalAfterSeconds: number;
  /** Most answers kept (anchors and accreditation answers each); the least recently used go first. */
  maxEntries: number;
  /** How long the latest block's time is reused (milliseconds). */
  latestBlockTtlMs: number;
}

/** The chain reads the cache needs besides the ledger port. */
export interface LatestBlockTime {
  /** The latest block's time, unix seconds. */
  latestBlockTime(): Promise<number>;
}

/** Extra seconds beyond the backdate tolerance before an answer counts as final (block times drift a little). */
const FINALITY_MARGIN_SECONDS = 60;

/**
 * The city chain's answers a verifier may keep (issue 16, "caches that keep it fast and correct"), in front of the
 * {@link AnchorLedger} port:
 * - an anchor found (`anchorOf(issuer, root)` non-zero) is kept for good: a root is anchored once and never removed,
 *   and the answer is per root, so one read serves every credential of the batch; an absent anchor is asked again;
 * - `isAccredited(issuer, type, at)` is kept for good when `at` is older than the latest block's time minus the
 *   registry's backdate tolerance (and a margin): no later transaction can change that answer (windows start no
 *   earlier than that, revocations and suspensions at their own block); a more recent moment is asked every time;
 * - concurrent identical reads share one call.
 * Errors are never kept. A chain reset under a running verifier is not noticed (restart it; the local demo chain
 * restarts with it).
 */
export class CachingLedger implements AnchorLedger, CountingCache {
  private readonly anchorCounts = cacheCounts();
  private readonly accreditationCounts = cacheCounts();
  readonly chainId: number;
  readonly anchorContract: string;
  private readonly anchors: LruMap<string, OnChainAnchor>;
  private readonly accreditations: LruMap<string, boolean>;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private latest: { at: number; value: Promise<number> } | undefined;

  constructor(
    private readonly inner: AnchorLedger & LatestBlockTime,
    private readonly clock: Clock,
    private readonly settings: CachingLedgerSettings,
  ) {
    this.chainId = inner.chainId;
    this.anchorContract = inner.anchorContract;
    this.anchors = new LruMap(settings.maxEntries);
    this.accreditations = new LruMap(settings.maxEntries);
  }

  async findAnchor(issuerAddress: string, root: Hex32): Promise<OnChainAnchor | null> {
    const key = `${issuerAddress.toLowerCase()}:${root}`;
    const kept = this.anchors.get(key);
    if (kept) {
      this.anchorCounts.hits += 1;
      return kept;
    }
    this.anchorCounts.misses += 1;
    const found = await this.shared(`anchor:${key}`, () => this.inner.findAnchor(issuerAddress, root));
    if (found) this.anchors.set(key, found);
    return found;
  }

  findAnchorTransaction(issuerAddress: string, root: Hex32): Promise<AnchorReceipt | null> {
    return this.inner.findAnchorTransaction(issuerAddress, root);
  }

  async isAccredited(issuer: string, credentialType: string, at: Date): Promise<boolean> {
    const seconds = Math.floor(at.getTime() / 1000);
    const key = `${issuer.toLowerCase()}:${credentialType}:${seconds}`;
    const kept = this.accreditations.get(key);
    if (kept !== undefined) {
      this.accreditationCounts.hits += 1;
      return kept;
    }
    this.accreditationCounts.misses += 1;
    const answer = await this.shared(`accredited:${key}`, () => this.inner.isAccredited(issuer, credentialType, at));
    const latest = await this.latestBlockTime().catch(() => undefined);
    if (latest !== undefined && seconds < latest - this.settings.finalAfterSeconds - FINALITY_MARGIN_SECONDS) this.accreditations.set(key, answer);
    return answer;
  }

  isUp(): Promise<boolean> {
    return this.inner.isUp();
  }

  /** Anchors and accreditation answers served from memory or read from the chain. */
  cacheCounts(): Readonly<Record<string, CacheCounts>> {
    return { 'chain-anchors': { ...this.anchorCounts }, 'chain-accreditations': { ...this.accreditationCounts } };
  }

  private latestBlockTime(): Promise<number> {
    const now = this.clock.now().getTime();
    if (!this.latest || now - this.latest.at > this.settings.latestBlockTtlMs) {
      const value = this.inner.latestBlockTime();
      this.latest = { at: now, value };
      // A failed read is not reused.
      value.catch(() => {
        if (this.latest?.value === value) this.latest = undefined;
      });
    }
    return this.latest.value;
  }

  private shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key) as Promise<T> | undefined;
    if (running) return running;
    const started = read().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
