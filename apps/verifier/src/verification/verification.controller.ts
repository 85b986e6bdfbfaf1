import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { containsResidentRegistrationNumber } from '@citycred/credentials';
import { AppError, ErrorCode, problemFor } from '@citycred/errors';
import { PROBLEM_JSON, RateLimited, type HttpReply } from '@citycred/http';
import { CredentialVerifier } from './credential-verifier.js';
import { policyNamed } from './verification-policy.js';
import { verifyRequestSchema } from './verify-request.js';

/** A plain option name a problem may repeat (anything else is only described). */
const OPTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** The first unknown member of `options` a zod parse of the request found, as a problem may name it. */
function unknownOption(issues: ReadonlyArray<{ code: string; path: ReadonlyArray<PropertyKey>; keys?: readonly string[] }>): string | undefined {
  const issue = issues.find((i) => i.code === 'unrecognized_keys' && i.path.length === 1 && i.path[0] === 'options');
  const name = issue?.keys?.[0];
  if (name === undefined) return undefined;
  return OPTION_NAME.test(name) && !containsResidentRegistrationNumber(name) ? name : '(an option named in free text)';
}

/** W3C VC-API verifying endpoint. */
@Controller('credentials')
export class VerificationController {
  constructor(@Inject(CredentialVerifier) private readonly verifier: CredentialVerifier) {}

  /**
   * `POST /credentials/verify` with `{verifiableCredential, options?: {anchorProof?, policy?}}`: 200 with the result
   * when verified, 400 problem+json carrying the same result members when not; 400 `verification.unknown-policy`
   * for a policy name that is not one of the named policies (`city`, the default, `city-strict`, `city-delegates`,
   * `open`); 400 `verification.unknown-option` naming an option this verifier does not know (VC-API: never ignored).
   */
  @Post('verify')
  @RateLimited()
  async verify(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = verifyRequestSchema.safeParse(body);
    if (!parsed.success) {
      const unknown = unknownOption(parsed.error.issues);
      if (unknown !== undefined) {
        throw new AppError(ErrorCode.VerificationUnknownOption, `options.${unknown} is not an option of this verifier; the options are anchorProof and policy.`);
      }
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {verifiableCredential: <credential object or compact JWT>, options?}.');
    }
    const policy = policyNamed(parsed.data.options?.policy);
    const result = await this.verifier.verify(parsed.data.verifiableCredential, { anchorProof: parsed.data.options?.anchorProof, policy });
    if (result.verified) {
      void reply.status(200).send(result);
      return;
    }
    void reply
      .status(400)
      .header('content-type', PROBLEM_JSON)
      .send({ ...problemFor(ErrorCode.VerificationFailed, result.errors.join('; ')), ...result });
  }
}
