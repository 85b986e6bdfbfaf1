import { Module, type DynamicModule } from '@nestjs/common';
import { PolicyRegistry } from '../policies/index.js';
import type { VerifierRuntime } from '../runtime.js';
import { DecisionReceipts } from './decision-receipts.js';
import { ProgramsController } from './programs.controller.js';
import { PROGRAM_CONFIGS } from './programs.module-tokens.js';

/** Benefit programs: `GET /programs` and `GET /programs/receipt-key` (docs/youth-allowance.md). */
@Module({})
export class ProgramsModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'policies' | 'receipts'>): DynamicModule {
    return {
      module: ProgramsModule,
      controllers: [ProgramsController],
      providers: [
        { provide: PROGRAM_CONFIGS, useValue: runtime.config.PROGRAMS_FILE },
        { provide: PolicyRegistry, useValue: runtime.policies },
        { provide: DecisionReceipts, useValue: runtime.receipts },
      ],
    };
  }
}
