import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  keyEncryptionSecret: z.string().regex(/^[0-9a-f]{64}$/),
  cityRootKey: z.string().regex(/^0x[0-9a-f]{64}$/),
});

/** Secrets of the embedded mode, generated on first start and kept under var/ (never in the repository). */
export type EmbeddedSecrets = z.output<typeof secretsSchema>;

/** Whether the platform has POSIX owners and permission bits (Windows has neither, in the sense checked here). */
const POSIX = process.platform !== 'win32';

/**
 * Reads the embedded-mode secrets, creating them (mode 0600) on first start.
 * Secrets given by the operator (`KEY_ENCRYPTION_SECRET`, `CITY_ROOT_KEY`) take precedence, as in production.
 *
 * Creation never replaces a file: the secrets are written to a fresh temporary file (`O_EXCL`, 0600), flushed
 * to disk, then hard-linked to `file`, which fails when the file already exists. Two first starts at once
 * therefore end up with one set of secrets — the first link wins, the other process reads the winner's file —
 * and a crash never leaves a half-written secrets file behind.
 * @throws Error when the file exists but is malformed (it is never silently replaced: keys depend on it),
 *   is not a regular file, is not owned by the current user, or can be read or written by group or others
 *   (the message says `chmod 600 <file>`)
 */
export function loadOrCreateSecrets(file: string, overrides: { keyEncryptionSecret?: string | undefined; cityRootKey?: string | undefined }): EmbeddedSecrets {
  const stored = readSecretsFile(file) ?? createSecretsFile(file);
  return {
    keyEncryptionSecret: overrides.keyEncryptionSecret ?? stored.keyEncryptionSecret,
    cityRootKey: overrides.cityRootKey ?? stored.cityRootKey,
  };
}

/**
 * Reads the embedded-mode secrets without ever creating them: for the operator commands, which act on what
 * `npm start` set up.
 * @returns null when there is no secrets file
 * @throws Error when the file is refused (see {@link loadOrCreateSecrets})
 */
export function readEmbeddedSecrets(file: string): EmbeddedSecrets | null {
  return readSecretsFile(file);
}

/**
 * Writes new secrets unless someone else has already done so, then reads whichever file won.
 * @throws Error when the file cannot be created or, once created by another process, is refused by {@link readSecretsFile}
 */
function createSecretsFile(file: string): EmbeddedSecrets {
  const fresh: EmbeddedSecrets = { keyEncryptionSecret: randomBytes(32).toString('hex'), cityRootKey: `0x${randomBytes(32).toString('hex')}` };
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    try {
      writeSync(fd, `${JSON.stringify(fresh, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, file);
      syncDirectory(dir);
    } catch (error) {
      // Another process created the file between our read and our link: its secrets are the ones to use.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    unlinkSync(temp);
  }
  const winner = readSecretsFile(file);
  if (!winner) throw new Error(`${file} vanished while it was being created`);
  return winner;
}

/** Makes the new directory entry durable, so a power cut cannot lose secrets whose keys are already in use. */
function syncDirectory(dir: string): void {
  if (!POSIX) return;
  const fd = openSync(dir, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads and checks an existing secrets file. The checks are made on the opened file (`fstat`), not on the
 * path, so the file cannot be swapped between check and read; a symbolic link is not followed.
 * @returns null when there is no file
 * @throws Error when the file is refused (see {@link loadOrCreateSecrets})
 */
function readSecretsFile(file: string): EmbeddedSecrets | null {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw new Error(`${file} is a symbolic link; refusing to read secrets through it (keep a regular file, mode 600)`);
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${file} is not a regular file; refusing to read secrets from it`);
    if (POSIX) {
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) {
        throw new Error(`${file} is owned by uid ${stat.uid}, not by the user running CityCred (uid ${uid}); refusing to use secrets another user controls`);
      }
      if ((stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
        throw new Error(`${file} is readable or writable by other users (mode ${mode}); it holds the keys that protect tenant keys. Run: chmod 600 ${file}`);
      }
    }
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(fd, 'utf8'));
    } catch {
      content = null;
    }
    const parsed = secretsSchema.safeParse(content);
    if (!parsed.success) throw new Error(`${file} is malformed; restore it from a backup or delete var/ to start afresh`);
    return parsed.data;
  } finally {
    closeSync(fd);
  }
}
