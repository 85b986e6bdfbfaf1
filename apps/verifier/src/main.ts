import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { loadVerifierConfig } from './config.js';
import { startVerifier } from './server.js';

const config = loadVerifierConfig(process.env);
const server = await startVerifier(config, systemClock);
console.log(`verifier listening on ${server.url}`);

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
