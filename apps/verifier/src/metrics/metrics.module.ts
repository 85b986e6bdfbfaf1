import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { countProblems, ProblemCounter } from '@citycred/http';
import type { FastifyInstance } from 'fastify';
import type { VerifierRuntime } from '../runtime.js';
import { VERIFIER_METRICS_TOKEN, VerifierMetricsController } from './metrics.controller.js';
import { VerifierMetrics } from './verifier-metrics.js';

/** `GET /metrics` and the count of problem answers, installed on the HTTP server as the application starts. */
@Module({})
export class VerifierMetricsModule implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ProblemCounter) private readonly problems: ProblemCounter,
  ) {}

  static register(runtime: VerifierRuntime): DynamicModule {
    return {
      module: VerifierMetricsModule,
      controllers: [VerifierMetricsController],
      providers: [
        { provide: ProblemCounter, useValue: runtime.problems },
        { provide: VerifierMetrics, useValue: runtime.metrics },
        { provide: VERIFIER_METRICS_TOKEN, useValue: runtime.config.METRICS_TOKEN },
      ],
    };
  }

  /** Runs before the server listens: Fastify takes hooks until then. */
  onModuleInit(): void {
    countProblems(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.problems);
  }
}
