import { env, loadConfig, platformEnv } from '@citycred/config';
import { closeOnSignals, drainable } from '@citycred/http';
import { startWallet } from './server.js';

try {
  const config = loadConfig(
    platformEnv
      .pick({
        HOST: true,
        SHUTDOWN_GRACE_MS: true,
        SHUTDOWN_QUIET_MS: true,
        HTTP_REQUEST_TIMEOUT_MS: true,
        HTTP_HEADERS_TIMEOUT_MS: true,
        HTTP_KEEP_ALIVE_TIMEOUT_MS: true,
        HTTP_MAX_CONNECTIONS: true,
        HTTP_MAX_CONNECTIONS_PER_CLIENT: true,
      })
      .extend({ WALLET_PORT: env.port(3003) }),
    process.env,
  );
  const { server, edge, url } = await startWallet(config.WALLET_PORT, config.HOST, {
    requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    maxConnectionsPerClient: config.HTTP_MAX_CONNECTIONS_PER_CLIENT,
    shutdownQuietMs: config.SHUTDOWN_QUIET_MS,
    shutdownListenMaxMs: Math.floor(config.SHUTDOWN_GRACE_MS / 2),
  });
  console.log(`wallet listening on ${url}`);
  const http = drainable(edge, async () => {
    await server.close();
  });
  closeOnSignals(http, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`wallet could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
