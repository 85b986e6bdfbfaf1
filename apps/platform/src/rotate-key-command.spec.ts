import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runRotateKeyCommand, type RotateKeyContext } from './rotate-key-command.js';

/**
 * What `tenants rotate-key` refuses before it touches a database or chain (the rotation itself, against a real chain
 * and database, is test/e2e/key-rotation.e2e.spec.ts).
 */
describe('tenants rotate-key (command line)', () => {
  const context: RotateKeyContext = {
    database: { sqlitePath: join(tmpdir(), 'citycred-no-such-dir', 'issuer.sqlite') },
    rpcUrl: 'http://127.0.0.1:1',
    deploymentsDir: join(tmpdir(), 'citycred-no-such-dir'),
    didNetwork: 'citycred',
    keyEncryptionSecret: undefined,
  };

  async function run(args: string[], over: Partial<RotateKeyContext> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runRotateKeyCommand(args, { ...context, ...over }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it.each([[[]], [['a', 'b']], [['--force']], [['a', '--force', '--force']], [['--other', 'a']]])('answers usage (exit 2) for %j', async (args) => {
    const res = await run(args);
    expect(res.code).toBe(2);
    expect(res.err).toContain('citycred tenants rotate-key <slug> [--force]');
    expect(res.out).toBe('');
  });

  it('refuses (exit 1) without an issuer database, and without the key-encryption secret', async () => {
    const missing = await run(['some-tenant']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no issuer database at');
    const noSecret = await run(['some-tenant'], { database: { url: 'postgres://127.0.0.1:1/none', sqlitePath: '' } });
    expect(noSecret.code).toBe(1);
    expect(noSecret.err).toContain('set KEY_ENCRYPTION_SECRET');
  });
});
