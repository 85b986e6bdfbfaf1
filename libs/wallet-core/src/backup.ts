import { z } from 'zod';
import { walletCredentialSchema, type WalletCredential } from './credential-record.js';
import { WalletError, WalletErrorCode } from './errors.js';
import { mergeAttendance } from './labor/attendance.js';
import { laborContractRecordSchema, type LaborContractRecord } from './labor/record.js';
import { deriveKey, keyDerivationSchema, newDerivation, seal, sealedSchema, unseal, type KeyDerivation } from './sealing.js';

/** What names a CityCred wallet backup file, and the one version written and read. */
export const BACKUP_FORMAT = 'citycred-wallet-backup';
export const BACKUP_VERSION = 1;
/** A backup passphrase has at least this many characters (a 6-digit PIN alone is too easy to guess offline). */
export const MIN_BACKUP_PASSPHRASE_LENGTH = 8;

/**
 * What a backup carries (ADR 0013): the credentials and the DID of the key they were received with — never the holder
 * key, which cannot leave the device. A wallet restored elsewhere has a new key, and shows credentials bound to the old
 * one as such. It also carries the labour contracts the worker signed (docs/wallet.md, "Labour contracts"): each
 * contract's review link, document, hash and signatures, and the worker's own copies of the co-signed attendance
 * events — the worker's proof of the hours, which must survive a lost phone (absent in backups of older wallets).
 */
export const backupContentsSchema = z.object({
  exportedAt: z.string(),
  holderDid: z.string().optional(),
  credentials: z.array(walletCredentialSchema).max(10_000),
  laborContracts: z.array(laborContractRecordSchema).max(1_000).optional(),
});

/** See {@link backupContentsSchema}. */
export type BackupContents = z.infer<typeof backupContentsSchema>;

const backupFileSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  kdf: keyDerivationSchema,
  cipher: z.literal('AES-256-GCM'),
  iv: sealedSchema.shape.iv,
  ciphertext: sealedSchema.shape.ciphertext,
});

/**
 * The members of the file that are not secret, in a fixed order: authenticated with the ciphertext, so a file whose
 * iteration count, salt or version was changed does not decrypt.
 */
function headerOf(kdf: KeyDerivation): string {
  return JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, kdf: { name: kdf.name, salt: kdf.salt, iterations: kdf.iterations }, cipher: 'AES-256-GCM' });
}

/**
 * Writes an encrypted backup file: JSON with its format and version, its own salt and iteration count
 * (PBKDF2-SHA-256 over the passphrase), and the contents sealed with AES-256-GCM.
 * @returns the file's text
 * @throws WalletError `wallet.weak-passphrase` for a passphrase under {@link MIN_BACKUP_PASSPHRASE_LENGTH} characters
 */
export async function writeBackup(contents: BackupContents, passphrase: string): Promise<string> {
  if ([...passphrase].length < MIN_BACKUP_PASSPHRASE_LENGTH) throw new WalletError(WalletErrorCode.WeakPassphrase, `a backup passphrase has at least ${MIN_BACKUP_PASSPHRASE_LENGTH} characters`);
  const kdf = newDerivation();
  const sealed = await seal(await deriveKey(passphrase, kdf), headerOf(kdf), backupContentsSchema.parse(contents));
  return `${JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, kdf, cipher: 'AES-256-GCM', ...sealed }, null, 2)}\n`;
}

/**
 * Reads an encrypted backup file.
 * @returns its contents, validated
 * @throws WalletError `wallet.backup-malformed` (not JSON, another format or version, members missing or out of
 *   range, contents of the wrong shape), `wallet.backup-unreadable` (the wrong passphrase, or a file changed since it
 *   was written: AES-GCM cannot tell the two apart)
 */
export async function readBackup(text: string, passphrase: string): Promise<BackupContents> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WalletError(WalletErrorCode.BackupMalformed, 'the file is not a wallet backup (not JSON)', undefined, { cause: error });
  }
  const file = backupFileSchema.safeParse(json);
  if (!file.success) throw new WalletError(WalletErrorCode.BackupMalformed, 'the file is not a CityCred wallet backup of a version this wallet reads', undefined, { cause: file.error });
  let contents: unknown;
  try {
    contents = await unseal(await deriveKey(passphrase, file.data.kdf), headerOf(file.data.kdf), file.data);
  } catch (error) {
    throw new WalletError(WalletErrorCode.BackupUnreadable, 'the backup does not open with this passphrase, or it was changed', undefined, { cause: error });
  }
  const parsed = backupContentsSchema.safeParse(contents);
  if (!parsed.success) throw new WalletError(WalletErrorCode.BackupMalformed, 'the backup\'s contents are not a wallet\'s', undefined, { cause: parsed.error });
  return parsed.data;
}

/** What an import did. */
export interface ImportOutcome {
  /** Credentials written. */
  readonly imported: number;
  /** Credentials of the backup left out because the wallet already holds the same credential (merge only). */
  readonly skipped: number;
  /** Credentials the wallet held and removed (replace only). */
  readonly removed: number;
  /** Labour contracts written: new ones, and held ones the backup's copies added attendance events or offers to. */
  readonly laborContracts: number;
}

/** How an import treats what the wallet holds: keep it and add what is new, or hold only the backup's credentials. */
export type ImportMode = 'merge' | 'replace';

/** The credentials a merge adds: those whose exact bytes the wallet does not hold yet. */
export function credentialsToMerge(held: readonly WalletCredential[], incoming: readonly WalletCredential[]): WalletCredential[] {
  const known = new Set(held.map((credential) => credential.encoded));
  const added: WalletCredential[] = [];
  for (const credential of incoming) {
    if (known.has(credential.encoded)) continue;
    known.add(credential.encoded);
    added.push(credential);
  }
  return added;
}

/**
 * The labour contracts a merge writes: those the wallet does not hold (by id), and held ones the backup knows more of —
 * attendance events continuing the wallet's own copies (`mergeAttendance`), offers received, the employer's
 * countersignature. When the backup's events differ from the wallet's at the same place, the wallet's are kept.
 */
export function laborContractsToMerge(held: readonly LaborContractRecord[], incoming: readonly LaborContractRecord[]): LaborContractRecord[] {
  const byId = new Map(held.map((record) => [record.id, record] as const));
  const written: LaborContractRecord[] = [];
  for (const record of incoming) {
    const mine = byId.get(record.id);
    if (!mine) {
      byId.set(record.id, record);
      written.push(record);
      continue;
    }
    let events = mine.events;
    try {
      events = mergeAttendance(mine.events as never, record.events as never) as unknown as LaborContractRecord['events'];
    } catch {
      events = mine.events;
    }
    const offers = [...mine.receivedOffers, ...record.receivedOffers.filter((link) => !mine.receivedOffers.includes(link))];
    const employerSignature = mine.employerSignature ?? record.employerSignature;
    if (events.length === mine.events.length && offers.length === mine.receivedOffers.length && employerSignature === mine.employerSignature) continue;
    const merged: LaborContractRecord = { ...mine, events, receivedOffers: offers, ...(employerSignature ? { employerSignature } : {}) };
    byId.set(record.id, merged);
    written.push(merged);
  }
  return written;
}
