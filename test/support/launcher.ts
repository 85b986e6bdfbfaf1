import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:net';
import { testDatabase, type TestDatabase } from '@citycred/testing';

/** The repository root and the built entry point of `npm start`. */
export const repo = resolve(import.meta.dirname, '../..');
export const platformEntry = join(repo, 'apps/platform/dist/main.js');

/** A place of its own for the platform CLI of one test: a var/ directory, deployment records, a database and ports. */
export interface CliSandbox {
  /** `VAR_DIR`: secrets, chain state, the demo file and, on SQLite, the services' database files. */
  varDir: string;
  /** `DEPLOYMENTS_DIR`. */
  deploymentsDir: string;
  /** The test database: its PostgreSQL schema is the CLI's; on SQLite the CLI keeps its files in `varDir` instead. */
  db: TestDatabase;
  /** The environment to give {@link launchCli} and {@link runCli}. */
  env: Record<string, string>;
  /** Drops the database and removes both directories. */
  remove(): Promise<void>;
}

/**
 * Prepares a run of the platform CLI as `npm start` does it on a fresh machine: new temporary `VAR_DIR` and
 * `DEPLOYMENTS_DIR`, a new test database, and free ports for the chain (unless `chainRpcUrl` names an existing
 * chain), issuer, verifier, wallet and demo facility site. `SQLITE_PATH` is left out so that on SQLite `start` and `keys` use
 * `VAR_DIR/issuer.sqlite`, as they do by default. Without `chainRpcUrl`, `CHAIN_RPC_URL` is also removed from this
 * process's environment (which the CLI inherits) so that the CLI starts its own chain.
 * @param label - names the database (one per test file or test)
 * @param options.chainRpcUrl - an existing chain for the CLI to use (`CHAIN_RPC_URL`) instead of its own
 * @param options.env - added to the environment last (e.g. `ANCHOR_BATCH_INTERVAL_MS`)
 * @throws Error when the platform CLI has not been built
 */
export async function createCliSandbox(label: string, options: { chainRpcUrl?: string; env?: Record<string, string> } = {}): Promise<CliSandbox> {
  if (!existsSync(platformEntry)) throw new Error(`${platformEntry} is missing: run "npm run build" first (npm test does it in pretest)`);
  const varDir = mkdtempSync(join(tmpdir(), 'citycred-var-'));
  const deploymentsDir = mkdtempSync(join(tmpdir(), 'citycred-deployments-'));
  const db = testDatabase(label);
  const { SQLITE_PATH: _cliDefault, ...dbEnv } = db.env;
  const [chainPort, issuerPort, verifierPort, walletPort, facilityPort] = await distinctFreePorts(5);
  const chain: Record<string, string> = options.chainRpcUrl ? { CHAIN_RPC_URL: options.chainRpcUrl } : { CHAIN_PORT: String(chainPort) };
  if (!options.chainRpcUrl) delete process.env['CHAIN_RPC_URL'];
  const env = {
    ...dbEnv,
    VAR_DIR: varDir,
    DEPLOYMENTS_DIR: deploymentsDir,
    ...chain,
    ISSUER_PORT: String(issuerPort),
    VERIFIER_PORT: String(verifierPort),
    WALLET_PORT: String(walletPort),
    FACILITY_PORT: String(facilityPort),
    ...options.env,
  };
  return {
    varDir,
    deploymentsDir,
    db,
    env,
    async remove() {
      await db.drop();
      rmSync(varDir, { recursive: true, force: true });
      rmSync(deploymentsDir, { recursive: true, force: true });
    },
  };
}

/** A launched platform CLI process and everything it printed so far. */
export interface Launched {
  child: ChildProcess;
  output: string[];
}

/**
 * Runs the platform CLI (`start` by default) as a user would, and resolves once `until` appears in its output.
 * @throws Error with the output when it exits first or does not print `until` within 60 s
 */
export async function launchCli(env: Record<string, string>, options: { args?: string[]; until?: string; ownProcessGroup?: boolean } = {}): Promise<Launched> {
  const until = options.until ?? 'Press Ctrl-C to stop.';
  // In its own process group it can be signalled as a terminal's Ctrl-C does: every process of the group at once.
  const child = spawn(process.execPath, [platformEntry, ...(options.args ?? ['start'])], {
    cwd: repo,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const output: string[] = [];
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`"${until}" not printed within 60 s:\n${output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes(until)) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before printing "${until}":\n${output.join('')}`));
    });
  });
  return { child, output };
}

/** Runs the platform CLI to completion and returns its exit code and output. */
export async function runCli(env: Record<string, string>, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [platformEntry, ...args], { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  return { code, output };
}

/**
 * Sends `signal` to the launched CLI — to it alone, or with `group` to its whole process group like a terminal's
 * Ctrl-C (it must have been launched with `ownProcessGroup`) — and resolves with its exit code.
 */
export async function signalCli(launched: Launched, signal: NodeJS.Signals = 'SIGINT', group = false): Promise<number | null> {
  launched.child.removeAllListeners('exit');
  if (launched.child.exitCode !== null) return launched.child.exitCode;
  const exited = new Promise<number | null>((done) => launched.child.once('exit', (code) => done(code)));
  if (group) process.kill(-launched.child.pid!, signal);
  else launched.child.kill(signal);
  return exited;
}

/**
 * `count` ports that were free a moment ago, all different: each is held open until all are chosen (asking for free
 * ports one after another can return the same port twice, since a closed port is free again at once).
 */
export async function distinctFreePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = createServer();
      servers.push(server);
      ports.push(
        await new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            if (typeof address === 'object' && address) resolve(address.port);
            else reject(new Error('no port'));
          });
        }),
      );
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
  }
}
