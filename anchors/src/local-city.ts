import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, parseEther, toQuantity, Wallet } from 'ethers';
import { ensureCityDeployment, type CityDeployment } from './deploy.js';
import { startLocalChain, type LocalChain } from './local-chain.js';

/** A local chain with the city's contracts deployed by a root account of its own: what integration tests start from. */
export interface LocalCity {
  readonly chain: LocalChain;
  /** A provider on the chain that never caches (each read sees the latest block) and sends one call per request. */
  readonly provider: JsonRpcProvider;
  /** The city root account: owner of the IssuerRegistry, funded, connected to {@link provider}. */
  readonly root: Wallet;
  readonly deployment: CityDeployment;
  /** The directory holding the deployment record (removed by {@link stop}). */
  readonly deploymentsDir: string;
  /**
   * A new random account with `ether` of the chain's play money, connected to {@link provider}.
   * @param ether - its balance, in ether; default 10
   */
  fundedWallet(ether?: string): Promise<Wallet>;
  /** Closes the provider, stops the chain and removes the deployment record. */
  stop(): Promise<void>;
}

/**
 * Starts anvil and deploys the city's contracts on it, with a fresh root account.
 * @param options.rootEther - the root account's balance, in ether (default 1000)
 * @throws whatever {@link startLocalChain} or the deployment throws; the chain is stopped first
 */
export async function startLocalCity(options: { rootEther?: string } = {}): Promise<LocalCity> {
  const chain = await startLocalChain();
  const provider = new JsonRpcProvider(chain.rpcUrl, chain.chainId, { staticNetwork: true, batchMaxCount: 1, polling: false, cacheTimeout: -1 });
  const deploymentsDir = mkdtempSync(join(tmpdir(), 'citycred-city-'));
  const stop = async () => {
    provider.destroy();
    await chain.stop();
    rmSync(deploymentsDir, { recursive: true, force: true });
  };
  const fundedWallet = async (ether = '10') => {
    const wallet = new Wallet(Wallet.createRandom().privateKey, provider);
    await provider.send('anvil_setBalance', [wallet.address, toQuantity(parseEther(ether))]);
    return wallet;
  };
  try {
    const root = await fundedWallet(options.rootEther ?? '1000');
    const { deployment } = await ensureCityDeployment({ signer: root, dir: deploymentsDir });
    return { chain, provider, root, deployment, deploymentsDir, fundedWallet, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
