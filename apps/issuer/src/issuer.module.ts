import { Module, type DynamicModule } from '@nestjs/common';
import { databaseIsUp } from '@citycred/persistence';
import { HEALTH_DETAILS, HEALTH_PROBES, HealthController, OPENAPI_DOCUMENT, OpenApiController, type HealthDetailProvider, type HealthProbe } from '@citycred/http';
import { AccreditationModule, tenantAccreditationsFor } from './accreditation/accreditation.module.js';
import { TenantAccreditations } from './accreditation/tenant-accreditations.js';
import { issuerOpenApiDocument } from './api-description.js';
import { AnchorBatchStore } from './anchoring/anchor-batch-store.js';
import { AnchorQueue } from './anchoring/anchor-queue.js';
import { AnchoringModule } from './anchoring/anchoring.module.js';
import { AuditLog, TenantAdministration } from '@citycred/tenancy';
import { AuditModule } from './audit/audit.module.js';
import { AttendanceModule } from './labor/attendance/attendance.module.js';
import { AttendanceService } from './labor/attendance/attendance.service.js';
import { CertificateRenderer } from './certificates/certificate-renderer.js';
import { CertificatesModule } from './certificates/certificates.module.js';
import { ConsoleModule } from './console/console.module.js';
import { ConsoleUiModule } from './console-ui-static.js';
import { credentialFormat } from '@citycred/formats';
import { DemoModule } from './demo/demo.module.js';
import { issuerPublicUrl } from './config.js';
import { IssuanceModule } from './issuance/issuance.module.js';
import { IssuanceService } from './issuance/issuance.service.js';
import { IssuerDirectoryModule } from './issuer-directory/issuer-directory.module.js';
import { LaborModule } from './labor/labor.module.js';
import { Oid4vciModule } from './oid4vci/oid4vci.module.js';
import { Oid4vciBulkOffers } from './oid4vci/oid4vci-bulk-offers.js';
import { Oid4vciService } from './oid4vci/oid4vci.service.js';
import { tenantSignersFor } from './issuance/tenant-signers.js';
import { statusListSignerFrom } from './status-list/compact-jws.js';
import { createStatusLists, StatusListModule } from './status-list/status-list.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
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
    const anchors = new AnchorQueue();
    const signers = tenantSignersFor(runtime);
    const auditLog = new AuditLog(runtime.dataSource, runtime.clock);
    const statusListOptions = {
      dataSource: runtime.dataSource,
      clock: runtime.clock,
      settings: { publicUrl: issuerPublicUrl(runtime.config), maxAgeSeconds: runtime.config.STATUS_LIST_MAX_AGE_SECONDS },
      signer: statusListSignerFrom((tenant) => signers.signerFor(tenant), credentialFormat('vc+jwt')),
      anchorQueue: anchors,
      audit: auditLog,
    };
    const statusLists = createStatusLists(statusListOptions);
    const issuance = IssuanceModule.register(runtime, { accreditations, anchors, signers, statuses: statusLists, audit: auditLog });
    const oid4vci = Oid4vciModule.register({
      dataSource: runtime.dataSource,
      clock: runtime.clock,
      settings: {
        publicBaseUrl: issuerPublicUrl(runtime.config),
        offerTtlSeconds: runtime.config.OID4VCI_OFFER_TTL_SECONDS,
        bulkOfferTtlSeconds: runtime.config.OID4VCI_BULK_OFFER_TTL_SECONDS,
        codeSecret: runtime.config.KEY_ENCRYPTION_SECRET,
      },
      issuance: { imports: [issuance], token: IssuanceService },
      audit: auditLog,
    });
    const certificates = CertificatesModule.register(runtime);
    const administration = new TenantAdministration({
      dataSource: runtime.dataSource,
      directory: runtime.tenants,
      provider: runtime.network.provider,
      deployment: runtime.deployment,
      audit: auditLog,
      clock: runtime.clock,
      rootKey: runtime.config.CITY_ROOT_KEY,
      fundNewTenants: runtime.config.FUND_NEW_TENANTS,
    });
    const consoleModule = ConsoleModule.register({
      dataSource: runtime.dataSource,
      clock: runtime.clock,
      publicUrl: issuerPublicUrl(runtime.config),
      imports: [issuance, oid4vci, certificates],
      issuance: IssuanceService,
      statusChanges: statusLists,
      offers: Oid4vciService,
      bulkOffers: Oid4vciBulkOffers,
      certificates: CertificateRenderer,
      administration: {
        administration,
        cityAdminTenant: runtime.config.CITY_ADMIN_TENANT,
        accreditationChanged: () => accreditations.refresh(),
        keyRotated: (did) => signers.forget(did),
      },
    });
    const attendance = AttendanceModule.register({
      dataSource: runtime.dataSource,
      clock: runtime.clock,
      employers: { signerFor: (tenant) => signers.signerFor(tenant), findById: (id) => runtime.tenants.findById(id) },
      anchors,
      settings: { walletUrl: runtime.config.WALLET_URL, didNetwork: runtime.config.DID_ETHR_NETWORK },
      intervalMs: runtime.config.ANCHOR_BATCH_INTERVAL_MS,
      scheduled: runtime.config.ANCHOR_WORKER,
    });
    return {
      module: IssuerModule,
      imports: [
        TenantsModule.register(runtime.tenants),
        AccreditationModule.register(accreditations),
        issuance,
        StatusListModule.register(statusListOptions, statusLists),
        IssuerDirectoryModule.register(statusLists, statusListOptions.settings),
        oid4vci,
        AnchoringModule.register(runtime, accreditations),
        MetricsModule.register(runtime),
        ConsoleUiModule.register(),
        // The embedded demo's citizens page: only where npm start set DEMO_CITIZENS_FILE (never in production).
        ...(runtime.config.DEMO_CITIZENS_FILE
          ? [DemoModule.register({ demo: runtime.config.DEMO_CITIZENS_FILE, walletUrl: runtime.config.WALLET_URL, clock: runtime.clock, offers: { imports: [oid4vci], token: Oid4vciService } })]
          : []),
        certificates,
        AuditModule.register(
          { dataSource: runtime.dataSource, clock: runtime.clock, anchors, intervalMs: runtime.config.ANCHOR_BATCH_INTERVAL_MS, scheduled: runtime.config.ANCHOR_WORKER },
          auditLog,
        ),
        attendance,
        consoleModule,
        LaborModule.register({
          dataSource: runtime.dataSource,
          clock: runtime.clock,
          settings: {
            publicUrl: issuerPublicUrl(runtime.config),
            walletUrl: runtime.config.WALLET_URL,
            minimumWageKrw: runtime.config.LABOR_CONFIG_FILE.minimumWageKrw,
            tokenSecret: runtime.config.KEY_ENCRYPTION_SECRET,
            insuranceTenant: 'employment-insurance',
          },
          signers,
          imports: [consoleModule, oid4vci, attendance],
          offers: Oid4vciService,
          ledger: AttendanceService,
        }),
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
