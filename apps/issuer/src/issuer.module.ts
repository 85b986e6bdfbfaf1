import { Module, type DynamicModule } from '@nestjs/common';
import { databaseIsUp } from '@citycred/persistence';
import { HEALTH_PROBES, HealthController, OPENAPI_DOCUMENT, OpenApiController, type HealthProbe } from '@citycred/http';
import { issuerOpenApiDocument } from './api-description.js';
import { AnchoringModule } from './anchoring/anchoring.module.js';
import { IssuanceModule } from './issuance/issuance.module.js';
import type { IssuerRuntime } from './runtime.js';
import { TenantsModule } from './tenants/tenants.module.js';
import { ISSUER_RUNTIME } from './tokens.js';

/** Root module of the issuer service, built around an assembled {@link IssuerRuntime}. */
@Module({})
export class IssuerModule {
  static forRuntime(runtime: IssuerRuntime): DynamicModule {
    const probes: HealthProbe[] = [
      { name: 'database', isUp: () => databaseIsUp(runtime.dataSource) },
      { name: 'chain', isUp: () => runtime.chain.isUp() },
    ];
    return {
      module: IssuerModule,
      imports: [TenantsModule.register(runtime.tenants), IssuanceModule.register(runtime), AnchoringModule.register(runtime)],
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: ISSUER_RUNTIME, useValue: runtime },
        { provide: HEALTH_PROBES, useValue: probes },
        { provide: OPENAPI_DOCUMENT, useValue: issuerOpenApiDocument() },
      ],
    };
  }
}
