import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { AcceptsFormBody, FORM_MEDIA_TYPE, RateLimited, type HttpReply } from '@citycred/http';
import { Oauth2ErrorCodes, Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import { OauthErrorFilter } from './oauth-error.filter.js';
import { Oid4vciService } from './oid4vci.service.js';

/** What the token endpoint reads of the request. */
interface TokenRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

/** Metadata of each tenant as credential issuer and authorization server, at the well-known URIs (RFC 8615). */
@Controller('.well-known')
export class Oid4vciWellKnownController {
  constructor(@Inject(Oid4vciService) private readonly oid4vci: Oid4vciService) {}

  /** `GET /.well-known/openid-credential-issuer/oid4vci/<slug>` (OpenID4VCI 1.0 §12.2.2: inserted between host and path). */
  @Get('openid-credential-issuer/oid4vci/:slug')
  async issuerMetadata(@Param('slug') slug: string, @Res() reply: HttpReply) {
    const metadata = this.oid4vci.issuerMetadata(await this.oid4vci.tenant(slug));
    void reply.status(200).header('cache-control', 'public, max-age=300').send(metadata);
  }

  /** `GET /.well-known/oauth-authorization-server/oid4vci/<slug>` (RFC 8414 §3.1). */
  @Get('oauth-authorization-server/oid4vci/:slug')
  async authorizationServerMetadata(@Param('slug') slug: string, @Res() reply: HttpReply) {
    const metadata = this.oid4vci.authorizationServerMetadata(await this.oid4vci.tenant(slug));
    void reply.status(200).header('cache-control', 'public, max-age=300').send(metadata);
  }
}

/** The wallet-facing endpoints of each tenant's credential issuer; errors are OAuth errors ({@link OauthErrorFilter}). */
@Controller('oid4vci/:slug')
@UseFilters(OauthErrorFilter)
export class Oid4vciProtocolController {
  constructor(@Inject(Oid4vciService) private readonly oid4vci: Oid4vciService) {}

  /** `POST /oid4vci/<slug>/token` (form body): pre-authorized code (+ `tx_code`) → `{access_token, token_type, expires_in}`. */
  @Post('token')
  @HttpCode(200)
  @AcceptsFormBody()
  @RateLimited()
  async token(@Param('slug') slug: string, @Req() request: TokenRequest, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply) {
    const tenant = await this.oid4vci.tenant(slug);
    if (!contentType?.toLowerCase().startsWith(FORM_MEDIA_TYPE) || body === null || typeof body !== 'object') {
      throw new Oauth2ServerErrorResponseError({ error: Oauth2ErrorCodes.InvalidRequest, error_description: `Send the token request as ${FORM_MEDIA_TYPE}.` });
    }
    const headers = new globalThis.Headers();
    for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
    const answer = await this.oid4vci.token(tenant, new URL(request.url, this.oid4vci.credentialIssuerOf(tenant)).toString(), headers, { ...(body as Record<string, unknown>) });
    void reply.status(200).header('cache-control', NO_STORE['cache-control']).header('pragma', NO_STORE.pragma).send(answer);
  }

  /** `POST /oid4vci/<slug>/nonce` → `{c_nonce}`, never cached. */
  @Post('nonce')
  @HttpCode(200)
  @RateLimited()
  async nonce(@Param('slug') slug: string, @Res() reply: HttpReply) {
    const answer = await this.oid4vci.nonce(await this.oid4vci.tenant(slug));
    void reply.status(200).header('cache-control', NO_STORE['cache-control']).header('pragma', NO_STORE.pragma).send(answer);
  }

  /** `POST /oid4vci/<slug>/credential` (Bearer access token) → `{credentials: [{credential}]}`. */
  @Post('credential')
  @HttpCode(200)
  async credential(@Param('slug') slug: string, @Headers('authorization') authorization: string | undefined, @Body() body: unknown, @Res() reply: HttpReply) {
    const answer = await this.oid4vci.credential(await this.oid4vci.tenant(slug), authorization, body);
    void reply.status(200).header('cache-control', NO_STORE['cache-control']).send(answer);
  }
}
