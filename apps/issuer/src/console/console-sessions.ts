import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { ConsoleOperatorEntity, ConsoleSessionEntity, inTransaction, TenantEntity, type OperatorRole } from '@citycred/persistence';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword, type AuditLog, type OperatorStore } from '@citycred/tenancy';
import { LessThan, type DataSource } from 'typeorm';
import type { SignInThrottle } from './sign-in-throttle.js';

/** A session ends after 30 minutes without a request… */
export const SESSION_IDLE_MS = 30 * 60_000;
/** …and 12 hours after sign-in, however active. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** The last-seen time is written at most this often, so a busy console does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/** The signed-in operator of a request, and its tenant: every console query is scoped to `tenant`. */
export interface ConsoleIdentity {
  readonly operator: { readonly id: string; readonly username: string; readonly displayName: string; readonly role: OperatorRole };
  readonly tenant: TenantEntity;
}

/** A new session: the token goes into the cookie, once. */
export interface SignedIn extends ConsoleIdentity {
  readonly token: string;
}

const signInFailed = () => new AppError(ErrorCode.ConsoleSignInFailed, 'The tenant, username or password is wrong.');

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Console sign-in and sessions. A session token is 32 random bytes (base64url), only its SHA-256 is stored; it ends
 * after {@link SESSION_IDLE_MS} idle or {@link SESSION_ABSOLUTE_MS} after sign-in (by the injected clock), at sign-out,
 * or when its operator is disabled. A sign-in naming an unknown tenant, an unknown or disabled operator or giving a
 * wrong password gets the same 401 after the same work (a dummy hash is checked when there is no operator), and
 * every failure counts towards the (tenant, username)'s throttle.
 */
export class ConsoleSessions {
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly operators: Pick<OperatorStore, 'forSignIn'>,
    private readonly audit: Pick<AuditLog, 'append'>,
    private readonly throttle: SignInThrottle,
    private readonly clock: Clock,
  ) {
    this.dummyHash = hashPassword(randomBytes(16).toString('base64url'));
  }

  /**
   * Signs an operator in and records `operator.signed-in` in the tenant's audit log.
   * @throws AppError `console.sign-in-throttled` (429, with Retry-After), `console.sign-in-failed` (401)
   */
  async signIn(tenantSlug: string, username: string, password: string): Promise<SignedIn> {
    const retryAfterSeconds = this.throttle.retryAfterSeconds(tenantSlug, username);
    if (retryAfterSeconds > 0) {
      throw new AppError(ErrorCode.ConsoleSignInThrottled, 'Too many failed sign-ins for this operator; try again later.', { retryAfterSeconds });
    }
    const found = password.length <= MAX_PASSWORD_LENGTH ? await this.operators.forSignIn(tenantSlug, username) : null;
    const usable = found && found.operator.disabledAt === null ? found : null;
    const matches = await verifyPassword(password, usable ? usable.operator.passwordHash : await this.dummyHash);
    if (!usable || !matches) {
      this.throttle.fail(tenantSlug, username);
      throw signInFailed();
    }
    this.throttle.succeed(tenantSlug, username);
    const { operator, tenant } = usable;
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await inTransaction(this.dataSource, async (manager) => {
      await manager.delete(ConsoleSessionEntity, { operatorId: operator.id, createdAt: LessThan(new Date(now.getTime() - SESSION_ABSOLUTE_MS).toISOString()) });
      await manager.insert(ConsoleSessionEntity, { tokenHash: hashToken(token), operatorId: operator.id, tenantId: tenant.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString() });
      await this.audit.append(manager, { tenantId: tenant.id, actor: { kind: 'operator', id: operator.username }, action: 'operator.signed-in', target: operator.username, at: now });
    });
    return { token, operator: identityOf(operator), tenant };
  }

  /** The identity of a live session, or null (unknown, expired — then deleted — or its operator disabled). */
  async authenticate(token: string): Promise<ConsoleIdentity | null> {
    const sessions = this.dataSource.getRepository(ConsoleSessionEntity);
    const tokenHash = hashToken(token);
    const session = await sessions.findOneBy({ tokenHash });
    if (!session) return null;
    const now = this.clock.now().getTime();
    const lastSeen = Date.parse(session.lastSeenAt);
    if (now - lastSeen >= SESSION_IDLE_MS || now - Date.parse(session.createdAt) >= SESSION_ABSOLUTE_MS) {
      await sessions.delete({ tokenHash });
      return null;
    }
    const operator = await this.dataSource.getRepository(ConsoleOperatorEntity).findOneBy({ id: session.operatorId });
    const tenant = operator ? await this.dataSource.getRepository(TenantEntity).findOneBy({ id: operator.tenantId }) : null;
    if (!operator || !tenant || operator.disabledAt !== null || operator.tenantId !== session.tenantId) {
      await sessions.delete({ tokenHash });
      return null;
    }
    if (now - lastSeen >= TOUCH_INTERVAL_MS) await sessions.update({ tokenHash }, { lastSeenAt: new Date(now).toISOString() });
    return { operator: identityOf(operator), tenant };
  }

  /** Ends a session (nothing happens for an unknown token). */
  async signOut(token: string): Promise<void> {
    await this.dataSource.getRepository(ConsoleSessionEntity).delete({ tokenHash: hashToken(token) });
  }
}

function identityOf(operator: ConsoleOperatorEntity): ConsoleIdentity['operator'] {
  return { id: operator.id, username: operator.username, displayName: operator.displayName, role: operator.role };
}
