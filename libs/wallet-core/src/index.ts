/**
 * The citizen wallet's core, browser code (no Node built-in; WebCrypto through `globalThis.crypto`): the PIN-locked
 * {@link Vault} of encrypted credentials, the non-extractable holder key and its did:jwk signer, encrypted backups, the
 * storage port with its IndexedDB and in-memory adapters, and the credential record the receiving flow fills in.
 * docs/wallet.md; ADR 0013.
 */
export { BACKUP_FORMAT, BACKUP_VERSION, MIN_BACKUP_PASSPHRASE_LENGTH, readBackup, writeBackup, type BackupContents, type ImportMode, type ImportOutcome } from './backup.js';
export { credentialRecordOf, issuerSignatureSnapshot, issuerSignatureSnapshotSchema, statusSnapshotSchema, viewCredential, walletCredentialSchema, type CredentialView, type HolderBinding, type IssuerSignatureSnapshot, type WalletCredential } from './credential-record.js';
export { WalletError, WalletErrorCode } from './errors.js';
export { generateHolderKeyPair, holderKeyOf, publicJwkOf, type HolderKey } from './holder-key.js';
export { IndexedDbStore, WALLET_DATABASE } from './indexeddb-store.js';
export { OFFLINE_GUESSES_PER_SECOND, passcodeStrength, type PasscodeEstimate, type PasscodeStrength } from './passcode.js';
export { MIN_PBKDF2_ITERATIONS, PBKDF2_ITERATIONS } from './sealing.js';
export { sharingRecordSchema, type SharingRecord } from './sharing-history.js';
export { MemoryStore, StoreConflictError, type KeyValueStore, type StoreChange } from './storage.js';
export {
  AUTO_LOCK_CHOICES_MS,
  DEFAULT_AUTO_LOCK_MS,
  FIRST_PIN_WAIT_MS,
  FREE_PIN_TRIES,
  LOCKOUT_FAILURES,
  MAX_PIN_LENGTH,
  MAX_PIN_WAIT_MS,
  PIN_PATTERN,
  Vault,
  VAULT_LOCK_NAME,
  type PasscodeKind,
  type PinThrottle,
  type VaultLocks,
  type VaultState,
  type WalletClock,
} from './vault.js';
export * from './oid4vci/index.js';
export * from './oid4vp/index.js';
export * from './labor/index.js';
