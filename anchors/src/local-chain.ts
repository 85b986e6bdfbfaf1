import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Options for {@link startLocalChain}. */
export interface LocalChainOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Chain id of the local chain. Default 31337. */
  chainId?: number;
  /** File where the chain's state is loaded from and dumped to, so a restart keeps DIDs and anchors. */
  stateFile?: string;
  /** Seconds between periodic state dumps (only with `stateFile`). Default 5. */
  stateIntervalSeconds?: number;
  /** Interval mining in seconds; omitted means a block per transaction (auto-mine). */
  blockTimeSeconds?: number;
  /** Where anvil's output goes; default nowhere. */
  onOutput?: (line: string) => void;
}

/** How a local chain's anvil process ended. */
export interface LocalChainExit {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  /** The signal that ended it, if any. */
  signal: NodeJS.Signals | null;
  /** Whether {@link LocalChain.stop} asked it to stop; otherwise it died on its own (or someone else killed it). */
  requested: boolean;
}

/** A running local chain. */
export interface LocalChain {
  /** JSON-RPC URL, e.g. `http://127.0.0.1:8545`. */
  rpcUrl: string;
  port: number;
  chainId: number;
  /** Process id of anvil. */
  pid: number;
  /** Settles once anvil has exited, for whatever reason. */
  exited: Promise<LocalChainExit>;
  /** Stops anvil (SIGINT, so a state file is dumped) and resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Path of the anvil binary shipped inside the `@foundry-rs/anvil-<platform>` npm package
 * (installed with `npm ci`, nothing downloaded at run time).
 * @throws Error when no binary exists for this platform.
 */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  const manifest = require.resolve(`${pkg}/package.json`);
  return join(dirname(manifest), 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
}

/** Finds a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Whether nothing listens on `port` at `host` (checked by binding it for a moment).
 */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * Spawns anvil on 127.0.0.1 and resolves once it answers JSON-RPC.
 * @throws Error when the port is taken, or anvil exits before it is ready or does not answer within 15 s.
 */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const port = options.port && options.port > 0 ? options.port : await freePort();
  // Without this check a chain already listening on the port would answer the readiness probe below.
  if (!(await portIsFree(port))) throw new Error(`port ${port} is already in use: is another chain (or CityCred) running?`);
  const chainId = options.chainId ?? 31337;
  const args = ['--host', '127.0.0.1', '--port', String(port), '--chain-id', String(chainId), '--hardfork', 'shanghai'];
  if (options.stateFile) {
    mkdirSync(dirname(options.stateFile), { recursive: true });
    args.push('--state', options.stateFile, '--state-interval', String(options.stateIntervalSeconds ?? 5));
    args.push('--preserve-historical-states');
  }
  if (options.blockTimeSeconds) args.push('--block-time', String(options.blockTimeSeconds));
  const child: ChildProcess = spawn(anvilBinaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      output.push(line);
      if (output.length > 50) output.shift();
      options.onOutput?.(line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  // anvil outlives a parent that crashes or exits without stop(), holding its port; SIGINT still
  // lets it dump its state file.
  const stopWithParent = () => child.kill('SIGINT');
  process.once('exit', stopWithParent);
  let requested = false;
  const exited = new Promise<LocalChainExit>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', stopWithParent);
      resolve({ code, signal, requested });
    }),
  );
  let alive = true;
  void exited.then(() => (alive = false));

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (!alive) throw new Error(`anvil exited before it was ready:\n${output.join('\n')}`);
    try {
      const res = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`anvil did not answer on ${rpcUrl} within 15 s:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    rpcUrl,
    port,
    chainId,
    pid: child.pid!,
    exited,
    async stop() {
      if (!alive) return;
      requested = true;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
