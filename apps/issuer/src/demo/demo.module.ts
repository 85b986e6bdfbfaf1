import { fileURLToPath } from 'node:url';
import { Logger, Module, type DynamicModule, type InjectionToken, type ModuleMetadata } from '@nestjs/common';
import type { Clock } from '@citycred/config';
import { readConsoleBuild } from '../console-ui-static.js';
import type { Oid4vciService } from '../oid4vci/oid4vci.service.js';
import { DemoCitizenOffers } from './demo-citizen-offers.js';
import { DEMO_PAGE_BUILD, DemoCitizensController } from './demo-citizens.controller.js';
import type { DemoCitizensFile } from './demo-citizens.js';

/**
 * The demo page's build (`apps/issuer/demo-ui/dist`, made by `npm run build`), found next to this module both as
 * source (`src/demo/`) and as built output (`dist/demo/`).
 */
export const DEMO_UI_DIST = fileURLToPath(new URL('../../demo-ui/dist/', import.meta.url));

/** What the demo module is built from. */
export interface DemoModuleOptions {
  /** The parsed `DEMO_CITIZENS_FILE`. */
  demo: DemoCitizensFile;
  /** `WALLET_URL`, or undefined. */
  walletUrl: string | undefined;
  clock: Clock;
  /** Where the offer service comes from: a module exporting it, and its token (the issuer's `Oid4vciService`). */
  offers: { imports: NonNullable<ModuleMetadata['imports']>; token: InjectionToken };
  /** The page's build directory; default {@link DEMO_UI_DIST}. */
  dist?: string;
}

/**
 * The embedded demo's citizens page and its offers. Registered only when `DEMO_CITIZENS_FILE` is set (by `npm start`
 * in embedded mode): without it no `/demo` route exists. A missing page build is logged, not fatal (the page answers
 * 503; the JSON routes work).
 */
@Module({})
export class DemoModule {
  static register(options: DemoModuleOptions): DynamicModule {
    const dist = options.dist ?? DEMO_UI_DIST;
    const build = readConsoleBuild(dist);
    if (!build) new Logger('Demo').warn(`The demo page is not built (${dist} has no index.html): run npm run build. /demo/citizens answers 503.`);
    return {
      module: DemoModule,
      imports: options.offers.imports,
      controllers: [DemoCitizensController],
      providers: [
        { provide: DEMO_PAGE_BUILD, useValue: build },
        {
          provide: DemoCitizenOffers,
          inject: [options.offers.token],
          useFactory: (offers: Oid4vciService) => new DemoCitizenOffers(options.demo, offers, options.walletUrl, options.clock),
        },
      ],
    };
  }
}
