import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { RepeatingTask, type Clock } from '@citycred/config';
import type { DataSource } from 'typeorm';
import { AuditAnchoring, type AuditAnchorQueue } from './audit-anchoring.js';
import { AuditLog } from '@citycred/tenancy';

const HEAD_ANCHORING = Symbol.for('citycred.issuer.audit.head-anchoring');
const SCHEDULED = Symbol.for('citycred.issuer.audit.scheduled');

/** What {@link AuditModule.register} needs. */
export interface AuditModuleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The anchoring module's queue. */
  readonly anchors: AuditAnchorQueue;
  /** Pause between head-anchoring passes (the issuer passes `ANCHOR_BATCH_INTERVAL_MS`). */
  readonly intervalMs: number;
  /** Whether this process runs the passes (the issuer passes `ANCHOR_WORKER`). */
  readonly scheduled: boolean;
}

/**
 * The tenants' audit logs: exports {@link AuditLog} (append inside another context's transaction, pages, head,
 * verification) and, while the application runs, anchors each tenant's new head every `intervalMs`.
 */
@Module({})
export class AuditModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(HEAD_ANCHORING) private readonly task: RepeatingTask,
    @Inject(SCHEDULED) private readonly scheduled: boolean,
  ) {}

  /**
   * @param log - the log instance, when contexts built outside Nest (the issuance command, the status lists) append to
   *   it too; by default a new one
   */
  static register(options: AuditModuleOptions, log: AuditLog = new AuditLog(options.dataSource, options.clock)): DynamicModule {
    const anchoring = new AuditAnchoring(options.dataSource, options.anchors, options.clock);
    const logger = new Logger('Audit');
    const task = new RepeatingTask(() => anchoring.anchorNewHeads(), options.intervalMs, (error) =>
      logger.warn(`anchoring the audit-log heads failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return {
      module: AuditModule,
      global: true,
      providers: [
        { provide: AuditLog, useValue: log },
        { provide: AuditAnchoring, useValue: anchoring },
        { provide: HEAD_ANCHORING, useValue: task },
        { provide: SCHEDULED, useValue: options.scheduled },
      ],
      exports: [AuditLog, AuditAnchoring],
    };
  }

  onApplicationBootstrap(): void {
    if (this.scheduled) this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
