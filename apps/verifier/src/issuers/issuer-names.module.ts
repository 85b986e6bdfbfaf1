import { Module, type DynamicModule } from '@nestjs/common';
import type { VerifierRuntime } from '../runtime.js';
import { AccreditedIssuerNames } from './accredited-names.js';
import { CheckIssuersController } from './check-issuers.controller.js';

/** The accredited issuers' names from the city's issuer directory: `GET /check/issuers`. */
@Module({})
export class IssuerNamesModule {
  static register(runtime: Pick<VerifierRuntime, 'issuerNames'>): DynamicModule {
    return {
      module: IssuerNamesModule,
      controllers: [CheckIssuersController],
      providers: [{ provide: AccreditedIssuerNames, useValue: runtime.issuerNames }],
    };
  }
}
