import { randomUUID } from 'node:crypto';
import { inTransaction, KeyEncryptionCheckEntity, SealedPrivateKeyEntity } from '@citycred/persistence';
import type { IIdentifier, TKeyType } from '@veramo/core';
import { DIDStore, Key, PrivateKey } from '@veramo/data-store';
import { AbstractPrivateKeyStore, type ImportablePrivateKey, type ManagedPrivateKey } from '@veramo/key-manager';
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import { KeySealer, KeyStoreError, type SealBinding } from './key-sealing.js';

/** The `purpose` of the check value of `KEY_ENCRYPTION_SECRET` in `key_encryption_checks`. */
const CHECK_PURPOSE = 'private-keys';

/**
 * The check values proven on each open data source in this process, so that a store built after the start-up check
 * does not run it again (another transaction, which on SQLite would queue behind any transaction in progress).
 */
const provenSecrets = new WeakMap<DataSource, string>();

/** What {@link unlockPrivateKeys} found and did. */
export interface KeyUnlockReport {
  /** The database had no check value (first start) and this secret's was recorded. */
  checkRecorded: boolean;
  /** Keys stored before sealing (Veramo's secretbox rows) that were re-sealed and removed from `private-key`. */
  legacyKeysResealed: number;
}

/**
 * The start-up check of `KEY_ENCRYPTION_SECRET`, in one transaction: compares the secret with the check value in the
 * issuer database, or, when there is none yet, proves it on the keys already stored and records it; then re-seals any
 * key still stored the pre-sealing way (Veramo's `private-key` table, NaCl secretbox under the raw secret) into
 * `sealed_private_keys`, bound to the DID Veramo's key table gives it, and deletes the old row.
 * @param dataSource - the issuer database, migrated
 * @param keyEncryptionSecret - 64 hex characters
 * @throws KeyStoreError `KEY_SECRET_WEAK` for a malformed or weak secret, `KEY_SECRET_MISMATCH` for a wrong one (the
 *   message names `KEY_ENCRYPTION_SECRET`), `KEY_SEAL_BROKEN` for a pre-sealing key that was altered
 */
export async function unlockPrivateKeys(dataSource: DataSource, keyEncryptionSecret: string): Promise<KeyUnlockReport> {
  const sealer = new KeySealer(keyEncryptionSecret);
  let report: KeyUnlockReport;
  try {
    report = await inTransaction(dataSource, (manager) => unlockWith(manager, sealer, keyEncryptionSecret));
  } catch (error) {
    if (error instanceof KeyStoreError) throw error;
    // Two first starts at once both insert the check value; the loser reads the winner's and compares.
    report = await inTransaction(dataSource, (manager) => unlockWith(manager, sealer, keyEncryptionSecret));
  }
  provenSecrets.set(dataSource, sealer.checkValue());
  return report;
}

/** What {@link rotateKeyEncryptionSecret} did. */
export interface KeyRotationReport {
  /** Sealed keys re-sealed under the new secret. */
  resealed: number;
  /** Of these, keys that were still stored the pre-sealing way. */
  legacyKeysResealed: number;
}

/**
 * Re-seals every private key of the issuer database under a new secret and replaces the check value, in one
 * transaction: it either all happens or nothing does. Issuers still running with the old secret can no longer open
 * the keys, so stop them first and start them again with the new secret.
 * @param dataSource - the issuer database, migrated
 * @param secrets - `current` (what `KEY_ENCRYPTION_SECRET` is now) and `next` (the new secret)
 * @throws KeyStoreError `KEY_SECRET_MISMATCH` when `current` is not the database's secret, `KEY_SECRET_WEAK` for a
 *   malformed or weak secret, `KEY_SECRET_UNCHANGED` when both are the same, `KEY_SEAL_BROKEN` naming a key that does
 *   not open (then nothing was changed)
 */
