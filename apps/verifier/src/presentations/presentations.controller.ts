import { Body, Controller, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { RateLimited, type HttpReply } from '@citycred/http';
import { sendVerdict, verifyRequestProblem } from '../verification/http-verdict.js';
import { VerifierMetrics } from '../metrics/verifier-metrics.js';
import { PolicyRegistry } from '../policies/index.js';
import { ChallengeStore } from './challenge-store.js';
import { choosePresentationPolicies } from './policy-choice.js';
import { verifyPresentationRequestSchema } from './presentation-request.js';
import { PresentationVerifier } from './presentation-verifier.js';

/** W3C VC-API presentation verification and challenges. */
@Controller()
export class PresentationsController {
  constructor(
    @Inject(PresentationVerifier) private readonly presentations: PresentationVerifier,
    @Inject(ChallengeStore) private readonly challenges: ChallengeStore,
    @Inject(PolicyRegistry) private readonly policies: PolicyRegistry,
    @Inject(VerifierMetrics) private readonly metrics: VerifierMetrics,
  ) {}

  /**
   * `POST /presentations/verify` with `{verifiablePresentation, options?: {challenge?, domain?, policy?, anchorProofs?}}`:
   * 200 with the result when the presentation and every credential in it verified, 400 problem+json with the same
   * members when not. Each credential's result carries what it says (`credential`: type, issuer, holder, disclosed
   * claims) only when it verified: the caller learns nothing from a credential that did not. `options.policy` may
   * name a credential policy (`age-over-19`, `age-over-19@1`, a benefit program such as `youth-allowance-2026`): the
   * answer then carries its `decision` and the decision's signed `receipt`, and is verified only when the decision is
   * satisfied. An eligible decision of a program records the applicant's participation (docs/youth-allowance.md).
   */
  @Post('presentations/verify')
  @RateLimited()
  async verify(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = verifyPresentationRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw verifyRequestProblem(parsed.error, ['challenge', 'domain', 'policy', 'anchorProofs'], '{verifiablePresentation: <presentation>, options?}');
    }
    const { challenge, domain, anchorProofs } = parsed.data.options ?? {};
    const { trust, credentialPolicy } = choosePresentationPolicies(parsed.data.options?.policy, this.policies);
    const result = await this.metrics.measure('presentation', () => this.presentations.verify(parsed.data.verifiablePresentation, {
      policy: trust,
      ...(credentialPolicy ? { credentialPolicy } : {}),
      ...(challenge === undefined ? {} : { challenge }),
      ...(domain === undefined ? {} : { domain }),
      ...(anchorProofs === undefined ? {} : { anchorProofs }),
    }));
    sendVerdict(reply, { ...result, credentials: result.credentials.map(({ credential, ...rest }) => (rest.verified && credential ? { ...rest, credential } : rest)) });
  }

  /** `POST /challenges`: a new single-use challenge for a holder to sign, `{challenge, expiresAt}`. */
  @Post('challenges')
  @HttpCode(200)
  @RateLimited()
  async challenge(): Promise<{ challenge: string; expiresAt: string }> {
    const { challenge, expiresAt } = await this.challenges.issue();
    return { challenge, expiresAt: expiresAt.toISOString() };
  }
}
