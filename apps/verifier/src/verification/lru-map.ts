/**
 * A map that keeps at most `max` entries and forgets the least recently used one beyond that (a `get` that finds an
 * entry counts as a use). The verifier's in-memory caches of settled answers use it.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently used key: using it again changes no order, so it is not moved (the common case of a hot entry). */
  private newest: K | undefined;

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined && !this.entries.has(key)) return undefined;
    if (key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, value as V);
      this.newest = key;
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
  }
}
