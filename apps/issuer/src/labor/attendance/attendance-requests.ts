import { z } from 'zod';

const UTC_INSTANT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?Z$/;

/**
 * Body of `POST /labor/contracts/:id/attendance?t=`: the event as the wallet built and hashed it (its shape is checked
 * by `requireEventShape`, since it is hashed exactly as given), the worker's detached JWS over its hash, and the
 * scanned workplace QR (its JWS or the wallet link carrying it) for a check-in or -out.
 */
export const attendancePostSchema = z
  .object({
    event: z.record(z.string(), z.unknown()),
    workerSignature: z.string().min(1).max(8192),
    qr: z.string().min(1).max(8192).optional(),
  })
  .strict();

/** Body of `POST /console/api/labor/contracts/:id/corrections`. */
export const correctionProposalSchema = z
  .object({
    eventHash: z.string().regex(/^0x[0-9a-f]{64}$/, '0x and 64 lower-case hex digits'),
    at: z.string().regex(UTC_INSTANT, 'an ISO 8601 UTC instant (…Z)').refine((v) => !Number.isNaN(Date.parse(v)), 'a real instant'),
    reason: z.string().trim().min(1).max(500),
  })
  .strict();

/** The worker's bearer token `t` of the contract link. */
export const contractTokenSchema = z.string().min(1).max(200);
