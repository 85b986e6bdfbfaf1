import { Module, type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { readPageBuild } from '../pages/page-build.js';
import { verifierPublicUrl } from '../public-url.js';
import type { VerifierRuntime } from '../runtime.js';
import { APPLY_PAGE_BUILD, APPLY_PUBLIC_URL, ApplyApiController, ApplyPageController } from './apply.controller.js';
import { Applications } from './applications.js';

/**
 * The benefit programs' application pages (docs/youth-allowance.md, "The application page"): `GET /apply/{page}` for
 * every program with a page, and their API under `/apply/api/`.
 */
@Module({})
export class ApplyModule {
  static register(runtime: Pick<VerifierRuntime, 'config' | 'applications'>): DynamicModule {
    return {
      module: ApplyModule,
      controllers: [ApplyApiController, ApplyPageController],
      providers: [
        { provide: Applications, useValue: runtime.applications },
        // Read once as the verifier starts; a verifier started before `npm run build` answers 503 for the page.
        { provide: APPLY_PAGE_BUILD, useFactory: () => readPageBuild('apply') },
        { provide: APPLY_PUBLIC_URL, inject: [HttpAdapterHost], useFactory: (host: HttpAdapterHost) => () => verifierPublicUrl(runtime.config, host) },
      ],
    };
  }
}
