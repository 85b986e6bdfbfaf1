import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { builtAsset, builtPage, readPageBuild, type PageBuild } from '../pages/page-build.js';
import { IMMUTABLE, sendPageFile } from '../pages/page-files.js';

/** Injection token of the signing pages' build (`apps/verifier/pages-ui`, `--mode sign`), or undefined where it was not built. */
export const SIGN_PAGE_BUILD = Symbol.for('citycred.verifier.sign-page.build');

/** The signing pages' build, read once. */
export function readSignPageBuild(): PageBuild | undefined {
  return readPageBuild('sign');
}

/** Scripts and styles from this origin only, no inline code; requests to this origin only; the QR code is inline SVG. */
const SIGN_PAGE_CSP = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' blob: data:", "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');

/**
 * The public signing page `GET /sign` (choose a file — hashed in the browser — show the request's QR code and
 * same-device link, download the receipt) and the signature check `GET /signatures/check` (a document and a receipt):
 * one Vite + React build (`apps/verifier/pages-ui`, its hashed assets under `/sign/assets/`). docs/e-signature.md.
 */
@Controller()
export class SignPageController {
  constructor(@Inject(SIGN_PAGE_BUILD) private readonly build: PageBuild | undefined) {}

  /** The signing page; 503 problem where it was not built. */
  @Get('sign')
  page(@Res() reply: HttpReply): void {
    sendPageFile(reply, builtPage(this.build), SIGN_PAGE_CSP);
  }

  /** The signature check page (the same build). */
  @Get('signatures/check')
  checkPage(@Res() reply: HttpReply): void {
    sendPageFile(reply, builtPage(this.build), SIGN_PAGE_CSP);
  }

  /** A hashed asset of the build, kept for a year; 404 problem for any other name. */
  @Get('sign/assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    sendPageFile(reply, builtAsset(this.build, name), SIGN_PAGE_CSP, IMMUTABLE);
  }
}
