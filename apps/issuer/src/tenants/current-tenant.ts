import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { TenantEntity } from '@citycred/persistence';
import type { TenantRequest } from './api-key.guard.js';

/** The tenant authenticated by {@link ApiKeyGuard}. */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantEntity => {
  const tenant = context.switchToHttp().getRequest<TenantRequest>().tenant;
  if (!tenant) throw new Error('CurrentTenant used on a route without ApiKeyGuard');
  return tenant;
});
