import { z } from 'zod';
import type { StatusAction } from '@citycred/persistence';

/**
 * `POST /credentials/status`, the VC-API (VCALM) shape: the credential, which status mechanism and purpose, and
 * whether the status is to be set (`true`) or cleared (`false`). `reason` is CityCred's addition, kept in the
 * status history.
 */
export const statusRequestSchema = z
  .object({
    credentialId: z.string().min(1).max(100),
    credentialStatus: z
      .object({
        // The mechanism is the one the credential was issued with; the type names it and is not otherwise used.
        type: z.enum(['BitstringStatusListEntry', 'BitstringStatusList', 'TokenStatusList']),
        statusPurpose: z.enum(['revocation', 'suspension']),
      })
      .strict(),
    status: z.boolean(),
    reason: z.string().min(1).max(500).optional(),
  })
  .strict();

/** A parsed `POST /credentials/status` body. */
export type StatusRequest = z.output<typeof statusRequestSchema>;

/**
 * What a request asks: `revoke` (revocation, true), `suspend` (suspension, true), `reinstate` (suspension, false),
 * or `confirm-not-revoked` (revocation, false: a revocation cannot be undone, so this only succeeds on a credential
 * that is not revoked).
 */
export function requestedAction(request: StatusRequest): StatusAction | 'confirm-not-revoked' {
  if (request.credentialStatus.statusPurpose === 'revocation') return request.status ? 'revoke' : 'confirm-not-revoked';
  return request.status ? 'suspend' : 'reinstate';
}

/** The zod issues as `{path, message}` pairs (never the values: a body may carry anything). */
export function describeStatusIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: `/${issue.path.join('/')}`, message: issue.message }));
}
