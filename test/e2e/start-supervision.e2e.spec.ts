import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFileSchema } from '@citycred/platform';
import { afterEach, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, signalCli, type Launched } from '../support/launcher.js';
import { citizenCardSubject, getJson, issueBody, postJson } from '../support/platform.js';

/** The pid of the launcher's own child process whose command line matches `pattern` (so other runs on the machine never match). */
function childPid(launched: Launched, pattern: string): number {
  const out = execFileSync('pgrep', ['-P', String(launched.child.pid), '-f', pattern], { encoding: 'utf8' }).trim().split('\n');
  expect(out, `one child matching ${pattern}`).toHaveLength(1);
  return Number(out[0]);
}

/** Polls `check` until it returns true, failing after `deadlineMs` with `what`. */
async function until(what: string, check: () => Promise<boolean> | boolean, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const healthy = async (url: string) => (await getJson(`${url}/health`)).status === 200;
const printed = (launched: Launched) => launched.output.join('');
const count = (text: string, part: string) => text.split(part).length - 1;

describe('npm start keeps its parts running', () => {
  let launched: Launched | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    if (launched) await signalCli(launched, 'SIGINT');
    launched = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Runs `npm start` on free ports with its own var/ directory, deployment record and database. */
  async function startPlatform(label: string): Promise<{ env: Record<string, string>; issuerUrl: string; verifierUrl: string; apiKey: string; did: string }> {
    const sandbox = await createCliSandbox(label, { env: { ANCHOR_BATCH_INTERVAL_MS: '300' } });
    cleanups.push(() => sandbox.remove());
    const { env } = sandbox;
    launched = await launchCli(env);
    const apiKey = /seoul-citizen\s+(ccd_\S+)/.exec(printed(launched))![1]!;
    const demo = demoFileSchema.parse(JSON.parse(readFileSync(join(sandbox.varDir, 'demo', 'tenants.json'), 'utf8')));
    const { did } = demo.tenants.find((t) => t.slug === 'seoul-citizen')!;
    return { env, issuerUrl: `http://127.0.0.1:${env.ISSUER_PORT}`, verifierUrl: `http://127.0.0.1:${env.VERIFIER_PORT}`, apiKey, did };
  }

  it('restarts a local chain killed with SIGKILL on its port and state, says so, and a credential issued before still verifies', async () => {
    const { issuerUrl, verifierUrl, apiKey, did, env } = await startPlatform('supervise-chain');
    const issued = await postJson(`${issuerUrl}/credentials/issue`, issueBody(did, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    expect(issued.status).toBe(201);
    const anchorStatus = async () =>
      (await postJson(`${verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential })).body.checks.find((c: { id: string }) => c.id === 'anchor').status as string;
    await until('anchored before the chain is killed', async () => (await anchorStatus()) === 'passed');

    const anvil = childPid(launched!, 'anvil');
    process.kill(anvil, 'SIGKILL');
    await until('the launcher reports the restarted chain', () => printed(launched!).includes('chain     restarted'));
    const text = printed(launched!);
    expect(text).toContain(`anvil (pid ${anvil}) was killed by SIGKILL unexpectedly; restarting it on port ${env.CHAIN_PORT}`);
    expect(childPid(launched!, 'anvil')).not.toBe(anvil);

    await until('issuer healthy again', () => healthy(issuerUrl));
    await until('verifier healthy again', () => healthy(verifierUrl));
    await until('the credential issued before verifies with its anchor', async () => (await anchorStatus()) === 'passed');
    const res = await postJson(`${verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential });
    expect(res.status).toBe(200);
    expect(res.body.verified).toBe(true);
  }, 180_000);

  it('restarts a service killed with SIGKILL and says so', async () => {
    const { verifierUrl } = await startPlatform('supervise-service');
    const verifier = childPid(launched!, 'apps/verifier/dist/main.js');
    process.kill(verifier, 'SIGKILL');
    await until('the launcher reports the restarted verifier', () => printed(launched!).includes('verifier  restarted'));
    expect(printed(launched!)).toContain(`verifier  process ${verifier} was killed by SIGKILL unexpectedly; restarting it`);
    expect(childPid(launched!, 'apps/verifier/dist/main.js')).not.toBe(verifier);
    expect(await healthy(verifierUrl)).toBe(true);
  }, 180_000);

  it('stops everything with a clear message and exit code 1 when the chain keeps dying', async () => {
    const { issuerUrl } = await startPlatform('supervise-give-up');
    const exited = new Promise<number | null>((resolve) => launched!.child.once('exit', (code) => resolve(code)));
    for (let kill = 1; kill <= 2; kill += 1) {
      process.kill(childPid(launched!, 'anvil'), 'SIGKILL');
      await until(`restart ${kill} reported`, () => count(printed(launched!), 'chain     restarted') === kill);
    }
    const last = childPid(launched!, 'anvil');
    const running = launched!;
    process.kill(last, 'SIGKILL');
    expect(await exited, printed(running)).toBe(1);
    launched = undefined;
    expect(printed(running)).toContain(`CityCred stopped: chain failed 3 times within 60 s (last: anvil (pid ${last}) was killed by SIGKILL unexpectedly)`);
    await expect(fetch(`${issuerUrl}/health`)).rejects.toThrow();
  }, 180_000);
});
