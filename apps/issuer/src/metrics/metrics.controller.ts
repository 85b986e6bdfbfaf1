import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { HttpReply } from '@citycred/http';
import { PROMETHEUS_TEXT, renderPrometheusText } from './exposition.js';
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
    this.expected = token === undefined ? undefined : digest(token);
  }

  /** The metrics in the Prometheus text exposition format 0.0.4. */
  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: HttpReply): Promise<void> {
    if (!this.expected) throw new AppError(ErrorCode.NotFound, 'Nothing is served at this path.');
    const presented = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    // Compared as SHA-256 digests: equal lengths for timingSafeEqual, and no timing hint of the token's length.
    if (!presented || !timingSafeEqual(digest(presented), this.expected)) {
      throw new AppError(ErrorCode.AuthInvalidMetricsToken, 'Send the metrics token as "Authorization: Bearer <token>".');
    }
    const text = renderPrometheusText(await this.metrics.collect());
    void reply.status(200).header('content-type', PROMETHEUS_TEXT).header('cache-control', 'no-store').send(text);
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
