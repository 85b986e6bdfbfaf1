import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { closeOnSignals } from '@citycred/http';
import { loadVerifierConfig } from './config.js';
import { startVerifier } from './server.js';

try {
  const server = await startVerifier(loadVerifierConfig(process.env), systemClock);
  console.log(`verifier listening on ${server.url}`);
  closeOnSignals(server);
} catch (error) {
  console.error(`verifier could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
