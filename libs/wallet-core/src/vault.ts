import { z } from 'zod';
import { credentialsToMerge, laborContractsToMerge, readBackup, writeBackup, type ImportMode, type ImportOutcome } from './backup.js';
import { walletCredentialSchema, type WalletCredential } from './credential-record.js';
import { WalletError, WalletErrorCode } from './errors.js';
import { generateHolderKeyPair, holderKeyOf, publicJwkOf, type HolderKey } from './holder-key.js';
import { laborContractRecordSchema, type LaborContractRecord } from './labor/record.js';
import { sharingRecordSchema, type SharingRecord } from './sharing-history.js';
import { deriveKey, keyDerivationSchema, newDerivation, seal, sealedSchema, unseal, type Sealed } from './sealing.js';
import { StoreConflictError, type KeyValueStore, type StoreChange } from './storage.js';

/** Where the time comes from (injected, so tests decide when inactivity has lasted long enough). */
export interface WalletClock {
  now(): Date;
}

/**
 * A passcode (the wallet's "PIN") is 6 to 32 digits, or 8 to 32 characters with at least one that is not a digit
 * (letters, signs, spaces inside). Six digits stay the shortest: a longer passcode with letters is what resists
 * guessing from a copied database (docs/wallet.md, security model).
 */
export const PIN_PATTERN = /^(?:\d{6,32}|(?=.*\D)(?=\S)[^\p{Cc}]{7,31}\S)$/u;
/** The longest passcode the wallet takes. */
export const MAX_PIN_LENGTH = 32;
/** The wallet locks itself after this much inactivity unless the user chose otherwise. */
export const DEFAULT_AUTO_LOCK_MS = 5 * 60_000;
/** The inactivity periods a user may choose. */
export const AUTO_LOCK_CHOICES_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;
/** Wrong PINs allowed in a row before each further try waits. */
export const FREE_PIN_TRIES = 5;
/** The wait after the 5th wrong PIN in a row; it doubles with each further wrong PIN, up to {@link MAX_PIN_WAIT_MS}. */
export const FIRST_PIN_WAIT_MS = 30_000;
export const MAX_PIN_WAIT_MS = 60 * 60_000;
/**
 * The wrong-PIN count a missing or damaged wrong-PIN record is read as, on a wallet that has a PIN: the first count
 * whose wait is {@link MAX_PIN_WAIT_MS}. The wallet fails closed: deleting that one record starts the longest wait
 * instead of resetting the count.
 */
export const LOCKOUT_FAILURES = FREE_PIN_TRIES + Math.ceil(Math.log2(MAX_PIN_WAIT_MS / FIRST_PIN_WAIT_MS));

/** Whether a passcode is digits only (the lock screen shows the keypad) or has other characters (a text field). */
export type PasscodeKind = 'digits' | 'text';

/**
 * The part of the Web Locks API (`navigator.locks`) the vault uses to run set-up and unlock attempts one at a time
 * across the tabs of the wallet's origin.
 */
export interface VaultLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The Web Lock name every tab takes around set-up, unlock attempts and the wipe. */
export const VAULT_LOCK_NAME = 'citycred-wallet-vault';

/** The keys the vault writes in its store. */
const KEYS = {
  vault: 'vault',
  throttle: 'pin-throttle',
  settings: 'settings',
  holderKey: 'holder-key',
  credentials: 'credential/',
  sharing: 'sharing/',
  labor: 'labor/',
} as const;

/**
 * A known text sealed under the PIN's key: it opens only with the right PIN (the "verifier value"). Like every sealed
 * record it also lets someone with a copy of the store test PINs offline, where no wrong-PIN wait applies.
 */
const PIN_CHECK = 'citycred-wallet-pin-check';
const VAULT_VERSION = 1;

const vaultRecordSchema = z.object({ version: z.literal(VAULT_VERSION), kdf: keyDerivationSchema, check: sealedSchema, passcode: z.enum(['digits', 'text']).optional() });
const throttleSchema = z.object({ failures: z.number().int().min(0), retryAt: z.number().optional(), recordLost: z.literal(true).optional() });
const settingsSchema = z.object({ autoLockMs: z.number().refine((ms) => (AUTO_LOCK_CHOICES_MS as readonly number[]).includes(ms)) });
const holderKeyRecordSchema = z.object({ privateKey: z.custom<CryptoKey>((value) => typeof CryptoKey !== 'undefined' && value instanceof CryptoKey), jwk: sealedSchema });
const publicJwkSchema = z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string() });

