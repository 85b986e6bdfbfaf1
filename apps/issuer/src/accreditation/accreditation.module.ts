import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IssuerRuntime } from '../runtime.js';
import { TenantAccreditations } from './tenant-accreditations.js';

/**
 * The tenants' accreditation cache of an issuer runtime, set from `ACCREDITATION_REFRESH_MS` and
 * `ACCREDITATION_MAX_STALENESS_MS`. Not read yet: {@link AccreditationModule} reads it at start.
 */
export function tenantAccreditationsFor(runtime: IssuerRuntime): TenantAccreditations {
  return new TenantAccreditations(runtime.chain, runtime.tenants, runtime.clock, {
    refreshMs: runtime.config.ACCREDITATION_REFRESH_MS,
    maxStalenessMs: runtime.config.ACCREDITATION_MAX_STALENESS_MS,
  });
}

/**
 * The tenants' accreditation on the city chain, shared by issuance (refuses types not accredited now) and
 * anchoring (sets aside batches the chain would refuse). Reads every tenant once at start — a chain that does not
 * answer then does not stop the service; issuing answers 503 until it does — and polls the registry's events after.
 */
@Module({})
export class AccreditationModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Accreditation');

  constructor(@Inject(TenantAccreditations) private readonly accreditations: TenantAccreditations) {}

  /** @param accreditations - the cache, also handed to the modules that use it */
  static register(accreditations: TenantAccreditations): DynamicModule {
    return {
      module: AccreditationModule,
      providers: [{ provide: TenantAccreditations, useValue: accreditations }],
      exports: [TenantAccreditations],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.accreditations.refresh();
    } catch (error) {
      this.logger.warn(`could not read the tenants' accreditation at start (issuing answers 503 until it can): ${error instanceof Error ? error.message : String(error)}`);
    }
    this.accreditations.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.accreditations.stop();
  }
}
