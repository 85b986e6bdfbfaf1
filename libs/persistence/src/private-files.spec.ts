import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVerifierDataSource } from './verifier-schema.js';
import { openDatabase } from './data-source.js';
import { ensurePrivateDirectory } from './private-files.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/*
 * Database files hold personal data, encrypted keys and API-key hashes: nobody but their owner may read them, whatever
 * the umask, and files left readable by an earlier version are tightened at start with a warning.
 */
describe('database files and directories are private', () => {
  let root: string;
  let warnings: string[];
  const warn = (message: string) => warnings.push(message);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'citycred-modes-'));
    chmodSync(root, 0o755);
    warnings = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates a new SQLite database 0600 (its -wal and -shm too) in a new directory 0700, with the usual umask 022', async () => {
    const previous = process.umask(0o022);
    const file = join(root, 'var', 'verifier.sqlite');
    const dataSource = createVerifierDataSource({ sqlitePath: file, onWarning: warn });
    try {
      await openDatabase(dataSource);
      await dataSource.query('CREATE TABLE probe (id INTEGER)');
      await dataSource.query('INSERT INTO probe VALUES (1)');
      expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`), 'WAL mode keeps both companions while open').toBe(true);
      expect({ dir: modeOf(join(root, 'var')), file: modeOf(file), wal: modeOf(`${file}-wal`), shm: modeOf(`${file}-shm`) }).toEqual({ dir: '700', file: '600', wal: '600', shm: '600' });
      expect(warnings).toEqual([]);
    } finally {
      process.umask(previous);
      if (dataSource.isInitialized) await dataSource.destroy();
    }
  });

  it('tightens an existing world-readable database and its companions to 0600 at start and says so', async () => {
    const file = join(root, 'issuer.sqlite');
    // As an earlier version left it: created with the umask's 0644, its WAL companions too.
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE probe (id INTEGER); INSERT INTO probe VALUES (1)');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) chmodSync(path, 0o644);
    try {
      const dataSource = createVerifierDataSource({ sqlitePath: file, onWarning: warn });
      await openDatabase(dataSource);
      try {
        expect([modeOf(file), modeOf(`${file}-wal`), modeOf(`${file}-shm`)]).toEqual(['600', '600', '600']);
        expect(await dataSource.query('SELECT id FROM probe')).toEqual([{ id: 1 }]);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      old.close();
    }
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain(file);
    expect(warnings[0]).toContain('0644');
    expect(warnings[0]).toContain('0600');
    // A shared directory it sits in (here the test's 0755 root, in production perhaps /srv) is left alone.
    expect(modeOf(root)).toBe('755');
  });

  it('ensurePrivateDirectory creates var/ 0700, and tightens an existing one with a warning', () => {
    const fresh = join(root, 'fresh', 'var');
    ensurePrivateDirectory(fresh, warn);
    expect(modeOf(fresh)).toBe('700');
    expect(warnings).toEqual([]);

    const existing = join(root, 'existing');
    mkdirSync(existing, { mode: 0o755 });
    chmodSync(existing, 0o755);
    ensurePrivateDirectory(existing, warn);
    expect(modeOf(existing)).toBe('700');
    expect(warnings).toEqual([expect.stringContaining(existing)]);
    ensurePrivateDirectory(existing, warn);
    expect(warnings, 'a private directory is left as it is, silently').toHaveLength(1);
  });
});
