import { applyDecorators, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { AcceptsFormBody, FORM_MEDIA_TYPE, RateLimited, type HttpReply } from '@citycred/http';
import { Oid4vpResponseError, Oid4vpResponseErrorFilter, refusalAnswer } from './oauth-error.js';
import { REQUEST_OBJECT_MEDIA_TYPE, type Oid4vpService } from './oid4vp.service.js';

/** A wallet handle: 256 random bits in base64url. */
export const WALLET_HANDLE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The route of a request object fetched by reference (`GET …/{handle}/request`, the handle as the `handle` parameter).
 * @param path - the route's path under its controller; wallets are sent to it, so it does not change
 */
export function RequestObjectRoute(path: string): MethodDecorator {
  return applyDecorators(RateLimited(), Get(path));
}

/**
 * The route of a wallet's `direct_post` or `direct_post.jwt` answer (`POST …/{handle}/response`, the handle as the
 * `handle` parameter): a form body, 200 `{}` (or a refusal, {@link refusalAnswer}) or an OAuth error. The decorators are applied in the order they were
 * stacked on each such route before (bottom up).
 * @param path - the route's path under its controller; wallets are sent to it, so it does not change
 */
export function WalletResponseRoute(path: string): MethodDecorator {
  return applyDecorators(UseFilters(Oid4vpResponseErrorFilter), RateLimited(), AcceptsFormBody(), HttpCode(200), Post(path));
}

/**
 * Answers a wallet's fetch of a request object with the signed one (`application/oauth-authz-req+jwt`); a handle not
 * shaped as `handles` is not found (`oid4vp.request-not-found`), as one the service does not know.
 * @param handles - the shape of the handles `oid4vp` gives out
 */
export async function sendRequestObject(reply: HttpReply, oid4vp: Oid4vpService, handle: string, handles: RegExp = WALLET_HANDLE): Promise<void> {
  const jwt = await oid4vp.requestObject(knownHandle(handle, handles));
  void reply.status(200).header('content-type', REQUEST_OBJECT_MEDIA_TYPE).header('cache-control', 'no-store').send(jwt);
}

/**
 * Hands a wallet's answer to `oid4vp` and answers 200 `{}` — or, when the verifier refused what it processed,
 * 200 {@link refusalAnswer} (`error: access_denied` and the reason); a body that is not a form is refused with the OAuth error
 * `invalid_request` (routes of {@link WalletResponseRoute} answer it as such).
 * @param handles - the shape of the handles `oid4vp` gives out
 */
export async function receiveWalletResponse(
  reply: HttpReply,
  oid4vp: Oid4vpService,
  handle: string,
  contentType: string | undefined,
  body: unknown,
  handles: RegExp = WALLET_HANDLE,
): Promise<void> {
  const known = knownHandle(handle, handles);
  if (!contentType?.toLowerCase().startsWith(FORM_MEDIA_TYPE) || body === null || typeof body !== 'object') {
    throw new Oid4vpResponseError('invalid_request', `Send the response as ${FORM_MEDIA_TYPE} (response_mode direct_post or direct_post.jwt).`);
  }
  const answer = await oid4vp.respond(known, body as Record<string, unknown>);
  void reply.status(200).header('cache-control', 'no-store').send(answer.refusal ? refusalAnswer(answer.refusal) : {});
}

/** The wallet handle as the store knows it; anything not shaped like one is simply not found. */
function knownHandle(handle: string, handles: RegExp): string {
  if (!handles.test(handle)) throw new AppError(ErrorCode.Oid4vpRequestNotFound, 'No presentation request with this handle.');
  return handle;
}
