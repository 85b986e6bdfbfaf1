import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, sessionCookie, sessionTokenFrom } from './session-cookie.js';

const token = 'A'.repeat(43);

describe('console session cookie', () => {
  it('is HttpOnly, SameSite=Strict, limited to /console, and Secure only over https', () => {
    expect(sessionCookie(token, { secure: false, maxAgeSeconds: 43200 })).toBe(`citycred_console=${token}; Path=/console; Max-Age=43200; HttpOnly; SameSite=Strict`);
    expect(sessionCookie(token, { secure: true, maxAgeSeconds: 43200 })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toBe('citycred_console=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict');
  });

  it('reads the token among other cookies, and nothing that is not shaped like a token', () => {
    expect(sessionTokenFrom(`theme=dark; citycred_console=${token}; lang=ko`)).toBe(token);
    expect(sessionTokenFrom(['theme=dark', `citycred_console=${token}`])).toBe(token);
    expect(sessionTokenFrom('citycred_console=short')).toBeUndefined();
    expect(sessionTokenFrom(`citycred_console_x=${token}`)).toBeUndefined();
    expect(sessionTokenFrom(undefined)).toBeUndefined();
  });
});
