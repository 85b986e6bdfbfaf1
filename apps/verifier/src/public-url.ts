import type { AddressInfo } from 'node:net';
import type { HttpAdapterHost } from '@nestjs/core';
import type { VerifierConfig } from './config.js';

/**
 * The verifier's public URL without a trailing slash: `VERIFIER_PUBLIC_URL`, or, when it is unset, the address this
 * process listens on (with port 0, known only once listening; a wildcard host is named 127.0.0.1).
 * @param host - the HTTP adapter, to read the listening address from
 */
export function verifierPublicUrl(config: Pick<VerifierConfig, 'VERIFIER_PUBLIC_URL' | 'HOST' | 'VERIFIER_PORT'>, host: HttpAdapterHost): string {
  const configured = config.VERIFIER_PUBLIC_URL?.replace(/\/+$/, '');
  if (configured !== undefined) return configured;
  const address = host.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
  const port = address !== null && typeof address === 'object' ? address.port : config.VERIFIER_PORT;
  const name = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return `http://${name}:${port}`;
}
