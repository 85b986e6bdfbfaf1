import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CityAnchorWriter } from '@citycred/chain';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantAccreditations } from '../accreditation/tenant-accreditations.js';
import type { IssuerRuntime } from '../runtime.js';
import { AnchorBatchReads } from './anchor-batch-reads.js';
import { AnchorBatchStore } from './anchor-batch-store.js';
import { AnchorBatchesController } from './anchor-batches.controller.js';
import { AnchorDigests } from './anchor-digests.js';
import { AnchorDigestsController } from './anchor-digests.controller.js';
import { AnchorQueue } from './anchor-queue.js';
import { AnchorProofsController } from './anchor-proofs.controller.js';
import { AnchoringWorker } from './anchoring.worker.js';

/** Whether this process schedules the worker (`ANCHOR_WORKER`); the public endpoints are served either way. */
const WORKER_SCHEDULED = Symbol.for('citycred.issuer.anchoring.scheduled');

/**
 * Anchoring: the batch worker, the public proof endpoint, the public batch reads and the tenants' door for other
 * services' digests (`POST /anchors/digests`, ADR 0015) (docs/anchoring.md).
 */
@Module({})
export class AnchoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(AnchoringWorker) private readonly worker: AnchoringWorker,
    @Inject(WORKER_SCHEDULED) private readonly scheduled: boolean,
  ) {}

  /** @param accreditations - the tenants' accreditation cache, shared with issuance */
  static register(runtime: IssuerRuntime, accreditations: TenantAccreditations): DynamicModule {
    const store = new AnchorBatchStore(runtime.dataSource);
    const settings = { batchSize: runtime.config.ANCHOR_BATCH_SIZE, intervalMs: runtime.config.ANCHOR_BATCH_INTERVAL_MS, leaseMs: runtime.config.ANCHOR_LEASE_MS };
    const writer = new CityAnchorWriter<TenantEntity>(runtime.chain, (tenant, provider) => runtime.tenants.signerFor(tenant, provider));
    const worker = new AnchoringWorker(store, runtime.chain, writer, runtime.tenants, runtime.clock, settings, accreditations);
    return {
      module: AnchoringModule,
      controllers: [AnchorProofsController, AnchorBatchesController, AnchorDigestsController],
      providers: [
        { provide: AnchorBatchStore, useValue: store },
        { provide: AnchorDigests, useValue: new AnchorDigests(runtime.dataSource, new AnchorQueue(), store, runtime.chain, runtime.clock) },
        { provide: AnchorBatchReads, useValue: new AnchorBatchReads(runtime.dataSource) },
        { provide: AnchoringWorker, useValue: worker },
        { provide: WORKER_SCHEDULED, useValue: runtime.config.ANCHOR_WORKER },
      ],
      exports: [AnchoringWorker, AnchorBatchStore],
    };
  }

  onApplicationBootstrap(): void {
    if (this.scheduled) this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
