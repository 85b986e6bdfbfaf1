import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { AppError, ErrorCode, problemFor } from '@citycred/errors';
import { PROBLEM_JSON, RateLimited, type HttpReply } from '@citycred/http';
import { CredentialVerifier } from './credential-verifier.js';
import { policyNamed } from './verification-policy.js';
import { verifyRequestSchema } from './verify-request.js';

/** W3C VC-API verifying endpoint. */
@Controller('credentials')
export class VerificationController {
  constructor(@Inject(CredentialVerifier) private readonly verifier: CredentialVerifier) {}

  /**
   * `POST /credentials/verify` with `{verifiableCredential, options?: {anchorProof?, policy?}}`: 200 with the result
   * when verified, 400 problem+json carrying the same result members when not; 400 `verification.unknown-policy`
   * for a policy name that is not one of the named policies (`city`, the default, and `city-strict`).
   */
  @Post('verify')
  @RateLimited()
  async verify(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = verifyRequestSchema.safeParse(body);
    if (!parsed.success) {
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
