import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import type { Clock } from '@citycred/config';
import { AuditLog } from '@citycred/tenancy';
import type { DataSource } from 'typeorm';
import { LaborContractStore, StoredAttendanceLedger } from './labor-contract-store.js';
import { LaborContracts, type LaborOffers, type LaborSigners } from './labor-contracts.js';
import { LaborEmployerController } from './labor-employer.controller.js';
import { LABOR_ATTENDANCE_LEDGER, LABOR_SETTINGS, type AttendanceLedger, type LaborSettings } from './labor-tokens.js';
import { LaborWorkerController } from './labor-worker.controller.js';

/** What the labour context is built from. */
export interface LaborModuleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  readonly settings: LaborSettings;
  /** The tenants' signers (the issuance context's `TenantJwsSigners`). */
  readonly signers: LaborSigners;
  /** Modules exporting `offers` and the console's session guard (the issuer's `Oid4vciModule` and `ConsoleModule`). */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** Token of the `Oid4vciService`. */
  readonly offers: InjectionToken;
  /**
   * Token of the {@link AttendanceLedger} (the attendance module's `AttendanceService`, its module in `imports`);
   * without it the stored events are read directly, with no pending corrections.
   */
  readonly ledger?: InjectionToken;
}

/**
 * Part-time workers' labour contracts (docs/labor.md): the employer's API under `/console/api/labor` (console
 * sessions of employer tenants) and the worker's under `/labor/contracts`. Exports {@link LaborContracts} and the
 * {@link LABOR_ATTENDANCE_LEDGER} (by default the stored attendance events). Needs the global `AuditModule`: each
 * change enters the employer's audit log.
 */
@Module({})
export class LaborModule {
  static register(options: LaborModuleOptions): DynamicModule {
    const store = new LaborContractStore(options.dataSource);
    return {
      module: LaborModule,
      imports: options.imports,
      controllers: [LaborEmployerController, LaborWorkerController],
      providers: [
        { provide: LABOR_SETTINGS, useValue: options.settings },
        { provide: LaborContractStore, useValue: store },
        options.ledger
          ? { provide: LABOR_ATTENDANCE_LEDGER, useExisting: options.ledger }
          : { provide: LABOR_ATTENDANCE_LEDGER, useValue: new StoredAttendanceLedger(options.dataSource) },
        {
          provide: LaborContracts,
          inject: [options.offers, LABOR_ATTENDANCE_LEDGER, AuditLog],
          useFactory: (offers: LaborOffers, ledger: AttendanceLedger, audit: AuditLog) =>
            new LaborContracts(store, offers, options.signers, ledger, options.settings, options.clock, audit),
        },
      ],
      exports: [LaborContracts, LaborContractStore, LABOR_ATTENDANCE_LEDGER, LABOR_SETTINGS],
    };
  }
}
