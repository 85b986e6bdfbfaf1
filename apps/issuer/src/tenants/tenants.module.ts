import { Module, type DynamicModule } from '@nestjs/common';
import { TenantDirectory } from '@citycred/tenancy';
import { ApiKeyGuard } from './api-key.guard.js';

/** Tenants and API-key authentication. */
@Module({})
export class TenantsModule {
  static register(tenants: TenantDirectory): DynamicModule {
    return {
      module: TenantsModule,
      global: true,
      providers: [{ provide: TenantDirectory, useValue: tenants }, ApiKeyGuard],
      exports: [TenantDirectory, ApiKeyGuard],
    };
  }
}
