import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { TenantEntity } from '@citycred/persistence';
import { TenantDirectory } from '@citycred/tenancy';

/** The request, once {@link ApiKeyGuard} has found its tenant. */
export interface TenantRequest {
  headers: Record<string, string | string[] | undefined>;
  tenant?: TenantEntity;
}

/**
 * Authorises a request by its `Authorization: Bearer <api key>` header and attaches the tenant.
 * A key known live is answered from the directory's cache, without a database statement, for
 * `API_KEY_CACHE_TTL_MS`; the key itself is never logged nor echoed.
 * @throws AppError `auth.missing-api-key` or `auth.invalid-api-key` (401)
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(TenantDirectory) private readonly tenants: Pick<TenantDirectory, 'authenticate'>) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<TenantRequest>();
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) throw new AppError(ErrorCode.AuthMissingApiKey, 'Send the tenant API key as "Authorization: Bearer <key>".');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
    if (!match) throw new AppError(ErrorCode.AuthInvalidApiKey, 'The Authorization header must be "Bearer <key>".');
    const tenant = await this.tenants.authenticate(match[1]!);
    if (!tenant) throw new AppError(ErrorCode.AuthInvalidApiKey, 'The API key is unknown or revoked.');
    request.tenant = tenant;
    return true;
  }
}
