import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { portIsFree, startLocalChain, type LocalChain } from '@citycred/anchors';
import { JsonRpcProvider, parseEther, toBeHex, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, runCli, signalCli, type CliSandbox } from '../support/launcher.js';
import { citizenCardSubject, postJson } from '../support/platform.js';

describe('production mode: npm run deploy, then npm start against an existing chain (CHAIN_RPC_URL)', () => {
  let chain: LocalChain;
  let sandbox: CliSandbox;
  let varDir: string;
  let deploymentsDir: string;
  let base: Record<string, string>;
  const rootKey = Wallet.createRandom().privateKey;
  const secret = 'c1'.repeat(32);

  beforeAll(async () => {
    chain = await startLocalChain({ chainId: 4242 });
    const provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true });
    await provider.send('anvil_setBalance', [new Wallet(rootKey).address, toBeHex(parseEther('100'))]);
    provider.destroy();
    sandbox = await createCliSandbox('external', { chainRpcUrl: chain.rpcUrl, env: { ANCHOR_BATCH_INTERVAL_MS: '300' } });
    ({ varDir, deploymentsDir, env: base } = sandbox);
  });

  afterAll(async () => {
    await chain?.stop();
    await sandbox?.remove();
  });

  it('deploys once, and a second deploy reuses the live deployment', async () => {
    const first = await runCli({ ...base, CITY_ROOT_KEY: rootKey }, ['deploy']);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('deployed on chain 4242');
    expect(existsSync(join(deploymentsDir, '4242.json'))).toBe(true);
    const again = await runCli({ ...base, CITY_ROOT_KEY: rootKey }, ['deploy']);
    expect(again.output).toContain('already deployed on chain 4242');
  });

  it('refuses to start without the operator\'s secrets, and never generates them for a real chain', async () => {
    const { code, output } = await runCli({ ...base }, ['start']);
    expect(code).toBe(1);
    expect(output).toContain('CITY_ROOT_KEY and KEY_ENCRYPTION_SECRET must be given');
    expect(existsSync(join(varDir, 'secrets.json'))).toBe(false);
  });

  it('refuses a CITY_ROOT_KEY that is not the registry\'s root', async () => {
    const { code, output } = await runCli({ ...base, CITY_ROOT_KEY: Wallet.createRandom().privateKey, KEY_ENCRYPTION_SECRET: secret }, ['start']);
    expect(code).toBe(1);
    expect(output).toContain("but the IssuerRegistry's root is");
  });

  it('starts on the existing deployment, issues and verifies with the anchor passed', async () => {
    const launched = await launchCli({ ...base, CITY_ROOT_KEY: rootKey, KEY_ENCRYPTION_SECRET: secret });
    try {
      const text = launched.output.join('');
      expect(text).toContain(`chain     ${chain.rpcUrl} (external)`);
      expect(text).toContain('contracts reused');
      expect(existsSync(join(varDir, 'secrets.json'))).toBe(false);
      const apiKey = /seoul-citizen\s+(ccd_\S+)/.exec(text)![1]!;
      const issued = await postJson(`http://127.0.0.1:${base['ISSUER_PORT']}/credentials/issue`, { credential: { type: 'SeoulCitizenCard', credentialSubject: citizenCardSubject } }, { authorization: `Bearer ${apiKey}` });
      expect(issued.status).toBe(201);
      let anchor = 'pending';
      for (let i = 0; i < 50 && anchor !== 'passed'; i += 1) {
        await new Promise((r) => setTimeout(r, 200));
        const res = await postJson(`http://127.0.0.1:${base['VERIFIER_PORT']}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential });
        anchor = res.body.checks.find((c: { id: string }) => c.id === 'anchor').status;
      }
      expect(anchor).toBe('passed');
    } finally {
      expect(await signalCli(launched)).toBe(0);
    }
    // an external chain is not the launcher's to stop
    expect(await portIsFree(chain.port)).toBe(false);
  });
});

describe('a stop signal during start-up', () => {
  it('stops what was already started and exits cleanly', async () => {
    const sandbox = await createCliSandbox('early_stop');
    const chainPort = Number(sandbox.env['CHAIN_PORT']);
    try {
      const launched = await launchCli(sandbox.env, { until: 'contracts deployed' });
      expect(await signalCli(launched, 'SIGTERM')).toBe(0);
      expect(await portIsFree(chainPort)).toBe(true);
      expect(launched.output.join('')).not.toContain('CityCred is running');
    } finally {
      await sandbox.remove();
    }
  });
});
