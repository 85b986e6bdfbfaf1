import { deploymentIsLive, deploymentRecordPath, ensureCityDeployment, issuerRegistryAt, readDeploymentRecord, type CityDeployment } from '@citycred/anchors';
import { JsonRpcProvider, parseEther, toBeHex, Wallet } from 'ethers';

/** Balance the embedded root account is kept at (the local chain has no real money). */
const ROOT_BALANCE = parseEther('1000000');

/**
 * Embedded mode: funds the city root account on the local anvil chain and deploys the contracts when the
 * deployment record is missing or its code is absent.
 */
export async function prepareLocalChain(rpcUrl: string, rootKey: string, deploymentsDir: string): Promise<{ deployment: CityDeployment; deployed: boolean; root: Wallet; provider: JsonRpcProvider }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const root = new Wallet(rootKey, provider);
  if ((await provider.getBalance(root.address)) < ROOT_BALANCE / 2n) {
    await provider.send('anvil_setBalance', [root.address, toBeHex(ROOT_BALANCE)]);
  }
  const { deployment, deployed } = await ensureCityDeployment({ signer: root, dir: deploymentsDir });
  return { deployment, deployed, root, provider };
}

/**
 * Production mode: the chain at `rpcUrl` must already carry a deployment recorded in `deploymentsDir`.
 * @throws Error when the record is missing or its contracts have no code
 */
export async function attachToChain(rpcUrl: string, rootKey: string, deploymentsDir: string): Promise<{ deployment: CityDeployment; root: Wallet; provider: JsonRpcProvider }> {
  const provider = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1 });
  const chainId = Number(await provider.send('eth_chainId', []));
  const deployment = readDeploymentRecord(chainId, deploymentsDir);
  if (!deployment) throw new Error(`CHAIN_RPC_URL is set but ${deploymentsDir}/${chainId}.json does not exist: deploy the contracts first`);
  if (!(await deploymentIsLive(provider, deployment))) throw new Error(`the contracts in ${deploymentsDir}/${chainId}.json have no code on chain ${chainId}`);
  const root = new Wallet(rootKey, provider);
  const registryRoot = await issuerRegistryAt(deployment.issuerRegistry, provider).root();
  if (registryRoot.toLowerCase() !== root.address.toLowerCase()) {
    throw new Error(`CITY_ROOT_KEY is the account ${root.address}, but the IssuerRegistry's root is ${registryRoot}`);
  }
  return { deployment, root, provider };
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
