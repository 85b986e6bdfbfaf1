import { Module, type DynamicModule } from '@nestjs/common';
import { databaseIsUp } from '@citycred/persistence';
import { HEALTH_PROBES, HealthController, OPENAPI_DOCUMENT, OpenApiController, type HealthProbe } from '@citycred/http';
import { verifierOpenApiDocument } from './api-description.js';
import { ApplyModule } from './apply/apply.module.js';
import { CheckPageModule } from './check/check-page.module.js';
import { DidResolutionModule } from './dids/did-resolution.module.js';
import { IssuerNamesModule } from './issuers/issuer-names.module.js';
import { VerifierMetricsModule } from './metrics/metrics.module.js';
import { VerifierMetrics } from './metrics/verifier-metrics.js';
import { Oid4vpModule } from './oid4vp/oid4vp.module.js';
import { OidcModule } from './oidc/oidc.module.js';
import { SignaturesModule } from './signatures/signatures.module.js';
import { PetitionsModule } from './petitions/petitions.module.js';
import { DigestAnchoringModule } from './digest-anchoring/digest-anchoring.module.js';
import { PresentationsModule } from './presentations/presentations.module.js';
import { ProgramsModule } from './programs/programs.module.js';
import { ScanPageModule } from './scan/scan-page.module.js';
import type { VerifierRuntime } from './runtime.js';
import { CredentialVerifier } from './verification/credential-verifier.js';
import { VerificationController } from './verification/verification.controller.js';

/** Verification (VC-API). */
@Module({})
export class VerificationModule {
  static register(runtime: VerifierRuntime): DynamicModule {
    return {
      module: VerificationModule,
      controllers: [VerificationController],
      providers: [
        { provide: CredentialVerifier, useValue: runtime.verifier },
        { provide: VerifierMetrics, useValue: runtime.metrics },
      ],
    };
  }
}

/** Root module of the verifier service. */
@Module({})
export class VerifierModule {
  static forRuntime(runtime: VerifierRuntime): DynamicModule {
    const probes: HealthProbe[] = [
      { name: 'database', isUp: () => databaseIsUp(runtime.dataSource) },
      { name: 'chain', isUp: () => runtime.chain.isUp() },
    ];
    return {
      module: VerifierModule,
      imports: [VerificationModule.register(runtime), PresentationsModule.register(runtime), Oid4vpModule.register(runtime), VerifierMetricsModule.register(runtime), CheckPageModule.register(runtime.config), IssuerNamesModule.register(runtime), DidResolutionModule.register(runtime), ScanPageModule.register(runtime), ProgramsModule.register(runtime), ApplyModule.register(runtime), OidcModule.register(runtime), SignaturesModule.register(runtime), PetitionsModule.register(runtime), DigestAnchoringModule.register(runtime)],
      controllers: [HealthController, OpenApiController],
      providers: [
        { provide: HEALTH_PROBES, useValue: probes },
        { provide: OPENAPI_DOCUMENT, useValue: verifierOpenApiDocument() },
      ],
    };
  }
}
