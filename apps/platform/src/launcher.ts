import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { portIsFree, startLocalChain, type LocalChain } from '@citycred/anchors';
import { prepareLocalChain, attachToChain } from './chain-setup.js';
import { readDemoFile, writeDemoFile, type DemoFile } from './demo-file.js';
import { provisionTenants } from './provision.js';
import { loadOrCreateSecrets, type EmbeddedSecrets } from './secrets.js';

/** Settings of the launcher, from the environment (see README "Configuration"). */
export interface LauncherSettings {
  root: string;
  varDir: string;
  host: string;
  chainPort: number;
  issuerPort: number;
  verifierPort: number;
  walletPort: number;
  chainRpcUrl: string | undefined;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  /** Secrets given in the environment, which take precedence over those kept in var/secrets.json. */
  secretOverrides: { keyEncryptionSecret?: string | undefined; cityRootKey?: string | undefined };
  deploymentsDir: string;
  didNetwork: string;
  anchorIntervalMs: string | undefined;
  /** Environment handed on to the services, which parse their own configuration from it. */
  env: Record<string, string | undefined>;
}

interface Service {
  name: string;
  url: string;
  child: ChildProcess;
}

/** The whole platform as one unit: `start()` brings it up, `stop()` takes down whatever is running. */
export interface Platform {
  /**
   * Starts everything and writes `var/demo/tenants.json`.
   * @throws Error when a port is taken, the chain or database cannot be reached, a service fails to start, or
   *   `stop()` was called meanwhile; whatever was already started is stopped first
   */
  start(): Promise<DemoFile>;
  /** Stops the services (SIGTERM, then SIGKILL after 10 s) and the local chain; safe to call at any time. */
  stop(): Promise<void>;
}

/**
 * Starts anvil on the state kept in var/chain. A state file anvil cannot read (a crash while it was being
 * written) is set aside rather than blocking every start: the chain then starts empty, the contracts are
 * deployed again, and the anchoring worker re-anchors every batch recorded on the old contract.
 */
async function startEmbeddedChain(settings: LauncherSettings, log: (line: string) => void): Promise<LocalChain> {
  const stateFile = join(settings.varDir, 'chain', 'state.json');
  const options = { port: settings.chainPort, chainId: 31337, stateFile, stateIntervalSeconds: 1 };
  try {
    return await startLocalChain(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!existsSync(stateFile) || !/failed to parse|--state/.test(message)) throw error;
    const aside = `${stateFile}.unreadable-${Date.now()}`;
    renameSync(stateFile, aside);
    log(`chain     the saved chain state could not be read; kept it as ${aside} and starting a new chain (credentials will be anchored again)`);
    return startLocalChain(options);
  }
}

/**
 * On an existing chain the secrets come from the operator: generating them would create keys nobody backs up.
 * @throws Error naming the missing variable
 */
function givenSecrets(overrides: LauncherSettings['secretOverrides']): EmbeddedSecrets {
  const { cityRootKey, keyEncryptionSecret } = overrides;
  if (!cityRootKey || !keyEncryptionSecret) {
    throw new Error('with CHAIN_RPC_URL set (an existing chain), CITY_ROOT_KEY and KEY_ENCRYPTION_SECRET must be given: they are never generated for a real chain');
  }
  return { cityRootKey, keyEncryptionSecret };
}

/** Variables the services must not inherit: only the launcher needs them. */
const LAUNCHER_ONLY = ['CITY_ROOT_KEY', 'KEY_ENCRYPTION_SECRET'];

