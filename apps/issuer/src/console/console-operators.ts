import type { AuditLog, NewOperator, OperatorDisabling, OperatorStore, OperatorSummary } from '@citycred/tenancy';
import type { ConsoleIdentity } from './console-sessions.js';

/** An operator as the console lists it. */
export interface ConsoleOperatorView {
  readonly username: string;
  readonly role: OperatorSummary['role'];
  readonly displayName: string;
  readonly createdAt: string;
  readonly disabled: boolean;
}

/**
 * The tenant's operators, managed by its admins in the console: each creation and disabling is recorded in the
 * tenant's audit log in the same transaction.
 */
export class ConsoleOperators {
  constructor(
    private readonly store: Pick<OperatorStore, 'create' | 'list' | 'disable'>,
    private readonly audit: Pick<AuditLog, 'append'>,
  ) {}

  /** The signed-in tenant's operators. */
  async list(identity: ConsoleIdentity): Promise<ConsoleOperatorView[]> {
    return (await this.store.list(identity.tenant.id)).map(viewOf);
  }

  /**
   * Creates an operator of the signed-in tenant.
   * @throws what `OperatorStore.create` throws (400 rules, 409 taken)
   */
  async create(identity: ConsoleIdentity, operator: NewOperator): Promise<ConsoleOperatorView> {
    const created = await this.store.create(identity.tenant.id, operator, (manager, summary) =>
      this.audit.append(manager, {
        tenantId: identity.tenant.id,
        actor: { kind: 'operator', id: identity.operator.username },
        action: 'operator.created',
        target: summary.username,
        details: { role: summary.role },
      }),
    );
    return viewOf(created);
  }

  /** Disables an operator of the signed-in tenant (unknown: `unknown`, whatever other tenants have). */
  async disable(identity: ConsoleIdentity, username: string): Promise<OperatorDisabling['outcome']> {
    const outcome = await this.store.disable(identity.tenant.id, username, (manager, summary) =>
      this.audit.append(manager, { tenantId: identity.tenant.id, actor: { kind: 'operator', id: identity.operator.username }, action: 'operator.disabled', target: summary.username }),
    );
    return outcome.outcome;
  }
}

function viewOf(summary: OperatorSummary): ConsoleOperatorView {
  return { username: summary.username, role: summary.role, displayName: summary.displayName, createdAt: summary.createdAt, disabled: summary.disabled };
}
