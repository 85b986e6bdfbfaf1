/** How often a cache answered from what it kept (`hits`) or had to ask (`misses`). */
export interface CacheCounts {
  hits: number;
  misses: number;
}

/** A cache that counts its lookups, named for the metrics (`cache` label). */
export interface CountingCache {
  /** One entry per cache it holds, e.g. `{ 'anchor-batches': {hits, misses} }`. */
  cacheCounts(): Readonly<Record<string, CacheCounts>>;
}

/** A fresh pair of counters. */
export function cacheCounts(): CacheCounts {
  return { hits: 0, misses: 0 };
}

/** Whether `value` counts its cache lookups. */
export function isCountingCache(value: unknown): value is CountingCache {
  return typeof (value as Partial<CountingCache> | null)?.cacheCounts === 'function';
}
