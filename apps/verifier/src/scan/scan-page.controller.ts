import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { sendPageFile } from '../pages/page-files.js';
import { SCAN_PAGE_PATHS, ScanPageFiles } from './scan-page-files.js';

/**
 * The Content Security Policy of the scanner's files: scripts and styles from this origin only, requests (the
 * presentation request and its event stream, a presentation read from the camera) to this origin only; the QR code
 * is inlined as SVG nodes, the only image is the empty `data:` icon, and the camera preview is a media stream, which
 * no fetch directive governs; the one worker is the page's service worker, from this origin.
 */
export const SCAN_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The employer scanner `GET /scan` (docs/oid4vp.md) and its files: static, no framework. The employer picks a
 * credential policy; the page either makes an OpenID4VP presentation request on this verifier, shows its QR code and
 * follows the request's event stream, or reads the worker's presentation QR code with the camera and has it checked
 * (`POST /scan/presentations`); it shows the decision — never the claims, which the verifier does not keep.
 */
@Controller('scan')
export class ScanPageController {
  constructor(@Inject(ScanPageFiles) private readonly files: ScanPageFiles) {}

  /** The page (Korean by default; `?lang=en` or its switch for English). */
  @Get()
  page(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('page'), SCAN_PAGE_POLICY);
  }

  @Get('scan.js')
  script(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('script'), SCAN_PAGE_POLICY);
  }

  @Get('outcome.js')
  outcome(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('outcome'), SCAN_PAGE_POLICY);
  }

  @Get('scan.css')
  style(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('style'), SCAN_PAGE_POLICY);
  }

  @Get('qr-reader.js')
  qrReader(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('qrReader'), SCAN_PAGE_POLICY);
  }

  @Get('jsqr.js')
  jsqr(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.file('jsqr'), SCAN_PAGE_POLICY);
  }

  /**
   * `GET /scan/sw.js`: the service worker that keeps the page's files so that `/scan` opens without network
   * (docs/presentations.md, "Offline scanning"). Its scope is the page itself, `/scan`, which lies above the script's
   * own folder (`/scan/`): `Service-Worker-Allowed` lets the page register it there.
   */
  @Get('sw.js')
  serviceWorker(@Res() reply: HttpReply): void {
    void reply.header('service-worker-allowed', SCAN_PAGE_PATHS.page);
    sendPageFile(reply, this.files.serviceWorker, SCAN_PAGE_POLICY);
  }
}