export async function rotateKeyEncryptionSecret(dataSource: DataSource, secrets: { current: string; next: string }): Promise<KeyRotationReport> {
  const from = new KeySealer(secrets.current);
  const to = new KeySealer(secrets.next, 'NEW_KEY_ENCRYPTION_SECRET');
  if (from.checkValue() === to.checkValue()) throw new KeyStoreError('KEY_SECRET_UNCHANGED', 'NEW_KEY_ENCRYPTION_SECRET is the same as KEY_ENCRYPTION_SECRET; nothing to rotate');
  provenSecrets.delete(dataSource);
  const report = await inTransaction(dataSource, async (manager) => {
    const { legacyKeysResealed } = await unlockWith(manager, from, secrets.current);
    // Replacing the check value first takes its row lock, so a second rotation at the same time waits, then finds
    // the old value gone and changes nothing.
    const replaced = await manager.getRepository(KeyEncryptionCheckEntity).update({ purpose: CHECK_PURPOSE, checkValue: from.checkValue() }, { checkValue: to.checkValue() });
    if (replaced.affected !== 1) throw wrongSecret('another rotation changed the secret meanwhile');
    const keys = manager.getRepository(SealedPrivateKeyEntity);
    const rows = await keys.find({ order: { alias: 'ASC' } });
    for (const row of rows) {
      const binding = bindingOf(row);
      await keys.update({ alias: row.alias }, { sealed: to.seal(from.open(row.sealed, binding), binding) });
    }
    return { resealed: rows.length, legacyKeysResealed };
  });
  provenSecrets.set(dataSource, to.checkValue());
  return report;
}

/**
 * Veramo's private-key store for the issuer: each key sealed by {@link KeySealer} with its key id, type and owner DID as
 * associated data, in `sealed_private_keys`. A key is created unowned and is bound to its DID when the DID is stored
 * ({@link OwnerBindingDIDStore}); from then on it opens only as that DID's key, and never when Veramo's key table
 * gives it to another DID. Before its first operation the store runs {@link unlockPrivateKeys} once (unless it already
 * passed on this data source with this secret in this process), so no key is sealed or opened under an unchecked secret.
 */
export class SealedPrivateKeyStore extends AbstractPrivateKeyStore {
  private readonly sealer: KeySealer;
  private unlocked: Promise<KeyUnlockReport> | undefined;

  /**
   * @param dataSource - the issuer database, migrated
   * @param keyEncryptionSecret - 64 hex characters
   * @throws KeyStoreError `KEY_SECRET_WEAK` for a malformed or weak secret
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly keyEncryptionSecret: string,
  ) {
    super();
    this.sealer = new KeySealer(keyEncryptionSecret);
  }

  /** Seals a new key, unowned. Importing the same key again is a no-op; another key under the same id is refused. */
  async importKey(args: ImportablePrivateKey): Promise<ManagedPrivateKey> {
    await this.ready();
    const alias = args.alias ?? randomUUID();
    const keys = this.dataSource.getRepository(SealedPrivateKeyEntity);
    const existing = await keys.findOneBy({ alias });
    if (existing) {
      if ((await this.openRow(existing)) !== args.privateKeyHex) {
        throw new Error('key_already_exists: A key with this alias exists but with different data. Please use a different alias.');
      }
      return { alias, type: existing.type as TKeyType, privateKeyHex: args.privateKeyHex };
    }
    const binding: SealBinding = { alias, type: args.type, ownerDid: null };
    await keys.insert({ ...binding, sealed: this.sealer.seal(args.privateKeyHex, binding) });
    return { alias, type: args.type, privateKeyHex: args.privateKeyHex };
  }

  /**
   * Opens a key.
   * @throws KeyStoreError `KEY_NOT_FOUND`, `KEY_OWNER_MISMATCH` (Veramo's key table gives the key to another DID than
   *   the one it is sealed to), `KEY_SEAL_BROKEN` (moved, altered), `KEY_SECRET_MISMATCH` (wrong secret)
   */
  async getKey({ alias }: { alias: string }): Promise<ManagedPrivateKey> {
    await this.ready();
    const row = await this.dataSource.getRepository(SealedPrivateKeyEntity).findOneBy({ alias });
    if (!row) throw new KeyStoreError('KEY_NOT_FOUND', `no private key "${alias}" in the issuer database`);
    return { alias, type: row.type as TKeyType, privateKeyHex: await this.openRow(row) };
  }

  /** Deletes a key. @throws KeyStoreError `KEY_NOT_FOUND` */
  async deleteKey({ alias }: { alias: string }): Promise<boolean> {
    await this.ready();
    const { affected } = await this.dataSource.getRepository(SealedPrivateKeyEntity).delete({ alias });
    if (!affected) throw new KeyStoreError('KEY_NOT_FOUND', `no private key "${alias}" in the issuer database`);
    return true;
  }

  /** Opens every key (Veramo's contract). @throws KeyStoreError as {@link getKey} */
  async listKeys(): Promise<ManagedPrivateKey[]> {
    await this.ready();
    const rows = await this.dataSource.getRepository(SealedPrivateKeyEntity).find({ order: { alias: 'ASC' } });
    const keys: ManagedPrivateKey[] = [];
    for (const row of rows) keys.push({ alias: row.alias, type: row.type as TKeyType, privateKeyHex: await this.openRow(row) });
    return keys;
  }

