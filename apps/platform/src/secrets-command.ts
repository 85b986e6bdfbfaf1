import { existsSync } from 'node:fs';
import { KeyStoreError, rotateKeyEncryptionSecret } from '@citycred/did';
import { createIssuerDataSource, openDatabase, type DatabaseLocation } from '@citycred/persistence';

/** How the `secrets` command is called. */
export const SECRETS_USAGE = [
  'usage: citycred secrets rotate   re-encrypt every tenant key from KEY_ENCRYPTION_SECRET (the current secret) to',
  '                                 NEW_KEY_ENCRYPTION_SECRET, both read from the environment; stop the issuer first',
].join('\n');

/** Where the `secrets` command writes. */
export interface SecretsCommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The secrets the command works with, from the environment (already checked for format and strength). */
export interface SecretsCommandSecrets {
  /** `KEY_ENCRYPTION_SECRET`: the secret the keys are sealed with now. */
  current?: string | undefined;
  /** `NEW_KEY_ENCRYPTION_SECRET`: the secret to seal them with from now on. */
  next?: string | undefined;
}

/**
 * `citycred secrets rotate`: re-seals every tenant private key in the issuer database (the one `npm start` or the
 * issuer uses: `DATABASE_URL`/`DATABASE_SCHEMA`, else the SQLite file) under a new key-encryption secret and replaces
 * the secret's check value, in one transaction. Afterwards the old secret is refused at start-up; run the issuer
 * with `KEY_ENCRYPTION_SECRET` set to the new one. Neither secret is ever printed.
 * @param args - the words after `secrets`
 * @param database - the issuer database; an SQLite file must already exist (the command never creates one)
 * @returns the process exit code: 0 done, 1 refused (wrong current secret, a key that does not open, no database),
 *   2 usage (including a missing secret)
 * @throws whatever the driver throws when the database cannot be opened
 */
export async function runSecretsCommand(args: readonly string[], database: DatabaseLocation, secrets: SecretsCommandSecrets, output: SecretsCommandOutput): Promise<number> {
  if (args.length !== 1 || args[0] !== 'rotate') {
    output.err(SECRETS_USAGE);
    return 2;
  }
  const { current, next } = secrets;
  if (!current || !next) {
    output.err('secrets rotate needs KEY_ENCRYPTION_SECRET (the current secret) and NEW_KEY_ENCRYPTION_SECRET (the new one, e.g. from `openssl rand -hex 32`) in the environment');
    return 2;
  }
  if (!database.url && database.sqlitePath && !existsSync(database.sqlitePath)) {
    output.err(`no issuer database at ${database.sqlitePath}: set DATABASE_URL (and DATABASE_SCHEMA) or SQLITE_PATH to the issuer's database`);
    return 1;
  }
  const dataSource = await openDatabase(createIssuerDataSource(database));
  try {
    const report = await rotateKeyEncryptionSecret(dataSource, { current, next });
    output.out(`re-encrypted ${report.resealed} tenant keys under NEW_KEY_ENCRYPTION_SECRET and replaced the check value`);
    output.out('Start the issuer with KEY_ENCRYPTION_SECRET set to the new secret: the old one is refused from now on.');
    return 0;
  } catch (error) {
    if (!(error instanceof KeyStoreError)) throw error;
    output.err(`secrets rotate refused, nothing was changed: ${error.message}`);
    return 1;
  } finally {
    await dataSource.destroy();
  }
}
