import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { IMMUTABLE, sendPageFile } from '../pages/page-files.js';
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
 * The employer scanner `GET /scan` (docs/oid4vp.md) and its files: a Vite + React app (`apps/verifier/pages-ui`, its
 * hashed assets under `/scan/assets/`) with no inline script or style. The employer picks a
 * credential policy; the page either makes an OpenID4VP presentation request on this verifier, shows its QR code and
 * follows the request's event stream, or reads the worker's presentation QR code with the camera and has it checked
 * (`POST /scan/presentations`); it shows the decision — never the claims, which the verifier does not keep, but
 * those the policy shows (work history: the employer, role, period, total hours and attendance root).
 */
@Controller('scan')
export class ScanPageController {
  constructor(@Inject(ScanPageFiles) private readonly files: ScanPageFiles) {}

  /** The page (Korean by default; `?lang=en` or its switch for English); 503 problem where it was not built. */
  @Get()
  page(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.page(), SCAN_PAGE_POLICY);
  }

  /** A hashed asset of the page's build, kept for a year; 404 problem for any other name. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    sendPageFile(reply, this.files.asset(name), SCAN_PAGE_POLICY, IMMUTABLE);
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
