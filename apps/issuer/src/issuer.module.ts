import { Module, type DynamicModule } from '@nestjs/common';
import { databaseIsUp } from '@citycred/persistence';
import { HEALTH_DETAILS, HEALTH_PROBES, HealthController, OPENAPI_DOCUMENT, OpenApiController, type HealthDetailProvider, type HealthProbe } from '@citycred/http';
import { AccreditationModule, tenantAccreditationsFor } from './accreditation/accreditation.module.js';
import { TenantAccreditations } from './accreditation/tenant-accreditations.js';
import { issuerOpenApiDocument } from './api-description.js';
import { AnchorBatchStore } from './anchoring/anchor-batch-store.js';
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
    const accreditations = tenantAccreditationsFor(runtime);
    return {
      module: IssuerModule,
      imports: [
        TenantsModule.register(runtime.tenants),
        AccreditationModule.register(accreditations),
        IssuanceModule.register(runtime, accreditations),
        AnchoringModule.register(runtime, accreditations),
      ],
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: ISSUER_RUNTIME, useValue: runtime },
        { provide: HEALTH_PROBES, useValue: probes },
        // A tenant that lost its accreditation is reported, not an outage: /health stays 200 for it.
        {
          provide: HEALTH_DETAILS,
          inject: [TenantAccreditations, AnchorBatchStore],
          useFactory: (tenants: TenantAccreditations, store: AnchorBatchStore): HealthDetailProvider[] => [
            { name: 'accreditation', details: async () => tenants.report() },
            { name: 'anchoring', details: async () => ({ refusedBatches: await store.refusedBatches() }) },
          ],
        },
        { provide: OPENAPI_DOCUMENT, useValue: issuerOpenApiDocument() },
      ],
    };
  }
}
