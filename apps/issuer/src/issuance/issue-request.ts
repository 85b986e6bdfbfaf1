import { containsResidentRegistrationNumber, CREDENTIAL_MEMBER_NAMES, pointerForDisplay, undefinedMemberName } from '@citycred/credentials';
import { CREDENTIAL_FORMAT_IDS } from '@citycred/formats';
import { z } from 'zod';

/** A public JWK (the holder key an SD-JWT VC is bound to): private members are refused. */
const publicJwk = z
  .object({ kty: z.enum(['EC', 'OKP']), crv: z.string().min(1).max(16), x: z.string().min(1).max(200), y: z.string().min(1).max(200).optional() })
  .strict();

/**
 * Body of `POST /credentials/issue` (W3C VC-API): `{credential, options?}`. The credential is complete and without
 * proof; its members are checked by the issuance command (`completeCredential`), not here, so that every VCDM member
 * a client may send is accepted and a problem is reported by JSON pointer. `options.format` picks the format
 * (`jwt_vc`, `vc+jwt`, `dc+sd-jwt`; default by data model); `options.proofFormat` (`jwt`, `sd-jwt`) is the older
 * spelling; `options.credentialId` is VC-API's way to name the credential's id.
 */
export const issueRequestSchema = z
  .object({
    credential: z.record(z.string(), z.unknown()),
    options: z
      .object({
        format: z.enum(CREDENTIAL_FORMAT_IDS).optional(),
        proofFormat: z.enum(['jwt', 'sd-jwt']).optional(),
        credentialId: z.string().min(1).max(100).optional(),
        holderJwk: publicJwk.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** A parsed issue request. */
export type IssueRequest = z.output<typeof issueRequestSchema>;

/** Member names an answer may name: the data model's and the options'. */
const REQUEST_MEMBER_NAMES: ReadonlySet<string> = new Set([...CREDENTIAL_MEMBER_NAMES, 'format', 'credentialId', 'holderJwk', 'kty', 'crv', 'x', 'y', 'd']);

const pointerOf = (path: readonly PropertyKey[]): string =>
  pointerForDisplay(path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)));

/**
 * Flattens zod issues into `{ path, message }` pairs for the problem document. The path names the field by the rule
 * of `nameForDisplay` (`@citycred/credentials`): a name that is no plausible field name is `[unnamed]`, one holding a
 * resident registration number `[redacted]`. The message describes the rule, never the value. A member the request
 * does not accept is named only when it is a member of the credential data model; any other is reported at its
 * parent's path, without its name.
 */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const named = issue.keys.flatMap((key) => {
        const name = undefinedMemberName(key, REQUEST_MEMBER_NAMES);
        return name === undefined ? [] : [{ path: pointerOf([...issue.path, name]), message: 'is not accepted here' }];
      });
      const unnamed = named.length < issue.keys.length ? [{ path: pointerOf(issue.path), message: 'has a member this request does not define' }] : [];
      return [...named, ...unnamed];
    }
    return [{ path: pointerOf(issue.path), message: containsResidentRegistrationNumber(issue.message) ? 'is not valid here' : issue.message }];
  });
}