/** Where the wallet stands: no PIN yet, locked, or open. */
export type VaultState = 'new' | 'locked' | 'unlocked';

/** Wrong PINs in a row so far and, once they pass {@link FREE_PIN_TRIES}, when the next try is allowed. */
export interface PinThrottle {
  readonly failures: number;
  readonly retryAt?: Date;
  /** True when the count is {@link LOCKOUT_FAILURES} because the stored record was missing or damaged, not counted. */
  readonly recordLost?: true;
}

/**
 * The citizen wallet's vault (docs/wallet.md): a PIN set at first run opens it; every credential is its own record,
 * sealed with AES-256-GCM under a key derived from the PIN (PBKDF2-SHA-256, {@link PBKDF2_ITERATIONS}, random salt),
 * its store key as additional data. The derived key lives only in this object while the wallet is open: it is dropped
 * by {@link lock}, after the chosen inactivity ({@link touch} marks activity), and by a reload. Wrong PINs are counted
 * in the store, so a reload does not reset the count; after {@link FREE_PIN_TRIES} in a row each try waits longer.
 * The waits guard the wallet's own screen only: a copied store can be guessed at offline at PBKDF2's cost.
 * The holder key is a non-extractable WebCrypto P-256 key kept as a `CryptoKey` in the store; its public key is sealed.
 */
export class Vault {
  private key: CryptoKey | undefined;
  private lastActivity = 0;
  private autoLock = DEFAULT_AUTO_LOCK_MS;
  private readonly lockListeners = new Set<() => void>();
  /** The tail of this page's queue of set-up, unlock and wipe calls (the in-page half of {@link exclusive}). */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param store - where the records live (IndexedDB in the browser)
   * @param clock - the time; default the system's
   * @param locks - the Web Locks API shared by the origin's tabs; default `navigator.locks` where the platform has it
   */
  constructor(
    private readonly store: KeyValueStore,
    private readonly clock: WalletClock = { now: () => new Date() },
    private readonly locks: VaultLocks | undefined = (globalThis as { navigator?: { locks?: VaultLocks } }).navigator?.locks,
  ) {}

  /** Whether the wallet has a PIN, and whether it is open (an open wallet idle too long is locked first). */
  async state(): Promise<VaultState> {
    if (this.isUnlocked()) return 'unlocked';
    return (await this.store.get(KEYS.vault)) === undefined ? 'new' : 'locked';
  }

  /**
   * First run: sets the passcode ({@link PIN_PATTERN}), makes the holder key and opens the wallet. Runs under the
   * vault's lock, and the vault record is added (never overwritten), so of two tabs setting up at once only the first
   * succeeds.
   * @throws WalletError `wallet.invalid-pin` (not a passcode of {@link PIN_PATTERN}), `wallet.already-set-up` (also when
   *   another tab set the wallet up first: that tab's PIN holds, and this page should reload)
   */
  async setUp(pin: string): Promise<void> {
    if (!PIN_PATTERN.test(pin)) throw new WalletError(WalletErrorCode.InvalidPin, 'a passcode is 6 to 32 digits, or 8 to 32 characters with letters');
    await this.exclusive(async () => {
      if ((await this.store.get(KEYS.vault)) !== undefined) throw alreadySetUp();
      const kdf = newDerivation();
      const key = await deriveKey(normalisedPasscode(pin), kdf);
      const pair = await generateHolderKeyPair();
      const jwk = await publicJwkOf(pair.publicKey);
      const passcode: PasscodeKind = /^\d+$/.test(pin) ? 'digits' : 'text';
      try {
        await this.store.write([
          { add: KEYS.vault, value: { version: VAULT_VERSION, kdf, check: await seal(key, KEYS.vault, PIN_CHECK), passcode } },
          { put: KEYS.holderKey, value: { privateKey: pair.privateKey, jwk: await seal(key, KEYS.holderKey, jwk) } },
          { put: KEYS.throttle, value: { failures: 0 } },
        ]);
      } catch (error) {
        if (error instanceof StoreConflictError) throw alreadySetUp(error);
        throw error;
      }
      await this.opened(key);
    });
  }

