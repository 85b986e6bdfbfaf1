import { readFileSync } from 'node:fs';
import { env, loadConfig, platformEnv } from '@citycred/config';
import { parseMinimumWageTable, type MinimumWageTable } from '@citycred/labor';
import { z } from 'zod';
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
      .extend({
        WALLET_PORT: env.port(3003),
        // The issuers and verifiers the app may call (its CSP's connect-src): by default those `npm start` runs.
        WALLET_CONNECT_ORIGINS: z
          .string()
          .default('http://127.0.0.1:3001,http://127.0.0.1:3002')
          .transform((value, context): string[] => {
            const origins = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '').map(originOf);
            if (origins.every((origin): origin is string => origin !== undefined)) return [...new Set(origins)];
            context.addIssue({ code: 'custom', message: 'must be a comma-separated list of http or https origins (scheme, host and optional port; no path)' });
            return z.NEVER;
          }),
        // The verifier whose employer scanner "Show QR" codes are for.
        WALLET_SCANNER_URL: env.url('http://127.0.0.1:3002'),
        // The city's issuer service: its directory (GET /issuers) tells the app which offers come from a city issuer.
        WALLET_CITY_ISSUER_URL: env.url('http://127.0.0.1:3001'),
        // The labour rules' file (relative to the working directory): its minimum wage table goes to the app, which
        // checks a contract's wage itself before the worker signs (docs/wallet.md, "Labour contracts").
        WALLET_LABOR_FILE: z
          .string()
          .default('config/labor.json')
          .transform((path, context): MinimumWageTable => {
            try {
              return parseMinimumWageTable((JSON.parse(readFileSync(path, 'utf8')) as { minimumWageKrw?: unknown }).minimumWageKrw);
            } catch (error) {
              context.addIssue({ code: 'custom', message: `${path} cannot be read as the labour rules (${error instanceof Error ? error.message : String(error)})` });
              return z.NEVER;
            }
          }),
      }),
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
  }, undefined, { connectOrigins: config.WALLET_CONNECT_ORIGINS, scannerUrl: config.WALLET_SCANNER_URL.replace(/\/$/, ''), cityIssuerUrl: config.WALLET_CITY_ISSUER_URL.replace(/\/$/, ''), minimumWageKrw: config.WALLET_LABOR_FILE });
  console.log(`wallet listening on ${url}`);
  const http = drainable(edge, async () => {
    await server.close();
  });
  closeOnSignals(http, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`wallet could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** The origin of an http(s) URL that is only an origin (a trailing slash allowed), else undefined. */
function originOf(text: string): string | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash || url.pathname !== '/') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}
