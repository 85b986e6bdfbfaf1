import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '@citycred/config';
import { SITE_CSP } from './pages.js';
import { SESSION_COOKIE, SIGN_IN_COOKIE, startFacilityDemo } from './server.js';
import { SignedCookies } from './signed-cookie.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The demo site's own refusals, without a provider (its issuer is a closed port): the sign-in flow with the provider
 * is test/browser/facility-sign-in.browser.spec.ts.
 */
describe('demo facility site', () => {
  const key = new Uint8Array(32).fill(3);
  const cookies = new SignedCookies(key, systemClock);
  let site: Awaited<ReturnType<typeof startFacilityDemo>>;
  let url: string;

  beforeAll(async () => {
    const port = await closedPort();
    site = await startFacilityDemo(0, '127.0.0.1', {
      publicUrl: 'http://127.0.0.1:1',
      relyingParty: { issuer: `http://127.0.0.1:${port}/oidc`, clientId: 'facility-booking-demo', clientSecret: 'x'.repeat(43), scope: 'openid name' },
      cookieKey: key,
    });
    url = site.url;
  });
  afterAll(async () => {
    await site?.server.close();
  });

  const session = (value: unknown) => `${SESSION_COOKIE}=${cookies.seal(SESSION_COOKIE, value, 600)}`;
  const citizen = { sub: 'pairwise-1', name: '이도윤', ageOver19: true, seoulResident: true };
  const post = (path: string, body: Record<string, string>, cookie: string, origin = 'http://127.0.0.1:1') =>
    fetch(`${url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin }, body: new URLSearchParams(body).toString() });

  it('serves its home page with a strict CSP and no script; signed out, no booking button', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(SITE_CSP);
    const html = await res.text();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('style=');
    expect(html).toContain('href="/login"');
    expect(html).not.toContain('name="action" value="book"');
  });

  it('says the sign-in cannot be reached when the provider is down (503), and sets no sign-in cookie', async () => {
    const res = await fetch(`${url}/login`, { redirect: 'manual' });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('The citizen card sign-in cannot be reached');
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a callback without its sign-in cookie, or with a forged one, and never signs in', async () => {
    for (const cookie of ['', `${SIGN_IN_COOKIE}=forged.value`, `${SIGN_IN_COOKIE}=${new SignedCookies(new Uint8Array(32), systemClock).seal(SIGN_IN_COOKIE, { state: 's', nonce: 'n', codeVerifier: 'v' }, 600)}`]) {
      const res = await fetch(`${url}/callback?code=abc&state=s`, { redirect: 'manual', headers: { cookie } });
      expect(res.status, cookie).toBe(400);
      expect(await res.text()).toContain('This sign-in is over or has expired');
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
    }
  });

  it('shows a signed session: the claims received, and booking buttons for a verified resident aged 19 or over', async () => {
    const html = await (await fetch(url, { headers: { cookie: session({ citizen, csrf: 'token-1' }) } })).text();
    expect(html).toContain('<dd id="claim-name">이도윤</dd>');
    expect(html).toContain('name="action" value="book"');
    expect(html).not.toContain('pairwise-1');
  });

  it('books only with the session form token and from the site itself; a forged session is no session', async () => {
    const form = { action: 'book', facility: 'mapo-pool', slot: 'sat-14', csrf: 'token-1' };
    const state = () => site.bookings.view('pairwise-1').find((f) => f.facility.id === 'mapo-pool')!.slots[1]!.state;
    for (const [body, cookie, origin] of [
      [{ ...form, csrf: 'token-2' }, session({ citizen, csrf: 'token-1' }), undefined],
      [form, session({ citizen, csrf: 'token-1' }), 'http://evil.example'],
      [form, `${SESSION_COOKIE}=${Buffer.from('{}').toString('base64url')}.AAAA`, undefined],
      [form, session({ refusal: 'The holder is under 19.', csrf: 'token-1' }), undefined],
    ] as const) {
      const res = await post('/bookings', body, cookie, origin);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/');
      expect(state()).toBe('free');
    }
    const booked = await post('/bookings', form, session({ citizen, csrf: 'token-1' }));
    expect(booked.headers.get('location')).toBe('/?notice=booked');
    expect(state()).toBe('mine');
  });

  it('refuses a booking by a citizen whose claims do not say resident and 19 or over', async () => {
    const res = await post('/bookings', { action: 'book', facility: 'mapo-pool', slot: 'sat-10', csrf: 't' }, session({ citizen: { ...citizen, sub: 'p2', seoulResident: false }, csrf: 't' }));
    expect(res.headers.get('location')).toBe('/?notice=not-eligible');
    expect(site.bookings.view('p2')[0]!.slots[0]!.state).toBe('free');
  });

  it('shows the provider refusal kept in the session as text, never as markup', async () => {
    const html = await (await fetch(url, { headers: { cookie: session({ refusal: '<b>The holder is under 19.</b>', csrf: 't' }) } })).text();
    expect(html).toContain('<p id="refused-reason">&#60;b&#62;The holder is under 19.&#60;/b&#62;</p>');
  });

  it('signs out only with the session form token', async () => {
    const cookie = session({ citizen, csrf: 't' });
    const refused = await post('/logout', { csrf: 'other' }, cookie);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const done = await post('/logout', { csrf: 't' }, cookie);
    expect(done.headers.getSetCookie()[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`));
  });
});
