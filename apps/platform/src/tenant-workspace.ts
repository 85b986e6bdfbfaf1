import type { CityDeployment } from '@citycred/anchors';
import type { Clock } from '@citycred/config';
import { createChainProvider, createIssuerAgent, ethrNetwork, unlockPrivateKeys } from '@citycred/did';
import { createIssuerDataSource, openDatabase, type DatabaseLocation } from '@citycred/persistence';
import { TenantDirectory } from '@citycred/tenancy';
import type { JsonRpcProvider } from 'ethers';
import type { DataSource } from 'typeorm';

/** Where the platform CLI finds the tenants: the issuer database, its key manager and the city chain. */
export interface TenantWorkspaceOptions {
  database: DatabaseLocation;
  keyEncryptionSecret: string;
  rpcUrl: string;
  didNetwork: string;
  deployment: CityDeployment;
  clock: Clock;
}

/** The issuer database (migrated), a chain provider and the tenant directory over them. Close it when done. */
export interface TenantWorkspace {
  dataSource: DataSource;
  provider: JsonRpcProvider;
  directory: TenantDirectory;
  /** Closes the provider and the database. */
  close(): Promise<void>;
}

/**
 * Opens the issuer database (running its migrations, as the issuer does at start), a provider of the city chain
 * and a {@link TenantDirectory} whose keys live encrypted in that database.
 * @throws whatever the driver throws when the database cannot be opened; KeyStoreError (from `@citycred/did`) naming
 *   `KEY_ENCRYPTION_SECRET` when it is not the secret of that database's keys (checked before anything else)
 */
export async function openTenantWorkspace(options: TenantWorkspaceOptions): Promise<TenantWorkspace> {
  const dataSource = await openDatabase(createIssuerDataSource(options.database));
  try {
    await unlockPrivateKeys(dataSource, options.keyEncryptionSecret);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const provider = createChainProvider(options.rpcUrl, options.deployment.chainId);
  const network = ethrNetwork({ name: options.didNetwork, chainId: options.deployment.chainId, rpcUrl: options.rpcUrl, registry: options.deployment.didRegistry, provider });
  const agent = createIssuerAgent({ dataSource, keyEncryptionSecret: options.keyEncryptionSecret, network });
  return {
    dataSource,
    provider,
    directory: new TenantDirectory(dataSource, agent, network, options.clock),
    async close() {
      provider.destroy();
      await dataSource.destroy();
    },
  };
}
