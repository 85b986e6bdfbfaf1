import { RESIDENT_REGISTRATION_NUMBER_PATTERN } from '@citycred/credentials';
import { z } from 'zod';

const contextEntry = z.union([z.string(), z.record(z.string(), z.unknown())]);

/**
 * Body of `POST /credentials/issue` (W3C VC-API). Only `type` and `credentialSubject` are needed; the service
 * adds contexts, id, issuer, dates and schema. Fields that only the issuer may set are refused.
 */
export const issueRequestSchema = z
  .object({
    credential: z
      .object({
        '@context': z.union([z.string(), z.array(contextEntry)]).optional(),
        type: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        credentialSubject: z.record(z.string(), z.unknown()),
        issuer: z.union([z.string(), z.object({ id: z.string() }).loose()]).optional(),
        expirationDate: z.iso.datetime({ offset: true }).optional(),
      })
      .strict(),
    options: z
      .object({
        proofFormat: z.enum(['jwt', 'sd-jwt']).default('jwt'),
      })
      .strict()
      .default({ proofFormat: 'jwt' }),
  })
  .strict();

/** A parsed issue request. */
export type IssueRequest = z.output<typeof issueRequestSchema>;

const RRN_ANYWHERE = new RegExp(RESIDENT_REGISTRATION_NUMBER_PATTERN.source, 'g');

/** zod quotes unrecognised keys in its messages; a key may carry personal data, so it is redacted like a subject path. */
function redact(text: string): string {
  return text.replace(RRN_ANYWHERE, '[redacted]');
}

/** Flattens zod issues into `{ path, message }` pairs for the problem document, never echoing a resident registration number. */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: redact(`/${issue.path.join('/')}`), message: redact(issue.message) }));
}
