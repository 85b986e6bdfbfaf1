import { Identifier, Key } from '@veramo/data-store';
import type { AbstractPrivateKeyStore } from '@veramo/key-manager';
import type { DataSource } from 'typeorm';
import { KeyStoreError } from '../key-sealing.js';
import type { Secp256k1Backend } from './secp256k1-native.js';
import { Secp256k1Signer } from './signers.js';

/** Options of {@link TenantSignerCache}. */
export interface TenantSignerCacheOptions {
  /**
   * The id of the key a DID signs with now, read on every {@link TenantSignerCache.signerFor} (so it must be cheap:
   * {@link storedSigningKeyId} is one primary-key read).
   */
  readonly currentKeyId: (did: string) => Promise<string>;
  /** Where the private key is opened (a `SealedPrivateKeyStore` on the issuer database). */
  readonly privateKeys: Pick<AbstractPrivateKeyStore, 'getKey'>;
  /** Force the ES256K backend of the signers (tests of the fallback); default as {@link Secp256k1Signer}. */
  readonly backend?: Secp256k1Backend;
  /** How many keys to hold; the least recently used one is zeroed and dropped beyond. Default 1024. */
  readonly maxEntries?: number;
  /**
   * The verification method a signer names as its `kid`. Default `${did}#controller`: the one entry of a did:ethr
   * document that names the identity's current owner before and after a key rotation (`#controllerKey` only
   * exists while the DID's own key owns it).
   */
  readonly verificationMethod?: (did: string) => string;
}

/** A key being opened; `cancelled` when it was evicted meanwhile, so the result is not held. */
interface Loading {
  promise: Promise<Secp256k1Signer>;
  cancelled: boolean;
}

interface Entry {
  readonly did: string;
  readonly signer: Secp256k1Signer;
}

/**
 * The tenants' ES256K signers, each built once from its sealed private key and then served from memory, so that
 * issuing a credential does not open the key store (a database read and an AES-GCM decryption) every time.
 *
 * Entries are keyed by the key id (Veramo's `kid`), so a rotated key is never used for a DID whose current key is
 * another: {@link signerFor} reads the DID's current key on each call and zeroes the old key's signer when it
 * changed (a rotation made in another process, such as the operator CLI). A rotation in this process should call
 * {@link evict} with the old key id as soon as the DID is switched to its new key. Evicted and displaced signers
 * are destroyed: their copy of the key is zeroed.
 *
 * The private key is read from the store as a hex string (Veramo's contract), which JavaScript cannot zero; the
 * bytes derived from it are zeroed as soon as the signer holds its own copy.
 */
