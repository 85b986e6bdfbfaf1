import { randomUUID } from 'node:crypto';
import type { Clock } from '@citycred/config';
import { AppError, ErrorCode } from '@citycred/errors';
import { ConsoleOperatorEntity, ConsoleSessionEntity, inTransaction, TenantEntity, type OperatorRole } from '@citycred/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import { hashPassword, passwordWeakness } from './passwords.js';

/** The roles an operator can have, most powerful first. */
export const OPERATOR_ROLES: readonly OperatorRole[] = Object.freeze(['admin', 'issuer', 'auditor']);

/** Usernames: lower-case letters, digits, `.`, `_`, `-`; starting with a letter or digit; at most 64. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Display names are shown in a browser and a terminal: printable text, 1 to 100 characters. */
const DISPLAY_NAME = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}<>]{1,100}$/u;

/** What anyone may see of an operator: never its password hash. */
export interface OperatorSummary {
  readonly id: string;
  readonly tenantId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  readonly disabled: boolean;
}

/** A new operator. */
export interface NewOperator {
  readonly username: string;
  readonly displayName: string;
  readonly role: OperatorRole;
  readonly password: string;
}

/** Outcome of {@link OperatorStore.disable}. */
export type OperatorDisabling = { outcome: 'disabled' | 'already-disabled'; operator: OperatorSummary } | { outcome: 'unknown' };

/** A username as stored (and as looked up): trimmed and lower-cased. */
export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/**
 * Console operators of the tenants: created with a scrypt password hash (`hashPassword`), listed, disabled. Used by
 * the issuer's console (admins manage their tenant's operators) and by the platform CLI (`operators`). Disabling an
 * operator also ends its sessions.
 */
export class OperatorStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Creates an operator of a tenant.
   * @throws AppError `request.invalid` (a username or display name that breaks its rule, an unknown role),
   *   `console.weak-password` (fewer than 12 characters), `console.operator-exists` (409: the username is taken in
   *   this tenant)
   * @param recorded - runs in the transaction that inserts the operator (the issuer appends `operator.created` to
   *   the tenant's audit log there), so both are stored or neither
   */
  async create(tenantId: string, operator: NewOperator, recorded?: (manager: EntityManager, created: OperatorSummary) => Promise<unknown>): Promise<OperatorSummary> {
    const username = normaliseUsername(operator.username);
    if (!USERNAME_PATTERN.test(username)) {
      throw new AppError(ErrorCode.RequestInvalid, 'A username is 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit.', {
        extensions: { errors: [{ pointer: '/username', message: 'does not match the username rule' }] },
      });
    }
    if (!DISPLAY_NAME.test(operator.displayName)) {
      throw new AppError(ErrorCode.RequestInvalid, 'A display name is 1 to 100 printable characters without "<" or ">".', {
        extensions: { errors: [{ pointer: '/displayName', message: 'is not 1 to 100 printable characters' }] },
      });
    }
    if (!OPERATOR_ROLES.includes(operator.role)) throw new AppError(ErrorCode.RequestInvalid, `A role is one of ${OPERATOR_ROLES.join(', ')}.`);
    const weakness = passwordWeakness(operator.password);
    if (weakness) throw new AppError(ErrorCode.ConsoleWeakPassword, `The password is not acceptable: ${weakness}.`);
    const repository = this.dataSource.getRepository(ConsoleOperatorEntity);
    const taken = () => new AppError(ErrorCode.ConsoleOperatorExists, `This tenant already has an operator named "${username}".`);
    if (await repository.exists({ where: { tenantId, username } })) throw taken();
    const row: ConsoleOperatorEntity = {
      id: randomUUID(),
      tenantId,
      username,
      displayName: operator.displayName,
      role: operator.role,
      passwordHash: await hashPassword(operator.password),
      createdAt: this.clock.now().toISOString(),
      disabledAt: null,
    };
    try {
      await inTransaction(this.dataSource, async (manager) => {
        await manager.insert(ConsoleOperatorEntity, row);
        await recorded?.(manager, summaryOf(row));
      });
    } catch (error) {
      // Two creations of one username at once: the unique index decides, the loser is told it is taken.
      if (await repository.exists({ where: { tenantId, username } })) throw taken();
      throw error;
    }
    return summaryOf(row);
  }

  /** A tenant's operators, oldest first. */
  async list(tenantId: string): Promise<OperatorSummary[]> {
    const rows = await this.dataSource.getRepository(ConsoleOperatorEntity).find({ where: { tenantId }, order: { createdAt: 'ASC', username: 'ASC' } });
    return rows.map(summaryOf);
  }

  /**
   * Disables an operator (it can no longer sign in) and ends its sessions, in one transaction.
   * @param recorded - runs in that transaction when the operator was live (as for {@link create})
   */
  async disable(tenantId: string, username: string, recorded?: (manager: EntityManager, disabled: OperatorSummary) => Promise<unknown>): Promise<OperatorDisabling> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await manager.findOneBy(ConsoleOperatorEntity, { tenantId, username: normaliseUsername(username) });
      if (!row) return { outcome: 'unknown' as const };
      if (row.disabledAt !== null) return { outcome: 'already-disabled' as const, operator: summaryOf(row) };
      row.disabledAt = this.clock.now().toISOString();
      await manager.update(ConsoleOperatorEntity, { id: row.id }, { disabledAt: row.disabledAt });
      await manager.delete(ConsoleSessionEntity, { operatorId: row.id });
      await recorded?.(manager, summaryOf(row));
      return { outcome: 'disabled' as const, operator: summaryOf(row) };
    });
  }

  /**
   * The operator and its tenant a sign-in names, with the password hash to check; null when the tenant or the
   * username is unknown (the caller must answer both alike).
   */
  async forSignIn(tenantSlug: string, username: string): Promise<{ operator: ConsoleOperatorEntity; tenant: TenantEntity } | null> {
    const tenant = await this.dataSource.getRepository(TenantEntity).findOneBy({ slug: tenantSlug });
    if (!tenant) return null;
    const operator = await this.dataSource.getRepository(ConsoleOperatorEntity).findOneBy({ tenantId: tenant.id, username: normaliseUsername(username) });
    return operator ? { operator, tenant } : null;
  }
}

/** The public view of an operator row. */
export function summaryOf(row: ConsoleOperatorEntity): OperatorSummary {
  return {
    id: row.id,
    tenantId: row.tenantId,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
    createdAt: row.createdAt,
    disabled: row.disabledAt !== null,
  };
}
