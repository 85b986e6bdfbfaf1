import { RepeatingTask } from '@citycred/config';
import { Inject, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { readPageBuild } from '../pages/page-build.js';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { PetitionAdmins } from './petition-admins.js';
import { PETITION_PAGE_BUILD, PETITIONS_OID4VP, PETITIONS_PUBLIC_URL, PetitionsController } from './petitions.controller.js';
import { Petitions } from './petitions.service.js';

const DEADLINES = Symbol.for('citycred.verifier.petitions.deadline-task');

/**
 * Resident audit claims (docs/petitions.md): `/petitions/*` (the API, the wallet's side of the signing requests and
 * the public page `/petitions/{id}`), and the task that closes petitions at their deadline: every
 * `PETITION_CLOSE_INTERVAL_MS` (0: never) it asks `Petitions.closeDue`, where the injected clock says which deadlines
 * have passed; the timer only decides how often it is asked.
 */
@Module({})
export class PetitionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(DEADLINES) private readonly deadlines: RepeatingTask) {}

  static register(runtime: Pick<VerifierRuntime, 'config' | 'petitions'>): DynamicModule {
    const logger = new Logger('Petitions');
    const task = new RepeatingTask(() => runtime.petitions.service.closeDue(), runtime.config.PETITION_CLOSE_INTERVAL_MS, (error) =>
      logger.warn(`closing the petitions past their deadline failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return {
      module: PetitionsModule,
      controllers: [PetitionsController],
      providers: [
        { provide: Petitions, useValue: runtime.petitions.service },
        { provide: PetitionAdmins, useValue: runtime.petitions.admins },
        { provide: PETITIONS_OID4VP, useValue: runtime.petitions.oid4vp },
        { provide: PETITION_PAGE_BUILD, useValue: readPageBuild('petitions') },
        { provide: DEADLINES, useValue: task },
        { provide: PETITIONS_PUBLIC_URL, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host) },
      ],
    };
  }

  onApplicationBootstrap(): void {
    this.deadlines.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.deadlines.stop();
  }
}