export class TenantSignerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Loading>();
  private readonly currentKids = new Map<string, string>();
  private readonly maxEntries: number;
  private readonly verificationMethod: (did: string) => string;

  constructor(private readonly options: TenantSignerCacheOptions) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1024);
    this.verificationMethod = options.verificationMethod ?? ((did) => `${did}#controller`);
  }

  /**
   * The signer of the DID's current key. Reads the DID's key id on every call; opens the key only the first time.
   * @throws KeyStoreError `KEY_NOT_FOUND` when the DID has no key here, or as the store refuses the key (another
   *   DID's, altered, wrong secret); Error when the key is not Secp256k1
   */
  async signerFor(did: string): Promise<Secp256k1Signer> {
    return this.signerForKey(did, await this.options.currentKeyId(did));
  }

  /**
   * The signer of a key the caller already knows is the DID's current one (it just read the identifier).
   * @throws KeyStoreError when the key does not open (not found, another DID's, altered, wrong secret)
   */
  async signerForKey(did: string, kid: string): Promise<Secp256k1Signer> {
    const previous = this.currentKids.get(did);
    if (previous !== undefined && previous !== kid) this.evict(previous);
    this.currentKids.set(did, kid);
    const entry = this.entries.get(kid);
    if (entry && entry.did === did) {
      this.entries.delete(kid);
      this.entries.set(kid, entry);
      return entry.signer;
    }
    if (entry) this.evict(kid);
    let loading = this.loading.get(kid);
    if (!loading) {
      const state = { cancelled: false } as Loading;
      state.promise = this.load(did, kid, state).finally(() => {
        if (this.loading.get(kid) === state) this.loading.delete(kid);
      });
      this.loading.set(kid, state);
      loading = state;
    }
    return loading.promise;
  }

  /**
   * Forgets a key and zeroes the signer holding it. Call it when a DID stops using the key (rotation) or the key is
   * deleted. A load of that key in progress is not cached when it completes.
   * @returns whether a signer was held for it
   */
  evict(kid: string): boolean {
    const loading = this.loading.get(kid);
    if (loading) loading.cancelled = true;
    this.loading.delete(kid);
    const entry = this.entries.get(kid);
    if (!entry) return false;
    this.entries.delete(kid);
    if (this.currentKids.get(entry.did) === kid) this.currentKids.delete(entry.did);
    entry.signer.destroy();
    return true;
  }

  /** Zeroes and forgets every key (shutdown, or a change of the key-encryption secret). */
  clear(): void {
    for (const kid of [...this.entries.keys(), ...this.loading.keys()]) this.evict(kid);
    this.currentKids.clear();
  }

  /** How many signers are held. */
  get size(): number {
    return this.entries.size;
  }

  private async load(did: string, kid: string, state: Loading): Promise<Secp256k1Signer> {
    const { privateKeyHex, type } = await this.options.privateKeys.getKey({ alias: kid });
    if (type !== 'Secp256k1') throw new Error(`invalid_argument: the key ${kid} of ${did} is ${type}, not Secp256k1`);
    const privateKey = Buffer.from(privateKeyHex, 'hex');
    let signer: Secp256k1Signer;
    try {
      signer = new Secp256k1Signer({ kid: this.verificationMethod(did), privateKey, backend: this.options.backend });
    } finally {
      privateKey.fill(0);
    }
    // Evicted while the key was being opened: serve the calls that asked before, hold nothing.
    if (state.cancelled) return signer;
    if (this.entries.size >= this.maxEntries) this.evict(this.entries.keys().next().value!);
    this.entries.set(kid, { did, signer });
    return signer;
  }
}

/**
 * Reads the key a DID signs with from Veramo's DID store on the issuer database: its controller key (what the
 * issuer agent's JWT signing and a key switch use), else its first Secp256k1 key. One primary-key read of one column, where
 * `didManagerGet` loads the DID with all its keys and services (measured here: 4–6× slower on SQLite).
 * @param dataSource - the issuer database
 * @returns a function giving the key id of a DID; it throws KeyStoreError `KEY_NOT_FOUND` when the DID is not
 *   stored or has no key
 */
export function storedSigningKeyId(dataSource: DataSource): (did: string) => Promise<string> {
  const keys = dataSource.getRepository(Key);
  let sql: string | undefined;
  return async (did) => {
    // Plain SQL built once: read on every issuance (see TenantJwsSigners), where the query builder's cost showed.
    sql ??= controllerKeySql(dataSource);
    const [identifier] = (await dataSource.query(sql, [did])) as Array<{ kid: string | null }>;
    // A DID stored without a controller key id (imported by hand) signs with its first Secp256k1 key, as Veramo does.
    const kid = identifier?.kid ?? (identifier ? (await keys.findOne({ where: { identifier: { did }, type: 'Secp256k1' }, select: { kid: true } }))?.kid : undefined);
    if (!kid) throw new KeyStoreError('KEY_NOT_FOUND', `the DID ${did} has no signing key in the issuer database`);
    return kid;
  };
}

function controllerKeySql(dataSource: DataSource): string {
  const metadata = dataSource.getMetadata(Identifier);
  const escape = (name: string) => dataSource.driver.escape(name);
  const column = (property: string) => escape(metadata.findColumnWithPropertyName(property)!.databaseName);
  const table = metadata.tablePath.split('.').map(escape).join('.');
  return `SELECT ${column('controllerKeyId')} AS ${escape('kid')} FROM ${table} WHERE ${column('did')} = ${dataSource.options.type === 'postgres' ? '$1' : '?'}`;
}
