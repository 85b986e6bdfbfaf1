import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { closeOnSignals } from '@citycred/http';
import { loadIssuerConfig } from './config.js';
import { startIssuer } from './server.js';

try {
  const config = loadIssuerConfig(process.env);
  const server = await startIssuer(config, systemClock);
  console.log(`issuer listening on ${server.url}`);
  closeOnSignals(server, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`issuer could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
