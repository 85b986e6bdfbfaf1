import { Module, type DynamicModule } from '@nestjs/common';
import type { VerifierConfig } from '../config.js';
import { CHECK_PAGE_BUILD, CHECK_PAGE_SETTINGS, CheckPageController, readCheckPageBuild } from './check-page.controller.js';
import { checkPageSettings } from './page-settings.js';

/** The public certificate check page (docs/certificates.md). */
@Module({})
export class CheckPageModule {
  static register(config: Pick<VerifierConfig, 'CHECK_ISSUER_URL' | 'ANCHOR_PROOF_URL'>): DynamicModule {
    return {
      module: CheckPageModule,
      controllers: [CheckPageController],
      providers: [
        { provide: CHECK_PAGE_SETTINGS, useValue: checkPageSettings(config.CHECK_ISSUER_URL ?? config.ANCHOR_PROOF_URL) },
        // Read once as the verifier starts; a verifier started before `npm run build` answers 503 for the page.
        { provide: CHECK_PAGE_BUILD, useFactory: readCheckPageBuild },
      ],
    };
  }
}
