import { buildMerkleLevels, isHex32, merkleProofAt, type Hex32 } from '@citycred/anchoring';
import type { Clock } from '@citycred/config';
import { z } from 'zod';
import type { FetchGuard } from '../outbound/fetch-guard.js';
import { jsonOf, unansweredReason, type AnchorProof, type AnchorProofSource, type ProofAnswer, type ProofContext } from './anchor-proof-source.js';
import { cacheCounts, type CacheCounts, type CountingCache } from './cache-stats.js';
import { upstreamRetryAfter } from './retry-after.js';

/** Settings of {@link BatchAnchorProofSource}. */
export interface BatchAnchorSourceSettings {
  /** How long one request to the issuer may take. */
  timeoutMs: number;
  /** How many days after a credential's issuance its batch is looked for (one day per listing). */
  searchDays: number;
  /** Tolerated clock difference: a batch may be listed as anchored this long before the credential's issuance. */
  clockSkewSeconds: number;
  /** The most leaves kept of downloaded batches (the least recently used batches go first). */
  maxCachedLeaves: number;
  /** The longest a listing is used without asking again, whatever its `Cache-Control` says (seconds). */
  maxListingCacheSeconds: number;
}

const hex32 = z.string().refine(isHex32, 'not 0x + 64 lower-case hex');

const batchesSchema = z.object({
  batches: z
    .array(
      z.object({
        root: hex32,
        leafCount: z.number().int().positive(),
        anchoredAt: z.string(),
        txHash: z.string().optional(),
        blockNumber: z.number().int().optional(),
        chainId: z.number().int().optional(),
        contract: z.string().optional(),
      }),
    )
    .max(1_000),
  truncated: z.boolean().optional(),
});
type BatchListing = z.output<typeof batchesSchema>;

/** The most leaves one batch may have. */
const MAX_LEAVES = 1_000_000;

const leavesSchema = z.object({ root: hex32, leaves: z.array(hex32).min(1).max(MAX_LEAVES) });

const pendingSchema = z.object({
  pending: z.array(z.object({ credentialHash: hex32, enqueuedAt: z.iso.datetime({ offset: true }) })).max(100_000),
  refused: z.array(hex32).max(100_000).optional(),
});
type PendingListing = z.output<typeof pendingSchema>;

/** A downloaded batch as kept: its tree's levels and where each credential hash sits. */
interface KeptBatch {
  levels: Hex32[][];
  index: Map<string, number>;
}

/** What one fetch found: the parsed body and how long it may be used, or why there is none. */
type Fetched<T> = { ok: true; body: T; maxAgeSeconds: number } | { ok: false; status?: number; reason: string; retryAfterSeconds?: number };

const DAY_MS = 86_400_000;

/** The narrowest window a truncated listing is split into. */
const MIN_WINDOW_MS = 60_000;

/**
 * The largest listing taken (bytes): the schemas' own bounds (1,000 batches; 100,000 queued and 100,000 refused
 * hashes) written out as JSON fit in it.
 */
const MAX_LISTING_BYTES = 32 * 1024 * 1024;

/** Bytes a batch's leaves answer may take per leaf (a quoted 66-character hash and a comma, with room to spare). */
const LEAF_BYTES = 80;

/**
 * Finds anchor proofs without telling the issuer which credential is being checked (PRODUCT.md section 5): it lists
 * the batches the credential's issuer anchored on the days after its issuance (`GET /anchors/batches`, one UTC day
 * per listing, so every verifier asking about that issuer and day asks the same question), downloads each batch's
 * leaves (`GET /anchors/batches/{root}/leaves`, immutable: kept in memory, least recently used first out) and
 * computes the proof itself. A credential in no anchored batch is looked up in the issuer's whole queue
 * (`GET /anchors/pending`): listed there it is `pending` since its `enqueuedAt`, among the refused it is `refused`,
 * nowhere it is `unknown` (after asking the day listings again, in case what was kept predates its anchoring). The
 * queue is always read afresh: it is only asked about credentials in no anchored batch, so a credential anchored a
 * moment ago is found in its batch, never reported from a stale queue. Nothing it returns is trusted: the verifier
 * checks the proof's root on chain. Requests go through the {@link FetchGuard} (no redirect outside what it allows,
 * answers bounded by what the schemas take), whose allowed origins hold `baseUrl`'s; the credential adds only its
 * issuer DID (as a query parameter) and nothing of the address.
 */
