import { readFileSync } from 'node:fs';
import { Controller, Get, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';

/** The page's own files, read once. */
const files = {
  html: read('scan.html'),
  script: read('scan.js'),
  outcome: read('outcome.js'),
  style: read('scan.css'),
};

function read(name: string): Buffer {
  return readFileSync(new URL(`./public/${name}`, import.meta.url));
}

/**
 * The Content Security Policy of the scanner's files: scripts and styles from this origin only, requests (the
 * presentation request and its event stream) to this origin only; the QR code is inlined as SVG nodes, and the only
 * image is the empty `data:` icon.
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
 * credential policy, the page makes an OpenID4VP presentation request on this verifier, shows its QR code, follows the
 * request's event stream and shows the decision — never the claims, which the verifier does not keep.
 */
@Controller('scan')
export class ScanPageController {
  /** The page (Korean by default; `?lang=en` or its switch for English). */
  @Get()
  page(@Res() reply: HttpReply): void {
    send(reply, 'text/html; charset=utf-8', files.html);
  }

  @Get('scan.js')
  script(@Res() reply: HttpReply): void {
    send(reply, 'text/javascript; charset=utf-8', files.script);
  }

  @Get('outcome.js')
  outcome(@Res() reply: HttpReply): void {
    send(reply, 'text/javascript; charset=utf-8', files.outcome);
  }

  @Get('scan.css')
  style(@Res() reply: HttpReply): void {
    send(reply, 'text/css; charset=utf-8', files.style);
  }
}

function send(reply: HttpReply, type: string, body: Buffer): void {
  void reply
    .status(200)
    .header('content-type', type)
    .header('content-security-policy', SCAN_PAGE_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache')
    .send(body);
}
