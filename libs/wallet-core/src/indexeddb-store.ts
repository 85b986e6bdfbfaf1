import { StoreConflictError, type KeyValueStore, type StoreChange } from './storage.js';

/** The IndexedDB database and object store the wallet keeps its records in. */
export const WALLET_DATABASE = { name: 'citycred-wallet', store: 'records', version: 1 } as const;

/**
 * The wallet's {@link KeyValueStore} in the browser's IndexedDB: one object store of out-of-line keys. Each
 * {@link KeyValueStore.write} is one read-write transaction, so a backup import or a wipe lands whole or not at all, and an
 * `add` of a key that exists (a second tab setting up the same wallet) fails the whole write with {@link StoreConflictError}.
 */
export class IndexedDbStore implements KeyValueStore {
  private constructor(private readonly db: IDBDatabase) {}

  /**
   * Opens (creating on first use) the wallet's database.
   * @param factory - the browser's `indexedDB`
   * @throws Error when the browser refuses storage (private mode in some browsers, storage disabled)
   */
  static async open(factory: IDBFactory = globalThis.indexedDB, name: string = WALLET_DATABASE.name): Promise<IndexedDbStore> {
    const request = factory.open(name, WALLET_DATABASE.version);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains(WALLET_DATABASE.store)) request.result.createObjectStore(WALLET_DATABASE.store);
    };
    return new IndexedDbStore(await settled(request));
  }

  async get(key: string): Promise<unknown> {
    return settled(this.db.transaction(WALLET_DATABASE.store, 'readonly').objectStore(WALLET_DATABASE.store).get(key));
  }

  async keys(prefix: string): Promise<string[]> {
    // Keys are strings: every key with the prefix lies between the prefix and the prefix followed by the highest code unit.
    const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
    const keys = await settled(this.db.transaction(WALLET_DATABASE.store, 'readonly').objectStore(WALLET_DATABASE.store).getAllKeys(range));
    return keys.map(String).sort();
  }

  async write(changes: readonly StoreChange[]): Promise<void> {
    const transaction = this.db.transaction(WALLET_DATABASE.store, 'readwrite');
    const store = transaction.objectStore(WALLET_DATABASE.store);
    let conflict: string | undefined;
    for (const change of changes) {
      if ('put' in change) store.put(change.value, change.put);
      else if ('add' in change) {
        // add() fails with a ConstraintError when the key exists, which aborts the whole transaction.
        const key = change.add;
        store.add(change.value, key).addEventListener('error', () => (conflict ??= key));
      } else store.delete(change.delete);
    }
    try {
      await completed(transaction);
    } catch (error) {
      if (conflict !== undefined) throw new StoreConflictError(conflict, { cause: error });
      throw error;
    }
  }

  async clear(): Promise<void> {
    const transaction = this.db.transaction(WALLET_DATABASE.store, 'readwrite');
    transaction.objectStore(WALLET_DATABASE.store).clear();
    await completed(transaction);
  }
}

function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function completed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}
