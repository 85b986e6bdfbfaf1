import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AnchorBatchStore } from '../anchoring/anchor-batch-store.js';
import type { IssuerRuntime } from '../runtime.js';
import { IssuanceCounts, IssuerMetrics } from './issuer-metrics.js';
import { METRICS_TOKEN, MetricsController } from './metrics.controller.js';
import { countProblems, ProblemCounter } from '@citycred/http';

/**
 * Metrics: `GET /metrics` (behind `METRICS_TOKEN`) and the count of problem answers, which it installs on the HTTP
 * server as the application starts.
 */
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ProblemCounter) private readonly problems: ProblemCounter,
  ) {}

  static register(runtime: IssuerRuntime): DynamicModule {
    const problems = new ProblemCounter();
    // The anchoring store keeps no state of its own: its aggregates read the anchoring tables.
    const metrics = new IssuerMetrics(new IssuanceCounts(runtime.dataSource), new AnchorBatchStore(runtime.dataSource), problems, runtime.clock);
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: ProblemCounter, useValue: problems },
        { provide: IssuerMetrics, useValue: metrics },
        { provide: METRICS_TOKEN, useValue: runtime.config.METRICS_TOKEN },
      ],
    };
  }

  /** Runs before the server listens: Fastify takes hooks until then. */
  onModuleInit(): void {
    countProblems(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.problems);
  }
}
