import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { shutdownSignalOf } from '@citycred/http';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { OID4VP_EVENT_STREAM, OID4VP_PUBLIC_URL, OID4VP_SHUTDOWN, Oid4vpController, type EventStreamSettings } from './oid4vp.controller.js';
import { Oid4vpService } from './oid4vp.service.js';

/** The state stream reads the database twice a second, for at most ten minutes (longer than any request lives). */
const EVENT_STREAM: EventStreamSettings = Object.freeze({ pollMs: 500, maxMs: 10 * 60_000 });

/**
 * OpenID4VP 1.0 (docs/oid4vp.md): `POST /presentation-requests`, the request object and response endpoints wallets
 * use (`direct_post`, `direct_post.jwt`) under each request's wallet handle, and the request's state by its id (`GET`,
 * server-sent events that end when the service starts shutting down).
 */
@Module({})
export class Oid4vpModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'oid4vp'>): DynamicModule {
    return {
      module: Oid4vpModule,
      controllers: [Oid4vpController],
      providers: [
        { provide: Oid4vpService, useValue: runtime.oid4vp },
        { provide: OID4VP_EVENT_STREAM, useValue: EVENT_STREAM },
        { provide: OID4VP_SHUTDOWN, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => shutdownSignalOf(host.httpAdapter) },
        {
          provide: OID4VP_PUBLIC_URL,
          inject: [HttpAdapterHost],
          useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host),
        },
      ],
    };
  }
}