  /**
   * Binds an unowned key to its DID (re-sealing it with the DID in its associated data). Binding a key to the DID it
   * already has is a no-op; a key not in this store (another KMS) is left alone.
   * @throws KeyStoreError `KEY_OWNER_MISMATCH` when the key already belongs to another DID
   */
  async bindOwner(alias: string, ownerDid: string): Promise<void> {
    await this.ready();
    const keys = this.dataSource.getRepository(SealedPrivateKeyEntity);
    const row = await keys.findOneBy({ alias });
    if (!row || row.ownerDid === ownerDid) return;
    if (row.ownerDid !== null) {
      throw new KeyStoreError('KEY_OWNER_MISMATCH', `the private key "${alias}" belongs to ${row.ownerDid}; it is not given to ${ownerDid} as well (a key is never shared between tenants)`);
    }
    const binding: SealBinding = { alias, type: row.type, ownerDid };
    const sealed = this.sealer.seal(this.sealer.open(row.sealed, bindingOf(row)), binding);
    const { affected } = await keys.update({ alias, ownerDid: IsNull(), sealed: row.sealed }, { ownerDid, sealed });
    if (affected !== 1) throw new KeyStoreError('KEY_OWNER_MISMATCH', `the private key "${alias}" changed while it was being bound to ${ownerDid}`);
  }

  /**
   * Runs the start-up check once per store, unless it already passed on this data source with this secret; a failed
   * check is tried again on the next operation.
   */
  private ready(): Promise<unknown> {
    if (provenSecrets.get(this.dataSource) === this.sealer.checkValue()) return Promise.resolve();
    this.unlocked ??= unlockPrivateKeys(this.dataSource, this.keyEncryptionSecret).catch((error: unknown) => {
      this.unlocked = undefined;
      throw error;
    });
    return this.unlocked;
  }

  private async openRow(row: SealedPrivateKeyEntity): Promise<string> {
    const claimedBy = await ownerInKeyTable(this.dataSource.manager, row.alias);
    // A key detached from its DID (claimedBy null) still opens as its sealed owner's; it is never another DID's.
    if (claimedBy !== null && claimedBy !== row.ownerDid) {
      throw new KeyStoreError(
        'KEY_OWNER_MISMATCH',
        `the private key "${row.alias}" is sealed to ${row.ownerDid ?? 'no DID'} but Veramo's key table gives it to ${claimedBy}: keys were moved between tenants. No key was used.`,
      );
    }
    return this.sealer.open(row.sealed, bindingOf(row));
  }
}

/**
 * Veramo's local KMS on a {@link SealedPrivateKeyStore}. Veramo reports any failure to read a key while signing as
 * `key_not_found`; this one reports the store's own error instead (a wrong secret, a moved or altered key).
 */
export class SealedKeyManagementSystem extends KeyManagementSystem {
  constructor(private readonly sealedKeys: SealedPrivateKeyStore) {
    super(sealedKeys);
  }

  /** Signs as Veramo's local KMS does. @throws KeyStoreError when the key cannot be opened */
  override async sign(args: Parameters<KeyManagementSystem['sign']>[0]): Promise<string> {
    try {
      return await super.sign(args);
    } catch (error) {
      await this.sealedKeys.getKey({ alias: args.keyRef.kid });
      throw error;
    }
  }
}

/**
 * Veramo's DID store that binds each key of the local KMS to its DID in the {@link SealedPrivateKeyStore} before the DID
 * is stored, so a key belongs to one DID from the moment the DID exists (creation, and keys added later).
 */
export class OwnerBindingDIDStore extends DIDStore {
  /**
   * @param dataSource - the issuer database
   * @param sealedKeys - the key store of the local KMS
   * @param kms - the name of that KMS in the agent
   */
  constructor(
    dataSource: DataSource,
    private readonly sealedKeys: SealedPrivateKeyStore,
    private readonly kms: string,
  ) {
    super(dataSource);
  }

  /** Binds the DID's local keys, then stores the DID. @throws KeyStoreError `KEY_OWNER_MISMATCH` for another DID's key */
  override async importDID(args: IIdentifier): Promise<boolean> {
    for (const key of args.keys) if (key.kms === this.kms) await this.sealedKeys.bindOwner(key.kid, args.did);
    return super.importDID(args);
  }
}

