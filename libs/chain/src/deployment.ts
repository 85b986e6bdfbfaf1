import { resolve } from 'node:path';
import { readDeploymentRecord, type CityDeployment } from '@citycred/anchors';
import { JsonRpcProvider } from 'ethers';

/**
 * Asks the chain at `rpcUrl` for its id, then reads the deployment record for that chain.
 * @throws Error naming CHAIN_RPC_URL when the chain does not answer, or DEPLOYMENTS_DIR when no record exists
 */
export async function loadDeployment(rpcUrl: string, deploymentsDir: string): Promise<CityDeployment> {
  const probe = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  let chainId: number;
  try {
    chainId = Number(await probe.send('eth_chainId', []));
  } catch (error) {
    throw new Error(`CHAIN_RPC_URL ${rpcUrl} does not answer JSON-RPC`, { cause: error });
  } finally {
    probe.destroy();
  }
  const deployment = readDeploymentRecord(chainId, resolve(deploymentsDir));
  if (!deployment) {
    throw new Error(`No deployment record for chain ${chainId} in DEPLOYMENTS_DIR ${deploymentsDir}: run "npm start" (embedded) or "npm run deploy" first`);
  }
  return deployment;
}
