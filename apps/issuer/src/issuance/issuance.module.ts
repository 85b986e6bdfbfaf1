import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import type { AnchorQueue } from '../anchoring/anchor-queue.js';
import { issuerPublicUrl } from '../config.js';
import type { IssuerRuntime } from '../runtime.js';
import { IssuanceController } from './issuance.controller.js';
import { IssuanceService, type IssuanceAudit, type StatusAllocator } from './issuance.service.js';
import { TenantJwsSigners } from './tenant-signers.js';
import { TypeAuthority } from './type-authority.js';
import { TypeSchemas } from './type-schemas.js';
import { TypeSchemasController } from './type-schemas.controller.js';

/** How far ahead of the service's clock a client-given issuance date may lie. */
const ISSUANCE_DATE_SKEW_SECONDS = 60;

/** What issuing shares with the other contexts of the issuer. */
export interface IssuanceDependencies {
  /** The tenants' accreditation cache issuing checks (from memory). */
  readonly accreditations: TenantAccreditations;
  /** The anchoring module's queue. */
  readonly anchors: AnchorQueue;
  /** The tenants' signers (keys held in memory), shared with the status lists. */
  readonly signers: TenantJwsSigners;
  /** The status-list context's allocator, once it is wired; without it credentials carry no status entries. */
  readonly statuses?: StatusAllocator;
  /** The audit log every issuance enters. */
  readonly audit?: IssuanceAudit;
}

/** Issuing credentials: the one issuance command, VC-API `POST /credentials/issue`, open types' schemas. */
@Module({})
export class IssuanceModule implements OnApplicationShutdown {
  constructor(@Inject(TenantJwsSigners) private readonly signers: TenantJwsSigners) {}

  /** Zeroes the tenant keys held in memory. */
  onApplicationShutdown(): void {
    this.signers.close();
  }

  static register(runtime: IssuerRuntime, dependencies: IssuanceDependencies): DynamicModule {
    const { config, dataSource, clock } = runtime;
    const { signers } = dependencies;
    const schemas = new TypeSchemas(dataSource, clock);
    const issuance = new IssuanceService(
      dataSource,
      signers,
      clock,
      new TypeAuthority(dependencies.accreditations),
      schemas,
      dependencies.anchors,
      { publicUrl: issuerPublicUrl(config), skewSeconds: ISSUANCE_DATE_SKEW_SECONDS },
      dependencies.statuses ?? null,
      dependencies.audit ?? null,
    );
    return {
      module: IssuanceModule,
      controllers: [IssuanceController, TypeSchemasController],
      providers: [
        { provide: IssuanceService, useValue: issuance },
        { provide: TypeSchemas, useValue: schemas },
        { provide: TenantJwsSigners, useValue: signers },
      ],
      exports: [IssuanceService],
    };
  }
}
