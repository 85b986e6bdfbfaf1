import { All, Body, Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { AcceptsFormBody, RateLimited, type HttpReply } from '@citycred/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Oid4vpService } from '../oid4vp/oid4vp.service.js';
import { receiveWalletResponse, RequestObjectRoute, sendRequestObject, WalletResponseRoute } from '../oid4vp/wallet-routes.js';
import { OIDC_MOUNT, OIDC_PAGE_CSP } from './oidc-provider.js';
import { SIGN_IN_PAGE_CSP, SIGN_IN_SCRIPT, signInGonePage, signInPage } from './sign-in-page.js';
import { SignInNotFound, SignInService } from './sign-in.service.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const OIDC_PUBLIC_URL = Symbol.for('citycred.verifier.oidc.public-url');

/** Token of the sign-in's own OpenID4VP service. */
export const SIGN_IN_OID4VP = Symbol.for('citycred.verifier.oidc.oid4vp');

/** oidc-provider's interaction uids (nanoid). */
const UID = /^[A-Za-z0-9_-]{10,64}$/;

/**
 * The OpenID Provider, mounted at `/oidc`: every request under it goes to oidc-provider's own handler (discovery,
 * JWKS, authorization, token), which answers it on the raw response. Form bodies are accepted here (the token
 * endpoint's), parsed by the edge and handed over.
 */
@Controller()
export class OidcProviderController {
  constructor(
    @Inject(SignInService) private readonly signIn: SignInService,
    @Inject(OIDC_PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /** `/oidc/*`: oidc-provider's endpoints. */
  @All('oidc/*')
  @AcceptsFormBody()
  @RateLimited()
  async provider(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const provider = this.signIn.provider(this.publicUrl());
    const raw = request.raw as typeof request.raw & { originalUrl?: string; body?: unknown };
    const url = raw.url ?? request.url;
    raw.originalUrl = url;
    raw.url = url.slice(OIDC_MOUNT.length) || '/';
    if (request.body !== undefined) raw.body = request.body;
    reply.hijack();
    await this.signIn.handler(provider)(raw, reply.raw);
  }
}

/**
 * The sign-in page the provider sends a citizen to (`/sign-in/{uid}`), the state it polls, the step that hands the
 * outcome back to the provider, its script — and the wallet's side of its OpenID4VP requests (`/sign-in/presentation-requests/{handle}/…`).
 */
@Controller('sign-in')
export class SignInController {
  constructor(
    @Inject(SignInService) private readonly signIn: SignInService,
    @Inject(SIGN_IN_OID4VP) private readonly oid4vp: Oid4vpService,
    @Inject(OIDC_PUBLIC_URL) private readonly publicUrl: () => string,
  ) {}

  /** `GET /sign-in/assets/sign-in.js`: the page's script. */
  @Get('assets/sign-in.js')
  script(@Res() reply: HttpReply): void {
    void reply
      .status(200)
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('content-security-policy', SIGN_IN_PAGE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'no-cache')
      .send(SIGN_IN_SCRIPT);
  }

  /** `GET /sign-in/{uid}`: the page (HTML); 404 with a plain page for an interaction that is over or not this browser's. */
  @Get(':uid')
  @RateLimited()
  async page(@Param('uid') uid: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const view = await this.signIn.view(request.raw, reply.raw, knownUid(uid), this.publicUrl());
      sendHtml(reply, 200, signInPage(view));
    } catch (error) {
      if (!(error instanceof SignInNotFound)) throw error;
      sendHtml(reply, 404, signInGonePage());
    }
  }

  /** `GET /sign-in/{uid}/state`: `{state: pending | verified | refused | expired, reason?}`. */
  @Get(':uid/state')
  async state(@Param('uid') uid: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const state = await (async () => this.signIn.state(request.raw, reply.raw, knownUid(uid), this.publicUrl()))().catch(notFound);
    void reply.status(200).header('cache-control', 'no-store').send(state);
  }

  /** `GET /sign-in/{uid}/finish[?cancel=1]`: 303 to the provider (which answers the site), or back to the page while pending. */
  @Get(':uid/finish')
  async finish(@Param('uid') uid: string, @Query('cancel') cancel: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    try {
      const to = await this.signIn.finish(request.raw, reply.raw, knownUid(uid), this.publicUrl(), cancel === '1');
      void reply.status(303).header('location', to).header('cache-control', 'no-store').send();
    } catch (error) {
      if (!(error instanceof SignInNotFound)) throw error;
      sendHtml(reply, 404, signInGonePage());
    }
  }

  /** `GET /sign-in/presentation-requests/{handle}/request`: the signed request object, as `/presentation-requests/…`. */
  @RequestObjectRoute('presentation-requests/:handle/request')
  async requestObject(@Param('handle') handle: string, @Res() reply: HttpReply): Promise<void> {
    await sendRequestObject(reply, this.oid4vp, handle);
  }

  /** `POST /sign-in/presentation-requests/{handle}/response` (form body): the wallet's answer, as `/presentation-requests/…`. */
  @WalletResponseRoute('presentation-requests/:handle/response')
  async response(@Param('handle') handle: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    await receiveWalletResponse(reply, this.oid4vp, handle, contentType, body);
  }
}

function sendHtml(reply: FastifyReply, status: number, html: string): void {
  void reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', status === 200 ? SIGN_IN_PAGE_CSP : OIDC_PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(html);
}

function knownUid(uid: string): string {
  if (!UID.test(uid)) throw new SignInNotFound();
  return uid;
}

function notFound(error: unknown): never {
  if (error instanceof SignInNotFound) throw new AppError(ErrorCode.NotFound, error.message);
  throw error;
}
