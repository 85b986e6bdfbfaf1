import { databaseTimeoutsEnv, env, loadConfig, platformEnv } from '@citycred/config';
import { databaseLocationFrom, databaseTimeouts } from '@citycred/persistence';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { deployToChain } from './chain-setup.js';
import { KEYS_USAGE, runKeysCommand } from './keys-command.js';
import { OPERATORS_USAGE, runOperatorsCommand } from './operators-command.js';
import { createPlatform, DEMO_CITIZENS_PATH, DEMO_CITY_ADMIN_TENANT } from './launcher.js';
import { readEmbeddedSecrets } from './secrets.js';
import { runSecretsCommand, SECRETS_USAGE } from './secrets-command.js';
import { runTenantsCommand, TENANTS_USAGE } from './tenants-command.js';

const command = process.argv[2] ?? 'start';
if (command !== 'start' && command !== 'deploy' && command !== 'keys' && command !== 'tenants' && command !== 'secrets' && command !== 'operators') {
  console.error(`usage: citycred start | deploy | keys … | tenants … | secrets rotate | operators …   (unknown command "${command}")\n${KEYS_USAGE}\n${TENANTS_USAGE}\n${SECRETS_USAGE}\n${OPERATORS_USAGE}`);
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
    FACILITY_PORT: env.port(3004),
    CHAIN_RPC_URL: z.url().optional(),
    DATABASE_URL: env.optionalUrl(),
    DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).optional(),
    CITY_ROOT_KEY: env.privateKey().optional(),
    KEY_ENCRYPTION_SECRET: env.hexKey().optional(),
    // Only `secrets rotate` reads it: the secret the tenants' keys are re-encrypted under.
    NEW_KEY_ENCRYPTION_SECRET: env.hexKey().optional(),
    DEPLOYMENTS_DIR: z.string().default('anchors/deployments'),
    DID_ETHR_NETWORK: z.string().default('citycred'),
    ANCHOR_BATCH_INTERVAL_MS: z.string().regex(/^\d+$/).optional(),
    SHUTDOWN_GRACE_MS: platformEnv.shape.SHUTDOWN_GRACE_MS,
    ...databaseTimeoutsEnv.shape,
    // Only `keys`, `tenants`, `secrets` and `operators` read it: `start` always keeps the issuer's SQLite file at VAR_DIR/issuer.sqlite.
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
if (command === 'operators') {
  const location = databaseLocationFrom(config, join(config.VAR_DIR, 'issuer.sqlite'));
  const database = { ...location, sqlitePath: resolve(root, location.sqlitePath) };
  const readStdin = async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  try {
    process.exit(await runOperatorsCommand(process.argv.slice(3), database, { out: log, err: (line) => console.error(line), readStdin }));
  } catch (error) {
    console.error(`operators failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
if (command === 'secrets') {
  const location = databaseLocationFrom(config, join(config.VAR_DIR, 'issuer.sqlite'));
  const database = { ...location, sqlitePath: resolve(root, location.sqlitePath) };
  const secrets = { current: config.KEY_ENCRYPTION_SECRET, next: config.NEW_KEY_ENCRYPTION_SECRET };
  try {
    process.exit(await runSecretsCommand(process.argv.slice(3), database, secrets, { out: log, err: (line) => console.error(line) }));
  } catch (error) {
    console.error(`secrets failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
if (command === 'tenants') {
  const location = databaseLocationFrom(config, join(config.VAR_DIR, 'issuer.sqlite'));
  const embedded = config.CHAIN_RPC_URL === undefined;
  try {
    // Embedded mode: the secrets npm start keeps in var/secrets.json (never created here); the environment wins.
    const stored = embedded ? readEmbeddedSecrets(join(resolve(root, config.VAR_DIR), 'secrets.json')) : null;
    const context = {
      database: { ...location, sqlitePath: resolve(root, location.sqlitePath) },
      rpcUrl: config.CHAIN_RPC_URL ?? `http://${config.HOST}:${config.CHAIN_PORT}`,
      embedded,
      deploymentsDir: resolve(root, config.DEPLOYMENTS_DIR),
      didNetwork: config.DID_ETHR_NETWORK,
      keyEncryptionSecret: config.KEY_ENCRYPTION_SECRET ?? stored?.keyEncryptionSecret,
      cityRootKey: config.CITY_ROOT_KEY ?? stored?.cityRootKey,
    };
    process.exit(await runTenantsCommand(process.argv.slice(3), context, { out: log, err: (line) => console.error(line) }));
  } catch (error) {
    console.error(`tenants failed: ${error instanceof Error ? error.message : String(error)}`);
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
    facilityPort: config.FACILITY_PORT,
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
  const running = await platform.start();
  log('');
  log('CityCred is running:');
  log(`  issuer    ${running.issuerUrl}`);
  log(`  verifier  ${running.verifierUrl}`);
  log(`  wallet    ${running.walletUrl}`);
  if (running.facilityUrl) log(`  facility  ${running.facilityUrl}  (demo public facility booking site: sign in with the citizen card)`);
  log(`  chain     ${running.chainRpcUrl}`);
  log(`Verifier pages: ${running.verifierUrl}/check (check a credential or certificate), ${running.verifierUrl}/scan (employer scanner).`);
  if (running.demo) {
    log(`Demo tenants (API keys also in ${running.demoFile}):`);
    for (const t of running.demo.tenants) log(`  ${t.slug.padEnd(21)} ${t.apiKey}  ${t.did}`);
    log(`Console: ${running.issuerUrl}/console (each tenant's admin password is in ${running.demoFile}); ${DEMO_CITY_ADMIN_TENANT}'s admin is the city administrator of the admin API (${running.issuerUrl}/console/api/admin).`);
    log(`Employer console: ${running.issuerUrl}/employer (labour contracts and attendance; sign in as hangang-cafe's admin), workplace tablet QR: ${running.issuerUrl}/employer/#/workplace.`);
    log(`Demo citizens: ${running.issuerUrl}${DEMO_CITIZENS_PATH} (fictional people: receive one's credentials in the wallet, then apply for the Youth Allowance at ${running.verifierUrl}/apply/youth-allowance).`);
    if (running.facilityUrl) log(`Facility booking demo: ${running.facilityUrl} (시민카드로 로그인: sign in with a demo citizen's card from the wallet, through the verifier's OpenID Provider ${running.verifierUrl}/oidc; 박지호 is under 19 and is refused).`);
    if (running.petitions?.demo) log(`Demo petition: ${running.petitions.demo.pageUrl} (주민감사청구: sign it from the wallet as a demo citizen aged 19 or over, each person once; 3 signatures needed).`);
    if (running.petitions) {
      const key = running.petitions.keyFile ? `the demo official's key is in ${running.petitions.keyFile}` : "the demo official's key is your PETITION_ADMIN_KEYS entry demo-official";
      log(`Petitions API: ${running.petitions.apiUrl} (open: POST {title, description, threshold, deadline}; close: POST …/<id>/close; Authorization: Bearer <key>; ${key}).`);
    }
  } else {
    log('No tenant is seeded on an existing chain: onboard them with "npm run tenants -- onboard <slug> …" ("npm run tenants" shows how).');
  }
  log('Press Ctrl-C to stop.');
} catch (error) {
  if (!stopping) {
    console.error(`CityCred could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
