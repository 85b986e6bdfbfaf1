import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res, UseFilters } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { AcceptsFormBody, FORM_MEDIA_TYPE, RateLimited, type HttpReply } from '@citycred/http';
import type { FastifyReply } from 'fastify';
import { Oid4vpResponseError, Oid4vpResponseErrorFilter } from './oauth-error.js';
import { Oid4vpService, REQUEST_OBJECT_MEDIA_TYPE, type CreatedPresentationRequest, type PresentationRequestStatus } from './oid4vp.service.js';
import { createPresentationRequestSchema } from './presentation-request-schemas.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const OID4VP_PUBLIC_URL = Symbol.for('citycred.verifier.oid4vp.public-url');

/** Token of the event stream's settings. */
export const OID4VP_EVENT_STREAM = Symbol.for('citycred.verifier.oid4vp.event-stream');

/** How the state stream polls the database, and for how long at most (real time). */
export interface EventStreamSettings {
  pollMs: number;
  maxMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** OpenID4VP 1.0: presentation requests for the verifier's clients, request objects and responses for wallets. */
@Controller('presentation-requests')
export class Oid4vpController {
  constructor(
    @Inject(Oid4vpService) private readonly oid4vp: Oid4vpService,
    @Inject(OID4VP_PUBLIC_URL) private readonly publicUrl: () => string,
    @Inject(OID4VP_EVENT_STREAM) private readonly stream: EventStreamSettings,
  ) {}

  /** `POST /presentation-requests` `{policy, purpose?}` → 201 `{id, requestUri, deepLink, qrSvg, expiresAt}`. */
  @Post()
  @HttpCode(201)
  @RateLimited()
  async create(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = createPresentationRequestSchema.safeParse(body);
    if (!parsed.success) throw new AppError(ErrorCode.RequestInvalid, 'The body must be {policy: <credential policy>, purpose?: <text of at most 200 characters>}.');
    const created: CreatedPresentationRequest = await this.oid4vp.create(parsed.data.policy, parsed.data.purpose, this.publicUrl());
    void reply.status(201).header('cache-control', 'no-store').send(created);
  }

  /** `GET /presentation-requests/{id}/request`: the signed request object (`application/oauth-authz-req+jwt`). */
  @Get(':id/request')
  @RateLimited()
  async requestObject(@Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const jwt = await this.oid4vp.requestObject(requestId(id));
    void reply.status(200).header('content-type', REQUEST_OBJECT_MEDIA_TYPE).header('cache-control', 'no-store').send(jwt);
  }

  /** `POST /presentation-requests/{id}/response` (form body, `direct_post`): 200 `{}`, or an OAuth error. */
  @Post(':id/response')
  @HttpCode(200)
  @AcceptsFormBody()
  @RateLimited()
  @UseFilters(Oid4vpResponseErrorFilter)
  async response(@Param('id') id: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const known = requestId(id);
    if (!contentType?.toLowerCase().startsWith(FORM_MEDIA_TYPE) || body === null || typeof body !== 'object') {
      throw new Oid4vpResponseError('invalid_request', `Send the response as ${FORM_MEDIA_TYPE} (response_mode direct_post).`);
    }
    await this.oid4vp.respond(known, body as Record<string, unknown>);
    void reply.status(200).header('cache-control', 'no-store').send({});
  }

  /** `GET /presentation-requests/{id}`: the state, and the outcome once settled. */
  @Get(':id')
  async status(@Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const status: PresentationRequestStatus = await this.oid4vp.status(requestId(id));
    void reply.status(200).header('cache-control', 'no-store').send(status);
  }

  /**
   * `GET /presentation-requests/{id}/events`: server-sent events, one `state` event with the status now and one per
   * change, ending after a final state (or the stream's time limit).
   */
  @Get(':id/events')
  async events(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const known = requestId(id);
    await this.oid4vp.status(known);
    const abort = new AbortController();
    reply.hijack();
    const raw = reply.raw;
    raw.on('close', () => abort.abort());
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    try {
      for await (const status of this.oid4vp.states(known, { ...this.stream, signal: abort.signal })) {
        raw.write(`event: state\ndata: ${JSON.stringify(status)}\n\n`);
      }
    } catch {
      raw.write('event: error\ndata: {"error":"the state could not be read"}\n\n');
    } finally {
      raw.end();
    }
  }
}

/** The id as the store knows it; anything not shaped like one is simply not found. */
function requestId(id: string): string {
  if (!UUID.test(id)) throw new AppError(ErrorCode.Oid4vpRequestNotFound, 'No presentation request with this id.');
  return id;
}
