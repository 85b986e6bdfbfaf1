// The bare-framework baseline of the HTTP benchmarks: a Fastify server (the framework our services run on, without
// NestJS, validation or any work) whose one route parses a JSON body and sends it back. Run as its own process, as
// the services are, on loopback; it prints {"port": n} once listening. Not a test helper: benchmarks only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';

/**
 * Starts the echo server in a child process.
 * @returns {Promise<{url: string, path: string, stop(): Promise<void>}>}
 */
export async function startEchoServer() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line).port);
    });
    child.once('exit', (code) => reject(new Error(`the echo server exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    path: '/echo',
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (process.argv[2] === '--serve') {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.post('/echo', async (request) => request.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ port: app.server.address().port }));
  process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
}
