import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Mode of a file only its owner may read and write. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of a directory only its owner may enter. */
export const PRIVATE_DIRECTORY_MODE = 0o700;

/** Receives a warning meant for the operator (a mode that was tightened). */
export type WarningSink = (message: string) => void;

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Makes an existing file or directory inaccessible to group and others: when its mode grants them anything, it is
 * set to `mode` and a warning names the path and both modes.
 * @returns whether the mode had to be changed
 * @throws Error naming the path when the mode cannot be changed (not our file, a file system that ignores modes):
 *   data others can read must not be used
 */
export function tightenMode(path: string, mode: number, warn: WarningSink): boolean {
  const before = statSync(path).mode & 0o777;
  if ((before & 0o077) === 0) return false;
  try {
    chmodSync(path, mode);
  } catch (cause) {
    throw new Error(`${path} can be read by other users (mode ${octal(before)}) and its mode could not be set to ${octal(mode)}; fix it by hand (chmod ${octal(mode)})`, { cause });
  }
  const after = statSync(path).mode & 0o777;
  if ((after & 0o077) !== 0) throw new Error(`${path} can be read by other users (mode ${octal(after)}) and this file system does not keep a private mode; move it elsewhere`);
  warn(`${path} was accessible to other users (mode ${octal(before)}); set it to ${octal(mode)}`);
  return true;
}

/**
 * Creates a directory (and missing parents) accessible to its owner only, or tightens an existing one
 * (see {@link tightenMode}). Use it for directories this software owns, such as `var/`.
 * @throws Error when an existing directory's mode cannot be tightened
 */
export function ensurePrivateDirectory(dir: string, warn: WarningSink): void {
  if (existsSync(dir)) tightenMode(dir, PRIVATE_DIRECTORY_MODE, warn);
  else mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
}

/**
 * Prepares an SQLite database file that holds personal data and keys: a missing directory is created accessible to
 * the owner only; a missing file is created empty with mode 0600 (SQLite gives its `-wal`, `-shm` and `-journal`
 * files the database file's mode); the existing file and its companions are tightened to 0600 with a warning.
 * An existing directory is left as it is: it may be shared (`/tmp`), and the files themselves are private.
 * @throws Error when an existing file's mode cannot be tightened: the service must not start on a readable database
 */
export function preparePrivateSqliteFile(file: string, warn: WarningSink): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    if (existsSync(path)) tightenMode(path, PRIVATE_FILE_MODE, warn);
  }
}
