import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, ContractFactory, JsonRpcProvider, Wallet, type HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethrDidRegistryArtifact, loadArtifact } from '../src/artifacts.js';
import { credentialAnchorAt, issuerRegistryAt } from '../src/contracts.js';
import {
  deployCityContracts,
  deploymentIsLive,
  deploymentRecordPath,
  ensureCityDeployment,
  OutdatedDeploymentRecordError,
  readDeploymentRecord,
  writeDeploymentRecord,
  type CityDeployment,
} from '../src/deploy.js';
import { startLocalChain, type LocalChain } from '../src/local-chain.js';
import { deployDidRegistry, deployRegistry, fundedWallet, localProvider, mined } from './chain-test-kit.js';

/**
 * A provider configured as the platform configures one (ethers' default response cache kept), so
 * the deployment code is exercised under the caching it meets in production.
 */
function productionLikeProvider(localChain: LocalChain): JsonRpcProvider {
  const result = new JsonRpcProvider(localChain.rpcUrl, localChain.chainId, { staticNetwork: true });
  result.pollingInterval = 50;
  return result;
}

let chain: LocalChain;
let provider: JsonRpcProvider;
let deployer: HDNodeWallet;
let dir: string;
/** The deployment made by the first ensureCityDeployment call, reused by later tests. */
let first: CityDeployment;

beforeAll(async () => {
  chain = await startLocalChain();
  provider = productionLikeProvider(chain);
  deployer = await fundedWallet(provider);
  dir = mkdtempSync(join(tmpdir(), 'citycred-deployments-'));
});

