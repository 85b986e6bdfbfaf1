import type { CityDeployment } from '@citycred/anchors';
import type { Clock } from '@citycred/config';
import { createChainProvider, createIssuerAgent, ethrNetwork, unlockPrivateKeys } from '@citycred/did';
import { createIssuerDataSource, openDatabase, type DatabaseLocation } from '@citycred/persistence';
import { AuditLog, TenantAdministration, TenantDirectory } from '@citycred/tenancy';
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
  /** The city root's key (`CITY_ROOT_KEY`), for what the root signs in the workspace's {@link TenantWorkspace.administration}. */
  cityRootKey?: string | undefined;
  /** Top up new tenants' accounts from the city root (the embedded local chain's play money). */
  fundNewTenants?: boolean | undefined;
}

/** The issuer database (migrated), a chain provider, the tenant directory and the tenant administration over them. Close it when done. */
export interface TenantWorkspace {
  dataSource: DataSource;
  provider: JsonRpcProvider;
  directory: TenantDirectory;
  /** The tenant administration the issuer's admin API also uses, over this database and chain. */
  administration: TenantAdministration;
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
  const directory = new TenantDirectory(dataSource, agent, network, options.clock);
  return {
    dataSource,
    provider,
    directory,
    administration: new TenantAdministration({
      dataSource,
      directory,
      provider,
      deployment: options.deployment,
      audit: new AuditLog(dataSource, options.clock),
      clock: options.clock,
      rootKey: options.cityRootKey,
      fundNewTenants: options.fundNewTenants,
    }),
    async close() {
      provider.destroy();
      await dataSource.destroy();
    },
  };
}
