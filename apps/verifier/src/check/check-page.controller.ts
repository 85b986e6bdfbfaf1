import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { builtAsset, builtPage, readPageBuild, type PageBuild } from '../pages/page-build.js';
import { IMMUTABLE, packageScript, PAGE_TYPES, sendPageFile, type PageFile } from '../pages/page-files.js';
import type { CheckPageSettings } from './page-settings.js';

/** Injection token of the page's {@link CheckPageSettings}. */
export const CHECK_PAGE_SETTINGS = Symbol.for('citycred.verifier.check-page.settings');

/** Injection token of the page's build (`apps/verifier/pages-ui`, `--mode check`), or undefined where it was not built. */
export const CHECK_PAGE_BUILD = Symbol.for('citycred.verifier.check-page.build');

/**
 * PDF.js 4.10.38 (Apache-2.0, see NOTICE), from its npm package: it draws an uploaded certificate PDF so its QR code can
 * be read; the browser loads it, and its module worker, only when a PDF is chosen.
 */
const PDFJS = {
  script: packageScript('pdfjs-dist/build/pdf.min.mjs'),
  worker: packageScript('pdfjs-dist/build/pdf.worker.min.mjs'),
};

/** The check page's build, read once. */
export function readCheckPageBuild(): PageBuild | undefined {
  return readPageBuild('check');
}

/**
 * The public check page `GET /check` and its files: a Vite + React app (`apps/verifier/pages-ui`, its hashed assets
 * under `/check/assets/`), served with a strict Content Security Policy (scripts, styles and PDF.js's module worker
 * from this origin only, no inline script or style; requests to this origin and to the one issuer whose certificate
 * references the page may fetch). The credential travels in the URL fragment, which the browser never sends here; a
 * QR code read from the camera, a PDF or an image is decoded in the browser.
 */
@Controller('check')
export class CheckPageController {
  private readonly policy: string;
  private readonly settings: PageFile;

  constructor(
    @Inject(CHECK_PAGE_SETTINGS) settings: CheckPageSettings,
    @Inject(CHECK_PAGE_BUILD) private readonly build: PageBuild | undefined,
  ) {
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

  /** The page (Korean by default; `?lang=en` or its switch for English); 503 problem where it was not built. */
  @Get()
  page(@Res() reply: HttpReply): void {
    sendPageFile(reply, builtPage(this.build), this.policy);
  }

  /** A hashed asset of the page's build, kept for a year; 404 problem for any other name. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    sendPageFile(reply, builtAsset(this.build, name), this.policy, IMMUTABLE);
  }

  @Get('pdf.min.mjs')
  pdfjs(@Res() reply: HttpReply): void {
    sendPageFile(reply, PDFJS.script, this.policy);
  }

  @Get('pdf.worker.min.mjs')
  pdfjsWorker(@Res() reply: HttpReply): void {
    sendPageFile(reply, PDFJS.worker, this.policy);
  }

  /** The issuer origin references may name, and the catalogue's labels. */
  @Get('settings.json')
  pageSettings(@Res() reply: HttpReply): void {
    sendPageFile(reply, this.settings, this.policy);
  }
}
