import { webcrypto } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Clock } from '@citycred/config';
import type { AuditLog } from '@citycred/tenancy';
import type { RandomSource } from '@citycred/status-list';
import type { DataSource } from 'typeorm';
import {
  STATUS_LIST_ANCHOR_QUEUE,
  STATUS_LIST_RANDOM,
  STATUS_LIST_SETTINGS,
  STATUS_LIST_SIGNER,
  type StatusListAnchorQueue,
  type StatusListSettings,
  type StatusListSigner,
} from './ports.js';
import { CredentialStatusController, StatusListsController } from './status-list.controller.js';
import { StatusLists } from './status-lists.service.js';

/** What {@link StatusListModule.register} needs; the signer and the anchor queue are the ports the issuer wires. */
export interface StatusListModuleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  readonly settings: StatusListSettings;
  readonly signer: StatusListSigner;
  readonly anchorQueue: StatusListAnchorQueue;
  /** Randomness of index allocation; default the operating system's CSPRNG. */
  readonly random?: RandomSource;
  /** The audit log status changes enter. */
  readonly audit?: Pick<AuditLog, 'append'>;
}

/**
 * Builds the {@link StatusLists} facade outside Nest, so that the issuer can hand the same instance to the issuance
 * command (which allocates entries inside its transaction) and to this module.
 */
export function createStatusLists(options: StatusListModuleOptions): StatusLists {
  return new StatusLists(options.dataSource, options.clock, options.settings, options.signer, options.anchorQueue, options.random ?? systemRandom, {
    ...(options.audit ? { audit: options.audit } : {}),
  });
}

/** The operating system's CSPRNG as a {@link RandomSource}. */
export const systemRandom: RandomSource = (n) => webcrypto.getRandomValues(new Uint8Array(n));

/**
 * Status lists (W3C Bitstring and IETF Token Status List): `GET /status-lists/{id}` (public) and
 * `POST /credentials/status` (API key). Exports {@link StatusLists}, whose `allocate` the issuance command calls.
 * Needs the `TenantsModule` (global) for the API-key guard.
 */
@Module({})
export class StatusListModule {
  /** @param instance - the facade the issuer built with {@link createStatusLists}; built here from `options` when absent */
  static register(options: StatusListModuleOptions, instance?: StatusLists): DynamicModule {
    return {
      module: StatusListModule,
      controllers: [StatusListsController, CredentialStatusController],
      providers: [
        { provide: STATUS_LIST_SETTINGS, useValue: options.settings },
        { provide: STATUS_LIST_SIGNER, useValue: options.signer },
        { provide: STATUS_LIST_ANCHOR_QUEUE, useValue: options.anchorQueue },
        { provide: STATUS_LIST_RANDOM, useValue: options.random ?? systemRandom },
        instance
          ? { provide: StatusLists, useValue: instance }
          : {
              provide: StatusLists,
              inject: [STATUS_LIST_SETTINGS, STATUS_LIST_SIGNER, STATUS_LIST_ANCHOR_QUEUE, STATUS_LIST_RANDOM],
              useFactory: (settings: StatusListSettings, signer: StatusListSigner, anchors: StatusListAnchorQueue, random: RandomSource) =>
                new StatusLists(options.dataSource, options.clock, settings, signer, anchors, random),
            },
      ],
      exports: [StatusLists],
    };
  }
}
