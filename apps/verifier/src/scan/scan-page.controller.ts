import { Controller, Get, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { PAGE_TYPES, pageFile, QR_READER_FILES, sendPageFile, type PageFile } from '../pages/page-files.js';

/** The page's own files, read once. */
const files = {
  html: read('scan.html', PAGE_TYPES.html),
  script: read('scan.js', PAGE_TYPES.script),
  outcome: read('outcome.js', PAGE_TYPES.script),
  style: read('scan.css', PAGE_TYPES.style),
};

function read(name: string, type: string): PageFile {
  return pageFile(new URL(`./public/${name}`, import.meta.url), type);
}

/**
 * The Content Security Policy of the scanner's files: scripts and styles from this origin only, requests (the
 * presentation request and its event stream, a presentation read from the camera) to this origin only; the QR code
 * is inlined as SVG nodes, the only image is the empty `data:` icon, and the camera preview is a media stream, which
 * no fetch directive governs.
 */
export const SCAN_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src data:",
  "connect-src 'self'",
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
  /** The page (Korean by default; `?lang=en` or its switch for English). */
  @Get()
  page(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.html, SCAN_PAGE_POLICY);
  }

  @Get('scan.js')
  script(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.script, SCAN_PAGE_POLICY);
  }

  @Get('outcome.js')
  outcome(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.outcome, SCAN_PAGE_POLICY);
  }

  @Get('scan.css')
  style(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.style, SCAN_PAGE_POLICY);
  }

  @Get('qr-reader.js')
  qrReader(@Res() reply: HttpReply): void {
    sendPageFile(reply, QR_READER_FILES.reader, SCAN_PAGE_POLICY);
  }

  @Get('jsqr.js')
  jsqr(@Res() reply: HttpReply): void {
    sendPageFile(reply, QR_READER_FILES.jsqr, SCAN_PAGE_POLICY);
  }
}
