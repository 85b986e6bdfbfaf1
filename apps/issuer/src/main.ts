import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { closeOnSignals } from '@citycred/http';
import { loadIssuerConfig } from './config.js';
import { startIssuer } from './server.js';

try {
  const server = await startIssuer(loadIssuerConfig(process.env), systemClock);
  console.log(`issuer listening on ${server.url}`);
  closeOnSignals(server);
} catch (error) {
  console.error(`issuer could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
