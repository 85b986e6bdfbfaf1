import { ErrorCode } from '@citycred/errors';
import type { ApiOperation, ApiResponse } from '@citycred/http';
import { z } from 'zod';
import { attendancePostSchema } from './attendance-requests.js';

const hex32 = z.string().regex(/^0x[0-9a-f]{64}$/);
const headSchema = z.object({ seq: z.number().int().describe('the last event’s seq, −1 before the first'), hash: hex32.describe('the last event’s hash, 64 zeros before the first') });
const signedEventSchema = z.object({
  event: z.record(z.string(), z.unknown()).describe('the AttendanceEvent (docs/labor.md#attendance)'),
  workerSignature: z.string().describe('ES256 detached JWS over the event hash, by the contract’s worker did:jwk'),
  employerSignature: z.string().describe('ES256K detached JWS over the event hash, by the employer’s did:ethr key'),
});
const correctionSchema = z.object({ id: z.string(), eventHash: hex32, at: z.string(), reason: z.string(), proposedBy: z.string(), proposedAt: z.string() });

/** The body of both attendance views (`GET …/attendance`). */
export const attendanceViewSchema = z.object({
  events: z.array(signedEventSchema),
  check: z.object({ valid: z.boolean(), checks: z.array(z.object({ id: z.string(), passed: z.boolean(), seq: z.number().int().optional(), reason: z.string().optional() })), head: hex32 }),
  shifts: z.array(z.object({ start: z.string(), end: z.string(), minutes: z.number().int(), day: z.string() })),
  totalMinutes: z.number().int(),
  head: headSchema,
  monthly: z.array(z.object({ month: z.string(), minutes: z.number().int(), payEstimateKrw: z.number().int() })),
  pendingCorrections: z.array(correctionSchema),
});

/**
 * The worker's attendance routes in the issuer's OpenAPI document (the console's are not described there).
 * @param shared - the document's common responses
 */
export function attendanceOperations(shared: { rateLimited: ApiResponse; unavailable: ApiResponse; jsonBodyRefused: Record<number, ApiResponse> }): ApiOperation[] {
  const parameters = [
    { name: 'id', in: 'path' as const, description: 'The contract version’s id', schema: z.string() },
    { name: 't', in: 'query' as const, description: 'The contract’s token', schema: z.string() },
  ];
  const notFound: ApiResponse = { description: 'No contract with this id and token', problems: [ErrorCode.LaborContractNotFound] };
  return [
    {
      method: 'get',
      path: '/labor/contracts/{id}/attendance',
      summary: 'The contract’s attendance as its worker sees it',
      description:
        'Public with the contract’s token `t`: the co-signed events, their chain check (both signatures verified), the shifts, total minutes, the head, the month-by-month pay estimate and the corrections waiting for the worker — the same as the employer’s console view. Never cached. docs/labor.md#attendance.',
      tag: 'labor',
      parameters,
      responses: {
        200: { description: 'The timesheet', schema: attendanceViewSchema, headers: { 'Cache-Control': 'no-store' } },
        404: notFound,
        429: shared.rateLimited,
        503: shared.unavailable,
      },
    },
    {
      method: 'post',
      path: '/labor/contracts/{id}/attendance',
      summary: 'The worker checks in, checks out or signs a correction',
      description:
        'The event as the wallet built it (seq and prevHash the current head), the worker’s detached ES256 JWS over its hash, and for a check-in or -out the workplace QR scanned (at most 30 s old, its nonce unused in the contract). The employer’s key countersigns it. docs/labor.md#attendance.',
      tag: 'labor',
      parameters,
      requestBody: attendancePostSchema,
      responses: {
        201: { description: 'Recorded: the co-signed event and the new head', schema: z.object({ signed: signedEventSchema, head: headSchema }), headers: { 'Cache-Control': 'no-store' } },
        400: {
          description: 'A malformed event, a signature that is not the worker’s over this event, a workplace QR that is not this employer’s or is older than 30 s, a time far from the server’s clock',
          problems: [ErrorCode.RequestInvalid, ErrorCode.LaborSignatureInvalid, ErrorCode.LaborQrInvalid, ErrorCode.LaborQrExpired, ErrorCode.LaborEventTime],
        },
        404: { description: 'No contract with this id and token, or no pending correction matching the event', problems: [ErrorCode.LaborContractNotFound, ErrorCode.LaborCorrectionNotFound] },
        409: {
          description: 'The contract is not active; the QR’s nonce was used in this contract; the event is not on the current head (`head`); a check-in while checked in or a check-out without one',
          problems: [ErrorCode.LaborContractState, ErrorCode.LaborNonceReused, ErrorCode.LaborAttendanceStale, ErrorCode.LaborAttendanceOrder],
        },
        ...shared.jsonBodyRefused,
        429: shared.rateLimited,
        503: shared.unavailable,
      },
    },
  ];
}
