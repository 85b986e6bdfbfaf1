import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { packageScript, PAGE_TYPES, pageFile, QR_READER_FILES, sendPageFile, type PageFile } from '../pages/page-files.js';
import type { CheckPageSettings } from './page-settings.js';

/** Injection token of the page's {@link CheckPageSettings}. */
export const CHECK_PAGE_SETTINGS = Symbol.for('citycred.verifier.check-page.settings');

/** The page's own files, read once. */
const files = {
  html: read('check.html', PAGE_TYPES.html),
  script: read('check.js', PAGE_TYPES.script),
  verdict: read('verdict.js', PAGE_TYPES.script),
  pdfQr: read('pdf-qr.js', PAGE_TYPES.script),
  style: read('check.css', PAGE_TYPES.style),
  // PDF.js 4.10.38 (Apache-2.0, see NOTICE) draws an uploaded certificate PDF so its QR code can be read; the
  // browser loads it, and its worker, only when a PDF is chosen.
  pdfjs: packageScript('pdfjs-dist/build/pdf.min.mjs'),
  pdfjsWorker: packageScript('pdfjs-dist/build/pdf.worker.min.mjs'),
};

function read(name: string, type: string): PageFile {
  return pageFile(new URL(`./public/${name}`, import.meta.url), type);
}

/**
 * The public check page `GET /check` and its files: static, no framework, served with a strict Content Security
 * Policy (scripts, styles and PDF.js's module worker from this origin only; requests to this origin and to the one
 * issuer whose certificate references the page may fetch). The credential travels in the URL fragment, which the
 * browser never sends here; a QR code read from the camera, a PDF or an image is decoded in the browser.
 */
@Controller('check')
export class CheckPageController {
  private readonly policy: string;
  private readonly settings: PageFile;

  constructor(@Inject(CHECK_PAGE_SETTINGS) settings: CheckPageSettings) {
    this.settings = { type: PAGE_TYPES.json, body: JSON.stringify(settings) };
    this.policy = [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "worker-src 'self'",
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
    sendPageFile(reply, files.html, this.policy);
  }

  @Get('check.js')
  script(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.script, this.policy);
  }

  @Get('verdict.js')
  verdict(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.verdict, this.policy);
  }

  @Get('pdf-qr.js')
  pdfQr(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.pdfQr, this.policy);
  }

  @Get('check.css')
  style(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.style, this.policy);
  }

  @Get('qr-reader.js')
  qrReader(@Res() reply: HttpReply): void {
    sendPageFile(reply, QR_READER_FILES.reader, this.policy);
  }

  @Get('jsqr.js')
  jsqr(@Res() reply: HttpReply): void {
    sendPageFile(reply, QR_READER_FILES.jsqr, this.policy);
  }

  @Get('pdf.min.mjs')
  pdfjs(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.pdfjs, this.policy);
  }

  @Get('pdf.worker.min.mjs')
  pdfjsWorker(@Res() reply: HttpReply): void {
    sendPageFile(reply, files.pdfjsWorker, this.policy);
  }

  /** The issuer origin references may name, and the catalogue's labels. */
  @Get('settings.json')
  pageSettings(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.settings, this.policy);
  }
}
