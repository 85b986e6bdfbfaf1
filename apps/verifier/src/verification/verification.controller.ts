import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { RateLimited, type HttpReply } from '@citycred/http';
import { VerifierMetrics } from '../metrics/verifier-metrics.js';
import { CredentialVerifier } from './credential-verifier.js';
import { sendVerdict, verifyRequestProblem } from './http-verdict.js';
import { policyNamed } from './verification-policy.js';
import { verifyRequestSchema } from './verify-request.js';

/** W3C VC-API verifying endpoint. */
@Controller('credentials')
export class VerificationController {
  constructor(
    @Inject(CredentialVerifier) private readonly verifier: CredentialVerifier,
    @Inject(VerifierMetrics) private readonly metrics: VerifierMetrics,
  ) {}

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
    if (!parsed.success) throw verifyRequestProblem(parsed.error, ['anchorProof', 'policy'], '{verifiableCredential: <credential object or compact JWT>, options?}');
    const policy = policyNamed(parsed.data.options?.policy);
    // The caller sent the credential: its claims are not echoed back.
    const { credential: _read, ...result } = await this.metrics.measure('credential', () =>
      this.verifier.verify(parsed.data.verifiableCredential, { anchorProof: parsed.data.options?.anchorProof, policy }),
    );
    sendVerdict(reply, result);
  }
}