async function waitHealthy(name: string, url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${name} did not become healthy at ${url}/health within ${timeoutMs / 1000} s`);
}

function prefixLines(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream): void {
  let buffer = '';
  stream?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

/**
 * The whole system: the local chain (unless `CHAIN_RPC_URL` is set), contracts, demo tenants, then the
 * issuer, verifier and wallet as child processes. Install signal handlers calling `stop()` before `start()`,
 * so a Ctrl-C during start-up leaves nothing behind.
 */
export function createPlatform(settings: LauncherSettings, log: (line: string) => void): Platform {
  let chain: LocalChain | undefined;
  const services: Service[] = [];
  let stopping = false;
  const checkNotStopped = () => {
    if (stopping) throw new Error('stopped during start-up');
  };
  const stop = async () => {
    stopping = true;
    await Promise.all(
      services.map(
        (s) =>
          new Promise<void>((done) => {
            if (s.child.exitCode !== null || s.child.signalCode !== null) return done();
            s.child.once('exit', () => done());
            s.child.kill('SIGTERM');
            setTimeout(() => s.child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await chain?.stop();
  };

  const start = async (): Promise<DemoFile> => {
    try {
      const secrets = settings.chainRpcUrl ? givenSecrets(settings.secretOverrides) : loadOrCreateSecrets(join(settings.varDir, 'secrets.json'), settings.secretOverrides);
      const ports = [
        ...(settings.chainRpcUrl ? [] : [['chain', settings.chainPort] as const]),
        ['issuer', settings.issuerPort] as const,
        ['verifier', settings.verifierPort] as const,
        ['wallet', settings.walletPort] as const,
      ];
      for (const [name, port] of ports) {
        if (!(await portIsFree(port, settings.host))) {
          throw new Error(`port ${port} (${name}) is already in use on ${settings.host}: is CityCred already running? Stop it, or set ${name.toUpperCase()}_PORT.`);
        }
      }
      let rpcUrl = settings.chainRpcUrl;
      let setup;
      if (rpcUrl) {
        setup = { ...(await attachToChain(rpcUrl, secrets.cityRootKey, settings.deploymentsDir)), deployed: false };
        log(`chain     ${rpcUrl} (external)`);
      } else {
        checkNotStopped();
        chain = await startEmbeddedChain(settings, log);
        rpcUrl = chain.rpcUrl;
        setup = await prepareLocalChain(rpcUrl, secrets.cityRootKey, settings.deploymentsDir);
        log(`chain     ${rpcUrl} (anvil, state in ${join(settings.varDir, 'chain')})`);
      }
      checkNotStopped();
      log(`contracts ${setup.deployed ? 'deployed' : 'reused'}: IssuerRegistry ${setup.deployment.issuerRegistry}, CredentialAnchor ${setup.deployment.credentialAnchor}, DID registry ${setup.deployment.didRegistry}`);

      const demoFile = join(settings.varDir, 'demo', 'tenants.json');
      const previous = readDemoFile(demoFile);
      const issuerSqlite = join(settings.varDir, 'issuer.sqlite');
      const tenants = await provisionTenants({
        database: { url: settings.databaseUrl, schema: settings.databaseSchema, sqlitePath: issuerSqlite },
        keyEncryptionSecret: secrets.keyEncryptionSecret,
        rpcUrl,
        didNetwork: settings.didNetwork,
        deployment: setup.deployment,
        root: setup.root,
        knownKeys: new Map((previous?.tenants ?? []).map((t) => [t.slug, t.apiKey])),
      });
      setup.provider.destroy();
      checkNotStopped();

      const inherited = Object.fromEntries(Object.entries(settings.env).filter(([name]) => !LAUNCHER_ONLY.includes(name)));
      const common = {
        ...inherited,
        HOST: settings.host,
        CHAIN_RPC_URL: rpcUrl,
        DEPLOYMENTS_DIR: settings.deploymentsDir,
        DID_ETHR_NETWORK: settings.didNetwork,
      };
      const issuerUrl = `http://${settings.host}:${settings.issuerPort}`;
      const plan = [
        {
          name: 'issuer',
          url: issuerUrl,
          entry: 'apps/issuer/dist/main.js',
          env: { ...common, ISSUER_PORT: String(settings.issuerPort), SQLITE_PATH: issuerSqlite, KEY_ENCRYPTION_SECRET: secrets.keyEncryptionSecret, ...(settings.anchorIntervalMs ? { ANCHOR_BATCH_INTERVAL_MS: settings.anchorIntervalMs } : {}) },
        },
        {
          name: 'verifier',
          url: `http://${settings.host}:${settings.verifierPort}`,
          entry: 'apps/verifier/dist/main.js',
          env: { ...common, VERIFIER_PORT: String(settings.verifierPort), SQLITE_PATH: join(settings.varDir, 'verifier.sqlite'), ANCHOR_PROOF_URL: issuerUrl },
        },
        { name: 'wallet', url: `http://${settings.host}:${settings.walletPort}`, entry: 'apps/wallet/dist/main.js', env: { ...common, WALLET_PORT: String(settings.walletPort) } },
      ];
      for (const item of plan) {
        checkNotStopped();
        const child = spawn(process.execPath, ['--enable-source-maps', resolve(settings.root, item.entry)], { cwd: settings.root, env: item.env, stdio: ['ignore', 'pipe', 'pipe'] });
        prefixLines(item.name, child.stdout, process.stdout);
        prefixLines(item.name, child.stderr, process.stderr);
        services.push({ name: item.name, url: item.url, child });
        await waitHealthy(item.name, item.url, child);
      }

      const demo: DemoFile = {
        issuerUrl,
        verifierUrl: plan[1]!.url,
        walletUrl: plan[2]!.url,
        chainRpcUrl: rpcUrl,
        tenants: tenants.map(({ slug, name, did, apiKey }) => ({ slug, name, did, apiKey })),
      };
      writeDemoFile(demoFile, demo);
      for (const s of services) {
        s.child.once('exit', (code, signal) => {
          if (code !== 0 && signal !== 'SIGTERM') log(`${s.name} stopped unexpectedly (${signal ?? code})`);
        });
      }
      return demo;
    } catch (error) {
      await stop();
      throw error;
    }
  };

  return { start, stop };
}