  /**
   * The wrong-PIN count as stored, and when the next try is allowed (when it has to wait). On a wallet with a PIN, a
   * missing or damaged record reads as {@link LOCKOUT_FAILURES} (the next unlock starts the longest wait).
   */
  async throttle(): Promise<PinThrottle> {
    const parsed = throttleSchema.safeParse(await this.store.get(KEYS.throttle));
    if (!parsed.success) return (await this.store.get(KEYS.vault)) === undefined ? { failures: 0 } : { failures: LOCKOUT_FAILURES, recordLost: true };
    const { failures, retryAt, recordLost } = parsed.data;
    return { failures, ...(retryAt !== undefined ? { retryAt: new Date(retryAt) } : {}), ...(recordLost ? { recordLost } : {}) };
  }

  /** Whether the passcode is digits only or has other characters (not secret: it tells the lock screen which field to show). */
  async passcodeKind(): Promise<PasscodeKind> {
    return (await this.vaultRecord()).passcode ?? 'digits';
  }

  /**
   * Opens the wallet with its PIN. Attempts run one at a time (in this page and, through `navigator.locks`, across
   * tabs), and each is counted as a wrong PIN **before** the key is derived; only a right PIN resets the count. So
   * PINs tried at once, or a page closed while the key is derived, all count.
   * @throws WalletError `wallet.not-set-up`; `wallet.throttled` (with `retryAt`) while a wait runs, before the PIN is
   *   even tried, and when the wrong-PIN record is missing or damaged (the longest wait starts); `wallet.wrong-pin`
   *   (the count goes up, and from the 5th in a row a wait starts); `wallet.corrupted` when the stored vault record is
   *   not the wallet's
   */
  async unlock(pin: string): Promise<void> {
    await this.exclusive(async () => {
      const vault = await this.vaultRecord();
      const now = this.clock.now().getTime();
      const stored = throttleSchema.safeParse(await this.store.get(KEYS.throttle));
      if (!stored.success) {
        // Fail closed: a record deleted or changed by hand must not reset the count.
        const retryAt = now + MAX_PIN_WAIT_MS;
        await this.store.write([{ put: KEYS.throttle, value: { failures: LOCKOUT_FAILURES, retryAt, recordLost: true } }]);
        throw new WalletError(WalletErrorCode.Throttled, 'the wrong-PIN record is missing or damaged: wait before the next try', new Date(retryAt));
      }
      const { failures, retryAt } = stored.data;
      if (retryAt !== undefined && retryAt > now) throw new WalletError(WalletErrorCode.Throttled, 'too many wrong PINs: wait before the next try', new Date(retryAt));
      const count = failures + 1;
      const next = count < FREE_PIN_TRIES ? undefined : new Date(now + Math.min(FIRST_PIN_WAIT_MS * 2 ** (count - FREE_PIN_TRIES), MAX_PIN_WAIT_MS));
      await this.store.write([{ put: KEYS.throttle, value: next === undefined ? { failures: count } : { failures: count, retryAt: next.getTime() } }]);
      const key = await deriveKey(normalisedPasscode(pin), vault.kdf);
      let check: unknown;
      try {
        check = await unseal(key, KEYS.vault, vault.check);
      } catch {
        check = undefined;
      }
      if (check !== PIN_CHECK) throw new WalletError(WalletErrorCode.WrongPin, 'the PIN does not open the wallet', next);
      await this.store.write([{ put: KEYS.throttle, value: { failures: 0 } }]);
      await this.opened(key);
    });
  }

  /** Locks the wallet now: the derived key is dropped and listeners are told. */
  lock(): void {
    if (this.key === undefined) return;
    this.key = undefined;
    for (const listener of this.lockListeners) listener();
  }

  /**
   * Calls `listener` whenever the wallet locks (by hand, after inactivity, by a wipe).
   * @returns a function that removes the listener
   */
  onLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Marks user activity: the inactivity period starts again. Does nothing on a locked wallet. */
  touch(): void {
    if (this.isUnlocked()) this.lastActivity = this.clock.now().getTime();
  }

  /** Whether the wallet is open; one idle for longer than its auto-lock period is locked by this call. */
  isUnlocked(): boolean {
    if (this.key === undefined) return false;
    if (this.clock.now().getTime() - this.lastActivity >= this.autoLock) this.lock();
    return this.key !== undefined;
  }

