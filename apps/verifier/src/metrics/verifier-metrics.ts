import { Histogram, type MetricFamily, type ProblemCounter } from '@citycred/http';
import type { CountingCache } from '../verification/cache-stats.js';
import type { Check } from '../verification/result.js';

/**
 * What is verified: one credential (`POST /credentials/verify`), a presentation (`POST /presentations/verify`), or a
 * presentation a wallet showed as a QR code to the employer scanner (`POST /scan/presentations`).
 */
export type VerificationKind = 'credential' | 'presentation' | 'scan-presentation';

/** Latency buckets (seconds): the targets are milliseconds, an outage takes seconds. */
const LATENCY_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The verifier's metrics, kept in this process (counters start at 0 with it; sum them across processes):
 * verifications by kind and result (`verified`, `not-verified`, `unavailable` — the 503 of an outage), each check's
 * status, the latency of each verification, the cache lookups of the caches behind the hot path, and problem answers.
 */
export class VerifierMetrics {
  private readonly results = new Map<string, number>();
  private readonly checks = new Map<string, number>();
  private readonly latency = new Histogram(LATENCY_BOUNDS);

  constructor(
    private readonly problems: ProblemCounter,
    private readonly caches: readonly CountingCache[],
  ) {}

  /**
   * Counts one verification: its result and, when there is one, the status of each check (a presentation's own and
   * its credentials').
   */
  record(kind: VerificationKind, outcome: { verified: boolean; checks: readonly Check[] } | 'unavailable', seconds: number): void {
    const result = outcome === 'unavailable' ? 'unavailable' : outcome.verified ? 'verified' : 'not-verified';
    bump(this.results, `${kind} ${result}`);
    if (outcome !== 'unavailable') for (const check of outcome.checks) bump(this.checks, `${kind} ${check.id} ${check.status}`);
    this.latency.observe(seconds, { kind });
  }

  collect(): MetricFamily[] {
    return [
      {
        name: 'citycred_verifications_total',
        help: 'Verifications answered, by kind (credential, presentation, scan-presentation) and result (verified, not-verified, unavailable)',
        type: 'counter',
        samples: [...this.results].map(([key, value]) => {
          const [kind, result] = key.split(' ') as [string, string];
          return { labels: { kind, result }, value };
        }),
      },
      {
        name: 'citycred_verification_checks_total',
        help: "Checks reported, by kind, check id and status (a presentation's credentials count under kind presentation)",
        type: 'counter',
        samples: [...this.checks].map(([key, value]) => {
          const [kind, check, status] = key.split(' ') as [string, string, string];
          return { labels: { kind, check, status }, value };
        }),
      },
      { name: 'citycred_verification_duration_seconds', help: 'Time to answer a verification, by kind', type: 'histogram', samples: this.latency.samples() },
      {
        name: 'citycred_verifier_cache_lookups_total',
        help: 'Lookups of the caches behind verification, by cache and outcome (hit: answered from memory; miss: asked the chain or the issuer)',
        type: 'counter',
        samples: this.caches.flatMap((cache) =>
          Object.entries(cache.cacheCounts()).flatMap(([name, counts]) => [
            { labels: { cache: name, outcome: 'hit' }, value: counts.hits },
            { labels: { cache: name, outcome: 'miss' }, value: counts.misses },
          ]),
        ),
      },
      {
        name: 'citycred_http_problems_total',
        help: 'Problem answers (application/problem+json) by stable code and HTTP status',
        type: 'counter',
        samples: this.problems.snapshot().map((p) => ({ labels: { code: p.code, status: String(p.status) }, value: p.count })),
      },
    ];
  }

  /**
   * Runs a verification and records it: its result, its checks and how long it took; an outage (the `AppError` 503
   * it throws) is recorded as `unavailable` and rethrown.
   */
  async measure<T extends { verified: boolean; checks: readonly Check[]; credentials?: ReadonlyArray<{ checks: readonly Check[] }> }>(kind: VerificationKind, run: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    let result: T;
    try {
      result = await run();
    } catch (error) {
      this.record(kind, 'unavailable', seconds());
      throw error;
    }
    this.record(kind, { verified: result.verified, checks: [...result.checks, ...(result.credentials ?? []).flatMap((c) => c.checks)] }, seconds());
    return result;
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
