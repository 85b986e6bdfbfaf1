import { Module, type DynamicModule } from '@nestjs/common';
import { VerifierMetrics } from '../metrics/verifier-metrics.js';
import { PolicyRegistry } from '../policies/index.js';
import type { VerifierRuntime } from '../runtime.js';
import { ChallengeStore } from './challenge-store.js';
import { PresentationsController } from './presentations.controller.js';
import { PresentationVerifier } from './presentation-verifier.js';

/** Presentations (VC-API): `POST /presentations/verify` and `POST /challenges`. */
@Module({})
export class PresentationsModule {
  static register(runtime: VerifierRuntime): DynamicModule {
    return {
      module: PresentationsModule,
      controllers: [PresentationsController],
      providers: [
        { provide: PresentationVerifier, useValue: runtime.presentations },
        { provide: ChallengeStore, useValue: runtime.challenges },
        { provide: PolicyRegistry, useValue: runtime.policies },
        { provide: VerifierMetrics, useValue: runtime.metrics },
      ],
    };
  }
}