function bindingOf(row: SealedPrivateKeyEntity): SealBinding {
  return { alias: row.alias, type: row.type, ownerDid: row.ownerDid };
}

function wrongSecret(why: string): KeyStoreError {
  return new KeyStoreError(
    'KEY_SECRET_MISMATCH',
    `KEY_ENCRYPTION_SECRET is not the secret of this issuer database (${why}): the tenants' keys do not open with it. Start with the secret the keys were sealed with (after a "secrets rotate", the new one).`,
  );
}

/** The DID Veramo's key table gives a key to, or null. */
async function ownerInKeyTable(manager: EntityManager, kid: string): Promise<string | null> {
  const key = await manager.getRepository(Key).findOne({ where: { kid }, relations: { identifier: true } });
  return key?.identifier?.did ?? null;
}

async function unlockWith(manager: EntityManager, sealer: KeySealer, secretHex: string): Promise<KeyUnlockReport> {
  const checks = manager.getRepository(KeyEncryptionCheckEntity);
  const stored = await checks.findOneBy({ purpose: CHECK_PURPOSE });
  let checkRecorded = false;
  if (stored) {
    if (!sealer.matchesCheck(stored.checkValue)) throw wrongSecret('its check value differs');
  } else {
    await proveOnStoredKeys(manager, sealer, secretHex);
    await checks.insert({ purpose: CHECK_PURPOSE, checkValue: sealer.checkValue() });
    checkRecorded = true;
  }
  return { checkRecorded, legacyKeysResealed: await resealLegacyKeys(manager, sealer, secretHex) };
}

/**
 * No check value yet: on a fresh database there is nothing to prove; keys already stored (an upgraded database, or a
 * check value removed) must open with the secret before it is recorded as the right one.
 */
async function proveOnStoredKeys(manager: EntityManager, sealer: KeySealer, secretHex: string): Promise<void> {
  const sealed = await manager.getRepository(SealedPrivateKeyEntity).find();
  if (sealed.length > 0 && !sealed.some((row) => opens(() => sealer.open(row.sealed, bindingOf(row))))) {
    throw wrongSecret('the database has no check value, and none of its sealed keys opens with it');
  }
  const legacy = await manager.getRepository(PrivateKey).find();
  if (legacy.length > 0 && !(await anyLegacyOpens(legacy, secretHex))) {
    throw wrongSecret('the database has no check value, and none of its keys stored before sealing opens with it');
  }
}

function opens(open: () => string): boolean {
  try {
    open();
    return true;
  } catch {
    return false;
  }
}

async function anyLegacyOpens(rows: PrivateKey[], secretHex: string): Promise<boolean> {
  for (const row of rows) if ((await openLegacy(row, secretHex)) !== '') return true;
  return false;
}

/** Veramo's secretbox answers a failed decryption with an empty string; a malformed value throws. Both are ''. */
async function openLegacy(row: PrivateKey, secretHex: string): Promise<string> {
  try {
    return await new SecretBox(secretHex).decrypt(row.privateKeyHex);
  } catch {
    return '';
  }
}

/**
 * The upgrade from Veramo's secretbox rows: each is opened with the raw secret, sealed bound to the DID Veramo's key
 * table gives it (the binding is as trustworthy as that table was before the upgrade), and deleted.
 */
async function resealLegacyKeys(manager: EntityManager, sealer: KeySealer, secretHex: string): Promise<number> {
  const legacyRepo = manager.getRepository(PrivateKey);
  const legacy = await legacyRepo.find({ order: { alias: 'ASC' } });
  const keys = manager.getRepository(SealedPrivateKeyEntity);
  for (const row of legacy) {
    const privateKeyHex = await openLegacy(row, secretHex);
    if (privateKeyHex === '') {
      throw new KeyStoreError('KEY_SEAL_BROKEN', `the private key "${row.alias}" stored before sealing does not open with KEY_ENCRYPTION_SECRET (it was altered); nothing was re-sealed`);
    }
    if (await keys.existsBy({ alias: row.alias })) {
      throw new KeyStoreError('KEY_OWNER_MISMATCH', `the private key "${row.alias}" is stored both sealed and the pre-sealing way; nothing was re-sealed`);
    }
    const binding: SealBinding = { alias: row.alias, type: row.type, ownerDid: await ownerInKeyTable(manager, row.alias) };
    await keys.insert({ ...binding, sealed: sealer.seal(privateKeyHex, binding) });
    await legacyRepo.delete({ alias: row.alias });
  }
  return legacy.length;
}
