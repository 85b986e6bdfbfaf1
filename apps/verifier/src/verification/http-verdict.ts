import { containsResidentRegistrationNumber } from '@citycred/credentials';
import { AppError, ErrorCode, problemFor } from '@citycred/errors';
import { PROBLEM_JSON, type HttpReply } from '@citycred/http';
import type { ZodError } from 'zod';

/** A plain option name a problem may repeat (anything else is only described). */
const OPTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The problem for a verify request whose body did not parse: `verification.unknown-option` naming the first member
 * of `options` the endpoint does not know (VC-API: an option is never silently ignored), else `request.invalid`.
 * @param known - the endpoint's option names, listed in the detail
 * @param shape - the body's shape, as the detail of `request.invalid` describes it
 * @param where - `options` (the default: the options are the body's `options` member) or `body` (the options are
 *   the body's own members, as in `POST /scan/presentations`)
 */
export function verifyRequestProblem(error: ZodError, known: readonly string[], shape: string, where: 'options' | 'body' = 'options'): AppError {
  const path = where === 'options' ? ['options'] : [];
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === path.length && i.path.every((key, n) => key === path[n]));
  const name = issue && 'keys' in issue ? issue.keys[0] : undefined;
  if (name !== undefined) {
    const plain = OPTION_NAME.test(name) && !containsResidentRegistrationNumber(name);
    if (where === 'body') {
      return new AppError(ErrorCode.VerificationUnknownOption, `${plain ? name : '(a member named in free text)'} is not a member of this endpoint's body; the members are ${known.join(', ')}.`);
    }
    return new AppError(ErrorCode.VerificationUnknownOption, `options.${plain ? name : '(an option named in free text)'} is not an option of this endpoint; the options are ${known.join(', ')}.`);
  }
  return new AppError(ErrorCode.RequestInvalid, `The body must be ${shape}.`);
}

/**
 * Answers a verification as VC-API verifiers do: 200 with the result when verified, 400 problem+json
 * (`verification.failed`, the errors as detail) carrying the same members when not.
 */
export function sendVerdict<T extends { verified: boolean; errors: string[] }>(reply: HttpReply, result: T): void {
  if (result.verified) {
    void reply.status(200).send(result);
    return;
  }
  void reply
    .status(400)
    .header('content-type', PROBLEM_JSON)
    .send({ ...problemFor(ErrorCode.VerificationFailed, result.errors.join('; ')), ...result });
}
