import { env, loadConfig, platformEnv } from '@citycred/config';
import { closeOnSignals, drainable } from '@citycred/http';
import { startWallet } from './server.js';

try {
  const config = loadConfig(platformEnv.pick({ HOST: true, SHUTDOWN_GRACE_MS: true }).extend({ WALLET_PORT: env.port(3003) }), process.env);
  const { server, url } = await startWallet(config.WALLET_PORT, config.HOST);
  console.log(`wallet listening on ${url}`);
  // Attached as soon as the server listens (startWallet starts it): the placeholder serves nothing slow.
  const http = drainable(server.server, async () => {
    await server.close();
  });
  closeOnSignals(http, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`wallet could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
