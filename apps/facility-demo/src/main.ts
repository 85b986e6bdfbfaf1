import { loadConfig } from '@citycred/config';
import { closeOnSignals, drainable } from '@citycred/http';
import { facilityDemoEnv } from './config.js';
import { startFacilityDemo } from './server.js';

try {
  const config = loadConfig(facilityDemoEnv, process.env);
  const { server, edge, url } = await startFacilityDemo(
    config.FACILITY_PORT,
    config.HOST,
    {
      publicUrl: config.FACILITY_PUBLIC_URL ?? `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.FACILITY_PORT}`,
      relyingParty: {
        issuer: config.FACILITY_OIDC_ISSUER,
        clientId: config.FACILITY_OIDC_CLIENT_ID,
        clientSecret: config.FACILITY_OIDC_CLIENT_SECRET,
        scope: config.FACILITY_OIDC_SCOPE,
      },
    },
    {
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: config.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerClient: config.HTTP_MAX_CONNECTIONS_PER_CLIENT,
      shutdownQuietMs: config.SHUTDOWN_QUIET_MS,
      shutdownListenMaxMs: Math.floor(config.SHUTDOWN_GRACE_MS / 2),
    },
  );
  console.log(`facility demo listening on ${url}`);
  const http = drainable(edge, async () => {
    await server.close();
  });
  closeOnSignals(http, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`facility demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
