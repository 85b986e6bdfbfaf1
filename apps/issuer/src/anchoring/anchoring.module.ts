import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { IssuerRuntime } from '../runtime.js';
import { AnchorBatchStore } from './anchor-batch-store.js';
import { AnchorProofsController } from './anchor-proofs.controller.js';
import { AnchoringWorker } from './anchoring.worker.js';

/** Anchoring: the batch worker and the public proof endpoint. */
@Module({})
export class AnchoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private static enabled = new WeakMap<AnchoringWorker, boolean>();

  constructor(@Inject(AnchoringWorker) private readonly worker: AnchoringWorker) {}

  static register(runtime: IssuerRuntime): DynamicModule {
    const store = new AnchorBatchStore(runtime.dataSource);
    const worker = new AnchoringWorker(store, runtime.chain, runtime.tenants, runtime.clock, {
      batchSize: runtime.config.ANCHOR_BATCH_SIZE,
      intervalMs: runtime.config.ANCHOR_BATCH_INTERVAL_MS,
      leaseMs: runtime.config.ANCHOR_LEASE_MS,
    });
    AnchoringModule.enabled.set(worker, runtime.config.ANCHOR_WORKER);
    return {
      module: AnchoringModule,
      controllers: [AnchorProofsController],
      providers: [
        { provide: AnchorBatchStore, useValue: store },
        { provide: AnchoringWorker, useValue: worker },
      ],
      exports: [AnchoringWorker, AnchorBatchStore],
    };
  }

  onApplicationBootstrap(): void {
    if (AnchoringModule.enabled.get(this.worker)) this.worker.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker.stop();
  }
}
