import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type Provider } from '@nestjs/common';
import type { Clock } from '@citycred/config';
import { AuditLog, OperatorStore } from '@citycred/tenancy';
import type { DataSource } from 'typeorm';
import type { IssuanceService } from '../issuance/issuance.service.js';
import { TypeSchemas } from '../issuance/type-schemas.js';
import { ConsoleApiController } from './console-api.controller.js';
import { ConsoleCredentials } from './console-credentials.js';
import { ConsoleOperators } from './console-operators.js';
import { ConsoleOfferImports } from './console-offer-imports.js';
import {
  CERTIFICATE_RENDERER,
  CONSOLE_BULK_OFFERS,
  CONSOLE_OFFERS,
  CONSOLE_STATUS_CHANGES,
  type ConsoleBulkOffers,
  type ConsoleCertificates,
  type ConsoleOffers,
  type ConsoleStatusChanges,
} from './console-ports.js';
import { ConsoleReadModel } from './console-read-model.js';
import { ConsoleCsrfGuard, ConsoleSessionGuard } from './console-session.guard.js';
import { ConsoleSessionController } from './console-session.controller.js';
import { ConsoleSessions } from './console-sessions.js';
import { CONSOLE_ADMIN, CONSOLE_COOKIE_SETTINGS } from './console-tokens.js';
import { ConsoleAdmin, type ConsoleAdministration } from './console-admin.js';
import { ConsoleAdminController } from './console-admin.controller.js';
import { SignInThrottle } from './sign-in-throttle.js';

const ISSUANCE = Symbol.for('citycred.issuer.console.issuance');

/** What the console is built from. The services of other contexts come from the modules in `imports`, by token. */
export interface ConsoleModuleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The issuer's public base URL: an https one makes the session cookie `Secure`. */
  readonly publicUrl: string;
  /** Modules exporting the tokens below (the issuer's `IssuanceModule`, `StatusListModule`, `Oid4vciModule` …). */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** Token of the `IssuanceService`. */
  readonly issuance: InjectionToken;
  /** The status-list facade (`StatusLists`, built outside Nest by the issuer); without it status changes answer 501. */
  readonly statusChanges?: ConsoleStatusChanges;
  /** Token of the `Oid4vciService`; without it offers answer 501. */
  readonly offers?: InjectionToken;
  /** Token of the OpenID4VCI context's `Oid4vciBulkOffers`; without it bulk offers answer 501. */
  readonly bulkOffers?: InjectionToken;
  /** Token of the certificates context's `CertificateRenderer`; without it certificates answer 501. */
  readonly certificates?: InjectionToken;
  /** The tenant administration behind the admin API (`/console/api/admin`); without it those routes answer 501. */
  readonly administration?: ConsoleAdministration;
}

const existingOrNull = (provide: symbol, token: InjectionToken | undefined): Provider => (token ? { provide, useExisting: token } : { provide, useValue: null });

/**
 * The issuer console's backend: operators' sign-in and sessions, the console API under `/console/api` and its admin
 * API under `/console/api/admin` (docs/console.md). Needs the global `AuditModule` (for the `AuditLog`).
 */
@Module({})
export class ConsoleModule {
  static register(options: ConsoleModuleOptions): DynamicModule {
    const { dataSource, clock } = options;
    const operators = new OperatorStore(dataSource, clock);
    const reads = new ConsoleReadModel(dataSource, clock);
    return {
      module: ConsoleModule,
      imports: options.imports,
      controllers: [ConsoleSessionController, ConsoleApiController, ConsoleAdminController],
      providers: [
        { provide: CONSOLE_COOKIE_SETTINGS, useValue: { secure: options.publicUrl.startsWith('https:') } },
        { provide: CONSOLE_ADMIN, useValue: options.administration ? new ConsoleAdmin(options.administration) : null },
        { provide: ConsoleReadModel, useValue: reads },
        { provide: ISSUANCE, useExisting: options.issuance },
        { provide: CONSOLE_STATUS_CHANGES, useValue: options.statusChanges ?? null },
        existingOrNull(CONSOLE_OFFERS, options.offers),
        existingOrNull(CONSOLE_BULK_OFFERS, options.bulkOffers),
        { provide: ConsoleOfferImports, inject: [CONSOLE_BULK_OFFERS], useFactory: (bulk: ConsoleBulkOffers | null) => new ConsoleOfferImports(bulk) },
        existingOrNull(CERTIFICATE_RENDERER, options.certificates),
        {
          provide: ConsoleSessions,
          inject: [AuditLog],
          useFactory: (audit: AuditLog) => new ConsoleSessions(dataSource, operators, audit, new SignInThrottle(clock), clock),
        },
        { provide: ConsoleOperators, inject: [AuditLog], useFactory: (audit: AuditLog) => new ConsoleOperators(operators, audit) },
        {
          provide: ConsoleCredentials,
          inject: [ISSUANCE, CONSOLE_STATUS_CHANGES, CONSOLE_OFFERS, CERTIFICATE_RENDERER],
          useFactory: (issuance: IssuanceService, statuses: ConsoleStatusChanges | null, offers: ConsoleOffers | null, certificates: ConsoleCertificates | null) =>
            new ConsoleCredentials(issuance, new TypeSchemas(dataSource, clock), reads, statuses, offers, certificates),
        },
        ConsoleCsrfGuard,
        ConsoleSessionGuard,
      ],
      // Other contexts' console routes (the labour contracts' `/console/api/labor`) use the same sessions and guard.
      exports: [ConsoleSessions, ConsoleSessionGuard, ConsoleCsrfGuard],
    };
  }
}
