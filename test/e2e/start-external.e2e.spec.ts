import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issuerRegistryAt, portIsFree, readDeploymentRecord, startLocalChain, type LocalChain } from '@citycred/anchors';
import { JsonRpcProvider, parseEther, toBeHex, Wallet } from 'ethers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCliSandbox, launchCli, runCli, signalCli, type CliSandbox, type Launched } from '../support/launcher.js';
import { citizenCardSubject, issueBody, postJson } from '../support/platform.js';

/**
 * Production mode: `npm run deploy`, then `npm start` against an existing chain (`CHAIN_RPC_URL`), then the operator
 * onboards tenants with `tenants onboard`. The chain is one anvil shared by the cases, as a city's chain would be, mining
 * a block every second like a real one; each case deploys its own contracts into its own sandbox, so each runs alone.
 */
describe('production mode: npm start against an existing chain (CHAIN_RPC_URL)', () => {
  const CHAIN_ID = 4242;
  let chain: LocalChain;
  let provider: JsonRpcProvider;
  const rootKey = Wallet.createRandom().privateKey;
  const keyEncryptionSecret = randomBytes(32).toString('hex');
  let sandbox: CliSandbox | undefined;
  let launched: Launched | undefined;

  beforeAll(async () => {
    chain = await startLocalChain({ chainId: CHAIN_ID, blockTimeSeconds: 1 });
    provider = new JsonRpcProvider(chain.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
    await provider.send('anvil_setBalance', [new Wallet(rootKey).address, toBeHex(parseEther('100'))]);
  });

  afterEach(async () => {
    if (launched) expect(await signalCli(launched)).toBe(0);
    await sandbox?.remove();
    launched = sandbox = undefined;
  });

  afterAll(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  /** A sandbox on the shared chain, with the contracts deployed into it by `npm run deploy` as an operator does. */
  async function deployed(label: string): Promise<CliSandbox> {
    sandbox = await createCliSandbox(label, { chainRpcUrl: chain.rpcUrl, env: { ANCHOR_BATCH_INTERVAL_MS: '300', ACCREDITATION_REFRESH_MS: '300' } });
    const deploy = await runCli({ ...sandbox.env, CITY_ROOT_KEY: rootKey }, ['deploy']);
    expect(deploy.code, deploy.output).toBe(0);
    expect(deploy.output).toContain(`deployed on chain ${CHAIN_ID}`);
    return sandbox;
  }

  /** Every event the IssuerRegistry of the sandbox's deployment ever emitted. */
  async function registryEvents(deploymentsDir: string) {
    const deployment = readDeploymentRecord(CHAIN_ID, deploymentsDir)!;
    const registry = issuerRegistryAt(deployment.issuerRegistry, provider);
    return (await provider.getLogs({ address: deployment.issuerRegistry, fromBlock: deployment.blockNumber, toBlock: 'latest' })).map((log) => registry.interface.parseLog(log)?.name);
  }

  it('deploys once, and a second deploy reuses the live deployment', async () => {
    const { env, deploymentsDir } = await deployed('external_deploy');
    expect(readDeploymentRecord(CHAIN_ID, deploymentsDir)).toMatchObject({ version: 3, chainId: CHAIN_ID });
    const again = await runCli({ ...env, CITY_ROOT_KEY: rootKey }, ['deploy']);
    expect(again.output).toContain(`already deployed on chain ${CHAIN_ID}`);
  }, 120_000);

  it('refuses to start without KEY_ENCRYPTION_SECRET, and never generates secrets for a real chain', async () => {
    sandbox = await createCliSandbox('external_no_secret', { chainRpcUrl: chain.rpcUrl });
    const { env, varDir } = sandbox;
    const { code, output } = await runCli(env, ['start']);
    expect(code).toBe(1);
    expect(output).toContain('KEY_ENCRYPTION_SECRET must be given');
    expect(output).not.toContain('CITY_ROOT_KEY');
    expect(existsSync(join(varDir, 'secrets.json'))).toBe(false);
  });

  it('refuses to start when nothing is deployed, saying how to deploy', async () => {
    sandbox = await createCliSandbox('external_undeployed', { chainRpcUrl: chain.rpcUrl });
    const { code, output } = await runCli({ ...sandbox.env, KEY_ENCRYPTION_SECRET: keyEncryptionSecret }, ['start']);
    expect(code).toBe(1);
    expect(output).toContain(`there is no deployment record ${join(sandbox.deploymentsDir, `${CHAIN_ID}.json`)}`);
    expect(output).toContain('npm run deploy');
  });

  it('starts without a root key and seeds nothing; "tenants onboard" then makes a tenant whose key issues a credential that verifies once anchored', async () => {
    const { env, varDir, deploymentsDir } = await deployed('external_onboard');
    const eventsAfterDeploy = await registryEvents(deploymentsDir);
    launched = await launchCli({ ...env, KEY_ENCRYPTION_SECRET: keyEncryptionSecret });
    const text = launched.output.join('');
    expect(text).toContain(`chain     ${chain.rpcUrl} (external)`);
    expect(text).toContain('contracts reused');
    expect(text).toContain('No tenant is seeded on an existing chain');
    // Seeds nothing: no key printed or written, no tenant, nothing sent to the registry.
    expect(text).not.toMatch(/ccd_/);
    expect(existsSync(join(varDir, 'demo', 'tenants.json'))).toBe(false);
    expect(existsSync(join(varDir, 'secrets.json'))).toBe(false);
    expect(await registryEvents(deploymentsDir)).toEqual(eventsAfterDeploy);
    // No demo citizens against a real chain: the issuer has no /demo route.
    expect(text).not.toContain('Demo citizens');
    expect((await fetch(`http://127.0.0.1:${env['ISSUER_PORT']}/demo/citizens`)).status).toBe(404);
    const listed = await runCli(env, ['tenants', 'list']);
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toContain('0 tenant(s)');

    // The operator onboards a department with the city root key, on another host than the services'.
    const onboarded = await runCli({ ...env, CITY_ROOT_KEY: rootKey, KEY_ENCRYPTION_SECRET: keyEncryptionSecret }, [
      'tenants', 'onboard', 'mapo-residents', '--name', 'Mapo-gu Resident Registration', '--kind', 'department', '--types', 'SeoulCitizenCard',
    ]);
    expect(onboarded.code, onboarded.output).toBe(0);
    const apiKey = /^(ccd_\S+)$/m.exec(onboarded.output)![1]!;
    const address = /address (0x[0-9a-fA-F]{40})/.exec(onboarded.output)![1]!;
    const did = /created mapo-residents \(department\): (did:ethr:citycred:0x[0-9a-fA-F]+)/.exec(onboarded.output)?.[1];
    expect(did, onboarded.output).toBeDefined();
    expect(await registryEvents(deploymentsDir)).toEqual([...eventsAfterDeploy, 'IssuerAccredited']);
    // Gas is the chain operator's business on a real chain; here the test chain's operator funds the account.
    await provider.send('anvil_setBalance', [address, toBeHex(parseEther('10'))]);

    const issuerUrl = `http://127.0.0.1:${env['ISSUER_PORT']}`;
    const verifierUrl = `http://127.0.0.1:${env['VERIFIER_PORT']}`;
    let issued = { status: 0, body: null as any };
    // The running issuer reads the new tenant's accreditation on its next refresh (ACCREDITATION_REFRESH_MS).
    for (let i = 0; i < 100 && issued.status !== 201; i += 1) {
      if (i > 0) await new Promise((r) => setTimeout(r, 200));
      issued = await postJson(`${issuerUrl}/credentials/issue`, issueBody(did!, 'SeoulCitizenCard', citizenCardSubject), { authorization: `Bearer ${apiKey}` });
    }
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    let result: any;
    for (let i = 0; i < 100 && result?.checks.find((c: { id: string }) => c.id === 'anchor').status !== 'passed'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      result = (await postJson(`${verifierUrl}/credentials/verify`, { verifiableCredential: issued.body.verifiableCredential })).body;
    }
    expect(result.checks.find((c: { id: string }) => c.id === 'anchor').status).toBe('passed');
    expect(result.verified).toBe(true);
    // an external chain is not the launcher's to stop
    expect(await signalCli(launched)).toBe(0);
    launched = undefined;
    expect(await portIsFree(chain.port)).toBe(false);
  }, 180_000);

  it('given CITY_ROOT_KEY anyway, says it is not used and keeps it from the services', async () => {
    const { env } = await deployed('external_root_key');
    launched = await launchCli({ ...env, CITY_ROOT_KEY: rootKey, KEY_ENCRYPTION_SECRET: keyEncryptionSecret });
    expect(launched.output.join('')).toContain('CITY_ROOT_KEY is set but not used');
    const children = execFileSync('pgrep', ['-P', String(launched.child.pid)], { encoding: 'utf8' }).trim().split('\n');
    expect(children).toHaveLength(3);
    for (const pid of children) {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environment.some((entry) => entry.startsWith('CITY_ROOT_KEY='))).toBe(false);
      expect(environment.join('\n')).not.toContain(rootKey.slice(2));
    }
  }, 120_000);
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
