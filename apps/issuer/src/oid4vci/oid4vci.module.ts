import { Inject, Logger, Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RepeatingTask, type Clock } from '@citycred/config';
import type { AuditLog } from '@citycred/tenancy';
import type { DataSource } from 'typeorm';
import { OID4VCI_ISSUANCE, type Oid4vciIssuance } from './issuance-port.js';
import { Oid4vciBulkOffers } from './oid4vci-bulk-offers.js';
import { Oid4vciOffersController } from './oid4vci-offers.controller.js';
import { Oid4vciProtocolController, Oid4vciWellKnownController } from './oid4vci-protocol.controller.js';
import { Oid4vciStore } from './oid4vci-store.js';
import { ACCESS_TOKEN_TTL_SECONDS, Oid4vciService, type Oid4vciSettings } from './oid4vci.service.js';

/** How often expired offers, tokens, nonces and job reports are deleted. */
const CLEANUP_INTERVAL_MS = 60_000;

const CLEANUP = Symbol.for('citycred.issuer.oid4vci.cleanup');

/** What the OpenID4VCI module is built from. */
export interface Oid4vciModuleOptions {
  dataSource: DataSource;
  clock: Clock;
  settings: Oid4vciSettings;
  /** Where the issuance command comes from: a module exporting it, and its token (the issuer's `IssuanceService`). */
  issuance: { imports: NonNullable<ModuleMetadata['imports']>; token: InjectionToken };
  /** The audit log offers enter. */
  audit?: Pick<AuditLog, 'append'>;
}

/**
 * OpenID4VCI 1.0: every tenant a credential issuer (pre-authorized code flow), offers made with the tenant's API key.
 * Expired rows are deleted every minute while the application runs.
 */
@Module({})
export class Oid4vciModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(CLEANUP) private readonly cleanup: RepeatingTask) {}

  static register(options: Oid4vciModuleOptions): DynamicModule {
    const store = new Oid4vciStore(options.dataSource, options.clock);
    const logger = new Logger('Oid4vci');
    return {
      module: Oid4vciModule,
      imports: options.issuance.imports,
      controllers: [Oid4vciOffersController, Oid4vciWellKnownController, Oid4vciProtocolController],
      providers: [
        { provide: Oid4vciStore, useValue: store },
        { provide: OID4VCI_ISSUANCE, useExisting: options.issuance.token },
        {
          provide: Oid4vciService,
          inject: [OID4VCI_ISSUANCE],
          useFactory: (issuance: Oid4vciIssuance) => new Oid4vciService(store, issuance, options.clock, options.settings, options.audit ?? null),
        },
        { provide: Oid4vciBulkOffers, inject: [Oid4vciService], useFactory: (service: Oid4vciService) => new Oid4vciBulkOffers(service, store, options.clock) },
        {
          provide: CLEANUP,
          useFactory: () =>
            new RepeatingTask(
              () => store.deleteExpired(ACCESS_TOKEN_TTL_SECONDS * 1000),
              CLEANUP_INTERVAL_MS,
              (error) => logger.warn(`cleanup of expired OpenID4VCI rows failed: ${error instanceof Error ? error.message : String(error)}`),
            ),
        },
      ],
      exports: [Oid4vciService, Oid4vciBulkOffers],
    };
  }

  onApplicationBootstrap(): void {
    this.cleanup.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cleanup.stop();
  }
}