export class BatchAnchorProofSource implements AnchorProofSource, CountingCache {
  private readonly batchCounts = cacheCounts();
  private readonly listingCounts = cacheCounts();
  private readonly batches = new Map<string, KeptBatch>();
  private keptLeaves = 0;
  private readonly listings = new Map<string, { freshUntil: number; answer: Promise<Fetched<unknown>> }>();

  constructor(
    private readonly baseUrl: string,
    private readonly guard: Pick<FetchGuard, 'fetch'>,
    private readonly clock: Clock,
    private readonly settings: BatchAnchorSourceSettings,
  ) {}

  async fetchProof(credentialHash: Hex32, context: ProofContext): Promise<ProofAnswer> {
    const answer = await this.find(credentialHash, context, false);
    // A listing kept from before the credential's batch was anchored, and a queue read after: ask both again
    // before saying the issuer never issued it.
    return answer.kind === 'unknown' || answer.kind === 'refused' ? this.find(credentialHash, context, true) : answer;
  }

  private async find(credentialHash: Hex32, context: ProofContext, fresh: boolean): Promise<ProofAnswer> {
    const issuer = encodeURIComponent(context.issuerDid);
    const firstDay = Math.floor((context.issuedAt.getTime() - this.settings.clockSkewSeconds * 1000) / DAY_MS) * DAY_MS;
    const lastDay = Math.min(firstDay + this.settings.searchDays * DAY_MS, this.clock.now().getTime());
    for (let day = firstDay; day <= lastDay; day += DAY_MS) {
      const listing = await this.batchesIn(issuer, day, day + DAY_MS, fresh);
      if (!listing.ok) {
        // An issuer the service does not know issued nothing there.
        if (listing.status === 404) return { kind: 'unknown' };
        return unreachable(listing);
      }
      for (const batch of listing.batches) {
        const kept = await this.batch(batch.root, batch.leafCount);
        if ('reason' in kept) return unreachable(kept);
        const leafIndex = kept.index.get(credentialHash);
        if (leafIndex === undefined) continue;
        const proof: AnchorProof = {
          root: batch.root as Hex32,
          proof: merkleProofAt(kept.levels, leafIndex),
          leafIndex,
          ...(batch.txHash === undefined ? {} : { txHash: batch.txHash }),
          ...(batch.blockNumber === undefined ? {} : { blockNumber: batch.blockNumber }),
          ...(batch.chainId === undefined ? {} : { chainId: batch.chainId }),
          ...(batch.contract === undefined ? {} : { contract: batch.contract }),
        };
        // Built from the kept batch's own levels, whose top was checked against the root when its leaves came.
        return { kind: 'proof', proof, rootComputedHere: true };
      }
    }
    // The queue is read afresh (concurrent readers share one request): a credential is looked for in it only while it
    // is in no listed batch, which for a genuine credential means minutes after its issuance.
    const queue = await this.listing<PendingListing>(`anchors/pending?issuer=${issuer}`, pendingSchema, true);
    if (!queue.ok) return queue.status === 404 ? { kind: 'unknown' } : unreachable(queue);
    const pending = queue.body.pending.find((entry) => entry.credentialHash === credentialHash);
    if (pending) return { kind: 'pending', enqueuedAt: new Date(pending.enqueuedAt) };
    if (queue.body.refused?.includes(credentialHash)) return { kind: 'refused' };
    return { kind: 'unknown' };
  }

  /**
   * The issuer's batches anchored in `[from, to)`: one listing, or — when the issuer says it cut the list (more than
   * it lists at once) — the two halves of the window, and so on down to a minute, every window aligned so that other
   * verifiers ask the same questions.
   */
  private async batchesIn(issuer: string, from: number, to: number, fresh: boolean): Promise<({ ok: true; batches: BatchListing['batches'] }) | Extract<Fetched<unknown>, { ok: false }>> {
    const listing = await this.listing<BatchListing>(`anchors/batches?issuer=${issuer}&from=${iso(from)}&to=${iso(to)}`, batchesSchema, fresh);
    if (!listing.ok) return listing;
    if (!listing.body.truncated || to - from <= MIN_WINDOW_MS) return { ok: true, batches: listing.body.batches };
    const middle = from + Math.floor((to - from) / 2 / MIN_WINDOW_MS) * MIN_WINDOW_MS;
    const first = await this.batchesIn(issuer, from, middle, fresh);
    if (!first.ok) return first;
    const second = await this.batchesIn(issuer, middle, to, fresh);
    if (!second.ok) return second;
    return { ok: true, batches: [...first.batches, ...second.batches] };
  }

