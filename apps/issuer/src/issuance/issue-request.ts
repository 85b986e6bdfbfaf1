import { containsResidentRegistrationNumber, CREDENTIAL_MEMBER_NAMES, pointerForDisplay, undefinedMemberName } from '@citycred/credentials';
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

const pointerOf = (path: readonly PropertyKey[]): string =>
  pointerForDisplay(path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)));

/**
 * Flattens zod issues into `{ path, message }` pairs for the problem document. The path names the field by the rule
 * of `nameForDisplay` (`@citycred/credentials`): a name that is no plausible field name is `[unnamed]`, one holding a
 * resident registration number `[redacted]`. The message describes the rule, never the value. A member the request
 * does not accept is named only when it is a member of the credential data model (a client-set `issuanceDate`);
 * any other is reported at its parent's path, without its name.
 */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const named = issue.keys.flatMap((key) => {
        const name = undefinedMemberName(key, CREDENTIAL_MEMBER_NAMES);
        return name === undefined ? [] : [{ path: pointerOf([...issue.path, name]), message: 'is not accepted here' }];
      });
      const unnamed = named.length < issue.keys.length ? [{ path: pointerOf(issue.path), message: 'has a member this request does not define' }] : [];
      return [...named, ...unnamed];
    }
    return [{ path: pointerOf(issue.path), message: containsResidentRegistrationNumber(issue.message) ? 'is not valid here' : issue.message }];
  });
}