afterAll(async () => {
  provider?.destroy();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('ensureCityDeployment', () => {
  it('deploys the three contracts on an empty chain, DID registry first, and writes a version 3 record', async () => {
    expect(readDeploymentRecord(chain.chainId, dir)).toBeNull();

    const result = await ensureCityDeployment({ signer: deployer, dir });
    first = result.deployment;

    expect(result.deployed).toBe(true);
    expect(first).toMatchObject({ version: 3, chainId: chain.chainId, root: deployer.address });
    expect(Object.keys(first)[0]).toBe('version');
    const file = deploymentRecordPath(chain.chainId, dir);
    expect(file).toBe(join(dir, `${chain.chainId}.json`));
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(first, null, 2)}\n`);
    expect(readDeploymentRecord(chain.chainId, dir)).toEqual(first);

    const addresses = [first.issuerRegistry, first.credentialAnchor, first.didRegistry];
    expect(new Set(addresses).size).toBe(3);
    for (const address of addresses) expect(await provider.getCode(address)).not.toBe('0x');
    const registry = issuerRegistryAt(first.issuerRegistry, provider);
    const anchor = credentialAnchorAt(first.credentialAnchor, provider);
    expect(await registry.root()).toBe(deployer.address);
    expect(await registry.VERSION()).toBe(3n);
    expect(await registry.backdateTolerance()).toBe(60n);
    expect(await registry.didRegistry()).toBe(first.didRegistry);
    expect(await anchor.VERSION()).toBe(3n);
    expect(await anchor.registry()).toBe(first.issuerRegistry);
    expect(await anchor.didRegistry()).toBe(first.didRegistry);

    expect(await provider.getCode(first.didRegistry, first.blockNumber - 1)).toBe('0x');
    expect(await provider.getCode(first.didRegistry, first.blockNumber)).not.toBe('0x');
    const firstBlock = await provider.getBlock(first.blockNumber);
    expect(first.deployedAt).toBe(new Date(firstBlock!.timestamp * 1000).toISOString());
  });

  it('reuses a live recorded deployment without sending transactions', async () => {
    const nonce = await provider.getTransactionCount(deployer.address);

    const again = await ensureCityDeployment({ signer: deployer, dir });

    expect(again).toEqual({ deployment: first, deployed: false });
    expect(await provider.getTransactionCount(deployer.address)).toBe(nonce);
  });

  it('redeploys when the recorded addresses hold no code on the chain (a fresh chain with the same id)', async () => {
    const freshChain = await startLocalChain({ chainId: chain.chainId });
    const freshProvider = productionLikeProvider(freshChain);
    try {
      const freshDeployer = await fundedWallet(freshProvider);
      expect(await deploymentIsLive(freshProvider, first)).toBe(false);

      const result = await ensureCityDeployment({ signer: freshDeployer, dir });

      expect(result.deployed).toBe(true);
      expect(result.deployment.root).toBe(freshDeployer.address);
      expect(result.deployment.issuerRegistry).not.toBe(first.issuerRegistry);
      expect(await deploymentIsLive(freshProvider, result.deployment)).toBe(true);
      expect(readDeploymentRecord(chain.chainId, dir)).toEqual(result.deployment);
    } finally {
      freshProvider.destroy();
      await freshChain.stop();
      writeDeploymentRecord(first, dir);
    }
  });

  it('redeploys over a live record of contracts version 1 (no version field) by default, as embedded start does', async () => {
    const { version: _version, ...versionOne } = first;
    try {
      writeFileSync(deploymentRecordPath(chain.chainId, dir), JSON.stringify(versionOne));

      const result = await ensureCityDeployment({ signer: deployer, dir });

      expect(result.deployed).toBe(true);
      expect(result.deployment.version).toBe(3);
      expect(result.deployment.credentialAnchor).not.toBe(first.credentialAnchor);
      expect(readDeploymentRecord(chain.chainId, dir)).toEqual(result.deployment);
    } finally {
      writeDeploymentRecord(first, dir);
    }
  });

  it('refuses a record of another version when told to, and whenever it is read (attach), naming npm run deploy', async () => {
    const { version: _version, ...versionOne } = first;
    const file = deploymentRecordPath(chain.chainId, dir);
    const nonce = await provider.getTransactionCount(deployer.address);
    try {
      writeFileSync(file, JSON.stringify(versionOne));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(OutdatedDeploymentRecordError);
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/version 1 of the city contracts[\s\S]*npm run deploy/);
      const refusal = await ensureCityDeployment({ signer: deployer, dir, outdatedRecord: 'refuse' }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(OutdatedDeploymentRecordError);
      expect(refusal).toMatchObject({ code: 'DEPLOYMENT_RECORD_OUTDATED', file, chainId: chain.chainId, recordedVersion: 1 });

      writeFileSync(file, JSON.stringify({ ...first, version: 4 }));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/version 4 of the city contracts/);
      expect(await provider.getTransactionCount(deployer.address)).toBe(nonce);
    } finally {
      writeDeploymentRecord(first, dir);
    }
  });

  it('refuses to go on over a malformed record instead of silently redeploying', async () => {
    const file = deploymentRecordPath(chain.chainId, dir);
    try {
      writeFileSync(file, '{ "chainId": 31337, ');
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/is not valid JSON/);
      await expect(ensureCityDeployment({ signer: deployer, dir })).rejects.toThrow(/is not valid JSON/);

      writeFileSync(file, JSON.stringify({ ...first, credentialAnchor: 'not-an-address', blockNumber: -1 }));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/malformed[\s\S]*credentialAnchor[\s\S]*blockNumber/);
      await expect(ensureCityDeployment({ signer: deployer, dir })).rejects.toThrow(/malformed/);

      const { didRegistry: _missing, ...withoutDidRegistry } = first;
      writeFileSync(file, JSON.stringify(withoutDidRegistry));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/didRegistry/);

      writeFileSync(file, JSON.stringify({ chainId: chain.chainId }));
      await expect(ensureCityDeployment({ signer: deployer, dir })).rejects.toThrow(/malformed/);

      writeFileSync(file, JSON.stringify({ ...first, chainId: 1 }));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/is for chain 1, not 31337/);
    } finally {
      writeDeploymentRecord(first, dir);
    }
    expect(await ensureCityDeployment({ signer: deployer, dir })).toEqual({ deployment: first, deployed: false });
  });
});

describe('deployCityContracts', () => {
  it('deploys the backdate tolerance it is given and refuses a negative or fractional one', async () => {
    // A sender of its own on an uncaching provider: the shared deployer's provider caches its nonce for a moment,
    // so right after another test's deployment it would reuse a nonce.
    const uncached = localProvider(chain);
    try {
      const sender = await fundedWallet(uncached);
      const deployment = await deployCityContracts(sender, { backdateToleranceSeconds: 0 });
      expect(await issuerRegistryAt(deployment.issuerRegistry, provider).backdateTolerance()).toBe(0n);
      await expect(deployCityContracts(sender, { backdateToleranceSeconds: -1 })).rejects.toThrow(RangeError);
      await expect(deployCityContracts(sender, { backdateToleranceSeconds: 1.5 })).rejects.toThrow(RangeError);
    } finally {
      uncached.destroy();
    }
  });
});

describe('deploymentIsLive', () => {
  it('is false for another chain id, a missing contract, contracts without VERSION 3 or an anchor bound elsewhere', async () => {
    expect(await deploymentIsLive(provider, first)).toBe(true);
    expect(await deploymentIsLive(provider, { ...first, chainId: chain.chainId + 1 })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, didRegistry: Wallet.createRandom().address })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, issuerRegistry: first.didRegistry })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, credentialAnchor: first.didRegistry })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, didRegistry: first.issuerRegistry })).toBe(false);
  });

  it('is false when the IssuerRegistry consults another ERC-1056 registry than the recorded one', async () => {
    // Sent through an uncaching provider: the production-like one caches nonces for a moment.
    const uncached = localProvider(chain);
    try {
      const sender = await fundedWallet(uncached);
      const elsewhere = await deployRegistry(sender, 60, await deployDidRegistry(sender));
      const artifact = loadArtifact('CredentialAnchor');
      const anchor = await new ContractFactory(artifact.abi, artifact.bytecode, sender).deploy(elsewhere.target, first.didRegistry);
      await anchor.waitForDeployment();
      const record = { ...first, issuerRegistry: String(elsewhere.target), credentialAnchor: await anchor.getAddress() };

      expect(await credentialAnchorAt(record.credentialAnchor, provider).didRegistry()).toBe(first.didRegistry);
      expect(await credentialAnchorAt(record.credentialAnchor, provider).registry()).toBe(record.issuerRegistry);
      expect(await deploymentIsLive(provider, record)).toBe(false);
    } finally {
      uncached.destroy();
    }
  });
});

describe('deployment records', () => {
  it('are written pretty-printed into a directory created on demand and read back with checksummed addresses', () => {
    const nested = join(dir, 'nested', 'records');
    const lowercase = { ...first, chainId: 424242, root: first.root.toLowerCase() };
    const file = writeDeploymentRecord(lowercase, nested);

    expect(file).toBe(join(nested, '424242.json'));
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify({ ...lowercase, root: first.root }, null, 2)}\n`);
    expect(readDeploymentRecord(424242, nested)).toEqual({ ...first, chainId: 424242 });
    expect(readDeploymentRecord(7, nested)).toBeNull();
  });

  it('are never written when invalid, and chain ids must be positive integers', () => {
    expect(() => writeDeploymentRecord({ ...first, chainId: 99, didRegistry: '0x1234' }, dir)).toThrow(/didRegistry/);
    expect(() => writeDeploymentRecord({ ...first, chainId: 99, version: 1 as 3 }, dir)).toThrow(/version/);
    expect(existsSync(join(dir, '99.json'))).toBe(false);
    expect(() => deploymentRecordPath(0, dir)).toThrow(RangeError);
    expect(() => deploymentRecordPath(1.5, dir)).toThrow(RangeError);
  });
});

describe('the deployed ERC-1056 DID registry', () => {
  it('answers for an untouched identity (changed = 0, owner = itself) and records an owner change', async () => {
    const didRegistry = new Contract(first.didRegistry, ethrDidRegistryArtifact().abi, provider);
    const identity = await fundedWallet(provider);
    const newOwner = Wallet.createRandom().address;

    expect(await didRegistry.getFunction('changed')(identity.address)).toBe(0n);
    expect(await didRegistry.getFunction('identityOwner')(identity.address)).toBe(identity.address);

    const asIdentity = new Contract(first.didRegistry, ethrDidRegistryArtifact().abi, identity);
    const receipt = await mined(asIdentity.getFunction('changeOwner')(identity.address, newOwner));

    expect(await didRegistry.getFunction('identityOwner')(identity.address)).toBe(newOwner);
    expect(await didRegistry.getFunction('changed')(identity.address)).toBe(BigInt(receipt.blockNumber));
  });
});
