import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { metricsTokenDigest, serveMetrics, type HttpReply } from '@citycred/http';
import { IssuerMetrics } from './issuer-metrics.js';

/** Injection token of the `METRICS_TOKEN` (undefined: the endpoint is off). */
export const METRICS_TOKEN = Symbol.for('citycred.issuer.metrics.token');

/**
 * `GET /metrics` for the platform team's Prometheus: off (404, as if it did not exist) unless `METRICS_TOKEN` is set,
 * then only with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). The OpenAPI document describes it under its
 * own bearer scheme (`metricsToken`), apart from the tenants' API keys.
 */
@Controller('metrics')
export class MetricsController {
  private readonly expected: Buffer | undefined;

  constructor(
    @Inject(IssuerMetrics) private readonly metrics: IssuerMetrics,
    @Inject(METRICS_TOKEN) token: string | undefined,
  ) {
    this.expected = token === undefined ? undefined : metricsTokenDigest(token);
  }

  /** The metrics in the Prometheus text exposition format 0.0.4. */
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: HttpReply): Promise<void> {
    await serveMetrics(reply, authorization, this.expected, () => this.metrics.collect());
  }
}
