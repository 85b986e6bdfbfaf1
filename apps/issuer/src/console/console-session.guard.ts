import { Inject, Injectable, SetMetadata, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, ErrorCode } from '@citycred/errors';
import type { OperatorRole } from '@citycred/persistence';
import { ConsoleSessions, type ConsoleIdentity } from './console-sessions.js';
import { sessionTokenFrom } from './session-cookie.js';

/** The header every state-changing console request carries (a CSRF defence besides SameSite=Strict). */
export const CSRF_HEADER = 'x-citycred-console';

const ROLES = Symbol.for('citycred.issuer.console.roles');
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The roles that may call a console route (a route without it is open to every signed-in operator).
 * @example `@Roles('admin', 'issuer')`
 */
export const Roles = (...roles: OperatorRole[]) => SetMetadata(ROLES, roles);

/** A console request once {@link ConsoleSessionGuard} let it through. */
export interface ConsoleRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  console?: ConsoleIdentity & { readonly token: string };
}

/**
 * Rejects a state-changing request without `x-citycred-console: 1` (403 `console.csrf-header-missing`). Used alone
 * on sign-in, and first in {@link ConsoleSessionGuard}.
 */
@Injectable()
export class ConsoleCsrfGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    requireCsrfHeader(context.switchToHttp().getRequest<ConsoleRequest>());
    return true;
  }
}

/**
 * Lets a console request through only with a live session (cookie `citycred_console`; 401 `console.signed-out`
 * otherwise), the CSRF header on state-changing methods, and a role the route's {@link Roles} list (403
 * `console.forbidden`). Attaches the operator and its tenant ({@link CurrentOperator}).
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(
    @Inject(ConsoleSessions) private readonly sessions: Pick<ConsoleSessions, 'authenticate'>,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    requireCsrfHeader(request);
    const token = sessionTokenFrom(request.headers['cookie']);
    const identity = token ? await this.sessions.authenticate(token) : null;
    if (!token || !identity) throw new AppError(ErrorCode.ConsoleSignedOut, 'Sign in to the console (the session is missing or has expired).');
    const roles = this.reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(identity.operator.role)) {
      throw new AppError(ErrorCode.ConsoleForbidden, `This needs the role ${roles.join(' or ')}; the operator is ${identity.operator.role}.`);
    }
    request.console = { ...identity, token };
    return true;
  }
}

/** The signed-in operator and tenant of a route behind {@link ConsoleSessionGuard}. */
export const CurrentOperator = createParamDecorator((_data: unknown, context: ExecutionContext): ConsoleIdentity & { readonly token: string } => {
  const identity = context.switchToHttp().getRequest<ConsoleRequest>().console;
  if (!identity) throw new Error('CurrentOperator used on a route without ConsoleSessionGuard');
  return identity;
});

function requireCsrfHeader(request: ConsoleRequest): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  const value = request.headers[CSRF_HEADER];
  if ((Array.isArray(value) ? value[0] : value) !== '1') {
    throw new AppError(ErrorCode.ConsoleCsrfHeaderMissing, `Send "${CSRF_HEADER}: 1" with every console request that changes something.`);
  }
}
