import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { builtAsset, builtPage, type PageBuild } from '../pages/page-build.js';
import { IMMUTABLE, sendPageFile } from '../pages/page-files.js';
import { Applications } from './applications.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const APPLY_PUBLIC_URL = Symbol.for('citycred.verifier.apply.public-url');

/** Token of the application page's build (`apps/verifier/pages-ui`, `--mode apply`), or undefined where it was not built. */
export const APPLY_PAGE_BUILD = Symbol.for('citycred.verifier.apply.build');

/**
 * The Content Security Policy of the application page's files: scripts and styles from this origin only, requests
 * (the page API) to this origin only; the QR codes are inlined as SVG nodes and the only image is the empty `data:`
 * icon. The receipt is downloaded from this origin by a link, which no fetch directive governs.
 */
export const APPLY_PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The programs' application pages (docs/youth-allowance.md, "The application page"): `GET /apply/{page}`, one Vite +
 * React page for every program with a `page` in its configuration, which reads what to show from the page API.
 */
@Controller('apply')
export class ApplyPageController {
  constructor(
    @Inject(Applications) private readonly applications: Applications,
    @Inject(APPLY_PAGE_BUILD) private readonly build: PageBuild | undefined,
  ) {}

  /** A hashed asset of the page's build, kept for a year; 404 problem for any other name. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    sendPageFile(reply, builtAsset(this.build, name), APPLY_PAGE_POLICY, IMMUTABLE);
  }

  /** A program's page (Korean by default; `?lang=en` or its switch for English); 404 problem for a slug no program has. */
  @Get(':page')
  page(@Param('page') slug: string, @Res() reply: HttpReply): void {
    this.applications.page(slug);
    sendPageFile(reply, builtPage(this.build), APPLY_PAGE_POLICY);
  }
}

/**
 * The application pages' API (docs/http-api.md, "Application pages"): what a program's page shows, applications made
 * and followed by their id, the eligibility offer and the decision receipt. Every answer is `no-store`.
 */
@Controller('apply/api')
export class ApplyApiController {
  constructor(
    @Inject(Applications) private readonly applications: Applications,
    @Inject(APPLY_PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /** `GET /apply/api/{page}`: the program's page as its configuration derives it (no personal data). */
  @Get(':page')
  program(@Param('page') slug: string, @Query() query: unknown, @Res() reply: HttpReply): void {
    refuseQueryParameters(query, 'GET /apply/api/{page}');
    send(reply, 200, this.applications.page(slug));
  }

  /** `POST /apply/api/{page}/applications` (`{}`) → 201 `{id, deepLink, walletLink, qrSvg, expiresAt}`. */
  @Post(':page/applications')
  @HttpCode(201)
  @RateLimited()
  async create(@Param('page') slug: string, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    if (body !== undefined && body !== null && !(typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be empty or {}.');
    }
    send(reply, 201, await this.applications.create(slug, this.publicUrl()));
  }

  /** `GET /apply/api/{page}/applications/{id}`: pending, decided (criteria with reasons), or closed with a reason. */
  @Get(':page/applications/:id')
  async status(@Param('page') slug: string, @Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    send(reply, 200, await this.applications.status(slug, id));
  }

  /** `POST /apply/api/{page}/applications/{id}/eligibility-offer` → 200 the offer (the same one when asked again). */
  @Post(':page/applications/:id/eligibility-offer')
  @HttpCode(200)
  @RateLimited()
  async offer(@Param('page') slug: string, @Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    send(reply, 200, await this.applications.offer(slug, id));
  }

  /** `GET /apply/api/{page}/applications/{id}/receipt`: the signed decision receipt as a file (`application/jwt`). */
  @Get(':page/applications/:id/receipt')
  async receipt(@Param('page') slug: string, @Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const { receipt, filename } = await this.applications.receipt(slug, id);
    void reply
      .status(200)
      .header('content-type', 'application/jwt')
      .header('content-disposition', `attachment; filename="${filename}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-store')
      .send(receipt);
  }
}

function send(reply: HttpReply, status: number, body: unknown): void {
  void reply.status(status).header('cache-control', 'no-store').send(body);
}
