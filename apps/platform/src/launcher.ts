import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { portIsFree, startLocalChain, type LocalChain, type LocalChainOptions } from '@citycred/anchors';
import { systemClock, type Clock } from '@citycred/config';
import { ensurePrivateDirectory, type DatabaseTimeouts } from '@citycred/persistence';
import type { DemoAccreditationReport } from '@citycred/tenancy';
import { prepareLocalChain, attachToChain } from './chain-setup.js';
import { readDemoFile, writeDemoFile, type DemoFile } from './demo-file.js';
import { demoFacilitySecret, demoPetitionAdminKey } from './demo-facility.js';
import { seedDemoPetition, type DemoPetition } from './demo-petition.js';
import { provisionTenants } from './provision.js';
import { loadOrCreateSecrets } from './secrets.js';

/** Settings of the launcher, from the environment (see README "Configuration"). */
export interface LauncherSettings {
  root: string;
  varDir: string;
  host: string;
  chainPort: number;
  issuerPort: number;
  verifierPort: number;
  walletPort: number;
  /** The demo facility site's port (embedded mode only): default 3004, the port of its redirect URI in config/oidc-clients.json. */
  facilityPort?: number | undefined;
  chainRpcUrl: string | undefined;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  /** Time limits on the issuer database while provisioning (the services parse their own from `env`). */
  databaseTimeouts?: DatabaseTimeouts | undefined;
  /**
   * Secrets given in the environment, which take precedence over those kept in var/secrets.json. Against a real
   * chain only the key-encryption secret is used (and required); the city root key is ignored there.
   */
  secretOverrides: { keyEncryptionSecret?: string | undefined; cityRootKey?: string | undefined };
  deploymentsDir: string;
  didNetwork: string;
  anchorIntervalMs: string | undefined;
  /** Environment handed on to the services, which parse their own configuration from it. */
  env: Record<string, string | undefined>;
  /** The services' `SHUTDOWN_GRACE_MS`: how long `stop()` lets them drain before it kills them. Default 10 s. */
  shutdownGraceMs?: number | undefined;
}

/** How one service is started. */
interface ServicePlan {
  name: string;
  url: string;
  entry: string;
  env: Record<string, string | undefined>;
}

/** A service the launcher runs, and restarts when it dies. */
interface Service {
  plan: ServicePlan;
  /** The current process (replaced on restart). */
  child: ChildProcess;
  /** The launcher itself stopped (or is stopping) this process: its exit is no failure. */
  stopRequested: boolean;
}

/**
 * A part (the local chain, a service) that dies this many times within {@link RESTART_WINDOW_MS} — counting
 * restarts that fail — is not restarted again: the launcher stops everything and `failed` settles.
 */
export const RESTART_LIMIT = 3;
/** The window of {@link RESTART_LIMIT}. */
export const RESTART_WINDOW_MS = 60_000;
/** Pause before a death is handled: a part failing at once does not spin, and a Ctrl-C that also killed it wins. */
const RESTART_DELAY_MS = 500;
/** What `stop()` waits beyond the services' grace before it kills them. */
const KILL_MARGIN_MS = 5_000;
/** The services' default `SHUTDOWN_GRACE_MS`. */
const DEFAULT_GRACE_MS = 10_000;

/** What `start()` brought up. */
export interface RunningPlatform {
  issuerUrl: string;
  verifierUrl: string;
  walletUrl: string;
  /** Embedded mode: the demo facility site, which signs citizens in with the verifier's OpenID Provider; null against a real chain. */
  facilityUrl: string | null;
  chainRpcUrl: string;
  /** Embedded mode: the demo tenants and their API keys, as written to {@link RunningPlatform.demoFile}; null against a real chain. */
  demo: DemoFile | null;
  /** Embedded mode: where the demo file was written (`var/demo/tenants.json`); null against a real chain. */
  demoFile: string | null;
  /**
   * Embedded mode: the demo official's petition administrator key (label `demo-official` of the verifier's
   * `PETITION_ADMIN_KEYS`), where it is kept (null when the operator gave it), and the demo petition opened at the first
   * start (null when opening it failed: a warning says why); null against a real chain.
   */
  petitions: { keyFile: string | null; apiUrl: string; demo: DemoPetition | null } | null;
}

