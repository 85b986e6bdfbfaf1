/**
 * Where the wallet keeps its records: one small key-value port. Values are anything the browser's structured clone
 * keeps (plain data, `Uint8Array`, and `CryptoKey` objects, which stay non-extractable when cloned). The IndexedDB
 * adapter is the real one; {@link MemoryStore} serves the vault's unit tests.
 */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  /** Every key that starts with `prefix`, sorted. */
  keys(prefix: string): Promise<string[]>;
  /** Writes every change together: all of them or, when one fails, none. */
  write(changes: readonly StoreChange[]): Promise<void>;
  /** Removes every record. */
  clear(): Promise<void>;
}

/**
 * One change of {@link KeyValueStore.write}: a value put under a key (replacing what is there), a value added under a
 * key that must not exist yet (else the whole write fails with {@link StoreConflictError}), or a key deleted.
 */
export type StoreChange = { readonly put: string; readonly value: unknown } | { readonly add: string; readonly value: unknown } | { readonly delete: string };

/** A {@link KeyValueStore.write} refused because an `add` named a key that already exists; nothing was written. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError';
  /** @param key - the key that already exists */
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`the key ${key} already exists`, options);
  }
}

/** A {@link KeyValueStore} in memory, for tests: a new instance over the same map plays a reloaded page. */
export class MemoryStore implements KeyValueStore {
  /** @param entries - the records; share one map between instances to play a reload */
  constructor(readonly entries: Map<string, unknown> = new Map()) {}

  async get(key: string): Promise<unknown> {
    return this.entries.get(key);
  }

  async keys(prefix: string): Promise<string[]> {
    return [...this.entries.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  async write(changes: readonly StoreChange[]): Promise<void> {
    for (const change of changes) if ('add' in change && this.entries.has(change.add)) throw new StoreConflictError(change.add);
    for (const change of changes) {
      if ('put' in change) this.entries.set(change.put, change.value);
      else if ('add' in change) this.entries.set(change.add, change.value);
      else this.entries.delete(change.delete);
    }
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}
