import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import type { HttpReply } from '@citycred/http';
import { catalogueTypesByKind } from '@citycred/tenancy';
import { CONSOLE_ADMIN } from './console-tokens.js';
import type { ConsoleAdmin } from './console-admin.js';
import { delegateRevocationSchema, newApiKeySchema, newDelegateSchema, newEmployerSchema, newTenantSchema, rotateKeySchema, tenantTypesSchema } from './console-requests.js';
import { ConsoleSessionGuard, CurrentOperator, Roles } from './console-session.guard.js';
import type { ConsoleIdentity } from './console-sessions.js';
import { parseRequest } from './parse.js';

/**
 * The console's admin API (`/console/api/admin/*`, docs/console.md#admin-api): a live session of an operator with the
 * role `admin` (others 403 `console.forbidden`), the CSRF header on every change; what each admin may see and do is
 * {@link ConsoleAdmin}'s. Answers holding an API key are never cached.
 */
@Controller('console/api/admin')
@UseGuards(ConsoleSessionGuard)
@Roles('admin')
export class ConsoleAdminController {
  constructor(@Inject(CONSOLE_ADMIN) private readonly admin: ConsoleAdmin | null) {}

  /** `GET /console/api/admin/tenants` → `{items}`: the tenants the operator may see, with their accreditation now. */
  @Get('tenants')
  async list(@CurrentOperator() identity: ConsoleIdentity) {
    return { items: await this.wired().list(identity) };
  }

  /** `POST /console/api/admin/tenants` → 201 `{tenant, apiKey, apiKeyInfo, accreditation, delegated, resumed}`. */
  @Post('tenants')
  async create(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const created = await this.wired().create(identity, parseRequest(newTenantSchema, body, '{slug, name, nameEn?, kind, types, accreditedBy?, mayAccredit?, businessNumber?, validUntil?}'));
    void reply.status(201).header('cache-control', 'no-store').send(created);
  }

  /**
   * `GET /console/api/admin/employers` → `{items}`: the employers the operator's department accredits, with their
   * accreditation now and business registration numbers (empty for a tenant that is not a department).
   */
  @Get('employers')
  async employers(@CurrentOperator() identity: ConsoleIdentity) {
    return { items: await this.wired().employers(identity) };
  }

  /**
   * `POST /console/api/admin/employers` `{slug, name, nameEn?, businessNumber, types?, validUntil?}` → 201 as tenant
   * creation: the operator's department onboards an employer and accredits it for labour types delegated to it.
   */
  @Post('employers')
  async createEmployer(@CurrentOperator() identity: ConsoleIdentity, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const created = await this.wired().onboardEmployer(identity, parseRequest(newEmployerSchema, body, '{slug, name, nameEn?, businessNumber, types?, validUntil?}'));
    void reply.status(201).header('cache-control', 'no-store').send(created);
  }

  /**
   * `GET /console/api/admin/credential-types` → `{items: [{type, labels: {ko, en}, kind}]}`: the catalogue's types and
   * the kind of tenant that may be configured for each (app operators name their own types).
   */
  @Get('credential-types')
  credentialTypes() {
    return { items: catalogueTypesByKind() };
  }

  /** `GET /console/api/admin/tenants/:slug` → the tenant with its accreditation now. */
  @Get('tenants/:slug')
  async tenant(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string) {
    return this.wired().tenant(identity, slug);
  }

  /** `PUT /console/api/admin/tenants/:slug/accreditations` `{types, accreditedBy?, validUntil?, reinstate?}` → 200 what changed, with the anchorer registrations ended. */
  @Put('tenants/:slug/accreditations')
  async setTypes(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Body() body: unknown) {
    return this.wired().setTypes(identity, slug, parseRequest(tenantTypesSchema, body, '{types, accreditedBy?, validUntil?, reinstate?}'));
  }

  /** `POST /console/api/admin/tenants/:slug/rotate-key` `{force?}` → 200 the rotation, with the old key's anchorer registrations ended. */
  @Post('tenants/:slug/rotate-key')
  @HttpCode(200)
  async rotateKey(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Body() body: unknown) {
    const { force } = parseRequest(rotateKeySchema, body ?? {}, '{force?: boolean}');
    return this.wired().rotateKey(identity, slug, force === true);
  }

  /**
   * `POST /console/api/admin/tenants/:slug/withdraw-anchorers` → 200 `{slug, anchorers}`: retries the anchorer
   * registrations a type change or a rotation could not end (the CLI's `tenants withdraw-anchorers`).
   */
  @Post('tenants/:slug/withdraw-anchorers')
  @HttpCode(200)
  async withdrawAnchorers(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string) {
    return this.wired().withdrawAnchorers(identity, slug);
  }

  /** `POST /console/api/admin/tenants/:slug/delegates` `{delegate, type?, validDays?}` → 201 the delegate added. */
  @Post('tenants/:slug/delegates')
  @HttpCode(201)
  async addDelegate(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Body() body: unknown) {
    return this.wired().delegate(identity, slug, parseRequest(newDelegateSchema, body, "{delegate, type?: 'veriKey'|'sigAuth', validDays?}"), false);
  }

  /** `POST /console/api/admin/tenants/:slug/delegates/revoke` `{delegate, type?}` → 200 the delegate revoked. */
  @Post('tenants/:slug/delegates/revoke')
  @HttpCode(200)
  async revokeDelegate(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Body() body: unknown) {
    return this.wired().delegate(identity, slug, parseRequest(delegateRevocationSchema, body, "{delegate, type?: 'veriKey'|'sigAuth'}"), true);
  }

  /** `GET /console/api/admin/tenants/:slug/api-keys` → `{items}` (never the keys). */
  @Get('tenants/:slug/api-keys')
  async apiKeys(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string) {
    return { items: await this.wired().apiKeys(identity, slug) };
  }

  /** `POST /console/api/admin/tenants/:slug/api-keys` `{label?}` → 201 `{apiKey, key}`, the key shown once. */
  @Post('tenants/:slug/api-keys')
  async issueApiKey(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Body() body: unknown, @Res() reply: HttpReply): Promise<void> {
    const { label } = parseRequest(newApiKeySchema, body ?? {}, '{label?}');
    const issued = await this.wired().issueApiKey(identity, slug, label ?? 'console');
    void reply.status(201).header('cache-control', 'no-store').send(issued);
  }

  /** `POST /console/api/admin/tenants/:slug/api-keys/:id/revoke` → 200 `{key, revoked: true, wasLive}`. */
  @Post('tenants/:slug/api-keys/:id/revoke')
  @HttpCode(200)
  async revokeApiKey(@CurrentOperator() identity: ConsoleIdentity, @Param('slug') slug: string, @Param('id') id: string) {
    return this.wired().revokeApiKey(identity, slug, id);
  }

  private wired(): ConsoleAdmin {
    if (!this.admin) throw new AppError(ErrorCode.ConsoleFeatureUnavailable, 'The admin API is not available on this issuer.');
    return this.admin;
  }
}
