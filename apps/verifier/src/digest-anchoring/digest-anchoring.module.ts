import { RepeatingTask } from '@citycred/config';
import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { VerifierRuntime } from '../runtime.js';

const TASK = Symbol.for('citycred.verifier.digest-anchoring.task');

/**
 * Runs the digest outbox ({@link DigestAnchoring.runOnce}, ADR 0015) while the application runs, every
 * `ANCHOR_DIGEST_INTERVAL_MS` (0: never; tests run it by hand). A failed run (the database is down) is reported and
 * the next one scheduled as usual — nothing is lost, the rows stay pending.
 */
@Module({})
export class DigestAnchoringModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(TASK) private readonly task: RepeatingTask) {}

  static register(runtime: Pick<VerifierRuntime, 'config' | 'digestAnchoring'>): DynamicModule {
    const logger = new Logger('DigestAnchoring');
    let warned = false;
    const task = new RepeatingTask(
      async () => {
        const run = await runtime.digestAnchoring.runOnce();
        // One warning per stretch of failures, not one per run.
        if (run.retrying > 0 && !warned) logger.warn(`${run.retrying} digest(s) could not be handed to the issuer's anchoring yet; they stay pending and are retried`);
        warned = run.retrying > 0;
      },
      runtime.config.ANCHOR_DIGEST_INTERVAL_MS,
      (error) => logger.warn(`the digest anchoring run failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return { module: DigestAnchoringModule, providers: [{ provide: TASK, useValue: task }] };
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }
}
