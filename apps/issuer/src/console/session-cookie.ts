/** Name of the console's session cookie. */
export const SESSION_COOKIE = 'citycred_console';
/** The cookie is sent only to the console's paths. */
export const SESSION_COOKIE_PATH = '/console';

/**
 * The session token from a `Cookie` header, or undefined. Only a value shaped like our tokens is taken (43
 * base64url characters), so nothing else a browser sends is ever hashed or looked up.
 */
export function sessionTokenFrom(cookieHeader: string | string[] | undefined): string | undefined {
  const headers = Array.isArray(cookieHeader) ? cookieHeader : cookieHeader === undefined ? [] : [cookieHeader];
  for (const header of headers) {
    for (const pair of header.split(';')) {
      const at = pair.indexOf('=');
      if (at < 0 || pair.slice(0, at).trim() !== SESSION_COOKIE) continue;
      const value = pair.slice(at + 1).trim();
      if (/^[A-Za-z0-9_-]{43}$/.test(value)) return value;
    }
  }
  return undefined;
}

/**
 * The `Set-Cookie` value that stores a session token: HttpOnly, SameSite=Strict, Path=/console, `Secure` when the
 * issuer is served over https, kept by the browser for at most `maxAgeSeconds` (the session's absolute lifetime).
 */
export function sessionCookie(token: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [`${SESSION_COOKIE}=${token}`, `Path=${SESSION_COOKIE_PATH}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', 'SameSite=Strict', ...(options.secure ? ['Secure'] : [])].join('; ');
}

/** The `Set-Cookie` value that makes the browser forget the session cookie. */
export function clearedSessionCookie(options: { secure: boolean }): string {
  return [`${SESSION_COOKIE}=`, `Path=${SESSION_COOKIE_PATH}`, 'Max-Age=0', 'HttpOnly', 'SameSite=Strict', ...(options.secure ? ['Secure'] : [])].join('; ');
}