/** The whole platform as one unit: `start()` brings it up, `stop()` takes down whatever is running. */
export interface Platform {
  /**
   * Starts everything. In embedded mode it also provisions the demo tenants that were never provisioned and writes
   * `var/demo/tenants.json`; against a real chain (`CHAIN_RPC_URL`) it only checks the deployment and starts the
   * services.
   * @throws Error when a port is taken, the chain or database cannot be reached, the deployment record is missing
   *   or of another version, a service fails to start, or `stop()` was called meanwhile; whatever was already
   *   started is stopped first
   */
  start(): Promise<RunningPlatform>;
  /**
   * Stops the services (SIGTERM, then SIGKILL if they have not drained within their grace and 5 s more) and the
   * local chain; safe to call at any time, and more than once.
   */
  stop(): Promise<void>;
  /**
   * Settles (never rejects) when the platform stopped itself because a part kept dying ({@link RESTART_LIMIT}
   * times within {@link RESTART_WINDOW_MS}); everything is stopped by then. The error says which part and why.
   */
  failed: Promise<Error>;
}

/** Options of the embedded chain: always the same port and state file, so a restart continues the same chain. */
function embeddedChainOptions(settings: LauncherSettings): LocalChainOptions & { port: number; stateFile: string } {
  return { port: settings.chainPort, chainId: 31337, stateFile: join(settings.varDir, 'chain', 'state.json'), stateIntervalSeconds: 1 };
}

/**
 * Whether `text` reads as a chain state anvil wrote: JSON whose top level is an object holding a `block` and an
 * `accounts` object (anvil refuses a state without `block`).
 */
function looksLikeChainState(text: string): boolean {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return false;
  }
  const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
  return isObject(state) && isObject(state['block']) && isObject(state['accounts']);
}

/**
 * Starts anvil on the state kept in var/chain. The decision to set a state file aside is taken from the file
 * itself, before anvil starts: one that is not JSON of anvil's shape (a crash while it was being written) is renamed
 * `state.json.unreadable-<clock time>` rather than blocking every start — the chain then starts empty, the contracts
 * are deployed again, and the anchoring worker re-anchors every batch recorded on the old contract. Any failure of
 * anvil itself propagates unchanged and leaves the state file where it is. Exported for tests.
 * @param settings - the launcher's settings (port, var directory).
 * @param log - receives the line saying the state was set aside.
 * @param clock - names the set-aside file.
 * @param start - starts anvil; {@link startLocalChain} except in a test that needs anvil to fail for another reason.
 * @returns the running chain.
 * @throws whatever `start` throws (the port is taken, anvil exits or does not answer), and a file system error
 *   reading or renaming the state file.
 */
export async function startEmbeddedChain(
  settings: LauncherSettings,
  log: (line: string) => void,
  clock: Clock,
  start: (options: LocalChainOptions) => Promise<LocalChain> = startLocalChain,
): Promise<LocalChain> {
  const options = embeddedChainOptions(settings);
  const { stateFile } = options;
  if (existsSync(stateFile) && statSync(stateFile).isFile() && !looksLikeChainState(readFileSync(stateFile, 'utf8'))) {
    const aside = `${stateFile}.unreadable-${clock.now().getTime()}`;
    renameSync(stateFile, aside);
    log(`chain     the saved chain state could not be read; kept it as ${aside} and starting a new chain (credentials will be anchored again)`);
  }
  return start(options);
}

/**
 * On an existing chain the issuer's key-encryption secret comes from the operator: generating it would protect keys
 * with a secret nobody backs up. The city root key is not needed there — `npm start` sends nothing to a real chain,
 * and tenants are onboarded with `citycred tenants onboard` — so it is never read, and a warning says to remove it.
 * @throws Error naming the missing variable
 */
