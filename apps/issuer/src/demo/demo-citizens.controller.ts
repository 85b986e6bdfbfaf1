import { Controller, Get, Headers, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import type { ConsoleBuild } from '../console-ui-static.js';
import { DemoCitizenOffers } from './demo-citizen-offers.js';

/** Injection token of the demo page's build (`apps/issuer/demo-ui`), or undefined where it was not built. */
export const DEMO_PAGE_BUILD = Symbol.for('citycred.issuer.demo.page-build');

/**
 * The demo page's Content-Security-Policy: its scripts, styles and requests on this origin only, QR codes drawn as
 * inline SVG by the page, no framing. Opening the wallet is a navigation, which the policy does not restrict.
 */
export const DEMO_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const COMMON_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' } as const;

function setHeaders(reply: HttpReply, headers: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(headers)) void reply.header(name, value);
}

/**
 * The embedded demo's citizens (only registered when `DEMO_CITIZENS_FILE` is set): the page `GET /demo/citizens`
 * (Vite + React, `apps/issuer/demo-ui`), its list `GET /demo/citizens.json`, and `POST /demo/citizens/:id/offers`,
 * which has every agency offer that citizen their credentials. No API key: it is a demo kit for a machine of one's own.
 */
@Controller('demo')
export class DemoCitizensController {
  constructor(
    @Inject(DemoCitizenOffers) private readonly citizens: DemoCitizenOffers,
    @Inject(DEMO_PAGE_BUILD) private readonly build: ConsoleBuild | undefined,
  ) {}

  /** The page (Korean; `?lang=en` or its switch for English); 503 problem where it was not built. */
  @Get('citizens')
  page(@Headers('if-none-match') etag: string | undefined, @Res() reply: HttpReply): void {
    if (!this.build) throw new AppError(ErrorCode.ServiceUnavailable, 'The demo page is not built on this server (npm run build makes it).');
    const { page } = this.build;
    setHeaders(reply, { ...COMMON_HEADERS, 'cache-control': 'no-cache', 'content-security-policy': DEMO_PAGE_CSP, 'x-frame-options': 'DENY', etag: page.etag });
    if (etag === page.etag) void reply.status(304).send('');
    else void reply.status(200).header('content-type', page.type).send(page.body);
  }

  /** A hashed asset of the page, kept for a year; 404 problem for any other name. */
  @Get('citizens/assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    const file = this.build?.assets.get(name);
    if (!file) throw new AppError(ErrorCode.NotFound, 'Nothing is served at this path.');
    setHeaders(reply, { ...COMMON_HEADERS, 'cache-control': 'public, max-age=31536000, immutable', etag: file.etag, 'content-type': file.type });
    void reply.send(file.body);
  }

  /** `GET /demo/citizens.json` → `{programYear, walletUrl, citizens: [{id, name, nameEn, summary, age, youthAllowance, youthRentSupport?, credentials}]}`. */
  @Get('citizens.json')
  @RateLimited()
  list(@Query() query: unknown, @Res() reply: HttpReply): void {
    refuseQueryParameters(query, 'GET /demo/citizens.json');
    void reply.header('cache-control', 'no-store').send(this.citizens.list());
  }

  /** `POST /demo/citizens/:id/offers` → 201 `{citizen, offers: [{type, tenant, labels, offerId, credential_offer_link, expiresAt}], walletLink}`. */
  @Post('citizens/:id/offers')
  @RateLimited()
  async offers(@Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const offers = await this.citizens.offersFor(id);
    // Each offer link is the bearer of its offer: never cached.
    void reply.status(201).header('cache-control', 'no-store').send(offers);
  }
}
