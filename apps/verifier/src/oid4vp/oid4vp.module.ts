import type { AddressInfo } from 'node:net';
import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { VerifierRuntime } from '../runtime.js';
import { OID4VP_EVENT_STREAM, OID4VP_PUBLIC_URL, Oid4vpController, type EventStreamSettings } from './oid4vp.controller.js';
import { Oid4vpService } from './oid4vp.service.js';

/** The state stream reads the database twice a second, for at most ten minutes (longer than any request lives). */
const EVENT_STREAM: EventStreamSettings = Object.freeze({ pollMs: 500, maxMs: 10 * 60_000 });

/**
 * OpenID4VP 1.0 (docs/oid4vp.md): `POST /presentation-requests`, the request object and `direct_post` response
 * endpoints wallets use, and the request's state (`GET`, server-sent events).
 */
@Module({})
export class Oid4vpModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'oid4vp'>): DynamicModule {
    const configured = runtime.config.VERIFIER_PUBLIC_URL?.replace(/\/+$/, '');
    return {
      module: Oid4vpModule,
      controllers: [Oid4vpController],
      providers: [
        { provide: Oid4vpService, useValue: runtime.oid4vp },
        { provide: OID4VP_EVENT_STREAM, useValue: EVENT_STREAM },
        {
          provide: OID4VP_PUBLIC_URL,
          inject: [HttpAdapterHost],
          // Without VERIFIER_PUBLIC_URL: the address this process listens on (with port 0, known only once listening).
          useFactory: (host: HttpAdapterHost) => () => configured ?? listeningOrigin(host, runtime.config.HOST, runtime.config.VERIFIER_PORT),
        },
      ],
    };
  }
}

function listeningOrigin(host: HttpAdapterHost, configuredHost: string, configuredPort: number): string {
  const address = host.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
  const port = address !== null && typeof address === 'object' ? address.port : configuredPort;
  const name = configuredHost === '0.0.0.0' || configuredHost === '::' ? '127.0.0.1' : configuredHost.includes(':') ? `[${configuredHost}]` : configuredHost;
  return `http://${name}:${port}`;
}
