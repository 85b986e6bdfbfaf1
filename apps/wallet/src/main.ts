import { env, loadConfig } from '@citycred/config';
import { z } from 'zod';
import { startWallet } from './server.js';

try {
  const config = loadConfig(z.object({ WALLET_PORT: env.port(3003), HOST: z.string().default('127.0.0.1') }), process.env);
  const { server, url } = await startWallet(config.WALLET_PORT, config.HOST);
  console.log(`wallet listening on ${url}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void server.close().then(() => process.exit(0)));
  }
} catch (error) {
  console.error(`wallet could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
