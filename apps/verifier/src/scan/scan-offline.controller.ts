import { existsSync } from 'node:fs';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import { PAGE_TYPES, pageFile, sendPageFile, type PageFile } from '../pages/page-files.js';
import { OfflineBundles } from './offline-bundle.js';
import { SCAN_PAGE_POLICY } from './scan-page.controller.js';
import { SCAN_PUBLIC_URL } from './scan-presentations.controller.js';

/**
 * Where `npm run build` (tools/build.mjs) writes the offline verifier, bundled from `src/scan/offline/` for the
 * browser: `apps/verifier/dist/scan-offline/offline.js`, found from this module as source (`src/scan/`) and as built
 * output (`dist/scan/`) alike.
 */
export const OFFLINE_SCRIPT_URL = new URL('../../dist/scan-offline/offline.js', import.meta.url);

/** The media type of the bundle: a JWT (RFC 7519), its header's `typ` saying which. */
const BUNDLE_MEDIA_TYPE = 'application/jwt';

/**
 * The employer scanner offline (docs/presentations.md, "Offline scanning"): the signed bundle the page keeps to
 * verify a worker's QR code without network, and the browser module that verifies it.
 */
@Controller('scan')
export class ScanOfflineController {
  /** The built module, read once when first asked for. */
  private script: PageFile | undefined;

  constructor(
    @Inject(OfflineBundles) private readonly bundles: OfflineBundles,
    @Inject(SCAN_PUBLIC_URL) private readonly publicUrl: () => string,
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

  /** `GET /scan/offline.js`: the offline verifier (an ES module), with the scanner's Content Security Policy. */
  @Get('offline.js')
  offlineScript(@Res() reply: HttpReply): void {
    if (!this.script) {
      if (!existsSync(OFFLINE_SCRIPT_URL)) {
        throw new AppError(ErrorCode.ServiceUnavailable, 'The offline verifier is not built on this server (npm run build makes it).');
      }
      this.script = pageFile(OFFLINE_SCRIPT_URL, PAGE_TYPES.script);
    }
    sendPageFile(reply, this.script, SCAN_PAGE_POLICY);
  }
}