  /** The inactivity after which the wallet locks itself. */
  autoLockMs(): number {
    return this.autoLock;
  }

  /**
   * Sets the inactivity after which the wallet locks itself, kept for the next unlock too.
   * @param ms - one of {@link AUTO_LOCK_CHOICES_MS}
   * @throws WalletError `wallet.locked`; TypeError for another value
   */
  async setAutoLockMs(ms: number): Promise<void> {
    this.openKey();
    if (!(AUTO_LOCK_CHOICES_MS as readonly number[]).includes(ms)) throw new TypeError(`auto-lock is one of ${AUTO_LOCK_CHOICES_MS.join(', ')} ms`);
    await this.store.write([{ put: KEYS.settings, value: { autoLockMs: ms } }]);
    this.autoLock = ms;
  }

  /**
   * The holder key: its did:jwk, public JWK and an ES256 signer.
   * @throws WalletError `wallet.locked`, `wallet.corrupted`
   */
  async holderKey(): Promise<HolderKey> {
    const key = this.openKey();
    const record = holderKeyRecordSchema.safeParse(await this.store.get(KEYS.holderKey));
    if (!record.success) throw new WalletError(WalletErrorCode.Corrupted, 'the holder key record is missing or damaged');
    const jwk = publicJwkSchema.parse(await this.unsealed(key, KEYS.holderKey, record.data.jwk));
    return holderKeyOf(record.data.privateKey, jwk);
  }

  /**
   * Every credential, oldest first.
   * @throws WalletError `wallet.locked`, `wallet.corrupted`
   */
  async credentials(): Promise<WalletCredential[]> {
    const key = this.openKey();
    const found: WalletCredential[] = [];
    for (const storeKey of await this.store.keys(KEYS.credentials)) found.push(await this.credentialAt(key, storeKey));
    return found.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  }

  /**
   * One credential.
   * @throws WalletError `wallet.not-found`, `wallet.locked`, `wallet.corrupted`
   */
  async credential(id: string): Promise<WalletCredential> {
    const key = this.openKey();
    const storeKey = `${KEYS.credentials}${id}`;
    if ((await this.store.get(storeKey)) === undefined) throw new WalletError(WalletErrorCode.NotFound, 'no credential has this id');
    return this.credentialAt(key, storeKey);
  }

  /**
   * Stores a credential (a new one, or a new version of one with the same id), sealed as its own record.
   * @throws WalletError `wallet.locked`; ZodError for a record of the wrong shape
   */
  async saveCredential(credential: WalletCredential): Promise<void> {
    const key = this.openKey();
    const record = walletCredentialSchema.parse(credential);
    await this.store.write([await this.sealedPut(key, `${KEYS.credentials}${record.id}`, record)]);
  }

  /**
   * Deletes one credential.
   * @throws WalletError `wallet.not-found`, `wallet.locked`
   */
  async deleteCredential(id: string): Promise<void> {
    this.openKey();
    const storeKey = `${KEYS.credentials}${id}`;
    if ((await this.store.get(storeKey)) === undefined) throw new WalletError(WalletErrorCode.NotFound, 'no credential has this id');
    await this.store.write([{ delete: storeKey }]);
  }

  /**
   * Adds one entry to the sharing history, sealed as its own record (on this device only: backups leave it out).
   * @throws WalletError `wallet.locked`; ZodError for an entry of the wrong shape
   */
  async recordSharing(entry: SharingRecord): Promise<void> {
    const key = this.openKey();
    const record = sharingRecordSchema.parse(entry);
    await this.store.write([await this.sealedPut(key, `${KEYS.sharing}${record.id}`, record)]);
  }

  /**
   * The sharing history, newest first.
   * @throws WalletError `wallet.locked`, `wallet.corrupted`
   */
  async sharingHistory(): Promise<SharingRecord[]> {
    const key = this.openKey();
    const found: SharingRecord[] = [];
    for (const storeKey of await this.store.keys(KEYS.sharing)) {
      const parsed = sharingRecordSchema.safeParse(await this.unsealed(key, storeKey, await this.store.get(storeKey)));
      if (!parsed.success) throw new WalletError(WalletErrorCode.Corrupted, `the record ${storeKey} is not a sharing entry`, undefined, { cause: parsed.error });
      found.push(parsed.data);
    }
    return found.sort((a, b) => b.at.localeCompare(a.at));
  }