function givenSecrets(overrides: LauncherSettings['secretOverrides'], log: (line: string) => void): { keyEncryptionSecret: string } {
  const { cityRootKey, keyEncryptionSecret } = overrides;
  if (!keyEncryptionSecret) {
    throw new Error('with CHAIN_RPC_URL set (an existing chain), KEY_ENCRYPTION_SECRET must be given: it is never generated for a real chain');
  }
  if (cityRootKey) {
    log('warning   CITY_ROOT_KEY is set but not used: against an existing chain npm start needs no root key and sends no transaction (tenants are onboarded with "tenants onboard"); keep the root key off the application host');
  }
  return { keyEncryptionSecret };
}

/** The launcher's lines about what the demo provisioning sent to the chain. */
function describeProvisioning(report: DemoAccreditationReport): string[] {
  const refused = report.refused.map((what) => `warning   the IssuerRegistry refused to accredit demo tenant ${what}: left as the city decided`);
  if (report.delegated.length === 0 && report.withdrawn.length === 0 && report.accredited.length === 0) {
    return ['tenants   demo tenants already provisioned on this registry: nothing accredited again (what the city root revoked stays revoked)', ...refused];
  }
  return [
    ...(report.delegated.length > 0 ? [`tenants   delegated ${report.delegated.join(', ')}`] : []),
    ...(report.withdrawn.length > 0 ? [`tenants   delegation moved away from ${report.withdrawn.join(', ')} (its windows for those types ended)`] : []),
    ...(report.accredited.length > 0 ? [`tenants   accredited from the chain's latest block time: ${report.accredited.join(', ')}`] : []),
    ...refused,
  ];
}

/**
 * Variables the services must not inherit: the launcher hands the issuer the secrets it uses explicitly (in embedded
 * mode the root key too, for the admin API), never from its own environment.
 */
const LAUNCHER_ONLY = ['CITY_ROOT_KEY', 'KEY_ENCRYPTION_SECRET'];

/** The embedded demo's citizens (relative to the repository root), whose page the issuer serves at `/demo/citizens`. */
export const DEMO_CITIZENS_FILE = 'config/demo-citizens.json';

/** Where the embedded demo's citizens page is served, under the issuer's URL. */
export const DEMO_CITIZENS_PATH = '/demo/citizens';

/** The demo facility site's default port: the one of its redirect URI in config/oidc-clients.json. */
export const DEMO_FACILITY_PORT = 3004;

/** The demo tenants that issue the programs' eligibility credentials (config/programs.json `eligibility.tenant`). */
export const DEMO_ELIGIBILITY_TENANTS: readonly string[] = ['youth-policy'];

/** `PROGRAM_ISSUER_API_KEYS` for the verifier: the eligibility tenants' demo API keys, `<slug>=<key>` comma-separated. */
function programIssuerKeys(demo: DemoFile): string {
  return demo.tenants.filter((t) => DEMO_ELIGIBILITY_TENANTS.includes(t.slug)).map((t) => `${t.slug}=${t.apiKey}`).join(',');
}

/** The tenant whose console admins are the embedded demo's city administrators (`CITY_ADMIN_TENANT`). */
export const DEMO_CITY_ADMIN_TENANT = 'seoul-citizen';

/** The city tenant that anchors the verifier's e-signature receipts and petition tallies (ADR 0015). */
export const DEMO_DIGEST_ANCHORING_TENANT = 'seoul-citizen';

/** `ANCHOR_DIGEST_API_KEY` for the verifier: the city tenant's demo API key; undefined when the demo has none. */
function digestAnchoringKey(demo: DemoFile): string | undefined {
  return demo.tenants.find((t) => t.slug === DEMO_DIGEST_ANCHORING_TENANT)?.apiKey;
}

