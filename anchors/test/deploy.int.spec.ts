import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, JsonRpcProvider, Wallet, type HDNodeWallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ethrDidRegistryArtifact } from '../src/artifacts.js';
import { credentialAnchorAt, issuerRegistryAt } from '../src/contracts.js';
import {
  deploymentIsLive,
  deploymentRecordPath,
  ensureCityDeployment,
  readDeploymentRecord,
  writeDeploymentRecord,
  type CityDeployment,
} from '../src/deploy.js';
import { startLocalChain, type LocalChain } from '../src/local-chain.js';
import { fundedWallet, mined } from './chain-test-kit.js';

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
  it('deploys the three contracts on an empty chain and writes the record', async () => {
    expect(readDeploymentRecord(chain.chainId, dir)).toBeNull();

    const result = await ensureCityDeployment({ signer: deployer, dir });
    first = result.deployment;

    expect(result.deployed).toBe(true);
    expect(first).toMatchObject({ chainId: chain.chainId, root: deployer.address });
    const file = deploymentRecordPath(chain.chainId, dir);
    expect(file).toBe(join(dir, `${chain.chainId}.json`));
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(first, null, 2)}\n`);
    expect(readDeploymentRecord(chain.chainId, dir)).toEqual(first);

    const addresses = [first.issuerRegistry, first.credentialAnchor, first.didRegistry];
    expect(new Set(addresses).size).toBe(3);
    for (const address of addresses) expect(await provider.getCode(address)).not.toBe('0x');
    expect(await issuerRegistryAt(first.issuerRegistry, provider).root()).toBe(deployer.address);
    expect(await credentialAnchorAt(first.credentialAnchor, provider).registry()).toBe(first.issuerRegistry);

    expect(await provider.getCode(first.issuerRegistry, first.blockNumber - 1)).toBe('0x');
    expect(await provider.getCode(first.issuerRegistry, first.blockNumber)).not.toBe('0x');
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

      writeFileSync(file, JSON.stringify({ ...first, chainId: 1 }));
      expect(() => readDeploymentRecord(chain.chainId, dir)).toThrow(/is for chain 1, not 31337/);
    } finally {
      writeDeploymentRecord(first, dir);
    }
    expect(await ensureCityDeployment({ signer: deployer, dir })).toEqual({ deployment: first, deployed: false });
  });
});

describe('deploymentIsLive', () => {
  it('is false for another chain id, a missing contract or an anchor bound to another registry', async () => {
    expect(await deploymentIsLive(provider, first)).toBe(true);
    expect(await deploymentIsLive(provider, { ...first, chainId: chain.chainId + 1 })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, didRegistry: Wallet.createRandom().address })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, issuerRegistry: first.didRegistry })).toBe(false);
    expect(await deploymentIsLive(provider, { ...first, credentialAnchor: first.didRegistry })).toBe(false);
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
