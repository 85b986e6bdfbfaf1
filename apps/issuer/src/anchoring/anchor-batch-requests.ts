import { normalizeHex32 } from '@citycred/anchoring';
import { AppError, ErrorCode } from '@citycred/errors';
import { z } from 'zod';
import { describeIssues } from '../issuance/issue-request.js';

/** The longest window `GET /anchors/batches` answers for: seven days. */
export const MAX_BATCH_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** A tenant's issuing DID as verifiers read it from a credential (`did:<method>:<identifier>`, at most 200 characters). */
const issuerDid = z
  .string()
  .max(200)
  .regex(/^did:[a-z0-9]+:\S+$/, 'must be a DID (did:<method>:<identifier>)');

/** An instant with its offset: a time without `Z` or an offset could be any of 26 hours. */
const instant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date and time with Z or an offset, e.g. 2026-03-02T09:00:00Z' });

/** Query of `GET /anchors/batches`: `issuer`, `from`, `to`, nothing else. */
export const batchWindowQuerySchema = z.object({ issuer: issuerDid, from: instant, to: instant }).strict();

/** Query of `GET /anchors/pending`: `issuer`, nothing else. */
export const issuerQuerySchema = z.object({ issuer: issuerDid }).strict();

/** What `GET /anchors/batches` asks for: one issuer's batches anchored in [`from`, `to`). */
export interface BatchWindow {
  issuer: string;
  from: Date;
  to: Date;
}

/**
 * Parses the query of `GET /anchors/batches`.
 * @throws AppError `request.invalid` (400) for a missing, repeated or unknown parameter, a value that is not a DID or
 *   not an instant with its offset, `from` not before `to`, or a window longer than {@link MAX_BATCH_WINDOW_MS}
 */
export function parseBatchWindow(query: unknown): BatchWindow {
  const { issuer, from, to } = parseQuery(batchWindowQuerySchema, query, 'issuer=<DID>&from=<ISO 8601>&to=<ISO 8601>');
  const window = { issuer, from: new Date(from), to: new Date(to) };
  if (window.from.getTime() >= window.to.getTime()) {
    throw new AppError(ErrorCode.RequestInvalid, '`from` must be before `to`: the window is [from, to).', { extensions: { errors: [{ path: '/to', message: 'must be after from' }] } });
  }
  if (window.to.getTime() - window.from.getTime() > MAX_BATCH_WINDOW_MS) {
    throw new AppError(ErrorCode.RequestInvalid, 'The window from `from` to `to` may span at most 7 days; ask for several windows.', {
      extensions: { errors: [{ path: '/to', message: 'is more than 7 days after from' }] },
    });
  }
  return window;
}

/**
 * Parses the query of `GET /anchors/pending`.
 * @returns the issuer's DID
 * @throws AppError `request.invalid` (400) for a missing, repeated or unknown parameter, or a value that is not a DID
 */
export function parseIssuerQuery(query: unknown): string {
  return parseQuery(issuerQuerySchema, query, 'issuer=<DID>').issuer;
}

/**
 * Brings a batch root from the path into its canonical form (`0x` and 64 lower-case hex digits), as the proof
 * endpoint does with credential hashes (with or without `0x`, any case).
 * @throws AppError `request.invalid` (400) when it is not 32 bytes of hex
 */
export function parseBatchRoot(raw: string): string {
  try {
    return normalizeHex32(raw);
  } catch {
    throw new AppError(ErrorCode.RequestInvalid, "Give the batch's Merkle root as 0x and 64 hexadecimal characters.", { extensions: { errors: [{ path: '/root', message: 'is not 32 bytes of hex' }] } });
  }
}

function parseQuery<T extends z.ZodType>(schema: T, query: unknown, shape: string): z.output<T> {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw new AppError(ErrorCode.RequestInvalid, `The query must be ${shape}, each once.`, { extensions: { errors: describeIssues(parsed.error) } });
}
