import { Module, type DynamicModule } from '@nestjs/common';
import type { VerifierConfig } from '../config.js';
import { CHECK_PAGE_SETTINGS, CheckPageController } from './check-page.controller.js';
import { checkPageSettings } from './page-settings.js';

/** The public certificate check page (docs/certificates.md). */
@Module({})
export class CheckPageModule {
  static register(config: Pick<VerifierConfig, 'CHECK_ISSUER_URL' | 'ANCHOR_PROOF_URL'>): DynamicModule {
    return {
      module: CheckPageModule,
      controllers: [CheckPageController],
      providers: [{ provide: CHECK_PAGE_SETTINGS, useValue: checkPageSettings(config.CHECK_ISSUER_URL ?? config.ANCHOR_PROOF_URL) }],
    };
  }
}
