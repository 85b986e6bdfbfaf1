import { PROBLEM_JSON } from './problem-filter.js';
import type { FastifyInstance } from 'fastify';

/**
 * Counts the problem+json answers of the HTTP edge by their stable `code` and status, in this process (a Prometheus
 * counter: it starts at 0 when the process starts; sum it across processes).
 */
export class ProblemCounter {
  private readonly counts = new Map<string, { code: string; status: number; count: number }>();

  /** Counts one answer. */
  record(code: string, status: number): void {
    const key = `${status} ${code}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { code, status, count: 1 });
  }

  /** Every code answered so far with its status and count. */
  snapshot(): Array<{ code: string; status: number; count: number }> {
    return [...this.counts.values()].map((entry) => ({ ...entry }));
  }
}

/** The media type of a problem document, without parameters. */
const PROBLEM_MEDIA_TYPE = PROBLEM_JSON.split(';')[0]!;

/**
 * Counts every problem+json answer Fastify sends — those of the exception filter (`AppError` codes), the edge's
 * router and body errors, the rate limit and the personal-data guard — with an `onSend` hook that reads the `code`
 * member of the document. Answers written on the raw socket before Fastify sees a request (connection limits,
 * unparsable requests) are not counted.
 * @param fastify - the application's Fastify instance, before it starts listening
 */
export function countProblems(fastify: FastifyInstance, counter: ProblemCounter): void {
  fastify.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith(PROBLEM_MEDIA_TYPE)) return payload;
    counter.record(problemCode(payload), reply.statusCode);
    return payload;
  });
}

/** The `code` of a serialized problem document, or `unknown` when it has none. */
function problemCode(payload: unknown): string {
  try {
    const document = (typeof payload === 'string' ? JSON.parse(payload) : Buffer.isBuffer(payload) ? JSON.parse(payload.toString('utf8')) : payload) as { code?: unknown };
    return typeof document?.code === 'string' ? document.code : 'unknown';
  } catch {
    return 'unknown';
  }
}
