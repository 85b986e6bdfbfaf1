import { readDeploymentRecord, type CityDeployment } from '@citycred/anchors';
import { CityChain } from '@citycred/chain';
import type { Clock } from '@citycred/config';
import { createChainProvider, createDidResolver, ethrNetwork } from '@citycred/did';
import { createVerifierDataSource, openDatabase } from '@citycred/persistence';
import { JsonRpcProvider } from 'ethers';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import type { VerifierConfig } from './config.js';
import { HttpAnchorProofSource } from './verification/anchor-proof-source.js';
import { CredentialVerifier } from './verification/credential-verifier.js';

/** Everything the verifier's modules share, assembled once at start-up. */
export interface VerifierRuntime {
  config: VerifierConfig;
  dataSource: DataSource;
  chain: CityChain;
  deployment: CityDeployment;
  verifier: CredentialVerifier;
  close(): Promise<void>;
}

async function chainIdOf(rpcUrl: string): Promise<number> {
  const probe = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true });
  try {
    return Number(await probe.send('eth_chainId', []));
  } catch (error) {
    throw new Error(`CHAIN_RPC_URL ${rpcUrl} does not answer JSON-RPC`, { cause: error });
  } finally {
    probe.destroy();
  }
}

/**
 * Opens the verifier's database and connects to the chain's registries.
 * @throws Error when the chain cannot be reached or no deployment record exists for it
 */
export async function buildVerifierRuntime(config: VerifierConfig, clock: Clock): Promise<VerifierRuntime> {
  const chainId = await chainIdOf(config.CHAIN_RPC_URL);
  const deployment = readDeploymentRecord(chainId, resolve(config.DEPLOYMENTS_DIR));
  if (!deployment) throw new Error(`No deployment record for chain ${chainId} in DEPLOYMENTS_DIR ${config.DEPLOYMENTS_DIR}`);
  const dataSource = await openDatabase(
    createVerifierDataSource({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, sqlitePath: config.SQLITE_PATH ?? 'var/verifier.sqlite' }),
  );
  const provider = createChainProvider(config.CHAIN_RPC_URL, chainId);
  const network = ethrNetwork({ name: config.DID_ETHR_NETWORK, chainId, rpcUrl: config.CHAIN_RPC_URL, registry: deployment.didRegistry, provider });
  const chain = new CityChain(provider, deployment);
  const verifier = new CredentialVerifier(createDidResolver(network, { cacheTtlMs: config.DID_CACHE_TTL_MS }), chain, new HttpAnchorProofSource(config.ANCHOR_PROOF_URL), clock, {
    didNetwork: config.DID_ETHR_NETWORK,
    anchorGraceSeconds: config.ANCHOR_GRACE_SECONDS,
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
  });
  return {
    config,
    dataSource,
    chain,
    deployment,
    verifier,
    async close() {
      provider.destroy();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}