  /**
   * Deletes the whole sharing history (the credentials stay).
   * @throws WalletError `wallet.locked`
   */
  async clearSharingHistory(): Promise<void> {
    this.openKey();
    const keys = await this.store.keys(KEYS.sharing);
    if (keys.length > 0) await this.store.write(keys.map((storeKey) => ({ delete: storeKey })));
  }

  /**
   * Keeps a labour contract the worker signed, with its co-signed attendance events (a new one, or a newer copy of one
   * with the same id), sealed as its own record (`labor/<id>`).
   * @throws WalletError `wallet.locked`; ZodError for a record of the wrong shape
   */
  async saveLaborContract(contract: LaborContractRecord): Promise<void> {
    const key = this.openKey();
    const record = laborContractRecordSchema.parse(contract);
    await this.store.write([await this.sealedPut(key, `${KEYS.labor}${record.id}`, record)]);
  }

  /**
   * The labour contracts the worker signed in this wallet, oldest first.
   * @throws WalletError `wallet.locked`, `wallet.corrupted`
   */
  async laborContracts(): Promise<LaborContractRecord[]> {
    const key = this.openKey();
    const found: LaborContractRecord[] = [];
    for (const storeKey of await this.store.keys(KEYS.labor)) found.push(await this.laborContractAt(key, storeKey));
    return found.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
  }

  /**
   * One labour contract, or undefined when the wallet holds none with this id.
   * @throws WalletError `wallet.locked`, `wallet.corrupted`
   */
  async laborContract(id: string): Promise<LaborContractRecord | undefined> {
    const key = this.openKey();
    const storeKey = `${KEYS.labor}${id}`;
    if ((await this.store.get(storeKey)) === undefined) return undefined;
    return this.laborContractAt(key, storeKey);
  }

  /**
   * An encrypted backup of the credentials and the labour contracts with their co-signed attendance copies (the
   * holder key stays: ADR 0013), sealed under a passphrase of its own.
   * @returns the backup file's text (JSON)
   * @throws WalletError `wallet.locked`, `wallet.weak-passphrase`
   */
  async exportBackup(passphrase: string): Promise<string> {
    const credentials = await this.credentials();
    const laborContracts = await this.laborContracts();
    const holder = await this.holderKey();
    return writeBackup({ exportedAt: this.clock.now().toISOString(), holderDid: holder.did, credentials, laborContracts }, passphrase);
  }

  /**
   * Imports a backup file: `merge` adds the credentials the wallet does not hold yet, and the labour contracts it does
   * not hold (or the attendance copies a held one lacks, {@link laborContractsToMerge}); `replace` leaves exactly the
   * backup's credentials and labour contracts. The file is read and checked whole before anything is written, and
   * everything is written in one store transaction: a wrong passphrase or a damaged file changes nothing.
   * @throws WalletError `wallet.locked`, `wallet.backup-malformed`, `wallet.backup-unreadable`
   */
  async importBackup(text: string, passphrase: string, mode: ImportMode): Promise<ImportOutcome> {
    this.openKey();
    const contents = await readBackup(text, passphrase);
    const key = this.openKey();
    const held = await this.credentials();
    const heldContracts = await this.laborContracts();
    const incomingContracts = contents.laborContracts ?? [];
    const changes: StoreChange[] = [];
    if (mode === 'replace') {
      for (const credential of held) changes.push({ delete: `${KEYS.credentials}${credential.id}` });
      for (const credential of contents.credentials) changes.push(await this.sealedPut(key, `${KEYS.credentials}${credential.id}`, credential));
      const kept = new Set(incomingContracts.map((contract) => contract.id));
      for (const contract of heldContracts) if (!kept.has(contract.id)) changes.push({ delete: `${KEYS.labor}${contract.id}` });
      for (const contract of incomingContracts) changes.push(await this.sealedPut(key, `${KEYS.labor}${contract.id}`, contract));
      await this.store.write(changes);
      return { imported: contents.credentials.length, skipped: 0, removed: held.length, laborContracts: incomingContracts.length };
    }
    const contracts = laborContractsToMerge(heldContracts, incomingContracts);
    for (const contract of contracts) changes.push(await this.sealedPut(key, `${KEYS.labor}${contract.id}`, contract));
    const added = credentialsToMerge(held, contents.credentials);
    const ids = new Set(held.map((credential) => credential.id));
    for (const credential of added) {
      // Two wallets' random ids do not collide in practice; if one does, the newcomer gets another.
      const id = ids.has(credential.id) ? globalThis.crypto.randomUUID() : credential.id;
      ids.add(id);
      changes.push(await this.sealedPut(key, `${KEYS.credentials}${id}`, { ...credential, id }));
    }
    await this.store.write(changes);
    return { imported: added.length, skipped: contents.credentials.length - added.length, removed: 0, laborContracts: contracts.length };
  }

