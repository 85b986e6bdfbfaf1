import { Body, Controller, Inject, Post, Res } from '@nestjs/common';
import { RateLimited, type HttpReply } from '@citycred/http';
import { sendVerdict, verifyRequestProblem } from '../verification/http-verdict.js';
import { scanPresentationRequestSchema } from './scan-request.js';
import { ScannedPresentations } from './scanned-presentations.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const SCAN_PUBLIC_URL = Symbol.for('citycred.verifier.scan.public-url');

/** The employer scanner's API: a presentation a wallet shows as a QR code (docs/presentations.md). */
@Controller('scan')
export class ScanPresentationsController {
  constructor(
    @Inject(ScannedPresentations) private readonly scanned: ScannedPresentations,
    @Inject(SCAN_PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /**
   * `POST /scan/presentations` with `{presentation, policy}`: 200 with the verdict when the presentation verified and
   * the credential policy is satisfied, 400 problem+json with the same members when not — the decision and the
   * checks, never the holder nor the claims but those the policy shows (`shown`: work history's employer, role,
   * period, hours and attendance root).
   */
  @Post('presentations')
  @RateLimited()
  async verify(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = scanPresentationRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw verifyRequestProblem(parsed.error, ['presentation', 'policy'], "{presentation: <the QR code's text>, policy: <credential policy>}", 'body');
    }
    sendVerdict(reply, await this.scanned.verify(parsed.data.presentation, parsed.data.policy, this.publicUrl()));
  }
}
