import { AppError, ErrorCode } from '@citycred/errors';
import type { HttpReply } from '@citycred/http';
import { describe, expect, it } from 'vitest';
import type { IssuerMetrics } from './issuer-metrics.js';
import { MetricsController } from './metrics.controller.js';

const metrics = { collect: async () => [{ name: 'citycred_up', help: 'up', type: 'gauge' as const, samples: [{ value: 1 }] }] } as unknown as IssuerMetrics;

/** A reply that records what was sent. */
function recordingReply() {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply: HttpReply = {
    status: (code) => ((sent.status = code), reply),
    header: (name, value) => ((sent.headers[name] = value), reply),
    send: (body) => (sent.body = body),
  };
  return { reply, sent };
}

const codeOf = async (run: Promise<unknown>) => run.then(() => null, (error: unknown) => (error instanceof AppError ? error.code : error));

describe('MetricsController', () => {
  it('is off (404) without METRICS_TOKEN, whatever is sent', async () => {
    const controller = new MetricsController(metrics, undefined);
    expect(await codeOf(controller.scrape('Bearer anything', recordingReply().reply))).toBe(ErrorCode.NotFound);
  });

  it('answers only the bearer of the token', async () => {
    const token = 'a'.repeat(32);
    const controller = new MetricsController(metrics, token);
    expect(await codeOf(controller.scrape(undefined, recordingReply().reply))).toBe(ErrorCode.AuthInvalidMetricsToken);
    expect(await codeOf(controller.scrape(`Bearer ${'a'.repeat(31)}`, recordingReply().reply))).toBe(ErrorCode.AuthInvalidMetricsToken);
    expect(await codeOf(controller.scrape(`Basic ${token}`, recordingReply().reply))).toBe(ErrorCode.AuthInvalidMetricsToken);
    const { reply, sent } = recordingReply();
    await controller.scrape(`Bearer ${token}`, reply);
    expect(sent).toEqual({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }, body: '# HELP citycred_up up\n# TYPE citycred_up gauge\ncitycred_up 1\n' });
  });
});
