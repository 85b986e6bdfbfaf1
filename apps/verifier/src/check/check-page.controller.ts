import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import type { CheckPageSettings } from './page-settings.js';

/** Injection token of the page's {@link CheckPageSettings}. */
export const CHECK_PAGE_SETTINGS = Symbol.for('citycred.verifier.check-page.settings');

/** The page's own files, read once. */
const files = {
  html: read('check.html'),
  script: read('check.js'),
  verdict: read('verdict.js'),
  style: read('check.css'),
  // jsQR 1.4.0 (Apache-2.0) decodes uploaded QR images in the browser; served from its npm package.
  jsqr: readFileSync(createRequire(import.meta.url).resolve('jsqr')),
};

function read(name: string): Buffer {
  return readFileSync(new URL(`./public/${name}`, import.meta.url));
}

/**
 * The public check page `GET /check` and its files: static, no framework, served with a strict Content Security
 * Policy (scripts and styles from this origin only; requests to this origin and to the one issuer whose certificate
 * references the page may fetch). The credential travels in the URL fragment, which the browser never sends here.
 */
@Controller('check')
export class CheckPageController {
  private readonly policy: string;
  private readonly settings: string;

  constructor(@Inject(CHECK_PAGE_SETTINGS) settings: CheckPageSettings) {
    this.settings = JSON.stringify(settings);
    this.policy = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' blob: data:",
      `connect-src 'self' ${settings.issuerOrigins.join(' ')}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
  }

  /** The page (Korean by default; `?lang=en` or its switch for English). */
  @Get()
  page(@Res() reply: HttpReply): void {
    this.send(reply, 'text/html; charset=utf-8', files.html);
  }

  @Get('check.js')
  script(@Res() reply: HttpReply): void {
    this.send(reply, 'text/javascript; charset=utf-8', files.script);
  }

  @Get('verdict.js')
  verdict(@Res() reply: HttpReply): void {
    this.send(reply, 'text/javascript; charset=utf-8', files.verdict);
  }

  @Get('check.css')
  style(@Res() reply: HttpReply): void {
    this.send(reply, 'text/css; charset=utf-8', files.style);
  }

  @Get('jsqr.js')
  jsqr(@Res() reply: HttpReply): void {
    this.send(reply, 'text/javascript; charset=utf-8', files.jsqr);
  }

  /** The issuer origin references may name, and the catalogue's labels. */
  @Get('settings.json')
  pageSettings(@Res() reply: HttpReply): void {
    this.send(reply, 'application/json; charset=utf-8', this.settings);
  }

  private send(reply: HttpReply, type: string, body: Buffer | string): void {
    void reply
      .status(200)
      .header('content-type', type)
      .header('content-security-policy', this.policy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(body);
  }
}
