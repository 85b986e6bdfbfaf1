import { Body, Controller, Get, Inject, Param, Put, Res, UseGuards } from '@nestjs/common';
import { AppError, ErrorCode } from '@citycred/errors';
import { RateLimited, type HttpReply } from '@citycred/http';
import type { TenantEntity } from '@citycred/persistence';
import { TenantDirectory } from '@citycred/tenancy';
import { ApiKeyGuard } from '../tenants/api-key.guard.js';
import { CurrentTenant } from '../tenants/current-tenant.js';
import { TypeSchemas } from './type-schemas.js';

/**
 * JSON Schemas of open credential types: a tenant configured for open issuance registers one for each of its types
 * (`PUT`, API key); anyone reads it at the URL its credentials name in `credentialSchema` (`GET`, public).
 */
@Controller('credential-types')
export class TypeSchemasController {
  constructor(
    @Inject(TypeSchemas) private readonly schemas: TypeSchemas,
    @Inject(TenantDirectory) private readonly tenants: Pick<TenantDirectory, 'findBySlug'>,
  ) {}

  /** `PUT /credential-types/{type}/schema` with the JSON Schema as body → 200 `{type, registeredAt}`. */
  @Put(':type/schema')
  @UseGuards(ApiKeyGuard)
  async register(@CurrentTenant() tenant: TenantEntity, @Param('type') type: string, @Body() body: unknown) {
    const registered = await this.schemas.register(tenant, type, body);
    return { type, registeredAt: registered.registeredAt };
  }

  /** `GET /credential-types/{tenant}/{type}/schema` → the registered JSON Schema; 404 problem when there is none. */
  @Get(':tenant/:type/schema')
  @RateLimited()
  async read(@Param('tenant') slug: string, @Param('type') type: string, @Res() reply: HttpReply): Promise<void> {
    const tenant = await this.tenants.findBySlug(slug);
    const registered = tenant ? await this.schemas.find(tenant.id, type) : null;
    if (!registered) throw new AppError(ErrorCode.NotFound, 'No schema is registered for this tenant and type.');
    void reply
      .status(200)
      .header('content-type', 'application/schema+json')
      .header('cache-control', 'public, max-age=300')
      .header('last-modified', new Date(registered.registeredAt).toUTCString())
      .send(JSON.stringify(registered.document));
  }
}
