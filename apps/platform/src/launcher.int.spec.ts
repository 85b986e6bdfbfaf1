import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalChain, type LocalChain } from '@citycred/anchors';
import { FixedClock } from '@citycred/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedChain, type LauncherSettings } from './launcher.js';

/**
 * The embedded chain's start on a real anvil and a real state file: the state is set aside only when the file itself
 * is not anvil's JSON, never because anvil failed for another reason.
 */
describe('startEmbeddedChain', () => {
  let varDir: string;
  let stateFile: string;
  let settings: LauncherSettings;
  const clock = new FixedClock(new Date('2030-01-02T03:04:05.000Z'));

  beforeAll(async () => {
    varDir = mkdtempSync(join(tmpdir(), 'citycred-launcher-'));
    stateFile = join(varDir, 'chain', 'state.json');
    settings = { varDir, chainPort: await freePort() } as LauncherSettings;
    // A state file written by anvil itself (stop() lets it dump its state).
    const chain = await startEmbeddedChain(settings, () => undefined, clock);
    await chain.stop();
  }, 30_000);

  afterAll(() => rmSync(varDir, { recursive: true, force: true }));

  it('lets an anvil failure unrelated to the state file propagate and leaves the file in place', async () => {
    const saved = readFileSync(stateFile, 'utf8');
    const lines: string[] = [];
    // A real anvil refusing an argument: its message names `--state-interval`, as its usage errors mention `--state`.
    const failing = (options: Parameters<typeof startLocalChain>[0]) => startLocalChain({ ...options, stateIntervalSeconds: 0.5 });
    await expect(startEmbeddedChain(settings, (line) => lines.push(line), clock, failing)).rejects.toThrow(/--state-interval/);
    expect(readFileSync(stateFile, 'utf8')).toBe(saved);
    expect(readdirSync(join(varDir, 'chain'))).toEqual(['state.json']);
    expect(lines).toEqual([]);
  }, 30_000);

  it('sets aside a state file that is not anvil JSON, named by the injected clock, and starts a new chain', async () => {
    writeFileSync(stateFile, '{"block": {"number": "0x1"');
    const lines: string[] = [];
    let chain: LocalChain | undefined;
    try {
      chain = await startEmbeddedChain(settings, (line) => lines.push(line), clock);
      const aside = `state.json.unreadable-${clock.now().getTime()}`;
      expect(readdirSync(join(varDir, 'chain'))).toContain(aside);
      expect(readFileSync(join(varDir, 'chain', aside), 'utf8')).toBe('{"block": {"number": "0x1"');
      expect(lines.join('\n')).toContain('the saved chain state could not be read');
    } finally {
      await chain?.stop();
    }
  }, 30_000);
});
