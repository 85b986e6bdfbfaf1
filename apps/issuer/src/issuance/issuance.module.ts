import { Module, type DynamicModule } from '@nestjs/common';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import type { IssuerRuntime } from '../runtime.js';
import { IssuanceController } from './issuance.controller.js';
import { IssuanceService } from './issuance.service.js';

/** Issuing credentials (VC-API). */
@Module({})
export class IssuanceModule {
  /** @param accreditations - the tenants' accreditation cache issuing checks (from memory) */
  static register(runtime: IssuerRuntime, accreditations: TenantAccreditations): DynamicModule {
    return {
      module: IssuanceModule,
      controllers: [IssuanceController],
      providers: [{ provide: IssuanceService, useFactory: () => new IssuanceService(runtime.dataSource, runtime.agent, runtime.clock, accreditations) }],
      exports: [IssuanceService],
    };
  }
}
