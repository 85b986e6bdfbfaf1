import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '@citycred/config';

/** What a signed cookie carries besides its value: when it stops being accepted (epoch seconds). */
interface Envelope<T> {
  readonly v: T;
  readonly exp: number;
}

/**
 * Cookies whose value the site signs (HMAC-SHA-256 over the cookie's name and its JSON value), so the browser keeps
 * the session and the sign-in in progress and cannot alter them: `<base64url(JSON)>.<base64url(MAC)>`. The name is
 * inside the MAC, so one cookie's value is never accepted as another's; the expiry is inside the value, so an old
 * cookie a browser kept is refused after it.
 */
export class SignedCookies {
  /**
   * @param key - the MAC key (32 random bytes; the demo makes one at start, so a restart signs everybody out)
   * @param clock - expiries
   */
  constructor(
    private readonly key: Uint8Array,
    private readonly clock: Clock,
  ) {}

  /** The cookie's value: `value` signed, accepted for `ttlSeconds`. */
  seal<T>(name: string, value: T, ttlSeconds: number): string {
    const envelope: Envelope<T> = { v: value, exp: Math.floor(this.clock.now().getTime() / 1000) + ttlSeconds };
    const body = Buffer.from(JSON.stringify(envelope)).toString('base64url');
    return `${body}.${this.mac(name, body).toString('base64url')}`;
  }

  /** The value of a cookie this site signed under `name` and that has not expired; undefined otherwise. */
  open<T>(name: string, sealed: string | undefined): T | undefined {
    if (sealed === undefined) return undefined;
    const at = sealed.indexOf('.');
    if (at <= 0) return undefined;
    const body = sealed.slice(0, at);
    const given = Buffer.from(sealed.slice(at + 1), 'base64url');
    const expected = this.mac(name, body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let envelope: Envelope<T>;
    try {
      envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Envelope<T>;
    } catch {
      return undefined;
    }
    if (typeof envelope.exp !== 'number' || envelope.exp <= Math.floor(this.clock.now().getTime() / 1000)) return undefined;
    return envelope.v;
  }

  private mac(name: string, body: string): Buffer {
    return createHmac('sha256', this.key).update(`${name}\n${body}`).digest();
  }
}

/** The cookies of a `Cookie` header, by name (the first of a name wins). */
export function readCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax` (the provider sends the browser back to the callback by a
 * top-level GET, which Lax lets the sign-in cookie ride on; a form posted from another site carries none), `Path=/`,
 * `Secure` on https. A `maxAge` of 0 deletes it.
 */
export function cookieHeader(name: string, value: string, options: { maxAge: number; secure: boolean }): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${options.maxAge}`, ...(options.secure ? ['Secure'] : [])].join('; ');
}
