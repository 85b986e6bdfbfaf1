import { BadRequestException } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { DatabaseUnavailableError } from '@citycred/persistence';
import { describe, expect, it } from 'vitest';
import { problemFromError, retryAfterOf } from './problem-filter.js';

/** A log that keeps its lines. */
function recording(): { warn: (line: string) => void; error: (line: string) => void; lines: string[] } {
  const lines: string[] = [];
  return { warn: (line) => lines.push(line), error: (line) => lines.push(line), lines };
}

/** What Fastify hands on when the client of a request aborts (or is cut off for being too slow) while sending its body. */
function abortedBody(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
}

describe('problemFromError', () => {
  it('a request body the client aborted is the request fault, not a database outage, and is not logged', () => {
    const log = recording();
    expect(problemFromError(abortedBody(), log)).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(problemFromError(new BadRequestException('x', { cause: abortedBody() }), log)).toMatchObject({ status: 400, code: 'request.invalid' });
    expect(log.lines).toEqual([]);
  });

  it('a database that does not answer is still our outage: 503, logged', () => {
    const log = recording();
    expect(problemFromError(new DatabaseUnavailableError('query-timeout', 'query timed out'), log)).toMatchObject({ status: 503, code: 'service.unavailable' });
    expect(problemFromError(Object.assign(new Error('socket'), { code: 'ECONNRESET' }), log)).toMatchObject({ status: 503 });
    expect(log.lines).toHaveLength(2);
  });

  it('an AppError wrapped by the framework keeps its code', () => {
    const wrapped = new BadRequestException('x', { cause: new AppError(ErrorCode.RequestInvalidEncoding, 'not UTF-8') });
    expect(problemFromError(wrapped)).toMatchObject({ status: 400, code: 'request.invalid-encoding', detail: 'not UTF-8' });
  });
});

describe('retryAfterOf', () => {
  it('is what the error says, else 5 s for any 503, else nothing', () => {
    const unavailable = problemFromError(new AppError(ErrorCode.ServiceUnavailable, 'chain'));
    expect(retryAfterOf(unavailable, new AppError(ErrorCode.ServiceUnavailable, 'chain', { retryAfterSeconds: 42 }))).toBe(42);
    expect(retryAfterOf(unavailable, new AppError(ErrorCode.ServiceUnavailable, 'chain'))).toBe(5);
    expect(retryAfterOf(problemFromError(new AppError(ErrorCode.RequestInvalid, 'x')))).toBeUndefined();
  });
});
