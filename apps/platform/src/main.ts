import { databaseTimeoutsEnv, env, loadConfig, platformEnv } from '@citycred/config';
import { databaseLocationFrom, databaseTimeouts } from '@citycred/persistence';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { deployToChain } from './chain-setup.js';
import { KEYS_USAGE, runKeysCommand } from './keys-command.js';
import { createPlatform } from './launcher.js';

const command = process.argv[2] ?? 'start';
if (command !== 'start' && command !== 'deploy' && command !== 'keys') {
  console.error(`usage: citycred start | deploy | keys …   (unknown command "${command}")\n${KEYS_USAGE}`);
  process.exit(2);
}

const config = loadConfig(
  z.object({
    VAR_DIR: z.string().default('var'),
    HOST: z.string().default('127.0.0.1'),
    CHAIN_PORT: env.port(8545),
    ISSUER_PORT: env.port(3001),
    VERIFIER_PORT: env.port(3002),
    WALLET_PORT: env.port(3003),
    CHAIN_RPC_URL: z.url().optional(),
    DATABASE_URL: env.optionalUrl(),
    DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
    CITY_ROOT_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'must be 0x + 64 hexadecimal characters').optional(),
    KEY_ENCRYPTION_SECRET: env.hexKey().optional(),
    DEPLOYMENTS_DIR: z.string().default('anchors/deployments'),
    DID_ETHR_NETWORK: z.string().default('citycred'),
    ANCHOR_BATCH_INTERVAL_MS: z.string().regex(/^\d+$/).optional(),
    SHUTDOWN_GRACE_MS: platformEnv.shape.SHUTDOWN_GRACE_MS,
    ...databaseTimeoutsEnv.shape,
    // Only `keys` reads it: `start` always keeps the issuer's SQLite file at VAR_DIR/issuer.sqlite.
    SQLITE_PATH: z.string().optional(),
  }),
  process.env,
);

const root = process.cwd();
const log = (line: string) => console.log(line);
if (command === 'keys') {
  const location = databaseLocationFrom(config, join(config.VAR_DIR, 'issuer.sqlite'));
  const database = { ...location, sqlitePath: resolve(root, location.sqlitePath) };
  try {
    process.exit(await runKeysCommand(process.argv.slice(3), database, { out: log, err: (line) => console.error(line) }));
  } catch (error) {
    console.error(`keys failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
if (command === 'deploy') {
  const rootKey = config.CITY_ROOT_KEY;
  if (!config.CHAIN_RPC_URL || !rootKey) {
    console.error('deploy needs CHAIN_RPC_URL and CITY_ROOT_KEY (the city root account, which will own the IssuerRegistry)');
    process.exit(2);
  }
  try {
    const { deployment, deployed, file } = await deployToChain(config.CHAIN_RPC_URL, rootKey, resolve(root, config.DEPLOYMENTS_DIR));
    log(`${deployed ? 'deployed' : 'already deployed'} on chain ${deployment.chainId}: ${file}`);
    process.exit(0);
  } catch (error) {
    console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
const platform = createPlatform(
  {
    root,
    varDir: resolve(root, config.VAR_DIR),
    host: config.HOST,
    chainPort: config.CHAIN_PORT,
    issuerPort: config.ISSUER_PORT,
    verifierPort: config.VERIFIER_PORT,
    walletPort: config.WALLET_PORT,
    chainRpcUrl: config.CHAIN_RPC_URL,
    databaseUrl: config.DATABASE_URL,
    databaseSchema: config.DATABASE_SCHEMA,
    databaseTimeouts: databaseTimeouts(config),
    secretOverrides: { keyEncryptionSecret: config.KEY_ENCRYPTION_SECRET, cityRootKey: config.CITY_ROOT_KEY },
    deploymentsDir: resolve(root, config.DEPLOYMENTS_DIR),
    didNetwork: config.DID_ETHR_NETWORK,
    anchorIntervalMs: config.ANCHOR_BATCH_INTERVAL_MS,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    env: process.env,
  },
  log,
);
// Installed before start-up, so a signal during it stops what was already started.
let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  platform.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
// A part that kept dying (the local chain, a service): the platform has stopped itself.
void platform.failed.then((error) => {
  console.error(`CityCred stopped: ${error.message}`);
  process.exit(1);
});

try {
  const demo = await platform.start();
  log('');
  log('CityCred is running:');
  log(`  issuer    ${demo.issuerUrl}`);
  log(`  verifier  ${demo.verifierUrl}`);
  log(`  wallet    ${demo.walletUrl}`);
  log(`  chain     ${demo.chainRpcUrl}`);
  log('Demo tenants (API keys also in var/demo/tenants.json):');
  for (const t of demo.tenants) log(`  ${t.slug.padEnd(21)} ${t.apiKey}  ${t.did}`);
  log('Press Ctrl-C to stop.');
} catch (error) {
  if (!stopping) {
    console.error(`CityCred could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