  /** Deletes everything — PIN, holder key, credentials, wrong-PIN count — and locks. Needs no PIN (a forgotten PIN). */
  async wipe(): Promise<void> {
    await this.exclusive(async () => {
      await this.store.clear();
      this.lock();
      this.autoLock = DEFAULT_AUTO_LOCK_MS;
    });
  }

  /**
   * Runs `task` alone: after every earlier set-up, unlock or wipe of this page (an in-memory queue) and, where the
   * platform has Web Locks, while holding {@link VAULT_LOCK_NAME} for the whole origin (other tabs).
   */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = () => (this.locks ? this.locks.request(VAULT_LOCK_NAME, task) : task());
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async opened(key: CryptoKey): Promise<void> {
    const settings = settingsSchema.safeParse(await this.store.get(KEYS.settings));
    this.autoLock = settings.success ? settings.data.autoLockMs : DEFAULT_AUTO_LOCK_MS;
    this.key = key;
    this.lastActivity = this.clock.now().getTime();
  }

  private async vaultRecord(): Promise<z.infer<typeof vaultRecordSchema>> {
    const stored = await this.store.get(KEYS.vault);
    if (stored === undefined) throw new WalletError(WalletErrorCode.NotSetUp, 'the wallet has no PIN yet');
    const parsed = vaultRecordSchema.safeParse(stored);
    if (!parsed.success) throw new WalletError(WalletErrorCode.Corrupted, 'the stored vault record is damaged', undefined, { cause: parsed.error });
    return parsed.data;
  }

  /** The derived key of an open wallet, counting the call as activity. */
  private openKey(): CryptoKey {
    if (!this.isUnlocked() || this.key === undefined) throw new WalletError(WalletErrorCode.Locked, 'the wallet is locked');
    this.lastActivity = this.clock.now().getTime();
    return this.key;
  }

  private async sealedPut(key: CryptoKey, storeKey: string, value: unknown): Promise<StoreChange> {
    return { put: storeKey, value: await seal(key, storeKey, value) };
  }

  private async credentialAt(key: CryptoKey, storeKey: string): Promise<WalletCredential> {
    const parsed = walletCredentialSchema.safeParse(await this.unsealed(key, storeKey, await this.store.get(storeKey)));
    if (!parsed.success) throw new WalletError(WalletErrorCode.Corrupted, `the record ${storeKey} is not a credential`, undefined, { cause: parsed.error });
    return parsed.data;
  }

  private async laborContractAt(key: CryptoKey, storeKey: string): Promise<LaborContractRecord> {
    const parsed = laborContractRecordSchema.safeParse(await this.unsealed(key, storeKey, await this.store.get(storeKey)));
    if (!parsed.success) throw new WalletError(WalletErrorCode.Corrupted, `the record ${storeKey} is not a labour contract`, undefined, { cause: parsed.error });
    return parsed.data;
  }

  private async unsealed(key: CryptoKey, storeKey: string, stored: unknown): Promise<unknown> {
    const sealed = sealedSchema.safeParse(stored);
    if (!sealed.success) throw new WalletError(WalletErrorCode.Corrupted, `the record ${storeKey} is not sealed`);
    try {
      return await unseal(key, storeKey, sealed.data as Sealed);
    } catch (error) {
      throw new WalletError(WalletErrorCode.Corrupted, `the record ${storeKey} does not decrypt`, undefined, { cause: error });
    }
  }
}

function alreadySetUp(cause?: unknown): WalletError {
  return new WalletError(WalletErrorCode.AlreadySetUp, 'the wallet already has a PIN (set up in another tab?): reload', undefined, cause === undefined ? undefined : { cause });
}

/** The passcode as derived: NFC, so a Korean passcode typed on another keyboard (composed or not) gives the same key. */
function normalisedPasscode(pin: string): string {
  return pin.normalize('NFC');
}
