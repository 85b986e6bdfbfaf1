import { Controller, Get, Inject, Res } from '@nestjs/common';
import { RateLimited, type HttpReply } from '@citycred/http';
import { sendPageFile } from '../pages/page-files.js';
import { OfflineBundles } from './offline-bundle.js';
import { ScanPageFiles } from './scan-page-files.js';
import { SCAN_PAGE_POLICY } from './scan-page.controller.js';
import { SCAN_PUBLIC_URL } from './scan-presentations.controller.js';

/** The media type of the bundle: a JWT (RFC 7519), its header's `typ` saying which. */
const BUNDLE_MEDIA_TYPE = 'application/jwt';

/**
 * The employer scanner offline (docs/presentations.md, "Offline scanning"): the signed bundle the page keeps to
 * verify a worker's QR code without network, and the browser module that verifies it.
 */
@Controller('scan')
export class ScanOfflineController {
  constructor(
    @Inject(OfflineBundles) private readonly bundles: OfflineBundles,
    @Inject(SCAN_PUBLIC_URL) private readonly publicUrl: () => string,
    @Inject(ScanPageFiles) private readonly files: ScanPageFiles,
  ) {}

  /**
   * `GET /scan/offline-bundle`: the compact JWS (`typ: citycred-scan-bundle+jwt`, signed by the verifier's
   * request-signing key); 503 problem when the chain does not answer and no bundle built before is still valid.
   */
  @Get('offline-bundle')
  @RateLimited()
  async bundle(@Res() reply: HttpReply): Promise<void> {
    const jws = await this.bundles.current(this.publicUrl());
    void reply
      .status(200)
      .header('content-type', BUNDLE_MEDIA_TYPE)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(jws);
  }

  /**
   * `GET /scan/offline.js`: the offline verifier (an ES module), with the scanner's Content Security Policy; 503
   * problem on a server started before `npm run build` made it.
   */
  @Get('offline.js')
  offlineScript(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.offlineVerifier(), SCAN_PAGE_POLICY);
  }
}
