import { Module, type DynamicModule } from '@nestjs/common';
import type { IssuerRuntime } from '../runtime.js';
import { IssuanceController } from './issuance.controller.js';
import { IssuanceService } from './issuance.service.js';

/** Issuing credentials (VC-API). */
@Module({})
export class IssuanceModule {
  static register(runtime: IssuerRuntime): DynamicModule {
    return {
      module: IssuanceModule,
      controllers: [IssuanceController],
      providers: [{ provide: IssuanceService, useFactory: () => new IssuanceService(runtime.dataSource, runtime.agent, runtime.clock) }],
      exports: [IssuanceService],
    };
  }
}
