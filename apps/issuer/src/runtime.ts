import { Logger } from '@nestjs/common';
import type { CityDeployment } from '@citycred/anchors';
import { CityChain, loadDeployment } from '@citycred/chain';
import type { Clock } from '@citycred/config';
import { createChainProvider, createIssuerAgent, ethrNetwork, unlockPrivateKeys, type EthrNetwork, type IssuerAgent } from '@citycred/did';
import { createIssuerDataSource, databaseLocationFrom, openDatabase } from '@citycred/persistence';
import { TenantDirectory } from '@citycred/tenancy';
import type { DataSource } from 'typeorm';
import type { IssuerConfig } from './config.js';

/** Everything the issuer's modules share, assembled once at start-up from the configuration. */
export interface IssuerRuntime {
  config: IssuerConfig;
  clock: Clock;
  dataSource: DataSource;
  agent: IssuerAgent;
  network: EthrNetwork;
  chain: CityChain;
  deployment: CityDeployment;
  tenants: TenantDirectory;
  /** Closes the database and the chain provider. */
  close(): Promise<void>;
}

/**
 * Opens the database (applying migrations), checks `KEY_ENCRYPTION_SECRET` against it, connects to the chain and
 * builds the Veramo agent.
 * @throws Error when the database or chain cannot be reached or no deployment record exists; KeyStoreError (from
 *   `@citycred/did`) naming `KEY_ENCRYPTION_SECRET` when it is not the secret the tenants' keys are sealed with
 */
export async function buildIssuerRuntime(config: IssuerConfig, clock: Clock): Promise<IssuerRuntime> {
  const deployment = await loadDeployment(config.CHAIN_RPC_URL, config.DEPLOYMENTS_DIR);
  const dataSource = await openDatabase(
    createIssuerDataSource(databaseLocationFrom(config, 'var/issuer.sqlite', (message) => new Logger('Database').warn(message))),
  );
  try {
    const unlocked = await unlockPrivateKeys(dataSource, config.KEY_ENCRYPTION_SECRET);
    if (unlocked.legacyKeysResealed > 0) new Logger('Keys').log(`re-sealed ${unlocked.legacyKeysResealed} private keys stored before sealing`);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const provider = createChainProvider(config.CHAIN_RPC_URL, deployment.chainId);
  const network = ethrNetwork({ name: config.DID_ETHR_NETWORK, chainId: deployment.chainId, rpcUrl: config.CHAIN_RPC_URL, registry: deployment.didRegistry, provider });
  const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: config.KEY_ENCRYPTION_SECRET, network });
  return {
    config,
    clock,
    dataSource,
    agent,
    network,
    deployment,
    chain: new CityChain(provider, deployment),
    tenants: new TenantDirectory(dataSource, agent, network, clock, { apiKeyCache: { ttlMs: config.API_KEY_CACHE_TTL_MS } }),
    async close() {
      provider.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
