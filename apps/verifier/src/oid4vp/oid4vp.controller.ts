import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { FastifyReply } from 'fastify';
import { Oid4vpService, type CreatedPresentationRequest, type PresentationRequestStatus } from './oid4vp.service.js';
import { createPresentationRequestSchema } from './presentation-request-schemas.js';
import { receiveWalletResponse, RequestObjectRoute, sendRequestObject, WalletResponseRoute } from './wallet-routes.js';

/** Token of the function that gives the verifier's public URL (no trailing slash). */
export const OID4VP_PUBLIC_URL = Symbol.for('citycred.verifier.oid4vp.public-url');

/** Token of the event stream's settings. */
export const OID4VP_EVENT_STREAM = Symbol.for('citycred.verifier.oid4vp.event-stream');

/** Token of the signal aborted when the service starts shutting down: open event streams end then. */
export const OID4VP_SHUTDOWN = Symbol.for('citycred.verifier.oid4vp.shutdown');

/** How the state stream polls the database, and for how long at most (real time). */
export interface EventStreamSettings {
  pollMs: number;
  maxMs: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** 256 random bits in base64url; requests made before wallet handles existed have their UUID as handle. */
const WALLET_OR_LEGACY_HANDLE = /^(?:[A-Za-z0-9_-]{43}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** OpenID4VP 1.0: presentation requests for the verifier's clients, request objects and responses for wallets. */
@Controller('presentation-requests')
export class Oid4vpController {
  constructor(
    @Inject(Oid4vpService) private readonly oid4vp: Oid4vpService,
    @Inject(OID4VP_PUBLIC_URL) private readonly publicUrl: () => string,
    @Inject(OID4VP_EVENT_STREAM) private readonly stream: EventStreamSettings,
    @Inject(OID4VP_SHUTDOWN) private readonly shutdown: AbortSignal,
  ) {}

  /**
   * `POST /presentation-requests` `{policy, purpose?, responseMode?}` → 201 `{id, requestUri, deepLink, qrSvg,
   * expiresAt, responseMode}`.
   */
  @Post()
  @HttpCode(201)
  @RateLimited()
  async create(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const parsed = createPresentationRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.RequestInvalid, 'The body must be {policy: <credential policy>, purpose?: <text of at most 200 characters>, responseMode?: "direct_post" | "direct_post.jwt"}.');
    }
    const created: CreatedPresentationRequest = await this.oid4vp.create(parsed.data, this.publicUrl());
    void reply.status(201).header('cache-control', 'no-store').send(created);
  }

  /** `GET /presentation-requests/{handle}/request`: the signed request object (`application/oauth-authz-req+jwt`). */
  @RequestObjectRoute(':handle/request')
  async requestObject(@Param('handle') handle: string, @Res() reply: HttpReply): Promise<void> {
    await sendRequestObject(reply, this.oid4vp, handle, WALLET_OR_LEGACY_HANDLE);
  }

  /** `POST /presentation-requests/{handle}/response` (form body, `direct_post` or `direct_post.jwt`): 200 `{}`, or an OAuth error. */
  @WalletResponseRoute(':handle/response')
  async response(@Param('handle') handle: string, @Headers('content-type') contentType: string | undefined, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    await receiveWalletResponse(reply, this.oid4vp, handle, contentType, body, WALLET_OR_LEGACY_HANDLE);
  }

  /** `GET /presentation-requests/{id}`: the state, and the outcome once settled. */
  @Get(':id')
  async status(@Param('id') id: string, @Res() reply: HttpReply): Promise<void> {
    const status: PresentationRequestStatus = await this.oid4vp.status(requestId(id));
    void reply.status(200).header('cache-control', 'no-store').send(status);
  }

  /**
   * `GET /presentation-requests/{id}/events`: server-sent events, one `state` event with the status now and one per
   * change, ending after a final state, the stream's time limit, or when the service starts shutting down (the
   * client reconnects, to this process's successor or another one).
   */
  @Get(':id/events')
  async events(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const known = requestId(id);
    await this.oid4vp.status(known);
    const abort = new AbortController();
    const shuttingDown = () => abort.abort();
    reply.hijack();
    const raw = reply.raw;
    raw.on('close', () => abort.abort());
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    // A stream opened as the shutdown begins ends at once; one open then ends on the signal.
    if (this.shutdown.aborted) abort.abort();
    this.shutdown.addEventListener('abort', shuttingDown, { once: true });
    try {
      for await (const status of this.oid4vp.states(known, { ...this.stream, signal: abort.signal })) {
        raw.write(`event: state\ndata: ${JSON.stringify(status)}\n\n`);
      }
    } catch {
      raw.write('event: error\ndata: {"error":"the state could not be read"}\n\n');
    } finally {
      this.shutdown.removeEventListener('abort', shuttingDown);
      raw.end();
    }
  }
}

/** The id as the store knows it; anything not shaped like one is simply not found. */
function requestId(id: string): string {
  if (!UUID.test(id)) throw new AppError(ErrorCode.Oid4vpRequestNotFound, 'No presentation request with this id.');
  return id;
}
