import { AppError, ErrorCode } from '@citycred/errors';
import type { z } from 'zod';
import { describeIssues } from '../issuance/issue-request.js';

/**
 * Parses a console request part with its schema.
 * @param shape - what the request must look like, for the problem's detail
 * @throws AppError `request.invalid` (400) listing each problem by path, never repeating a value
 */
export function parseRequest<T extends z.ZodType>(schema: T, value: unknown, shape: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError(ErrorCode.RequestInvalid, `The request must be ${shape}.`, { extensions: { errors: describeIssues(parsed.error) } });
}
