import { randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { systemClock, type Clock } from '@citycred/config';
import { ErrorCode, problemFor } from '@citycred/errors';
import { FORM_BODY_ROUTE, FORM_MEDIA_TYPE, HttpEdge, PROBLEM_JSON, problemFromError, sendProblem, type HttpEdgeSettings } from '@citycred/http';
import { Bookings } from './bookings.js';
import { homePage, mayBook, NOTICES, problemPage, SITE_CSP, SITE_CSS, type CitizenClaims, type Notice } from './pages.js';
import { ProviderUnavailable, RelyingParty, type RelyingPartySettings, type SignInTransaction } from './relying-party.js';
import { cookieHeader, readCookies, SignedCookies } from './signed-cookie.js';

/** The session cookie: the citizen's claims (or the last refusal) and the form token. */
export const SESSION_COOKIE = 'facility_session';
/** The sign-in in progress: state, nonce and PKCE verifier, from `/login` to `/callback`. */
export const SIGN_IN_COOKIE = 'facility_sign_in';
/** How long a session lasts. */
export const SESSION_TTL_SECONDS = 30 * 60;
/** How long a sign-in may take, from the button to the callback. */
export const SIGN_IN_TTL_SECONDS = 10 * 60;

/** What the session cookie holds. */
interface Session {
  citizen?: CitizenClaims;
  /** The provider's `error_description` of the last refused sign-in. */
  refusal?: string;
  /** The token every form of the session carries (double submit: it is also in the signed cookie). */
  csrf: string;
}

/** How the demo site is run. */
export interface FacilityDemoSettings {
  /** The site's own address (its origin; the callback is `<publicUrl>/callback`). */
  readonly publicUrl: string;
  /** The provider, the client and what it asks for. */
  readonly relyingParty: Omit<RelyingPartySettings, 'redirectUri'>;
  /** Signs the cookies; default 32 random bytes made now (a restart signs everybody out, as it forgets the bookings). */
  readonly cookieKey?: Uint8Array;
  readonly clock?: Clock;
}

/**
 * The demo public facility booking site (docs/oidc-provider.md, "The demo facility site"): a plain Fastify server,
 * through the same {@link HttpEdge} as the services, that signs citizens in with the verifier's OpenID Provider and
 * lets verified Seoul residents aged 19 or over book facility slots kept in memory. Server-rendered pages with no
 * script ({@link SITE_CSP}); the session is a signed cookie.
 * @param port - 0 for any free port
 * @param edgeSettings - the edge's time and connection limits (default those of the services)
 */
export async function startFacilityDemo(
  port: number,
  host: string,
  settings: FacilityDemoSettings,
  edgeSettings: Partial<HttpEdgeSettings> = {},
): Promise<{ server: FastifyInstance; edge: HttpEdge; url: string; bookings: Bookings }> {
  const publicUrl = settings.publicUrl.replace(/\/$/, '');
  const origin = new URL(publicUrl).origin;
  const secure = publicUrl.startsWith('https:');
  const cookies = new SignedCookies(settings.cookieKey ?? randomBytes(32), settings.clock ?? systemClock);
  const rp = new RelyingParty({ ...settings.relyingParty, redirectUri: `${publicUrl}/callback` });
  const bookings = new Bookings();

  const edge = new HttpEdge({ settings: edgeSettings });
  const server = Fastify({ ...edge.serverOptions() });
  edge.install(server);
  server.addContentTypeParser(FORM_MEDIA_TYPE, { parseAs: 'string', bodyLimit: 4_096 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const formRoute = { config: { [FORM_BODY_ROUTE]: true } };

  const sessionOf = (request: FastifyRequest): Session | undefined => cookies.open<Session>(SESSION_COOKIE, readCookies(request.headers.cookie).get(SESSION_COOKIE));
  const setSession = (reply: FastifyReply, session: Session | undefined): void => {
    const header = session ? cookieHeader(SESSION_COOKIE, cookies.seal(SESSION_COOKIE, session, SESSION_TTL_SECONDS), { maxAge: SESSION_TTL_SECONDS, secure }) : cookieHeader(SESSION_COOKIE, '', { maxAge: 0, secure });
    appendCookie(reply, header);
  };
  const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', SITE_CSP)
      .header('x-content-type-options', 'nosniff')
      // same-origin, not no-referrer: Chromium sends `Origin: null` with a form posted from a no-referrer page.
      .header('referrer-policy', 'same-origin')
      .header('cache-control', 'no-store')
      .send(body);
  const seeOther = (reply: FastifyReply, location: string): FastifyReply => reply.status(303).header('location', location).header('cache-control', 'no-store').send();
  /** A form post of this session: from this site (Origin) and with the session's token. */
  const formOfSession = (request: FastifyRequest, session: Session | undefined): Record<string, string> | undefined => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const given = typeof body['csrf'] === 'string' ? Buffer.from(body['csrf']) : Buffer.alloc(0);
    const expected = Buffer.from(session?.csrf ?? '');
    const sameOrigin = request.headers.origin === undefined || request.headers.origin === origin;
    if (!session || !sameOrigin || expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  };

  server.get('/', async (request, reply) => {
    const session = sessionOf(request);
    const asked = (request.query as Record<string, unknown>)['notice'];
    const notice = typeof asked === 'string' && Object.hasOwn(NOTICES, asked) ? (asked as Notice) : undefined;
    return html(reply, 200, homePage({ citizen: session?.citizen, refusal: session?.refusal, notice, csrf: session?.csrf }, bookings));
  });

  server.get('/login', async (_request, reply) => {
    let started: Awaited<ReturnType<RelyingParty['start']>>;
    try {
      started = await rp.start();
    } catch (error) {
      if (!(error instanceof ProviderUnavailable)) throw error;
      edge.log.warn(error.message);
      return html(reply, 503, problemPage({ ko: '시민카드 로그인 서비스에 연결할 수 없습니다', en: 'The citizen card sign-in cannot be reached' }, { ko: '잠시 뒤 다시 시도하세요.', en: 'Try again in a moment.' }));
    }
    appendCookie(reply, cookieHeader(SIGN_IN_COOKIE, cookies.seal(SIGN_IN_COOKIE, started.transaction, SIGN_IN_TTL_SECONDS), { maxAge: SIGN_IN_TTL_SECONDS, secure }));
    return seeOther(reply, started.url.href);
  });

  server.get('/callback', async (request, reply) => {
    const transaction = cookies.open<SignInTransaction>(SIGN_IN_COOKIE, readCookies(request.headers.cookie).get(SIGN_IN_COOKIE));
    // The sign-in cookie is used once, whatever the outcome.
    appendCookie(reply, cookieHeader(SIGN_IN_COOKIE, '', { maxAge: 0, secure }));
    if (!transaction) {
      return html(reply, 400, problemPage({ ko: '이 로그인은 끝났거나 만료되었습니다', en: 'This sign-in is over or has expired' }, { ko: '처음부터 다시 로그인하세요.', en: 'Start the sign-in again.' }));
    }
    let outcome: Awaited<ReturnType<RelyingParty['finish']>>;
    try {
      outcome = await rp.finish(new URL(request.url, publicUrl), transaction);
    } catch (error) {
      edge.log.warn(`a sign-in failed at the callback: ${error instanceof Error ? error.message : String(error)}`);
      return html(reply, error instanceof ProviderUnavailable ? 503 : 400, problemPage({ ko: '로그인을 마치지 못했습니다', en: 'The sign-in could not be completed' }, { ko: '처음부터 다시 로그인하세요.', en: 'Start the sign-in again.' }));
    }
    const csrf = randomBytes(16).toString('base64url');
    setSession(reply, outcome.kind === 'signed-in' ? { citizen: outcome.citizen, csrf } : { refusal: outcome.description, csrf });
    return seeOther(reply, '/');
  });

  server.post('/bookings', formRoute, async (request, reply) => {
    const session = sessionOf(request);
    const form = formOfSession(request, session);
    if (!form || !session?.citizen) return seeOther(reply, '/');
    if (!mayBook(session.citizen)) return seeOther(reply, '/?notice=not-eligible');
    const { action, facility = '', slot = '' } = form;
    if (action !== 'book' && action !== 'cancel') return seeOther(reply, '/');
    const done = action === 'book' ? bookings.book(session.citizen.sub, facility, slot) : bookings.cancel(session.citizen.sub, facility, slot);
    return seeOther(reply, `/?notice=${done.ok ? (action === 'book' ? 'booked' : 'cancelled') : done.reason}`);
  });

  server.post('/logout', formRoute, async (request, reply) => {
    if (formOfSession(request, sessionOf(request))) setSession(reply, undefined);
    return seeOther(reply, '/?notice=signed-out');
  });

  server.get('/assets/site.css', async (_request, reply) =>
    reply.status(200).header('content-type', 'text/css; charset=utf-8').header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache').send(SITE_CSS),
  );
  server.get('/health', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  server.setNotFoundHandler((_request, reply) => {
    const problem = problemFor(ErrorCode.NotFound, 'Nothing is served at this path.');
    return reply.status(problem.status).type(PROBLEM_JSON).send(problem);
  });
  server.setErrorHandler((error, _request, reply) => sendProblem(reply, problemFromError(error, edge.log)));
  const address = await server.listen({ port, host });
  return { server, edge, url: address.replace('[::1]', 'localhost'), bookings };
}

function appendCookie(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('set-cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current.map(String) : [String(current)];
  void reply.header('set-cookie', [...list, header]);
}
