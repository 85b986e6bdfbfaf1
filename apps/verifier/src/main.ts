import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { closeOnSignals } from '@citycred/http';
import { loadVerifierConfig } from './config.js';
import { startVerifier } from './server.js';

try {
  const config = loadVerifierConfig(process.env);
  const server = await startVerifier(config, systemClock);
  console.log(`verifier listening on ${server.url}`);
  closeOnSignals(server, { graceMs: config.SHUTDOWN_GRACE_MS });
} catch (error) {
  console.error(`verifier could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
