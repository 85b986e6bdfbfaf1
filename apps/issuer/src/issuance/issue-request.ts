import { containsResidentRegistrationNumber, jsonPointerSegment, redactPointer } from '@citycred/credentials';
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

/** Longer property names are cut in the paths of an answer. */
const MAX_NAME_LENGTH = 64;

function pointerOf(path: readonly PropertyKey[]): string {
  const segments = path.map((segment) => {
    const name = String(segment);
    return `/${jsonPointerSegment(name.length > MAX_NAME_LENGTH ? `${name.slice(0, MAX_NAME_LENGTH)}…` : name)}`;
  });
  return redactPointer(segments.join(''));
}

/**
 * Flattens zod issues into `{ path, message }` pairs for the problem document. The path names the field (a name
 * holding a resident registration number is redacted, a long one cut); the message describes the rule, never the
 * value: an unknown member is reported at its own path rather than quoted in zod's message.
 */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pointerOf([...issue.path, key]), message: 'is not accepted here' }));
    }
    return [{ path: pointerOf(issue.path), message: containsResidentRegistrationNumber(issue.message) ? 'is not valid here' : issue.message }];
  });
}
