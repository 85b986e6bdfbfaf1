import { deploymentIsLive, deploymentRecordPath, ensureCityDeployment, readDeploymentRecord, type CityDeployment } from '@citycred/anchors';
import { JsonRpcProvider, parseEther, toBeHex, Wallet } from 'ethers';

/** Balance the embedded root account is kept at (the local chain has no real money). */
const ROOT_BALANCE = parseEther('1000000');

/**
 * Embedded mode: funds the city root account on the local anvil chain, deploys the contracts when the
 * deployment record is missing or its code is absent, and mines a block, so that the chain's latest block time —
 * where new accreditations start — is the present even when the chain was restored from a state saved long ago.
 */
export async function prepareLocalChain(rpcUrl: string, rootKey: string, deploymentsDir: string): Promise<{ deployment: CityDeployment; deployed: boolean; root: Wallet; provider: JsonRpcProvider }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const root = new Wallet(rootKey, provider);
  if ((await provider.getBalance(root.address)) < ROOT_BALANCE / 2n) {
    await provider.send('anvil_setBalance', [root.address, toBeHex(ROOT_BALANCE)]);
  }
  const { deployment, deployed } = await ensureCityDeployment({ signer: root, dir: deploymentsDir });
  await provider.send('evm_mine', []);
  return { deployment, deployed, root, provider };
}

/**
 * The deployment recorded for the chain behind `provider`, checked: the record exists, is of the contracts version
 * this code speaks to (`CITY_CONTRACTS_VERSION`), and its contracts are live on that chain. Needs no key.
 * @throws Error saying what to do when the record is missing or not live; `OutdatedDeploymentRecordError` (its
 *   message says to run `npm run deploy`) when it is of another version; Error naming the file when it is malformed
 */
export async function recordedDeployment(provider: JsonRpcProvider, deploymentsDir: string): Promise<CityDeployment> {
  const chainId = Number(await provider.send('eth_chainId', []));
  const deployment = readDeploymentRecord(chainId, deploymentsDir);
  const file = deploymentRecordPath(chainId, deploymentsDir);
  if (!deployment) throw new Error(`there is no deployment record ${file} for chain ${chainId}: deploy the contracts first (CHAIN_RPC_URL=… CITY_ROOT_KEY=… npm run deploy)`);
  if (!(await deploymentIsLive(provider, deployment))) throw new Error(`the contracts in ${file} are not live on chain ${chainId} (no code, or not the version ${deployment.version} contracts it records)`);
  return deployment;
}

/**
 * Production mode: the chain at `rpcUrl` must already carry a deployment recorded in `deploymentsDir`
 * (see {@link recordedDeployment}). No key is needed: `npm start` sends nothing to a real chain.
 * @throws Error when the record is missing, of another version, or its contracts have no code
 */
export async function attachToChain(rpcUrl: string, deploymentsDir: string): Promise<{ deployment: CityDeployment; provider: JsonRpcProvider }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    return { deployment: await recordedDeployment(provider, deploymentsDir), provider };
  } catch (error) {
    provider.destroy();
    throw error;
  }
}

/**
 * Production deployment: deploys the contracts to `rpcUrl` from the city root key unless a live deployment
 * is already recorded, and writes `<deploymentsDir>/<chainId>.json`.
 */
export async function deployToChain(rpcUrl: string, rootKey: string, deploymentsDir: string): Promise<{ deployment: CityDeployment; deployed: boolean; file: string }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    const { deployment, deployed } = await ensureCityDeployment({ signer: new Wallet(rootKey, provider), dir: deploymentsDir });
    return { deployment, deployed, file: deploymentRecordPath(deployment.chainId, deploymentsDir) };
  } finally {
    provider.destroy();
  }
}
