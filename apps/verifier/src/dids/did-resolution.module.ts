import { Module, type DynamicModule } from '@nestjs/common';
import type { VerifierRuntime } from '../runtime.js';
import { CheckDidsController } from './check-dids.controller.js';
import { PublicDidResolver } from './public-did-resolver.js';

/** Public DID resolution for citizen wallets: `GET /check/dids/{did}`. */
@Module({})
export class DidResolutionModule {
  static register(runtime: Pick<VerifierRuntime, 'didResolution'>): DynamicModule {
    return {
      module: DidResolutionModule,
      controllers: [CheckDidsController],
      providers: [{ provide: PublicDidResolver, useValue: runtime.didResolution }],
    };
  }
}