/** The origin of an http(s) URL; undefined when `url` is unset or no such URL. */
function publicOrigin(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
}

async function waitHealthy(name: string, url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} ${describeExit(child.exitCode, child.signalCode)} while starting`);
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

/** How a process ended, in words. */
function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** `name` padded to the launcher's log column. */
function label(name: string): string {
  return name.padEnd(9);
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
 * The whole system: in embedded mode the local chain, contracts and the demo tenants never provisioned before;
 * against a real chain (`CHAIN_RPC_URL`) only a check of the recorded deployment; then the issuer, verifier and
 * wallet as child processes. Install signal handlers calling `stop()` before `start()`,
 * so a Ctrl-C during start-up leaves nothing behind.
 *
 * Once started, it keeps them running: a local chain that dies is restarted on the same port and state file (its
 * state is saved every second, so up to a second of blocks can be lost: the issuer is then restarted too, and its
 * first anchoring pass re-anchors what the chain no longer has); a service that dies is restarted. A part that
 * dies {@link RESTART_LIMIT} times within {@link RESTART_WINDOW_MS} stops everything (see {@link Platform.failed}).
 * @param clock - measures the restart window
 */
export function createPlatform(settings: LauncherSettings, log: (line: string) => void, clock: Clock = systemClock): Platform {
  let chain: LocalChain | undefined;
  const services: Service[] = [];
  const graceMs = settings.shutdownGraceMs ?? DEFAULT_GRACE_MS;
  let stopping = false;
  let stopped: Promise<void> | undefined;
  /**
   * Restarts of one part (the chain, a service) run one after another — a chain restart also asks for an issuer
   * restart, which must not fight with a restart of a dead issuer — while different parts recover side by side.
   * `stop()` waits for them; each gives up as soon as it sees `stopping`.
   */
  const recoveries = new Map<string, Promise<void>>();
  const deaths = new Map<string, number[]>();
  let reportFailure: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (reportFailure = resolve));
  const checkNotStopped = () => {
    if (stopping) throw new Error('stopped during start-up');
  };

  const stopService = (service: Service) =>
    new Promise<void>((done) => {
      const { child } = service;
      service.stopRequested = true;
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), graceMs + KILL_MARGIN_MS).unref();
    });

  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      await Promise.all(services.map(stopService));
      await chain?.stop();
      await Promise.all(recoveries.values());
    })());

  /** Records a death of `part`; true when it is the {@link RESTART_LIMIT}th within the window. */
  const diedTooOften = (part: string): boolean => {
    const now = clock.now().getTime();
    const recent = (deaths.get(part) ?? []).filter((at) => now - at < RESTART_WINDOW_MS);
    recent.push(now);
    deaths.set(part, recent);
    return recent.length >= RESTART_LIMIT;
  };

  const giveUp = (part: string, reason: string) => {
    if (stopping) return;
    const message = `${part} failed ${RESTART_LIMIT} times within ${RESTART_WINDOW_MS / 1000} s (last: ${reason}); not restarting it again`;
    log(`${label(part)} ${message}; stopping everything`);
    void stop().then(() => reportFailure(new Error(message)));
  };

  const enqueue = (part: string, recovery: () => Promise<void>) => {
    const previous = recoveries.get(part) ?? Promise.resolve();
    recoveries.set(part, previous.then(recovery).catch((error: unknown) => log(`${label(part)} restarting it failed: ${error instanceof Error ? error.message : String(error)}`)));
  };

  const pause = () => new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS));

  const spawnService = (plan: ServicePlan): ChildProcess => {
    const child = spawn(process.execPath, ['--enable-source-maps', resolve(settings.root, plan.entry)], { cwd: settings.root, env: plan.env, stdio: ['ignore', 'pipe', 'pipe'] });
    prefixLines(plan.name, child.stdout, process.stdout);
    prefixLines(plan.name, child.stderr, process.stderr);
    return child;
  };

  const watchService = (service: Service) => {
    const { child } = service;
    child.once('exit', (code, signal) => {
      if (stopping || service.stopRequested || service.child !== child) return;
      enqueue(service.plan.name, () => recoverService(service, child, `process ${child.pid} ${describeExit(code, signal)} unexpectedly`));
    });
  };

  /** Starts a new process for `service` and waits until it is healthy; on failure, counts a death and tries again. */
  const respawn = async (service: Service): Promise<void> => {
    if (stopping) return;
    service.stopRequested = false;
    service.child = spawnService(service.plan);
    try {
      await waitHealthy(service.plan.name, service.plan.url, service.child);
    } catch (error) {
      await stopService(service);
      return recoverService(service, service.child, `restarting it failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (stopping) return;
    log(`${label(service.plan.name)} restarted (pid ${service.child.pid}), healthy at ${service.plan.url}/health`);
    watchService(service);
  };

  /** Restarts `service` after its process `died`, unless another restart has replaced that process meanwhile. */
  const recoverService = async (service: Service, died: ChildProcess, reason: string): Promise<void> => {
    await pause();
    if (stopping || service.child !== died) return;
    if (diedTooOften(service.plan.name)) return giveUp(service.plan.name, reason);
    log(`${label(service.plan.name)} ${reason}; restarting it`);
    await respawn(service);
  };

  /** Stops a healthy service and starts it again (it drains its requests first). */
  const restartService = async (name: string, why: string): Promise<void> => {
    const service = services.find((s) => s.plan.name === name);
    if (!service || stopping) return;
    log(`${label(name)} restarting it ${why}`);
    await stopService(service);
    await respawn(service);
  };

  const watchChain = (running: LocalChain, options: ReturnType<typeof embeddedChainOptions>) => {
    void running.exited.then((exit) => {
      if (stopping || exit.requested) return;
      enqueue('chain', () => recoverChain(`anvil (pid ${running.pid}) ${describeExit(exit.code, exit.signal)} unexpectedly`, options));
    });
  };

  const recoverChain = async (reason: string, options: ReturnType<typeof embeddedChainOptions>): Promise<void> => {
    chain = undefined;
    await pause();
    if (stopping) return;
    if (diedTooOften('chain')) return giveUp('chain', reason);
    log(`chain     ${reason}; restarting it on port ${options.port} from the state saved in ${options.stateFile} (the services answer 503 until it is back)`);
    let restarted: LocalChain;
    try {
      restarted = await startLocalChain(options);
    } catch (error) {
      return recoverChain(`restarting it failed: ${error instanceof Error ? error.message : String(error)}`, options);
    }
    if (stopping) return restarted.stop();
    chain = restarted;
    watchChain(restarted, options);
    log(`chain     restarted on ${restarted.rpcUrl} (anvil pid ${restarted.pid})`);
    enqueue('issuer', () => restartService('issuer', 'so that its first anchoring pass re-checks recent anchors against the restarted chain (up to its last second of blocks may be lost)'));
  };

  const start = async (): Promise<RunningPlatform> => {
    try {
      // var/ holds the databases, keys, API keys and chain state: its owner's only (tightened with a warning if it was not).
      ensurePrivateDirectory(settings.varDir, (message) => log(`warning   ${message}`));
      const mode =
        settings.chainRpcUrl !== undefined
          ? { kind: 'external' as const, rpcUrl: settings.chainRpcUrl, ...givenSecrets(settings.secretOverrides, log) }
          : { kind: 'embedded' as const, ...loadOrCreateSecrets(join(settings.varDir, 'secrets.json'), settings.secretOverrides) };
      const ports = [
        ...(mode.kind === 'external' ? [] : [['chain', settings.chainPort] as const]),
        ['issuer', settings.issuerPort] as const,
        ['verifier', settings.verifierPort] as const,
        ['wallet', settings.walletPort] as const,
        ...(mode.kind === 'external' ? [] : [['facility', settings.facilityPort ?? DEMO_FACILITY_PORT] as const]),
      ];
      for (const [name, port] of ports) {
        if (!(await portIsFree(port, settings.host))) {
          throw new Error(`port ${port} (${name}) is already in use on ${settings.host}: is CityCred already running? Stop it, or set ${name.toUpperCase()}_PORT.`);
        }
      }
      const issuerSqlite = join(settings.varDir, 'issuer.sqlite');
      let rpcUrl: string;
      let demo: DemoFile | null = null;
      const demoFile = join(settings.varDir, 'demo', 'tenants.json');
      const issuerUrl = `http://${settings.host}:${settings.issuerPort}`;
      const verifierUrl = `http://${settings.host}:${settings.verifierPort}`;
      const walletUrl = `http://${settings.host}:${settings.walletPort}`;
      const facilityUrl = mode.kind === 'external' ? null : `http://${settings.host}:${settings.facilityPort ?? DEMO_FACILITY_PORT}`;
      if (mode.kind === 'external') {
        // A real chain: check what is deployed there, send nothing, seed nothing.
        rpcUrl = mode.rpcUrl;
        const { deployment, provider } = await attachToChain(rpcUrl, settings.deploymentsDir);
        provider.destroy();
        log(`chain     ${rpcUrl} (external)`);
        log(`contracts reused: IssuerRegistry ${deployment.issuerRegistry}, CredentialAnchor ${deployment.credentialAnchor}, DID registry ${deployment.didRegistry}`);
      } else {
        checkNotStopped();
        chain = await startEmbeddedChain(settings, log, clock);
        rpcUrl = chain.rpcUrl;
        const setup = await prepareLocalChain(rpcUrl, mode.cityRootKey, settings.deploymentsDir);
        log(`chain     ${rpcUrl} (anvil, state in ${join(settings.varDir, 'chain')})`);
        checkNotStopped();
        log(`contracts ${setup.deployed ? 'deployed' : 'reused'}: IssuerRegistry ${setup.deployment.issuerRegistry}, CredentialAnchor ${setup.deployment.credentialAnchor}, DID registry ${setup.deployment.didRegistry}`);
        const previous = readDemoFile(demoFile);
        try {
          const tenants = await provisionTenants({
            database: { url: settings.databaseUrl, schema: settings.databaseSchema, sqlitePath: issuerSqlite, timeouts: settings.databaseTimeouts, onWarning: (message) => log(`warning   ${message}`) },
            keyEncryptionSecret: mode.keyEncryptionSecret,
            rpcUrl,
            didNetwork: settings.didNetwork,
            deployment: setup.deployment,
            root: setup.root,
            knownKeys: new Map((previous?.tenants ?? []).map((t) => [t.slug, t.apiKey])),
            demoOperators: { known: new Map((previous?.tenants ?? []).flatMap((t) => (t.console ? [[t.slug, t.console] as const] : []))) },
            onReport: (report) => describeProvisioning(report).forEach((line) => log(line)),
          });
          demo = { issuerUrl, verifierUrl, walletUrl, chainRpcUrl: rpcUrl, tenants: tenants.map(({ slug, name, did, apiKey, console: admin }) => ({ slug, name, did, apiKey, ...(admin ? { console: admin } : {}) })) };
        } finally {
          setup.provider.destroy();
        }
      }
      checkNotStopped();

      const inherited = Object.fromEntries(Object.entries(settings.env).filter(([name]) => !LAUNCHER_ONLY.includes(name)));
      // Embedded mode: the demo facility site's client secret, given to the verifier and the site alike.
      const oidcSecretsDir = resolve(settings.root, inherited['OIDC_CLIENT_SECRETS_DIR'] ?? join(settings.varDir, 'oidc-clients'));
      const facility = facilityUrl === null ? null : demoFacilitySecret(oidcSecretsDir, inherited['OIDC_CLIENT_SECRETS'], (message) => log(`warning   ${message}`));
      // Embedded mode: the demo official's petition administrator key (var/petition-admins/demo-official.key).
      const petitionAdmin = mode.kind === 'external' ? null : demoPetitionAdminKey(join(settings.varDir, 'petition-admins'), inherited['PETITION_ADMIN_KEYS'], (message) => log(`warning   ${message}`));
      const common = {
        ...inherited,
        HOST: settings.host,
        CHAIN_RPC_URL: rpcUrl,
        DEPLOYMENTS_DIR: settings.deploymentsDir,
        DID_ETHR_NETWORK: settings.didNetwork,
      };
      const plan: ServicePlan[] = [
        {
          name: 'issuer',
          url: issuerUrl,
          entry: 'apps/issuer/dist/main.js',
          env: {
            // Links the issuer hands out (status lists, schemas, OpenID4VCI, certificate QR codes) point at the services as
            // started here, unless the operator named public addresses.
            ISSUER_PUBLIC_URL: issuerUrl,
            CERTIFICATE_CHECK_URL: `${verifierUrl}/check`,
            // The embedded demo shows a revocation within half a minute (production default: 300 s), and its city
            // administrators are seoul-citizen's admins (an operator may name another tenant).
            ...(mode.kind === 'external' ? {} : { STATUS_LIST_MAX_AGE_SECONDS: '30', CITY_ADMIN_TENANT: DEMO_CITY_ADMIN_TENANT }),
            // The demo citizens page opens the wallet started here.
            WALLET_URL: inherited['WALLET_URL'] ?? walletUrl,
            ...common,
            // Embedded mode only: the demo citizens page (/demo/citizens). No demo route exists against a real chain,
            // whatever the operator's environment says.
            DEMO_CITIZENS_FILE: mode.kind === 'external' ? undefined : resolve(settings.root, DEMO_CITIZENS_FILE),
            ISSUER_PORT: String(settings.issuerPort),
            SQLITE_PATH: issuerSqlite,
            KEY_ENCRYPTION_SECRET: mode.keyEncryptionSecret,
            // Embedded mode only: the admin API signs what the city root decides with the local chain's root key and
            // funds the tenants it creates from its play money. Against a real chain the root key stays off this host.
            ...(mode.kind === 'external' ? {} : { CITY_ROOT_KEY: mode.cityRootKey, FUND_NEW_TENANTS: 'true' }),
            ...(settings.anchorIntervalMs ? { ANCHOR_BATCH_INTERVAL_MS: settings.anchorIntervalMs } : {}),
          },
        },
        {
          name: 'verifier',
          url: verifierUrl,
          entry: 'apps/verifier/dist/main.js',
          env: {
            // The application pages (/apply/…) link into the wallet started here and have the issuer started here offer
            // eligibility credentials; in embedded mode with the demo tenants' keys (var/demo/tenants.json).
            WALLET_URL: inherited['WALLET_URL'] ?? walletUrl,
            PROGRAM_ISSUER_URL: inherited['PROGRAM_ISSUER_URL'] ?? issuerUrl,
            ...(demo ? { PROGRAM_ISSUER_API_KEYS: programIssuerKeys(demo) } : {}),
            // Receipt hashes and petition tallies are anchored by the city tenant of the issuer started here (ADR 0015).
            ANCHOR_DIGEST_URL: inherited['ANCHOR_DIGEST_URL'] ?? issuerUrl,
            ...(demo && digestAnchoringKey(demo) ? { ANCHOR_DIGEST_API_KEY: digestAnchoringKey(demo)! } : {}),
            ...common,
            VERIFIER_PORT: String(settings.verifierPort),
            SQLITE_PATH: join(settings.varDir, 'verifier.sqlite'),
            ANCHOR_PROOF_URL: issuerUrl,
            // Embedded mode: the demo facility site's secret (the operator's entries kept), its file under VAR_DIR.
            ...(facility ? { OIDC_CLIENT_SECRETS: facility.verifierSecrets, OIDC_CLIENT_SECRETS_DIR: oidcSecretsDir } : {}),
            // Embedded mode: the demo official's petition key (the operator's entries kept), its file under VAR_DIR.
            ...(petitionAdmin ? { PETITION_ADMIN_KEYS: petitionAdmin.verifierKeys } : {}),
            // The verifier fetches the status lists of the issuer started here wherever the operator's ISSUER_PUBLIC_URL
            // puts them (e.g. a LAN address a phone wallet reaches), as it would not an unknown internal address.
            VERIFIER_FETCH_ALLOWED_ORIGINS: [inherited['VERIFIER_FETCH_ALLOWED_ORIGINS'], publicOrigin(inherited['ISSUER_PUBLIC_URL'])].filter((origin) => origin).join(','),
          },
        },
        {
          name: 'wallet',
          url: walletUrl,
          entry: 'apps/wallet/dist/main.js',
          env: {
            ...common,
            WALLET_PORT: String(settings.walletPort),
            // The app calls the issuer (at its public address too, which its offers name) and the verifier started here.
            WALLET_CONNECT_ORIGINS: [inherited['WALLET_CONNECT_ORIGINS'], new URL(issuerUrl).origin, publicOrigin(inherited['ISSUER_PUBLIC_URL']), new URL(verifierUrl).origin]
              .filter((origin) => origin)
              .join(','),
            WALLET_SCANNER_URL: inherited['WALLET_SCANNER_URL'] ?? verifierUrl,
            // Offers name the issuer's public URL, so its directory is read there.
            WALLET_CITY_ISSUER_URL: inherited['WALLET_CITY_ISSUER_URL'] ?? inherited['ISSUER_PUBLIC_URL'] ?? issuerUrl,
          },
        },
        // Embedded mode: the demo facility site, a relying party of the verifier's OpenID Provider (docs/oidc-provider.md).
        ...(facilityUrl !== null && facility !== null
          ? [
              {
                name: 'facility',
                url: facilityUrl,
                entry: 'apps/facility-demo/dist/main.js',
                env: {
                  ...common,
                  FACILITY_PORT: String(settings.facilityPort ?? DEMO_FACILITY_PORT),
                  FACILITY_PUBLIC_URL: inherited['FACILITY_PUBLIC_URL'] ?? facilityUrl,
                  FACILITY_OIDC_ISSUER: `${inherited['VERIFIER_PUBLIC_URL']?.replace(/\/$/, '') ?? verifierUrl}/oidc`,
                  FACILITY_OIDC_CLIENT_SECRET: facility.secret,
                },
              },
            ]
          : []),
      ];
      for (const item of plan) {
        checkNotStopped();
        const service: Service = { plan: item, child: spawnService(item), stopRequested: false };
        services.push(service);
        await waitHealthy(item.name, item.url, service.child);
      }

      if (demo) writeDemoFile(demoFile, demo);
      checkNotStopped();
      // Embedded mode: the demo petition, opened at the first start (a failure is a warning: the rest runs).
      let petitions: RunningPlatform['petitions'] = null;
      if (petitionAdmin) {
        let demoPetition: DemoPetition | null = null;
        try {
          demoPetition = await seedDemoPetition(verifierUrl, petitionAdmin.key, clock.now());
        } catch (error) {
          log(`warning   the demo petition could not be opened: ${error instanceof Error ? error.message : String(error)}`);
        }
        petitions = { keyFile: petitionAdmin.file, apiUrl: `${verifierUrl}/petitions`, demo: demoPetition };
      }
      checkNotStopped();
      for (const s of services) watchService(s);
      if (chain) watchChain(chain, embeddedChainOptions(settings));
      return { issuerUrl, verifierUrl, walletUrl, facilityUrl, chainRpcUrl: rpcUrl, demo, demoFile: demo ? demoFile : null, petitions };
    } catch (error) {
      await stop();
      throw error;
    }
  };

  return { start, stop, failed };
}
