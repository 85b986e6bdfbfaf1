import { Module, type DynamicModule } from '@nestjs/common';
import { TenantDirectory } from '@citycred/tenancy';
import { STATUS_LIST_SETTINGS, type StatusListSettings } from '../status-list/ports.js';
import type { StatusLists } from '../status-list/status-lists.service.js';
import { IssuerDirectoryController } from './issuer-directory.controller.js';
import { IssuerDirectoryReader } from './issuer-directory.js';

/**
 * The public issuer directory `GET /issuers` (docs/issuer-directory.md). Reads the tenants (the global
 * `TenantsModule`'s {@link TenantDirectory}) and the URLs of their status lists.
 */
@Module({})
export class IssuerDirectoryModule {
  static register(statusLists: Pick<StatusLists, 'publishedUrls'>, settings: Pick<StatusListSettings, 'maxAgeSeconds'>): DynamicModule {
    return {
      module: IssuerDirectoryModule,
      controllers: [IssuerDirectoryController],
      providers: [
        { provide: STATUS_LIST_SETTINGS, useValue: settings },
        { provide: IssuerDirectoryReader, inject: [TenantDirectory], useFactory: (tenants: TenantDirectory) => new IssuerDirectoryReader(tenants, statusLists) },
      ],
    };
  }
}
