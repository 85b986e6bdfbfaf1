import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { metricsTokenDigest, serveMetrics, type HttpReply } from '@citycred/http';
import { VerifierMetrics } from './verifier-metrics.js';

/** Injection token of the verifier's `METRICS_TOKEN` (undefined: the endpoint is off). */
export const VERIFIER_METRICS_TOKEN = Symbol.for('citycred.verifier.metrics.token');

/**
 * `GET /metrics` (Prometheus text) for the platform team: off (404) unless `METRICS_TOKEN` is set, then only with
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise), as on the issuer.
 */
@Controller('metrics')
export class VerifierMetricsController {
  private readonly expected: Buffer | undefined;

  constructor(
    @Inject(VerifierMetrics) private readonly metrics: VerifierMetrics,
    @Inject(VERIFIER_METRICS_TOKEN) token: string | undefined,
  ) {
    this.expected = token === undefined ? undefined : metricsTokenDigest(token);
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: HttpReply): Promise<void> {
    await serveMetrics(reply, authorization, this.expected, () => this.metrics.collect());
  }
}
