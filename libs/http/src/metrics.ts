import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode } from '@citycred/errors';
import type { HttpReply } from './problem-filter.js';

/** One sample of a metric: its labels and value (a histogram's samples name their series: `_bucket`, `_sum`, `_count`). */
export interface MetricSample {
  labels?: Readonly<Record<string, string>>;
  value: number;
  /** For a histogram: which of its series the sample belongs to. */
  suffix?: '_bucket' | '_sum' | '_count';
}

/** A metric family as the Prometheus text format writes it: name, help, type and samples. */
export interface MetricFamily {
  /** `[a-zA-Z_:][a-zA-Z0-9_:]*`; counters end in `_total`. */
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  samples: readonly MetricSample[];
}

/** Content type of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Writes metric families in the Prometheus text exposition format 0.0.4: `# HELP` and `# TYPE` lines, then one line
 * per sample; label values escaped (`\\`, `"`, newline), help text escaped (`\\`, newline). A family without samples
 * keeps its HELP and TYPE lines, so scrapers know it exists.
 * @throws TypeError for a metric or label name the format does not allow (a programming fault)
 */
export function renderPrometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new TypeError(`not a metric name: ${family.name}`);
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${sample.suffix ?? ''}${labelSet(sample.labels)} ${numberText(sample.value)}`);
  }
  return `${lines.join('\n')}\n`;
}

function labelSet(labels: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';
  const parts = entries.map(([name, value]) => {
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new TypeError(`not a label name: ${name}`);
    return `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  });
  return `{${parts.join(',')}}`;
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * A Prometheus histogram with fixed bucket bounds, per label set (e.g. `{kind: 'credential'}`): cumulative `_bucket`
 * counts with `le`, `_sum` and `_count`. Observations are kept as counts only.
 */
export class Histogram {
  private readonly series = new Map<string, { labels: Record<string, string>; buckets: number[]; sum: number; count: number }>();

  /** @param bounds - upper bounds, increasing (`+Inf` is added) */
  constructor(private readonly bounds: readonly number[]) {}

  observe(value: number, labels: Record<string, string> = {}): void {
    const key = JSON.stringify(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.bounds.length; i += 1) if (value <= (this.bounds[i] as number)) (entry.buckets[i] as number) += 1;
    entry.sum += value;
    entry.count += 1;
  }

  /** The samples of every label set, in the order they were first observed. */
  samples(): MetricSample[] {
    return [...this.series.values()].flatMap(({ labels, buckets, sum, count }) => [
      ...buckets.map((n, i): MetricSample => ({ suffix: '_bucket', labels: { ...labels, le: String(this.bounds[i]) }, value: n })),
      { suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: count },
      { suffix: '_sum', labels, value: sum },
      { suffix: '_count', labels, value: count },
    ]);
  }
}

/** SHA-256 of a metrics token: tokens are compared as digests (equal lengths, no timing hint of the length). */
export function metricsTokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/**
 * Answers `GET /metrics` for a service: 404 (as if nothing were there) unless a token is configured, 401 without
 * `Authorization: Bearer <token>`, else 200 with the families in the Prometheus text format, `no-store`.
 * @param expected - {@link metricsTokenDigest} of the configured token, undefined when the endpoint is off
 */
export async function serveMetrics(reply: HttpReply, authorization: string | undefined, expected: Buffer | undefined, collect: () => Promise<readonly MetricFamily[]> | readonly MetricFamily[]): Promise<void> {
  if (!expected) throw new AppError(ErrorCode.NotFound, 'Nothing is served at this path.');
  const presented = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (!presented || !timingSafeEqual(metricsTokenDigest(presented), expected)) {
    throw new AppError(ErrorCode.AuthInvalidMetricsToken, 'Send the metrics token as "Authorization: Bearer <token>".');
  }
  const text = renderPrometheusText(await collect());
  void reply.status(200).header('content-type', PROMETHEUS_TEXT).header('cache-control', 'no-store').send(text);
}
