import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, refuseQueryParameters, type HttpReply } from '@citycred/http';
import { z } from 'zod';
import { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import { receiveWalletResponse, RequestObjectRoute, sendRequestObject, WalletResponseRoute } from '../oid4vp/wallet-routes.js';
import { builtAsset, builtPage, type PageBuild } from '../pages/page-build.js';
import { IMMUTABLE, sendPageFile } from '../pages/page-files.js';
import { PetitionAdmins } from './petition-admins.js';
import { Petitions } from './petitions.service.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const PETITIONS_PUBLIC_URL = Symbol.for('citycred.verifier.petitions.public-url');
/** Token of the petitions' own OpenID4VP service. */
export const PETITIONS_OID4VP = Symbol.for('citycred.verifier.petitions.oid4vp');
/** Token of the petition page's build (`apps/verifier/pages-ui`, `--mode petitions`), or undefined where it was not built. */
export const PETITION_PAGE_BUILD = Symbol.for('citycred.verifier.petitions.page-build');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** No control characters (a line break is allowed in the description). */
const PLAIN = /^[^\u0000-\u0008\u000b-\u001f\u007f]*$/;

/** The petition page's Content Security Policy: scripts, styles and requests to this origin only; the QR code is inline SVG. */
export const PETITION_PAGE_CSP = ["default-src 'none'", "script-src 'self'", "style-src 'self'", 'img-src data:', "connect-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');

const openSchema = z
  .object({
    title: z.string().trim().min(1).max(200).regex(PLAIN),
    description: z.string().trim().min(1).max(5000).regex(PLAIN),
    threshold: z.number().int().min(1).max(10_000_000),
    deadline: z.iso.datetime({ offset: true }),
  })
  .strict();

/**
 * Resident audit claims (docs/petitions.md): officials open and close petitions with a `PETITION_ADMIN_KEYS` key;
 * anyone reads them, their live count and, once closed, their tally and leaf list; signers' browsers make signing
 * requests and follow them; the wallet fetches the requests and answers under `/petitions/presentation-requests/`.
 */
@Controller('petitions')
export class PetitionsController {
  constructor(
    @Inject(Petitions) private readonly petitions: Petitions,
    @Inject(PetitionAdmins) private readonly admins: PetitionAdmins,
    @Inject(PETITIONS_OID4VP) private readonly oid4vp: Oid4vpService,
    @Inject(PETITIONS_PUBLIC_URL) private readonly publicUrl: () => string,
    @Inject(PETITION_PAGE_BUILD) private readonly build: PageBuild | undefined,
  ) {}

  /**
   * `POST /petitions` `{title, description, threshold, deadline}` (an official's key) → 201 the petition; 400
   * `request.invalid` (also for a deadline not in the future), 401 without a key.
   */
  @Post()
  @HttpCode(201)
  @RateLimited()
  async open(@Headers('authorization') authorization: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const openedBy = this.admins.authenticate(authorization);
    const parsed = openSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {title: 1 to 200 characters, description: 1 to 5000 characters, threshold: an integer from 1, deadline: an ISO 8601 date-time with its offset}.');
    }
    const deadline = new Date(parsed.data.deadline);
    send(reply, 201, await this.petitions.open({ title: parsed.data.title, description: parsed.data.description, threshold: parsed.data.threshold, deadline: deadline.toISOString(), openedBy }));
  }

  /** `GET /petitions` → `{petitions: [...]}`, the newest first (at most 100). */
  @Get()
  @RateLimited()
  async list(@Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    refuseQueryParameters(query, 'GET /petitions');
    send(reply, 200, { petitions: await this.petitions.list() });
  }

  /** A hashed asset of the petition page's build, kept for a year; 404 problem for any other name. */
  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() reply: HttpReply): void {
    sendPageFile(reply, builtAsset(this.build, name), PETITION_PAGE_CSP, IMMUTABLE);
  }

  /**
   * `GET /petitions/{id}`: the petition as JSON; the public page instead for a browser navigating to it (`Accept`
   * naming `text/html` before any JSON type). 404 `petition.not-found`.
   */
  @Get(':id')
  @RateLimited()
  async get(@Param('id') id: string, @Headers('accept') accept: string | undefined, @Res() reply: HttpReply): Promise<void> {
    const view = await this.petitions.get(petitionId(id));
    if (wantsPage(accept)) {
      void reply.header('vary', 'Accept');
      sendPageFile(reply, builtPage(this.build), PETITION_PAGE_CSP);
      return;
    }
    void reply.header('vary', 'Accept');
    send(reply, 200, view);
  }

  /** `POST /petitions/{id}/close` (an official's key) → 200 the closed petition with its tally; closing twice answers the same. */
  @Post(':id/close')
  @HttpCode(200)
  @RateLimited()
  async close(@Param('id') id: string, @Headers('authorization') authorization: string | undefined, @Res() reply: HttpReply): Promise<void> {
    this.admins.authenticate(authorization);
    send(reply, 200, await this.petitions.close(petitionId(id)));
  }

  /** `GET /petitions/{id}/signatures` → the published tally (leaf list in tree order, count, root, digest); 409 `petition.open` before closing. */
  @Get(':id/signatures')
  @RateLimited()
  async signatures(@Param('id') id: string, @Query() query: unknown, @Res() reply: HttpReply): Promise<void> {
    refuseQueryParameters(query, 'GET /petitions/{id}/signatures');
    send(reply, 200, await this.petitions.signatures(petitionId(id)));
  }

  /** `POST /petitions/{id}/signature-requests` (`{}` or no body) → 201 `{requestId, requestLink, walletLink, qrSvg, expiresAt}`; 409 `petition.closed`. */
  @Post(':id/signature-requests')
  @HttpCode(201)
  @RateLimited()
  async requestSignature(@Param('id') id: string, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    if (body !== undefined && body !== null && !(typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be empty or {}.');
    }
    send(reply, 201, await this.petitions.requestSignature(petitionId(id), this.publicUrl()));
  }

  /** `GET /petitions/{id}/signature-requests/{rid}` → pending, signed (with the leaf hash), refused (code, reason) or expired. */
  @Get(':id/signature-requests/:rid')
  @RateLimited()
  async requestStatus(@Param('id') id: string, @Param('rid') rid: string, @Res() reply: HttpReply): Promise<void> {
    if (!UUID.test(rid)) throw new AppError(ErrorCode.PetitionRequestNotFound, 'No signing request of this petition has this id.');
    send(reply, 200, await this.petitions.requestStatus(petitionId(id), rid));
  }

  /** `GET /petitions/presentation-requests/{handle}/request`: the signed request object, as `/presentation-requests/…`. */
  @RequestObjectRoute('presentation-requests/:handle/request')
  async requestObject(@Param('handle') handle: string, @Res() reply: HttpReply): Promise<void> {
    await sendRequestObject(reply, this.oid4vp, handle);
  }

  /** `POST /petitions/presentation-requests/{handle}/response` (form body): the wallet's answer, as `/presentation-requests/…`. */
  @WalletResponseRoute('presentation-requests/:handle/response')
  async response(@Param('handle') handle: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    await receiveWalletResponse(reply, this.oid4vp, handle, contentType, body);
  }
}

/** Whether a request's `Accept` prefers HTML (a browser's navigation) over JSON. */
export function wantsPage(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const html = types.indexOf('text/html');
  if (html === -1) return false;
  const json = types.findIndex((type) => type === 'application/json' || type.endsWith('+json'));
  return json === -1 || html < json;
}

function petitionId(id: string): string {
  if (!UUID.test(id)) throw new AppError(ErrorCode.PetitionNotFound, 'No petition has this id.');
  return id;
}

function send(reply: HttpReply, status: number, body: unknown): void {
  void reply.status(status).header('cache-control', 'no-store').send(body);
}
