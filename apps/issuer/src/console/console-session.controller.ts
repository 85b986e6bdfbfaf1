import { Body, Controller, Delete, Get, Inject, Post, Res, UseGuards } from '@nestjs/common';
import type { HttpReply } from '@citycred/http';
import { ConsoleCsrfGuard, ConsoleSessionGuard, CurrentOperator } from './console-session.guard.js';
import { ConsoleSessions, SESSION_ABSOLUTE_MS, type ConsoleIdentity } from './console-sessions.js';
import type { ConsoleAdmin } from './console-admin.js';
import { CONSOLE_ADMIN, CONSOLE_COOKIE_SETTINGS, type ConsoleCookieSettings } from './console-tokens.js';
import { parseRequest } from './parse.js';
import { signInSchema } from './console-requests.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';

/**
 * The console's answer about who is signed in; `cityAdmin` says whether the operator is one of the city's
 * administrators, who administer every tenant (the console shows its Tenants screen to them only).
 */
function whoAmI(identity: ConsoleIdentity, cityAdmin: boolean) {
  const { operator, tenant } = identity;
  return {
    operator: { username: operator.username, role: operator.role, displayName: operator.displayName },
    tenant: { slug: tenant.slug, name: tenant.name, did: tenant.did, kind: tenant.kind },
    cityAdmin,
  };
}

/** Console sign-in, sign-out and the signed-in operator (`/console/api/session`, `/console/api/me`). */
@Controller('console/api')
export class ConsoleSessionController {
  constructor(
    @Inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
    @Inject(CONSOLE_COOKIE_SETTINGS) private readonly cookies: ConsoleCookieSettings,
    @Inject(CONSOLE_ADMIN) private readonly admin: Pick<ConsoleAdmin, 'isCityAdmin'> | null,
  ) {}

  /** `POST /console/api/session` `{tenant, username, password}` → 200 `{operator, tenant, cityAdmin}` and the session cookie. */
  @Post('session')
  @UseGuards(ConsoleCsrfGuard)
  async signIn(@Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const { tenant, username, password } = parseRequest(signInSchema, body, '{tenant, username, password}');
    const signedIn = await this.sessions.signIn(tenant, username, password);
    void reply
      .status(200)
      .header('set-cookie', sessionCookie(signedIn.token, { secure: this.cookies.secure, maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 }))
      .header('cache-control', 'no-store')
      .send(whoAmI(signedIn, this.cityAdmin(signedIn)));
  }

  /** `DELETE /console/api/session` → 204; the session is deleted and the cookie cleared. */
  @Delete('session')
  @UseGuards(ConsoleSessionGuard)
  async signOut(@CurrentOperator() identity: ConsoleIdentity & { token: string }, @Res() reply: HttpReply): Promise<void> {
    await this.sessions.signOut(identity.token);
    void reply.status(204).header('set-cookie', clearedSessionCookie({ secure: this.cookies.secure })).send(undefined);
  }

  /** `GET /console/api/me` → `{operator, tenant, cityAdmin}`. */
  @Get('me')
  @UseGuards(ConsoleSessionGuard)
  async me(@CurrentOperator() identity: ConsoleIdentity, @Res() reply: HttpReply): Promise<void> {
    void reply.status(200).header('cache-control', 'no-store').send(whoAmI(identity, this.cityAdmin(identity)));
  }

  /** False too on an issuer without the admin API: there is then nothing to administer. */
  private cityAdmin(identity: ConsoleIdentity): boolean {
    return this.admin?.isCityAdmin(identity) ?? false;
  }
}
