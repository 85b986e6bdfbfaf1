import type { FastifyRequest } from 'fastify';
import { AppError, ErrorCode } from '@citycred/errors';
import { AddRouteConfig } from './route-config.js';

/** Route-config key of the routes that take `application/x-www-form-urlencoded` bodies (see {@link AcceptsFormBody}). */
export const FORM_BODY_ROUTE = 'citycredFormBody';

/** Media type of HTML-form bodies, which OAuth 2.0 token requests use (RFC 6749 §4.1.3). */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/**
 * Lets a route take a UTF-8 `application/x-www-form-urlencoded` body besides JSON: OAuth 2.0 token endpoints must
 * (RFC 6749 §3.2). Every other route keeps refusing it with 415 before the body is read. The handler gets the
 * parameters as an object; a parameter sent more than once is an array, which RFC 6749 §3.2 forbids and the
 * handler refuses.
 */
export function AcceptsFormBody(): MethodDecorator {
  return AddRouteConfig({ [FORM_BODY_ROUTE]: true });
}

/** Whether the route a request matched was marked with {@link AcceptsFormBody}. */
export function acceptsFormBody(request: FastifyRequest): boolean {
  return (request.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[FORM_BODY_ROUTE] === true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Fastify body parser of form bodies: strict UTF-8 (after percent-decoding), parameters in an object with no
 * prototype; repeated names become arrays.
 */
export function parseFormBody(_request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void): void {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    done(new AppError(ErrorCode.RequestInvalidEncoding, 'The request body is not valid UTF-8.'), undefined);
    return;
  }
  const parameters: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  try {
    for (const pair of text.split('&')) {
      if (pair === '') continue;
      const at = pair.indexOf('=');
      const name = decodeFormComponent(at < 0 ? pair : pair.slice(0, at));
      const value = at < 0 ? '' : decodeFormComponent(pair.slice(at + 1));
      const previous = parameters[name];
      parameters[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
    }
  } catch {
    done(new AppError(ErrorCode.RequestInvalidEncoding, 'The form body has a percent-encoding that is not UTF-8.'), undefined);
    return;
  }
  done(null, parameters);
}

/** `+` is a space, then percent-decoding that throws on bytes that are not UTF-8. */
function decodeFormComponent(component: string): string {
  return decodeURIComponent(component.replace(/\+/g, ' '));
}