  /** Batch leaves and listings served from memory or asked of the issuer. */
  cacheCounts(): Readonly<Record<string, CacheCounts>> {
    return { 'anchor-batches': { ...this.batchCounts }, 'anchor-listings': { ...this.listingCounts } };
  }

  /** A batch's levels, downloaded once (its leaves never change) and checked to make the listed root. */
  private async batch(root: string, leafCount: number): Promise<KeptBatch | { reason: string; retryAfterSeconds?: number }> {
    const kept = this.batches.get(root);
    if (!kept) this.batchCounts.misses += 1;
    if (kept) {
      this.batchCounts.hits += 1;
      // Most recently used last.
      this.batches.delete(root);
      this.batches.set(root, kept);
      return kept;
    }
    const fetched = await this.fetchJson(`anchors/batches/${root}/leaves`, Math.min(leafCount, MAX_LEAVES) * LEAF_BYTES + 1024);
    if (!fetched.ok) return fetched;
    const parsed = leavesSchema.safeParse(fetched.body);
    if (!parsed.success || parsed.data.root !== root || parsed.data.leaves.length !== leafCount) return { reason: "the issuer's batch leaves are malformed" };
    const levels = buildMerkleLevels(parsed.data.leaves as Hex32[]);
    if ((levels.at(-1) as Hex32[])[0] !== root) return { reason: "the issuer's batch leaves do not make its root" };
    const batch: KeptBatch = { levels, index: new Map(parsed.data.leaves.map((leaf, i) => [leaf, i])) };
    this.batches.set(root, batch);
    this.keptLeaves += leafCount;
    for (const [oldRoot, old] of this.batches) {
      if (this.keptLeaves <= this.settings.maxCachedLeaves || oldRoot === root) break;
      this.batches.delete(oldRoot);
      this.keptLeaves -= old.index.size;
    }
    return batch;
  }

  /** A listing, shared by concurrent callers and kept for its `max-age` (capped); failures are not kept. */
  private async listing<T>(path: string, schema: z.ZodType<T>, fresh: boolean): Promise<Fetched<T>> {
    const now = this.clock.now().getTime();
    let entry = this.listings.get(path);
    const ask = !entry || entry.freshUntil <= now || (fresh && entry.freshUntil !== Number.POSITIVE_INFINITY);
    if (ask) this.listingCounts.misses += 1;
    else this.listingCounts.hits += 1;
    if (ask || !entry) {
      const answer = this.fetchJson(path, MAX_LISTING_BYTES);
      entry = { freshUntil: Number.POSITIVE_INFINITY, answer };
      this.listings.set(path, entry);
      const settled = await answer;
      if (this.listings.get(path) === entry) {
        if (settled.ok) entry.freshUntil = now + Math.min(settled.maxAgeSeconds, this.settings.maxListingCacheSeconds) * 1000;
        else this.listings.delete(path);
      }
      if (this.listings.size > 10_000) this.listings.delete(this.listings.keys().next().value as string);
    }
    const fetched = await entry.answer;
    if (!fetched.ok) return fetched;
    const parsed = schema.safeParse(fetched.body);
    return parsed.success ? { ok: true, body: parsed.data, maxAgeSeconds: fetched.maxAgeSeconds } : { ok: false, reason: "the issuer's anchoring listing is malformed" };
  }

  private async fetchJson(path: string, maxBytes: number): Promise<Fetched<unknown>> {
    // Relative to the base path, so an issuer behind a path prefix (…/issuer/) works.
    const base = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
    const response = await this.guard.fetch(new URL(path, base).href, { timeoutMs: this.settings.timeoutMs, maxBytes });
    if (response.kind !== 'response') return { ok: false, reason: unansweredReason(response, 'anchoring service') };
    if (response.status !== 200) {
      const retryAfter = upstreamRetryAfter(response.headers);
      return { ok: false, status: response.status, reason: `the issuer's anchoring service answered ${response.status}`, ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }) };
    }
    const body = jsonOf(response.body);
    if (body === undefined) return { ok: false, reason: "the issuer's anchoring service answered no JSON" };
    const maxAge = /(?:^|,)\s*max-age=(\d{1,9})/.exec(response.headers.get('cache-control') ?? '');
    return { ok: true, body, maxAgeSeconds: maxAge ? Number(maxAge[1]) : 0 };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function unreachable(failure: { reason: string; retryAfterSeconds?: number }): ProofAnswer {
  return { kind: 'unreachable', reason: failure.reason, ...(failure.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: failure.retryAfterSeconds }) };
}
