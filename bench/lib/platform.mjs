// Starts the whole platform as `npm start` does (built dist, its own anvil, demo tenants), in a sandbox of its own,
// for the HTTP benchmarks: a child process, so the services and the load generator do not share one event loop.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../..');
const entry = join(repo, 'apps/platform/dist/main.js');

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} options
 * @param {string} [options.databaseUrl] - PostgreSQL URL; SQLite (files in the sandbox) when absent
 * @param {Record<string, string>} [options.env] - added to the services' environment
 * @returns {Promise<{issuerUrl: string, verifierUrl: string, chainRpcUrl: string, deploymentsDir: string, tenants: Array<{slug: string, did: string, apiKey: string}>, output(chars?: number): string, stop(): Promise<void>}>}
 */
export async function startPlatform({ databaseUrl, env = {} } = {}) {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const varDir = mkdtempSync(join(tmpdir(), 'citycred-bench-var-'));
  const deploymentsDir = mkdtempSync(join(tmpdir(), 'citycred-bench-deployments-'));
  const ports = { CHAIN_PORT: await freePort(), ISSUER_PORT: await freePort(), VERIFIER_PORT: await freePort(), WALLET_PORT: await freePort() };
  const schema = `bench_${process.pid}_${Date.now()}`;
  const childEnv = { ...process.env };
  for (const name of ['CHAIN_RPC_URL', 'DATABASE_URL', 'DATABASE_SCHEMA', 'SQLITE_PATH']) delete childEnv[name];
  Object.assign(childEnv, Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), {
    VAR_DIR: varDir,
    DEPLOYMENTS_DIR: deploymentsDir,
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
    ...env,
  });
  const child = spawn(process.execPath, [entry, 'start'], { cwd: repo, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const demoFile = join(varDir, 'demo', 'tenants.json');
  const issuerUrl = `http://127.0.0.1:${ports.ISSUER_PORT}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the platform exited ${child.exitCode}:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`the platform did not start in 180 s:\n${output.slice(-4000)}`);
    if (existsSync(demoFile)) {
      const ok = await fetch(`${issuerUrl}/health`).then((r) => r.ok, () => false);
      if (ok) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
  return {
    issuerUrl,
    verifierUrl: `http://127.0.0.1:${ports.VERIFIER_PORT}`,
    chainRpcUrl: demo.chainRpcUrl,
    deploymentsDir,
    tenants: demo.tenants,
    /** What the platform printed so far (its last `chars` characters): for a benchmark's diagnostics. */
    output: (chars = 4000) => output.slice(-chars),
    async stop() {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      if (databaseUrl) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
      rmSync(varDir, { recursive: true, force: true });
      rmSync(deploymentsDir, { recursive: true, force: true });
    },
  };
}
