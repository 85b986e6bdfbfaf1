import type { EntityManager } from 'typeorm';
import type { AuditActor, AuditDetails } from './audit-entry.js';
import type { AuditLog } from './audit-log.js';

/** Who asks for a change: written to the audit logs it enters. */
export interface AdminActor {
  /** As the changed tenant's log records it (the platform CLI: `{kind: 'platform', id: 'cli'}`). */
  readonly actor: AuditActor;
  /**
   * The acting operator's own tenant, when it is not the tenant changed (a city administrator): the change enters its
   * log too, so what an administrator did is in the log of the tenant it signs in to.
   */
  readonly home?: { readonly tenantId: string; readonly actor: AuditActor } | undefined;
}

/**
 * Appends `action` to the changed tenant's log, and to the acting operator's tenant's when that is another, in the
 * caller's transaction.
 * @param target - what it acted on (default the tenant's slug); the home tenant's entry always names the tenant
 * @throws what {@link AuditLog.append} throws
 */
export async function recordAdminChange(
  audit: AuditLog,
  manager: EntityManager,
  tenant: { readonly id: string; readonly slug: string },
  by: AdminActor,
  action: string,
  details: AuditDetails,
  target: string = tenant.slug,
): Promise<void> {
  await audit.append(manager, { tenantId: tenant.id, actor: by.actor, action, target, details });
  if (by.home && by.home.tenantId !== tenant.id) await audit.append(manager, { tenantId: by.home.tenantId, actor: by.home.actor, action, target: tenant.slug, details });
}
