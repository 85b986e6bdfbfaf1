import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RepeatingTask, type Clock } from '@citycred/config';
import { AuditLog, OperatorStore } from '@citycred/tenancy';
import type { DataSource } from 'typeorm';
import { ConsoleSessionGuard } from '../../console/console-session.guard.js';
import { ConsoleSessions } from '../../console/console-sessions.js';
import { SignInThrottle } from '../../console/sign-in-throttle.js';
import { LaborContractStore } from '../labor-contract-store.js';
import { AttendanceAnchoring, type AttendanceAnchorQueue } from './attendance-anchoring.js';
import { StoredAttendanceContracts } from './attendance-contracts.js';
import type { AttendanceContracts, AttendanceEmployers, AttendanceSettings } from './attendance-ports.js';
import { AttendanceStore } from './attendance-store.js';
import { AttendanceConsoleController, AttendanceWorkerController } from './attendance.controller.js';
import { AttendanceService } from './attendance.service.js';

const HEAD_ANCHORING = Symbol.for('citycred.issuer.labor.attendance.head-anchoring');
const SCHEDULED = Symbol.for('citycred.issuer.labor.attendance.scheduled');

/** What {@link AttendanceModule.register} needs. */
export interface AttendanceModuleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The employer tenants' signers and records (the issuer's tenant signers and directory). */
  readonly employers: AttendanceEmployers;
  /** The anchoring module's queue. */
  readonly anchors: AttendanceAnchorQueue;
  readonly settings: AttendanceSettings;
  /** Pause between head-anchoring passes (the issuer passes `ANCHOR_BATCH_INTERVAL_MS`). */
  readonly intervalMs: number;
  /** Whether this process runs the passes (the issuer passes `ANCHOR_WORKER`). */
  readonly scheduled: boolean;
  /** The contracts as attendance reads them; by default from the `labor_contracts` table. */
  readonly contracts?: AttendanceContracts;
}

/**
 * Attendance of labour contracts (docs/labor.md, "Attendance"): the workplace QR and attendance views for the
 * employer console, the worker's check-in, check-out and correction posts, and — while the application runs — the
 * anchoring of each contract's daily chain heads every `intervalMs`. Exports {@link AttendanceService} (the contracts
 * context's `AttendanceLedger`) and {@link AttendanceAnchoring}. Needs the global `AuditModule` (for console sessions).
 */
@Module({})
export class AttendanceModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(HEAD_ANCHORING) private readonly task: RepeatingTask,
    @Inject(SCHEDULED) private readonly scheduled: boolean,
  ) {}

  static register(options: AttendanceModuleOptions): DynamicModule {
    const { dataSource, clock } = options;
    const store = new AttendanceStore(dataSource, clock);
    const contracts = options.contracts ?? new StoredAttendanceContracts(new LaborContractStore(dataSource));
    const service = new AttendanceService(store, contracts, options.employers, clock, options.settings);
    const anchoring = new AttendanceAnchoring(dataSource, options.anchors, clock);
    const logger = new Logger('Attendance');
    const task = new RepeatingTask(() => anchoring.anchorNewHeads(), options.intervalMs, (error) =>
      logger.warn(`anchoring the attendance heads failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return {
      module: AttendanceModule,
      controllers: [AttendanceConsoleController, AttendanceWorkerController],
      providers: [
        { provide: AttendanceStore, useValue: store },
        { provide: AttendanceService, useValue: service },
        { provide: AttendanceAnchoring, useValue: anchoring },
        { provide: HEAD_ANCHORING, useValue: task },
        { provide: SCHEDULED, useValue: options.scheduled },
        {
          provide: ConsoleSessions,
          inject: [AuditLog],
          useFactory: (audit: AuditLog) => new ConsoleSessions(dataSource, new OperatorStore(dataSource, clock), audit, new SignInThrottle(clock), clock),
        },
        ConsoleSessionGuard,
      ],
      exports: [AttendanceService, AttendanceAnchoring],
    };
  }

  onApplicationBootstrap(): void {
    if (this.scheduled) this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
