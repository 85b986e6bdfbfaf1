import 'reflect-metadata';
import { systemClock } from '@citycred/config';
import { loadIssuerConfig } from './config.js';
import { startIssuer } from './server.js';

const config = loadIssuerConfig(process.env);
const server = await startIssuer(config, systemClock);
console.log(`issuer listening on ${server.url}`);

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
